"""Themes in free-text answers and informant turns.

`collect_documents` turns the interim tables into documents (substantive survey answers; informant turns),
`ThemeModel` (scikit-learn estimator contract) discovers themes, `describe_themes` and `assign_documents`
turn the fitted model into the `themes` and `doc_themes` tables, and `match_topics` relates themes to the
programme's topic catalogue; themes that match no topic are emerging needs.
"""

from __future__ import annotations

import logging
import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from sklearn.base import BaseEstimator
from sklearn.decomposition import NMF
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from pipeline.config import Topic
from pipeline.text import build_analyzer, is_non_answer, readable, surface_forms

log = logging.getLogger(__name__)

DOC_COLUMNS = ["doc_id", "source", "respondent_id", "question", "interview_id", "turn", "text"]
DOC_THEME_COLUMNS = [
    "doc_id",
    "source",
    "respondent_id",
    "question",
    "interview_id",
    "turn",
    "theme_id",
    "weight",
]


def collect_documents(free_text: pd.DataFrame, turns: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(documents, non-answers): substantive survey answers and informant turns as documents, in a
    stable order; survey non-answers ('Nei', '-', 'vet ikke') are returned separately, counted, not lost."""
    survey = free_text.assign(source="survey", interview_id=None, turn=pd.NA)
    non = survey["text"].map(is_non_answer)
    informant = turns.loc[turns["role"] == "informant"]
    interview = pd.DataFrame(
        {
            "source": "interview",
            "respondent_id": None,
            "question": None,
            "interview_id": informant["interview_id"].to_numpy(),
            "turn": informant["turn"].to_numpy(),
            "text": informant["text"].to_numpy(),
        }
    )
    docs = pd.concat(
        [
            survey.loc[~non, ["source", "respondent_id", "question", "interview_id", "turn", "text"]],
            interview,
        ],
        ignore_index=True,
    )
    docs["turn"] = docs["turn"].astype("Int64")
    docs.insert(0, "doc_id", [f"d{i:06d}" for i in range(len(docs))])
    return docs[DOC_COLUMNS], survey.loc[non, ["respondent_id", "question", "text"]].reset_index(drop=True)


class ThemeModel(BaseEstimator):
    """NMF themes over TF-IDF of stemmed words and word bigrams.

    With `n_themes=None` the number of themes is chosen in `k_range` by stability: for each k the model is
    fitted with two seeds and the themes matched by cosine similarity of their term weights; the k with the
    highest mean matched similarity wins (ties: fewer themes). Learned attributes end in '_'."""

    def __init__(
        self,
        n_themes: int | None = None,
        k_range: tuple[int, int] = (4, 14),
        random_state: int = 2021,
        min_df: int = 2,
        max_iter: int = 400,
    ):
        self.n_themes = n_themes
        self.k_range = k_range
        self.random_state = random_state
        self.min_df = min_df
        self.max_iter = max_iter

    def _nmf(self, k: int, seed: int) -> NMF:
        return NMF(n_components=k, init="nndsvdar", random_state=seed, max_iter=self.max_iter)

    @staticmethod
    def _quietly(fit: Any, X: Any) -> Any:
        """Run an NMF fit; a convergence warning (max_iter reached on tiny corpora) is logged, not shown."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", ConvergenceWarning)
            out = fit(X)
        if any(issubclass(w.category, ConvergenceWarning) for w in caught):
            log.debug("NMF stopped at max_iter=%d before converging", fit.__self__.max_iter)
        return out

    def fit(self, texts: list[str], y: Any = None) -> ThemeModel:
        texts = list(texts)
        if len(texts) < 4:
            raise ValueError(f"theme discovery needs at least 4 documents, got {len(texts)}")
        self.vectorizer_ = TfidfVectorizer(
            analyzer=build_analyzer(), min_df=min(self.min_df, len(texts)), sublinear_tf=True, norm="l2"
        )
        X = self.vectorizer_.fit_transform(texts)
        self.terms_ = np.asarray(self.vectorizer_.get_feature_names_out())
        self.forms_ = surface_forms(texts)
        low, high = self.k_range
        high = max(2, min(high, X.shape[0] - 1, X.shape[1] - 1))
        low = max(2, min(low, high))
        self.diagnostics_: list[dict[str, float]] = []
        if self.n_themes is not None:
            k = self.n_themes
        else:
            for k in range(low, high + 1):
                self.diagnostics_.append({"k": k, "stability": self._stability(X, k)})
            best = max(self.diagnostics_, key=lambda d: (round(d["stability"], 3), -d["k"]))
            k = int(best["k"])
        model = self._nmf(k, self.random_state)
        self.doc_weights_ = self._quietly(model.fit_transform, X)
        self.components_ = model.components_
        self.n_themes_ = k
        return self

    def _stability(self, X: Any, k: int) -> float:
        a = normalize(self._quietly(self._nmf(k, self.random_state).fit, X).components_)
        b = normalize(self._quietly(self._nmf(k, self.random_state + 1).fit, X).components_)
        sim = a @ b.T
        rows, cols = linear_sum_assignment(-sim)
        return float(sim[rows, cols].mean())

    def transform(self, texts: list[str]) -> np.ndarray:
        X = self.vectorizer_.transform(list(texts))
        model = NMF(n_components=self.n_themes_, init="custom", max_iter=self.max_iter)
        model.components_ = self.components_
        model.n_components_ = self.n_themes_
        return model.transform(X)

    def top_terms(self, theme: int, n: int = 10) -> list[str]:
        order = np.argsort(-self.components_[theme], kind="stable")[:n]
        return [readable(t, self.forms_) for t in self.terms_[order]]


def theme_shares(weights: np.ndarray) -> np.ndarray:
    """Each document's theme weights as shares summing to 1 (rows of zeros stay zero)."""
    totals = weights.sum(axis=1, keepdims=True)
    return np.divide(weights, totals, out=np.zeros_like(weights), where=totals > 0)


def assign_documents(docs: pd.DataFrame, weights: np.ndarray, min_share: float = 0.25) -> pd.DataFrame:
    """One row per document and theme it carries: every theme with at least `min_share` of the
    document's weight (always its strongest). Documents with no weight at all get no row."""
    shares = theme_shares(weights)
    rows = []
    for i, row in enumerate(shares):
        if row.sum() == 0:
            continue
        top = int(np.argmax(row))
        for t in np.flatnonzero((row >= min_share) | (np.arange(len(row)) == top)):
            rows.append((i, f"T{t + 1:02d}", float(row[t])))
    idx, theme_ids, w = zip(*rows, strict=True) if rows else ((), (), ())
    base = docs.iloc[list(idx)].reset_index(drop=True)
    out = base.assign(theme_id=list(theme_ids), weight=list(w))
    return out[DOC_THEME_COLUMNS].sort_values(["doc_id", "theme_id"], kind="stable", ignore_index=True)


def match_topics(model: ThemeModel, topics: tuple[Topic, ...], threshold: float = 0.08) -> pd.DataFrame:
    """Cosine similarity of every theme's term profile to every topic's seed terms, title and description.
    Returns theme_id, topic_id, similarity for all pairs (sorted)."""
    topic_texts = [" ".join((t.title, t.description, *t.seed_terms, *t.seed_terms)) for t in topics]
    topic_vecs = normalize(model.vectorizer_.transform(topic_texts))
    sim = normalize(model.components_) @ topic_vecs.T.toarray()
    rows = [
        (f"T{i + 1:02d}", topics[j].id, float(sim[i, j]))
        for i in range(sim.shape[0])
        for j in range(sim.shape[1])
    ]
    out = pd.DataFrame(rows, columns=["theme_id", "topic_id", "similarity"])
    out["matched"] = out["similarity"] >= threshold
    return out.sort_values(
        ["theme_id", "similarity", "topic_id"],
        ascending=[True, False, True],
        kind="stable",
        ignore_index=True,
    )


def theme_label(terms: list[str], n: int = 3) -> str:
    """The first `n` terms that add a word not already in the label (no 'lære, lære toppidretten')."""
    chosen: list[str] = []
    for term in terms:
        if not set(term.split()) <= {w for c in chosen for w in c.split()}:
            chosen = [c for c in chosen if not set(c.split()) < set(term.split())] + [term]
        if len(chosen) == n:
            break
    return ", ".join(chosen)


def describe_themes(
    model: ThemeModel,
    docs: pd.DataFrame,
    doc_themes: pd.DataFrame,
    matches: pd.DataFrame,
    n_respondents: int,
    n_quotes: int = 3,
) -> pd.DataFrame:
    """One row per theme: label, terms, documents, share of respondents, quotes, best topic, emerging."""
    shares = theme_shares(model.doc_weights_)
    rows = []
    for t in range(model.n_themes_):
        theme_id = f"T{t + 1:02d}"
        carried = doc_themes.loc[doc_themes["theme_id"] == theme_id]
        respondents = carried.loc[carried["source"] == "survey", "respondent_id"].nunique()
        order = np.argsort(-shares[:, t], kind="stable")
        quotes: list[str] = []
        for i in order:
            text = docs.iloc[i]["text"]
            if shares[i, t] < 0.25 or len(quotes) == n_quotes:
                break
            if len(text.split()) >= 4 and text not in quotes:
                quotes.append(text)
        best = matches.loc[matches["theme_id"] == theme_id].iloc[0]
        terms = model.top_terms(t, 10)
        rows.append(
            {
                "theme_id": theme_id,
                "label": ", ".join(terms[:3]),
                "terms": terms,
                "n_docs": int(len(carried)),
                "n_survey_docs": int((carried["source"] == "survey").sum()),
                "n_interview_docs": int((carried["source"] == "interview").sum()),
                "share_respondents": respondents / n_respondents if n_respondents else 0.0,
                "quotes": quotes,
                "topic_id": best["topic_id"] if best["matched"] else None,
                "topic_similarity": float(best["similarity"]),
                "emerging": not bool(best["matched"]),
            }
        )
    return pd.DataFrame(rows)
