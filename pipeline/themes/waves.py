"""Themes over two survey waves (issue 29): one theme model fitted on both waves' answers together, so a
theme means the same thing in each, and each theme's and each catalogue topic's share of the writing
respondents per wave, with an interval of the difference from independent resamples of the two waves.

A theme that grew clearly and that the catalogue does not cover is a candidate for a new need by the
existing rules (`emerging.judge_new_needs`); no extra threshold. One model can merge a new subject into an
old theme, so each new need of the run's own themes is also tested against the previous survey by its
answers' nearest neighbours (`current_themes_then`), and words used clearly more or less often are listed
(`changed_terms`). Interviews are not part of a wave: only the survey answers are compared. Pure
functions: documents and embeddings in, tables out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.config import ThemeSettings, Topic
from pipeline.needs.bootstrap import CHUNK, resample_counts
from pipeline.privacy import is_quotable
from pipeline.themes.describe import pick_quotes
from pipeline.themes.discover import discover_themes
from pipeline.themes.prevalence import respondent_theme_matrix

WAVES = ("previous", "current")
CHANGE_VALUES = [
    "n_previous",
    "n_current",
    "share_previous",
    "share_current",
    "change",
    "change_lo",
    "change_hi",
    "clear",
]
THEME_CHANGE_COLUMNS = [
    "theme_id",
    "name",
    "label",
    "n_docs",
    "current_doc_share",
    *CHANGE_VALUES,
    "topic_id",
    "topic_title",
    "emerging",
    "emerging_reason",
    "new_need_candidate",
    "quotes_previous",
    "quotes_current",
]
TOPIC_CHANGE_COLUMNS = ["topic_id", "title", *CHANGE_VALUES]


TERM_COLUMNS = ["term", "n_previous", "n_current", "share_previous", "share_current", "direction", "q_value"]


@dataclass(frozen=True)
class WaveThemes:
    themes: pd.DataFrame  # one row per theme of the joint model: share per wave and the change
    topics: pd.DataFrame  # one row per catalogue topic: its free-text evidence per wave and the change
    writers: dict[str, int]  # respondents who wrote a substantive answer, per wave
    terms: pd.DataFrame  # words used clearly more or less often than before (`changed_terms`)
    theme_of: np.ndarray  # each document's theme id (for benchmarks against planted labels)
    features: object  # the documents' rows in the joint model (words and meaning), for `current_themes_then`
    fitted: np.ndarray  # the documents the joint model was fitted on
    neighbours: int  # the joint model's number of neighbours


def changed_terms(texts: list[str], wave: np.ndarray, fdr: float, min_docs: int = 3) -> pd.DataFrame:
    """Words (stems and bigrams, shown in their commonest form) that answers of one wave use clearly more
    often than the other's: for each word used in at least `min_docs` answers, a one-sided binomial test of
    how many of its answers are from the current wave against the current wave's share of all answers, in
    both directions, kept at a false discovery rate of `fdr` over all the tests (Benjamini–Hochberg). A
    theme too small or too mixed to form its own cluster still shows here by its words."""
    from scipy.stats import binom
    from sklearn.feature_extraction.text import CountVectorizer

    from pipeline.needs.waves import benjamini_hochberg
    from pipeline.text import build_analyzer, readable, surface_forms

    current = np.asarray(wave) == "current"
    if len(texts) < 2 * min_docs or current.all() or not current.any():
        return pd.DataFrame(columns=TERM_COLUMNS)
    counts = CountVectorizer(analyzer=build_analyzer(), min_df=min_docs, binary=True).fit(texts)
    used = counts.transform(texts).tocsc()
    n_current, n_previous = used[current].sum(axis=0).A1, used[~current].sum(axis=0).A1
    total, p0 = n_current + n_previous, current.mean()
    up, down = binom.sf(n_current - 1, total, p0), binom.cdf(n_current, total, p0)
    q = benjamini_hochberg(np.concatenate([up, down]))
    terms = counts.get_feature_names_out()
    forms = surface_forms(texts)
    rows = []
    for k, direction in ((0, "more"), (1, "less")):
        for i in np.flatnonzero(q[k * len(terms) : (k + 1) * len(terms)] <= fdr):
            rows.append(
                (
                    readable(terms[i], forms),
                    int(n_previous[i]),
                    int(n_current[i]),
                    n_previous[i] / (~current).sum(),
                    n_current[i] / current.sum(),
                    direction,
                    float(q[k * len(terms) + i]),
                )
            )
    table = pd.DataFrame(rows, columns=TERM_COLUMNS)
    return table.sort_values(["direction", "q_value", "term"], kind="stable", ignore_index=True)


def share_change(
    matrices: Sequence[np.ndarray], resamples: int, seed: int, confidence: float
) -> pd.DataFrame:
    """Per column of the (respondents x things) 0/1 matrices of the two waves: how many carry it, the share
    of each wave, the difference and its percentile interval from independent resamples of each wave."""
    rng = np.random.default_rng(seed)
    alpha = (1 - confidence) / 2
    shares, boot = [], []
    for m in matrices:
        n = max(len(m), 1)
        shares.append(m.sum(axis=0) / n)
        draws = np.zeros((resamples, m.shape[1]))
        for start in range(0, resamples if len(m) else 0, CHUNK):  # in chunks: 100,000 writers fit in memory
            size = min(CHUNK, resamples - start)
            draws[start : start + size] = resample_counts(rng, len(m), size) / n @ m
        boot.append(draws)
    diff = boot[1] - boot[0]
    lo, hi = np.quantile(diff, alpha, axis=0), np.quantile(diff, 1 - alpha, axis=0)
    return pd.DataFrame(
        {
            "n_previous": matrices[0].sum(axis=0).astype(int),
            "n_current": matrices[1].sum(axis=0).astype(int),
            "share_previous": shares[0],
            "share_current": shares[1],
            "change": shares[1] - shares[0],
            "change_lo": lo,
            "change_hi": hi,
            "clear": (lo > 0) | (hi < 0),
        }
    )


def topic_matrix(docs: pd.DataFrame, assigned: np.ndarray, writers: list[str]) -> np.ndarray:
    """writers x topics: 1 when any of the writer's answers carries the topic."""
    index = {r: i for i, r in enumerate(writers)}
    out = np.zeros((len(writers), assigned.shape[1]))
    for row, rid in enumerate(docs["respondent_id"]):
        if rid in index:
            out[index[rid]] = np.maximum(out[index[rid]], assigned[row])
    return out


def wave_quotes(docs: pd.DataFrame, model, wave: np.ndarray, n: int = 2) -> dict[str, list[list[str]]]:
    """Per wave, each theme's most representative quotable answers written in that wave."""
    texts = docs["text"].tolist()
    quotable = np.array([is_quotable(t) for t in texts], dtype=bool)
    out = {}
    for w in WAVES:
        out[w] = []
        for t in range(model.n_themes_):
            ok = (model.labels_ == t) & quotable & (wave == w)
            out[w].append(pick_quotes(texts, np.where(ok, model.similarity_[:, t], -np.inf), n))
    return out


def themes_over_time(
    docs: pd.DataFrame,
    wave: np.ndarray,
    topics: Sequence[Topic],
    settings: ThemeSettings,
    resamples: int,
    confidence: float,
    embeddings: np.ndarray | None = None,
    topic_embeddings: np.ndarray | None = None,
) -> WaveThemes:
    """`docs`: the survey documents of both waves (`collect_documents`), `wave` one of WAVES per document.
    Themes are fitted on all of them together; each theme's share is the share of a wave's writing
    respondents who wrote at least one answer carrying it."""
    writers = {w: sorted(docs.loc[wave == w, "respondent_id"].unique()) for w in WAVES}
    found = discover_themes(
        docs,
        topics,
        settings,
        sum(len(v) for v in writers.values()),
        embeddings=embeddings,
        topic_embeddings=topic_embeddings,
    )
    table = found.table
    theme_ids = table["theme_id"].tolist()
    matrices = [respondent_theme_matrix(found.doc_themes, writers[w], theme_ids) for w in WAVES]
    change = share_change(matrices, resamples, settings.seed, confidence)
    labels = found.model.labels_
    current = wave == "current"
    quotes = wave_quotes(docs, found.model, wave)
    kept = ["theme_id", "name", "label", "n_docs", "topic_id", "topic_title", "emerging", "emerging_reason"]
    themes = table[kept].assign(
        current_doc_share=[float(current[labels == t].mean()) for t in range(len(table))],
        **{c: change[c].to_numpy() for c in CHANGE_VALUES},
        quotes_previous=quotes["previous"],
        quotes_current=quotes["current"],
    )
    themes["new_need_candidate"] = themes["emerging"] & themes["clear"] & (themes["change"] > 0)
    themes = themes.sort_values(["change", "theme_id"], ascending=[False, True], kind="stable")
    topic_ids = [t.id for t in topics]
    by_topic = share_change(
        [topic_matrix(docs, found.mapping.assigned, writers[w]) for w in WAVES],
        resamples,
        settings.seed + 1,
        confidence,
    )
    topic_table = by_topic.assign(topic_id=topic_ids, title=[t.title for t in topics])
    return WaveThemes(
        themes[THEME_CHANGE_COLUMNS].reset_index(drop=True),
        topic_table[TOPIC_CHANGE_COLUMNS],
        {w: len(v) for w, v in writers.items()},
        changed_terms(docs["text"].tolist(), wave, 1 - confidence),
        np.asarray(table["theme_id"])[labels],
        found.model.features_matrix_,
        found.model.fit_index_,
        int(found.model.n_neighbors_),
    )


NEW_THEME_COLUMNS = [
    "theme_id",
    "name",
    "label",
    "emerging",
    "emerging_reason",
    "n_answers",
    "neighbours_current",
    "base_current",
    "p_value",
    "new_since_previous",
]


def current_themes_then(
    table: pd.DataFrame,
    theme_of_current: np.ndarray,
    features,
    wave: np.ndarray,
    fitted: np.ndarray,
    neighbours: int,
    permutations: int,
    seed: int,
    confidence: float,
) -> pd.DataFrame:
    """Were this survey's themes there last time? For the answers of each of the run's themes, the answers
    most like them among both surveys' answers (`neighbours` nearest, in the joint model's words and
    meaning): if the theme was as present last time, about as many of those neighbours come from the
    previous survey as the previous survey's share of all answers; a theme new since then is surrounded by
    this survey's answers. One-sided test against shuffled survey labels (`permutations`), at
    (1 - `confidence`) / 2. Unlike a share of answers placed in the run's themes, a broad theme that holds a
    new subject beside old ones still shows it, and an old answer is never forced into a new theme.

    `table`: the run's themes; `theme_of_current`: the run's theme id of each of this survey's answers, in
    the order they have among the joint documents; `features`: the joint documents' rows (unit length);
    `fitted`: the joint documents the neighbours are found among (the model's fitted subset)."""
    from sklearn.neighbors import NearestNeighbors

    current = np.asarray(wave) == "current"
    rows = np.asarray(fitted)
    k = int(min(neighbours, len(rows) - 1))
    index = NearestNeighbors(n_neighbors=k + 1, metric="cosine").fit(features[rows])
    theme_of = np.full(len(current), "", dtype=object)
    theme_of[np.flatnonzero(current)] = theme_of_current
    members = {t: np.flatnonzero(theme_of[rows] == t) for t in table["theme_id"]}
    asked = np.unique(np.concatenate([m for m in members.values() if len(m)] or [np.zeros(0, int)]))
    near = np.zeros((len(rows), k), dtype=int)
    if len(asked):
        _d, found = index.kneighbors(features[rows[asked]])
        near[asked] = found[:, 1:]  # not the answer itself
    labels = current[rows]
    rng = np.random.default_rng(seed)
    shuffled = np.stack([rng.permutation(labels) for _ in range(permutations)]) if permutations else None
    out = []
    for t in table["theme_id"]:
        m = members[t]
        if not len(m):
            out.append((0, np.nan, np.nan))
            continue
        observed = labels[near[m]].mean()
        null = shuffled[:, near[m]].mean(axis=(1, 2)) if shuffled is not None else np.array([observed])
        out.append((len(m), observed, float((1 + (null >= observed).sum()) / (1 + len(null)))))
    result = table[["theme_id", "name", "label", "emerging", "emerging_reason"]].reset_index(drop=True)
    result["n_answers"] = [o[0] for o in out]
    result["neighbours_current"] = [o[1] for o in out]
    result["base_current"] = float(labels.mean())
    result["p_value"] = [o[2] for o in out]
    result["new_since_previous"] = result["emerging"] & (result["p_value"] <= (1 - confidence) / 2)
    return result[NEW_THEME_COLUMNS]
