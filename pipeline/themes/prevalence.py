"""How common each theme is, by segment and by source, with bootstrap intervals; and the effect of respondent
attributes on a theme's prevalence, as the structural topic model's estimateEffect does it: a linear
regression of the theme indicator on the attributes (reference level: the most common), with the
uncertainty from resampling respondents. Every segment row goes through the small-cell helper.

The base of a survey share is the respondents who wrote at least one substantive answer."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.needs.bootstrap import resample_counts
from pipeline.privacy import suppress_small_cells

PREVALENCE_COLUMNS = [
    "segment_type",
    "segment",
    "theme_id",
    "n",
    "share",
    "share_lo",
    "share_hi",
    "suppressed",
]
EFFECT_COLUMNS = [
    "theme_id",
    "attribute",
    "level",
    "reference",
    "n",
    "effect",
    "effect_lo",
    "effect_hi",
    "suppressed",
]


def respondent_theme_matrix(
    doc_themes: pd.DataFrame, respondent_ids: list[str], theme_ids: list[str]
) -> np.ndarray:
    """respondents x themes: 1 when any of the respondent's answers carries the theme."""
    survey = doc_themes.loc[doc_themes["source"] == "survey", ["respondent_id", "theme_id"]].drop_duplicates()
    index = {r: i for i, r in enumerate(respondent_ids)}
    column = {t: j for j, t in enumerate(theme_ids)}
    out = np.zeros((len(respondent_ids), len(theme_ids)))
    for r, t in survey.itertuples(index=False):
        if r in index and t in column:
            out[index[r], column[t]] = 1.0
    return out


def _bootstrap_means(values: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    n = len(values)
    return resample_counts(rng, n, resamples) / n @ values


def prevalence_table(
    matrix: np.ndarray,
    respondents: pd.DataFrame,
    theme_ids: list[str],
    segments: dict[str, str],
    interview_docs: pd.DataFrame,
    min_cell: int,
    resamples: int = 1000,
    confidence: float = 0.9,
    seed: int = 2021,
) -> pd.DataFrame:
    """Share of writing respondents per theme, overall and per segment, and share of informant passages."""
    rng = np.random.default_rng(seed)
    alpha = (1 - confidence) / 2
    rows = []

    def add(segment_type: str, segment: str, values: np.ndarray) -> None:
        boot = (
            _bootstrap_means(values, resamples, rng) if len(values) else np.full((1, len(theme_ids)), np.nan)
        )
        share = values.mean(axis=0) if len(values) else np.full(len(theme_ids), np.nan)
        lo, hi = np.quantile(boot, alpha, axis=0), np.quantile(boot, 1 - alpha, axis=0)
        rows.extend(
            (segment_type, segment, t, len(values), share[j], lo[j], hi[j]) for j, t in enumerate(theme_ids)
        )

    add("source", "survey", matrix)
    for segment_type, column in segments.items():
        if column not in respondents:
            continue
        values = respondents[column].fillna("Ikke oppgitt").astype(str).to_numpy()
        for segment in sorted(set(values)):
            add(segment_type, segment, matrix[values == segment])
    if len(interview_docs):  # one row per passage (a passage with two themes is one passage, not two)
        carried = interview_docs.groupby("doc_id", sort=True)["theme_id"].agg(frozenset)
        add("source", "interview", np.array([[t in c for t in theme_ids] for c in carried], dtype=float))
    table = pd.DataFrame(rows, columns=PREVALENCE_COLUMNS[:-1])
    survey_rows = table["segment_type"] != "source"
    protected = suppress_small_cells(
        table.loc[survey_rows],
        "n",
        min_cell,
        ["share", "share_lo", "share_hi"],
        group_by=["segment_type", "theme_id"],
    )
    out = pd.concat([table.loc[~survey_rows].assign(suppressed=False), protected], ignore_index=True)
    return out[PREVALENCE_COLUMNS]


def attribute_effects(
    matrix: np.ndarray,
    respondents: pd.DataFrame,
    theme_ids: list[str],
    attributes: list[str],
    min_cell: int,
    resamples: int = 1000,
    confidence: float = 0.9,
    seed: int = 2021,
) -> pd.DataFrame:
    """Difference in theme prevalence between each level of an attribute and its reference level, adjusted
    for the other attributes (linear probability model), with bootstrap intervals."""
    present = [a for a in attributes if a in respondents]
    if not present or not len(matrix):
        return pd.DataFrame(columns=EFFECT_COLUMNS)
    columns, meta = [np.ones(len(respondents))], []
    for attribute in present:
        values = respondents[attribute].fillna("Ikke oppgitt").astype(str)
        counts = values.value_counts()
        reference = sorted(counts.index, key=lambda v: (-counts[v], v))[0]
        for level in sorted(counts.index):
            if level != reference:
                columns.append((values == level).to_numpy(dtype=float))
                meta.append((attribute, level, reference, int(counts[level])))
    design = np.column_stack(columns)

    def solve(weights: np.ndarray) -> np.ndarray:
        xtw = design.T * weights
        return np.linalg.lstsq(xtw @ design + 1e-9 * np.eye(design.shape[1]), xtw @ matrix, rcond=None)[0]

    point = solve(np.ones(len(design)))
    rng = np.random.default_rng(seed)
    n = len(design)
    boot = np.stack([solve(w) for w in resample_counts(rng, n, resamples)])
    alpha = (1 - confidence) / 2
    lo, hi = np.quantile(boot, alpha, axis=0), np.quantile(boot, 1 - alpha, axis=0)
    rows = []
    for c, (attribute, level, reference, count) in enumerate(meta, start=1):
        rows += [
            (theme, attribute, level, reference, count, point[c, j], lo[c, j], hi[c, j])
            for j, theme in enumerate(theme_ids)
        ]
    table = pd.DataFrame(rows, columns=EFFECT_COLUMNS[:-1])
    return suppress_small_cells(
        table, "n", min_cell, ["effect", "effect_lo", "effect_hi"], group_by=["attribute", "theme_id"]
    )[EFFECT_COLUMNS]
