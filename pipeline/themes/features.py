"""Document features for short Norwegian texts: TF-IDF of stemmed words and word bigrams (readable terms
for labels) joined with TF-IDF of character 3-5-grams within the content words (sub-word features: they let
'sykepleiermangel' share evidence with 'sykepleiere' and 'mangel på'). The n-grams are built from content
words only: n-grams of function words and fillers grouped interview passages by their style of speech
(measured in `make bench`). Each block is L2-normalised and weighted, the whole row normalised again, so
cosine similarity is a dot product.

The character block's weight was chosen by measurement (`make bench`, theme section): word-only, and word
+ character at weights 1 and 2, on the sample's planted themes and on SIB-200."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from pipeline.text import build_analyzer, build_content_preprocessor


class TextFeatures(TransformerMixin, BaseEstimator):
    def __init__(self, char_weight: float = 2.0, char_ngrams: tuple[int, int] = (3, 5), min_df: int = 2):
        self.char_weight = char_weight
        self.char_ngrams = char_ngrams
        self.min_df = min_df

    def fit(self, texts: list[str], y: Any = None) -> TextFeatures:
        self.fit_transform(texts)
        return self

    def fit_transform(self, texts: list[str], y: Any = None) -> csr_matrix:
        """Fit both blocks and return the features in one pass over the texts (the analysis of the text is
        the expensive part at 100,000 answers)."""
        texts = list(texts)
        min_df = self.min_df if len(texts) >= 10 else 1
        self.word_vectorizer_ = TfidfVectorizer(
            analyzer=build_analyzer(), min_df=min_df, sublinear_tf=True, dtype=np.float32
        )
        blocks = [normalize(self.word_vectorizer_.fit_transform(texts))]
        self.char_vectorizer_ = None
        if self.char_weight > 0:
            self.char_vectorizer_ = TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=self.char_ngrams,
                min_df=min_df,
                sublinear_tf=True,
                preprocessor=build_content_preprocessor(),
                dtype=np.float32,
            )
            blocks.append(normalize(self.char_vectorizer_.fit_transform(texts)) * self.char_weight)
        self.n_word_features_ = blocks[0].shape[1]
        return normalize(hstack(blocks).tocsr())

    def words(self, texts: list[str]) -> csr_matrix:
        """The word block alone (stems and bigrams), L2-normalised."""
        return normalize(self.word_vectorizer_.transform(texts))

    def word_presence(self, X: csr_matrix) -> csr_matrix:
        """Which word features (stems and bigrams) each row of `transform`'s output uses, without analysing
        the texts again."""
        return (X[:, : self.n_word_features_] > 0).astype(np.float32).tocsr()

    def transform(self, texts: list[str]) -> csr_matrix:
        texts = list(texts)
        blocks = [self.words(texts)]
        if self.char_vectorizer_ is not None:
            blocks.append(normalize(self.char_vectorizer_.transform(texts)) * self.char_weight)
        return normalize(hstack(blocks).tocsr())

    @property
    def terms_(self) -> np.ndarray:
        return np.asarray(self.word_vectorizer_.get_feature_names_out())
