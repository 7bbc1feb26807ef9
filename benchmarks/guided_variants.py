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
