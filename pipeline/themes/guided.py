"""Guided mapping of documents and themes to the programme's topic catalogue.

1. Seeds: a document that uses one of a topic's seed terms, or of the related terms they bring in
   (`seeds`), is a seed document of that topic.
2. Propagation: the seed labels spread over the documents' nearest-neighbour graph (label spreading,
   F = (I - a S)^-1 Y with S the normalised affinity), so a document that says the same thing in other words
   gets the topic too. A seed document keeps exactly its seed topics (they are precise); any other document
   takes its best-scoring topic, if it scores at all (measured on the sample's planted themes in `make
   bench`: adding topics to seed documents cost more precision than it gained recall).
With a sentence encoder, meaning joins the words (measured in `make bench` on the sample and SIB-200 bokmål
and nynorsk, where it held on all three):
- a seed match counts only when the document is closer in meaning to the topic (its title, description
  and seed terms, embedded) than the corpus's average document is, and closer than to every topic whose
  terms it does not use: "egen tid og energi" uses the energy topic's seed word but is closer to recovery
  than to energy, and carries no energy (4 of the sample's 6 planted word-sense cases no longer carry
  their false topic; guided micro-F1 on SIB-200 rose on both written standards and fell on the sample's
  multi-topic answers, `make bench`);
- a document without a seed match that counts takes the topic with the best sum of the spread score and
  the semantic similarity (each standardised over the documents), when the spreading reached it or its
  meaning is closer to that topic than the average document's.
3. Themes: a theme matches the topics that at least `theme_share` (35 %) of its documents carry; a theme
   that matches none is an emerging need, reported with its evidence.
For large corpora the graph is built on the fitted subset and other documents take the mean score of their
nearest fitted neighbours.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix, identity
from scipy.sparse.linalg import splu
from sklearn.preprocessing import normalize

from pipeline.privacy import redact_identifying
from pipeline.themes.documents import DOC_COLUMNS
from pipeline.themes.model import knn_graph, normalised_affinity, theme_id

ALPHA = 0.5
N_NEIGHBORS = 10  # nearest neighbours of a document in the spreading graph
MIN_SCORE = 0.05
THEME_SHARE = 0.35


def spread(graph: csr_matrix, seeds: np.ndarray, alpha: float = ALPHA) -> np.ndarray:
    """Label spreading of boolean seed columns over a symmetric affinity graph."""
    system = (identity(graph.shape[0]) - alpha * normalised_affinity(graph)).tocsc()
    lu = splu(system)
    return (
        np.column_stack([lu.solve(seeds[:, j].astype(float)) for j in range(seeds.shape[1])])
        if seeds.size
        else np.zeros(seeds.shape)
    )


def assign(scores: np.ndarray, seeds: np.ndarray, min_score: float = MIN_SCORE) -> np.ndarray:
    """documents x topics booleans: a document that uses seed terms carries exactly those topics (seeds are
    precise); any other document carries its best-scoring topic after spreading, if it scores at all."""
    if not scores.size:
        return seeds.copy()
    best = scores.max(axis=1, keepdims=True)
    spread_to = (scores >= best) & (scores >= min_score)
    return np.where(seeds.any(axis=1, keepdims=True), seeds, spread_to)


def standardised(scores: np.ndarray) -> np.ndarray:
    """Each column as z-scores over the documents (rows of NaN, documents without an embedding, stay NaN
    and do not count)."""
    if not scores.size:
        return scores
    return (scores - np.nanmean(scores, axis=0)) / np.maximum(np.nanstd(scores, axis=0), 1e-9)


def semantic_scores(documents: np.ndarray, topics: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """documents x topics: z-scored cosine of each document's (centred) embedding with each topic's
    embedding centred the same way (`mean`: the corpus's mean embedding); NaN for a document without an
    embedding (a row of zeros: a large corpus embeds the fitted subset only)."""
    similarity = documents @ normalize(topics - mean).T
    similarity[~documents.any(axis=1)] = np.nan
    return standardised(similarity)


def meant_seeds(seeds: np.ndarray, meaning: np.ndarray) -> np.ndarray:
    """The seed matches a document means: those of a topic it is closer to than the average document, and
    at least as close as to any topic whose terms it does not use (all of them for a document without an
    embedding)."""
    unmatched_best = np.where(seeds, -np.inf, np.nan_to_num(meaning, nan=-np.inf)).max(axis=1, keepdims=True)
    return seeds & (((meaning > 0) & (meaning >= unmatched_best)) | np.isnan(meaning))


def assign_with_meaning(
    scores: np.ndarray, seeds: np.ndarray, meaning: np.ndarray, min_score: float = MIN_SCORE
) -> np.ndarray:
    """documents x topics booleans: a document with seed matches it means carries exactly those; any other
    takes the topic with the best standardised spread score plus semantic similarity, when the spreading
    reached that topic or the document is closer to it than the average document. A document without an
    embedding is coded on its words (`assign`)."""
    if not scores.size:
        return seeds.copy()
    known = ~np.isnan(meaning).any(axis=1, keepdims=True)
    meaning = np.nan_to_num(meaning)
    combined = standardised(scores) + meaning
    best = combined >= combined.max(axis=1, keepdims=True)
    reached = (scores >= min_score) | (meaning > 0)
    new = np.where(seeds.any(axis=1, keepdims=True), seeds, best & reached)
    return np.where(known, new, assign(scores, seeds, min_score))


def guided_scores(
    X: csr_matrix, seeds: np.ndarray, fit_index: np.ndarray, n_neighbors: int = N_NEIGHBORS
) -> np.ndarray:
    """documents x topics: the seed documents (`seeds`, from `seeds.seed_matrix`) spread over the graph of
    the fitted documents `fit_index`; other documents average the scores of their nearest fitted
    neighbours."""
    fitted = X[fit_index]
    scores = np.zeros(seeds.shape)
    scores[fit_index] = spread(knn_graph(fitted, n_neighbors), seeds[fit_index])
    rest = np.setdiff1d(np.arange(X.shape[0]), fit_index)
    for start in range(0, len(rest), 5000):
        chunk = rest[start : start + 5000]
        sim = np.asarray((X[chunk] @ fitted.T).todense())
        top = np.argpartition(-sim, n_neighbors - 1, axis=1)[:, :n_neighbors]  # the nearest, unordered
        weights = normalize(np.take_along_axis(sim, top, axis=1).clip(0), norm="l1")
        scores[chunk] = np.einsum("ij,ijk->ik", weights, scores[fit_index][top])
    return scores


def doc_topics(
    docs: pd.DataFrame, topic_ids: list[str], scores: np.ndarray, assigned: np.ndarray
) -> pd.DataFrame:
    """Long table of documents and the catalogue topics they carry; the text without the sentences that
    describe the writer or point to their municipality (`privacy.redact_identifying`), as it is written to
    the processed tables."""
    i, j = np.nonzero(assigned)
    base = docs.iloc[i][DOC_COLUMNS]
    texts = {k: redact_identifying(t) for k, t in zip(docs["doc_id"], docs["text"], strict=True)}
    return base.assign(
        text=base["doc_id"].map(texts), topic_id=[topic_ids[t] for t in j], score=scores[i, j]
    ).reset_index(drop=True)


def match_themes(
    labels: np.ndarray, assigned: np.ndarray, topic_ids: list[str], k: int, theme_share: float = THEME_SHARE
) -> pd.DataFrame:
    """theme x topic: share of the theme's documents that carry the topic; `matched` when >= theme_share."""
    rows = []
    for t in range(k):
        members = labels == t
        shares = assigned[members].mean(axis=0) if members.any() else np.zeros(len(topic_ids))
        rows += [(theme_id(t), topic_ids[j], float(shares[j])) for j in range(len(topic_ids))]
    out = pd.DataFrame(rows, columns=["theme_id", "topic_id", "share"])
    out["matched"] = out["share"] >= theme_share
    return out.sort_values(
        ["theme_id", "share", "topic_id"], ascending=[True, False, True], kind="stable", ignore_index=True
    )
