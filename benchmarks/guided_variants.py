"""Candidate changes to the guided assignment, measured beside today's method before any is adopted.

`out_of_fold`: a one-vs-rest logistic regression on the documents' features, trained on the seed matches as
weak labels, predicts each document from the other folds (a classifier that sees a document's own seed label
only repeats it); a seed topic it finds unlikely (< `drop`) is dropped, a topic it finds likely (>= `add`)
is added."""

from __future__ import annotations

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold


def out_of_fold(
    X: csr_matrix,
    seeds: np.ndarray,
    assigned: np.ndarray,
    drop: float = 0.3,
    add: float = 0.7,
    folds: int = 5,
    random_state: int = 0,
) -> np.ndarray:
    seeded = seeds.any(axis=1)
    proba = np.zeros(seeds.shape)
    for train, test in KFold(folds, shuffle=True, random_state=random_state).split(np.arange(X.shape[0])):
        for j in range(seeds.shape[1]):
            y = seeds[train, j]
            if y.sum() < 2 or y.all():
                continue
            clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=2000)
            clf.fit(X[train], y, sample_weight=np.where(seeded[train], 1.0, 0.3))
            proba[test, j] = clf.predict_proba(X[test])[:, 1]
    refined = np.where(seeded[:, None], (seeds & (proba >= drop)) | (proba >= add), assigned | (proba >= add))
    empty = seeded & ~refined.any(axis=1)
    refined[empty] = seeds[empty]
    return refined


def review_classifier(
    X: csr_matrix,
    seeds: np.ndarray,
    reviewed: np.ndarray,
    labels: np.ndarray,
    scores: np.ndarray,
    min_score: float = 0.05,
    ratio: float = 0.9,
    sure: float = 0.9,
) -> np.ndarray:
    """`review_classifier`: a one-vs-rest logistic regression trained on the reviewed rows (weight 5) and the
    seed matches (weight 1) predicts every document; its probabilities are averaged with the spread scores
    (each document's scaled to its best), and a document carries the topics within `ratio` of its best. A seed
    document keeps its seed topics and gains only topics the classifier is `sure` of; reviewed rows keep the
    reviewer's topics."""
    taught = np.where(reviewed[:, None], labels, seeds)
    seeded = seeds.any(axis=1)
    weight = np.where(reviewed, 5.0, np.where(seeded, 1.0, 0.0))
    keep = weight > 0
    proba = np.zeros(seeds.shape)
    for j in range(seeds.shape[1]):
        y = taught[keep, j]
        if y.sum() < 2 or y.all():
            continue
        clf = LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000)
        proba[:, j] = clf.fit(X[keep], y, sample_weight=weight[keep]).predict_proba(X)[:, 1]
    mixed = 0.5 * scores / np.maximum(scores.max(axis=1, keepdims=True), 1e-9) + 0.5 * proba
    chosen = (mixed >= ratio * mixed.max(axis=1, keepdims=True)) & (scores >= min_score)
    chosen = np.where(seeded[:, None], seeds | (chosen & (proba >= sure)), chosen)
    return np.where(reviewed[:, None], labels, chosen)
