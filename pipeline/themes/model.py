"""The theme model: spectral clustering of a k-nearest-neighbour graph over word + sub-word TF-IDF features,
with the number of themes chosen by measured diagnostics.

Short answers share few words, so documents are linked to their nearest neighbours (cosine) and the graph,
not the raw vectors, is clustered: the leading eigenvectors of the normalised affinity matrix are computed
once, and for every candidate k the rows of the first k eigenvectors are clustered with k-means. Each k is
scored on coherence (NPMI of its themes' top words over the corpus), exclusivity (share of top words that
belong to one theme only) and stability (adjusted Rand index between clusterings of random 80 % subsets and
the full clustering). The chosen k is the most detailed stable one: the largest k with stability >= 0.9.

With a sentence encoder (`pipeline.themes.encoder`), the graph is built from both representations: the
kNN graph of the word features and the kNN graph of the embeddings (centred on the corpus mean, which
spreads their cosines: e5's raw cosines crowd into a narrow band) are added with equal weight
(`embedding_weight` 0.5; measured in `make bench` on the sample's planted themes and on SIB-200 bokmål and
nynorsk, where adding the two graphs beat joining the two vectors on two of three and words or embeddings
alone on all three). The documents' representation for centroids and similarities is the two joined, each
block weighted by the square root of its share, so a cosine is the same blend of the two cosines.

Large corpora: the graph is built on a seeded random subset (`max_fit_docs`); every other document joins the
theme whose centroid it is most similar to. Themes are numbered by size (T01 is the largest).
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix, diags, hstack
from scipy.sparse.linalg import eigsh
from sklearn.base import BaseEstimator
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.neighbors import NearestNeighbors
from sklearn.preprocessing import normalize

from pipeline.themes.features import TextFeatures

log = logging.getLogger(__name__)

N_TOP_TERMS = 10
MIN_DOCUMENTS = 6


def theme_id(index: int) -> str:
    """The name of theme `index` (0 -> 'T01'; themes are numbered by size)."""
    return f"T{index + 1:02d}"


def normalised_affinity(graph: csr_matrix) -> csr_matrix:
    """D^-1/2 A D^-1/2 of a symmetric affinity graph (isolated nodes kept at zero)."""
    degree = np.asarray(graph.sum(axis=1)).ravel()
    scale = diags(1.0 / np.sqrt(np.maximum(degree, 1e-12)))
    return (scale @ graph @ scale).tocsr()


def knn_graph(X: csr_matrix, n_neighbors: int) -> csr_matrix:
    """Symmetric k-nearest-neighbour affinity (cosine similarity, clipped at 0)."""
    n = X.shape[0]
    nn = min(n_neighbors, n - 1)
    dist, ind = NearestNeighbors(n_neighbors=nn + 1, metric="cosine", algorithm="brute").fit(X).kneighbors(X)
    dist = np.asarray(dist, dtype=np.float64)
    rows = np.repeat(np.arange(n), nn)
    sim = np.clip(1.0 - dist[:, 1:].ravel(), 0.0, None)
    graph = csr_matrix((sim, (rows, ind[:, 1:].ravel())), shape=(n, n))
    return graph.maximum(graph.T).tocsr()


MAX_FIT_DOCS = 4000


def fit_rows(n: int, max_fit_docs: int = MAX_FIT_DOCS, seed: int = 2021) -> np.ndarray:
    """The documents the model's graph is built on: all, or a seeded random subset of `max_fit_docs` (the
    rest join the nearest theme). A large corpus needs embeddings for these rows only."""
    if n <= max_fit_docs:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, max_fit_docs, replace=False))


def centred(embeddings: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Unit rows of `embeddings` less their mean (over `rows`, default all)."""
    mean = embeddings[rows if rows is not None else slice(None)].mean(axis=0)
    return normalize(embeddings - mean).astype(np.float32)


def joined(words: csr_matrix, embeddings: np.ndarray | None, weight: float) -> csr_matrix:
    """Word features and (centred) embeddings side by side, weighted so that a dot product is
    (1 - weight) x the word cosine + weight x the embedding cosine; the words alone without embeddings."""
    if embeddings is None:
        return words
    return hstack([words * np.sqrt(1.0 - weight), csr_matrix(embeddings * np.sqrt(weight))], format="csr")


def blended_graph(
    words: csr_matrix, embeddings: np.ndarray | None, n_neighbors: int, weight: float
) -> csr_matrix:
    """The kNN graph of the words, plus (with embeddings) the kNN graph of the embeddings, weighted."""
    graph = knn_graph(words, n_neighbors)
    if embeddings is None:
        return graph
    return ((1.0 - weight) * graph + weight * knn_graph(embeddings, n_neighbors)).tocsr()


def spectral_embedding(graph: csr_matrix, n_vectors: int, seed: int) -> np.ndarray:
    """The `n_vectors` leading eigenvectors of D^-1/2 A D^-1/2 (the smallest of the normalised Laplacian)."""
    affinity = normalised_affinity(graph)
    n = graph.shape[0]
    v0 = np.random.default_rng(seed).uniform(0.5, 1.0, size=n)
    values, vectors = eigsh(affinity, k=min(n_vectors, n - 1), which="LA", v0=v0)
    order = np.argsort(-values, kind="stable")
    vectors = vectors[:, order]
    return vectors * np.sign(
        vectors[np.abs(vectors).argmax(axis=0), np.arange(vectors.shape[1])]
    )  # fixed signs


def choose_k(diagnostics: pd.DataFrame, min_stability: float) -> int:
    """The most detailed stable partition: the largest k whose stability reaches `min_stability`; if none
    does, the most stable k. (Coherence and exclusivity are reported for the user, but both fall with k on
    short texts and would always pick the smallest k; measured in `make bench`.)"""
    stable = diagnostics.loc[diagnostics["stability"] >= min_stability, "k"]
    if len(stable):
        return int(stable.max())
    return int(
        diagnostics.sort_values(["stability", "k"], ascending=[False, True], kind="stable")["k"].iloc[0]
    )


def cluster_embedding(embedding: np.ndarray, k: int, seed: int) -> np.ndarray:
    return KMeans(n_clusters=k, n_init=10, random_state=seed).fit_predict(normalize(embedding[:, :k]))


def distinctive_terms(words: csr_matrix, labels: np.ndarray, k: int, min_df: int = 2) -> list[np.ndarray]:
    """Per theme, word-feature indices ordered by class-based TF-IDF on document frequencies: the share of the
    theme's documents that use a term, times log(1 + mean theme size / documents using it anywhere)."""
    present = (words > 0).astype(np.float32).tocsc()
    onehot = csr_matrix((np.ones(len(labels)), (labels, np.arange(len(labels)))), shape=(k, len(labels)))
    df = np.asarray((onehot @ present).todense())  # k x V
    sizes = np.bincount(labels, minlength=k).astype(float)[:, None]
    total = df.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = (df / np.maximum(sizes, 1)) * np.log1p(sizes.mean() / np.maximum(total, 1))
    score[df < min(min_df, 1 + (sizes.min() > 3))] = 0
    return [np.argsort(-score[c], kind="stable") for c in range(k)]


def npmi_coherence(present: csr_matrix, top: list[np.ndarray], n_top: int = N_TOP_TERMS) -> float:
    """Mean normalised PMI of the top words' document co-occurrence, over themes."""
    n = present.shape[0]
    scores = []
    for terms in top:
        t = terms[:n_top]
        sub = present[:, t].astype(np.float32)
        co = np.asarray((sub.T @ sub).todense()) / n
        p = np.diag(co)
        vals = []
        for i in range(len(t)):
            for j in range(i + 1, len(t)):
                if co[i, j] <= 0 or p[i] <= 0 or p[j] <= 0:
                    vals.append(-1.0)
                elif co[i, j] >= 1:
                    vals.append(1.0)
                else:
                    vals.append(np.log(co[i, j] / (p[i] * p[j])) / -np.log(co[i, j]))
        scores.append(float(np.mean(vals)) if vals else 0.0)
    return float(np.mean(scores))


def exclusivity(top: list[np.ndarray], n_top: int = N_TOP_TERMS) -> float:
    sets = [set(t[:n_top].tolist()) for t in top]
    return float(
        np.mean(
            [
                len(s - set().union(*(o for j, o in enumerate(sets) if j != i))) / n_top
                for i, s in enumerate(sets)
            ]
        )
    )


def stability(embedding: np.ndarray, labels: np.ndarray, k: int, seed: int, runs: int) -> float:
    rng = np.random.default_rng(seed)
    n = len(labels)
    scores = []
    for r in range(runs):
        rows = np.sort(rng.choice(n, size=max(k + 1, int(0.8 * n)), replace=False))
        scores.append(adjusted_rand_score(labels[rows], cluster_embedding(embedding[rows], k, seed + 1 + r)))
    return float(np.mean(scores))


class ThemeModel(BaseEstimator):
    """Themes in short texts (scikit-learn estimator contract: hyperparameters in `__init__`, validation in
    `fit`, learned attributes end in '_').

    `fit(texts, embeddings=...)` takes the texts' sentence embeddings (rows in the texts' order), if any.

    Learned: `n_themes_`, `labels_` (theme index of every fitted text, 0 = T01), `similarity_` (cosine
    similarity of every text to every theme centroid), `features_matrix_` (the fitted texts' words joined
    with their centred embeddings, for the guided mapping without computing them again), `embeddings_`
    (the centred embeddings, or None), `graph_` (the fitted subset's kNN graph), `centroids_`,
    `top_terms_` (word-feature indices per theme), `diagnostics_` (one row per candidate k), `features_`
    (the fitted `TextFeatures`)."""

    def __init__(
        self,
        n_themes: int | None = None,
        k_range: tuple[int, int] = (5, 14),
        n_neighbors: int | None = None,
        char_weight: float = 2.0,
        random_state: int = 2021,
        max_fit_docs: int = MAX_FIT_DOCS,
        stability_runs: int = 3,
        min_stability: float = 0.9,
        embedding_weight: float = 0.5,
    ):
        self.n_themes = n_themes
        self.k_range = k_range
        self.n_neighbors = n_neighbors
        self.char_weight = char_weight
        self.random_state = random_state
        self.max_fit_docs = max_fit_docs
        self.stability_runs = stability_runs
        self.min_stability = min_stability
        self.embedding_weight = embedding_weight

    def fit(
        self, texts: list[str], y: Any = None, progress: bool = False, embeddings: np.ndarray | None = None
    ) -> ThemeModel:
        texts = list(texts)
        if embeddings is not None and len(embeddings) != len(texts):
            raise ValueError(f"{len(embeddings)} embeddings for {len(texts)} texts")
        if len(texts) < MIN_DOCUMENTS:
            raise ValueError(f"theme discovery needs at least {MIN_DOCUMENTS} documents, got {len(texts)}")
        low, high = self.k_range
        if not 2 <= low <= high:
            raise ValueError(f"k_range must satisfy 2 <= low <= high, got {self.k_range}")
        seed = self.random_state
        self.features_ = TextFeatures(char_weight=self.char_weight)
        words_matrix = self.features_.fit_transform(texts)
        words = self.features_.word_presence(words_matrix)
        n = len(texts)
        fit_idx = fit_rows(n, self.max_fit_docs, seed)
        E = None
        if embeddings is not None:
            raw = np.asarray(embeddings, dtype=np.float32)
            embedded = ~np.isnan(raw).any(axis=1)
            if not embedded[fit_idx].all():
                raise ValueError("every fitted document needs its embedding (see fit_rows)")
            self.embedding_mean_ = raw[fit_idx].mean(axis=0)
            E = np.zeros_like(raw)  # a document without an embedding stands on its words alone
            E[embedded] = normalize(raw[embedded] - self.embedding_mean_)
        else:
            self.embedding_mean_ = None
        w = self.embedding_weight
        X = joined(words_matrix, E, w)
        Xf = X[fit_idx]
        n_fit = len(fit_idx)
        neighbours = min(self.n_neighbors or int(np.clip(round(np.sqrt(n_fit)), 10, 40)), n_fit - 1)
        high = max(2, min(high, n_fit - 3))
        low = min(low, high)
        wanted = [self.n_themes] if self.n_themes is not None else list(range(low, high + 1))
        graph = blended_graph(words_matrix[fit_idx], None if E is None else E[fit_idx], neighbours, w)
        embedding = spectral_embedding(graph, max(wanted) + 1, seed)
        fit_words = words[fit_idx]
        present = fit_words.tocsc()
        rows, solutions = [], {}
        candidates = wanted
        if progress:
            from tqdm.auto import tqdm

            candidates = tqdm(wanted, desc="themes: candidate k", leave=False, delay=2)
        for k in candidates:
            labels = cluster_embedding(embedding, k, seed)
            top = distinctive_terms(fit_words, labels, k)
            solutions[k] = labels
            rows.append(
                {
                    "k": k,
                    "coherence": npmi_coherence(present, top),
                    "exclusivity": exclusivity(top),
                    "stability": stability(embedding, labels, k, seed, self.stability_runs),
                }
            )
        diagnostics = pd.DataFrame(rows)
        k = choose_k(diagnostics, self.min_stability)
        diagnostics["chosen"] = diagnostics["k"] == k
        fit_labels = self._by_size(solutions[k], k)
        centroids = normalize(
            np.vstack([np.asarray(Xf[fit_labels == c].mean(axis=0)).ravel() for c in range(k)])
        )
        similarity = np.asarray(X @ centroids.T)
        labels = similarity.argmax(axis=1)
        labels[fit_idx] = fit_labels
        self.n_themes_ = k
        self.features_matrix_ = X
        self.embeddings_ = E
        self.graph_ = graph
        self.labels_ = labels
        self.similarity_ = similarity
        self.centroids_ = centroids
        self.fit_index_ = fit_idx
        self.n_neighbors_ = neighbours
        self.diagnostics_ = diagnostics
        self.top_terms_ = distinctive_terms(words, labels, k)
        log.info(
            "themes: k=%d chosen (%s) from %d documents",
            k,
            "programme file" if self.n_themes else "diagnostics",
            n,
        )
        return self

    @staticmethod
    def _by_size(labels: np.ndarray, k: int) -> np.ndarray:
        """Relabel so that theme 0 is the largest (ties: the one met first)."""
        sizes = np.bincount(labels, minlength=k)
        first = np.array([np.flatnonzero(labels == c)[0] if sizes[c] else len(labels) for c in range(k)])
        order = sorted(range(k), key=lambda c: (-sizes[c], first[c]))
        remap = np.empty(k, dtype=int)
        remap[order] = np.arange(k)
        return remap[labels]

    def transform(self, texts: list[str], embeddings: np.ndarray | None = None) -> np.ndarray:
        """Cosine similarity of each text to each theme centroid (with their embeddings when the model was
        fitted with embeddings)."""
        E = None
        if self.embeddings_ is not None:
            if embeddings is None:
                raise ValueError("this model was fitted with embeddings: give the texts' embeddings too")
            E = normalize(np.asarray(embeddings, dtype=np.float32) - self.embedding_mean_)
        X = joined(self.features_.transform(list(texts)), E, self.embedding_weight)
        return np.asarray(X @ self.centroids_.T)

    def predict(self, texts: list[str], embeddings: np.ndarray | None = None) -> np.ndarray:
        return self.transform(texts, embeddings).argmax(axis=1)
