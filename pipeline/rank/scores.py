"""Topic scores: each component standardised across topics, the weighted mean, and the bootstrap rank
intervals (the package docstring says how)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from pipeline.config import Programme
from pipeline.needs.bootstrap import resample_counts, summarise
from pipeline.needs.scores import area_matrix, weighted_mwds
from pipeline.privacy import is_quotable, shorten_quote

COMPONENTS = {
    "survey": "survey_need",
    "free_text": "free_text_prevalence",
    "interviews": "interview_emphasis",
}
# replanning: the share of participants whose evaluation comments raise the topic ([inputs].evaluation)
EVALUATION_COLUMN = "evaluation_mentions"


def component_columns(weights: dict[str, float]) -> dict[str, str]:
    """The components the weights name, weight key -> column: the three above, and the evaluation's when
    the programme has one."""
    columns = {**COMPONENTS, "evaluation": EVALUATION_COLUMN}
    return {key: columns[key] for key in weights}


def zscores(values: np.ndarray) -> np.ndarray:
    """z-scores across topics (the last axis); missing values count as the mean, and a component that does
    not vary (or is all missing) contributes 0."""
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-missing component: mean of nothing
        filled = np.nan_to_num(np.where(np.isnan(values), np.nanmean(values, axis=-1, keepdims=True), values))
    sd = filled.std(axis=-1, keepdims=True)
    return np.divide(
        filled - filled.mean(axis=-1, keepdims=True), sd, out=np.zeros_like(filled), where=sd > 0
    )


def topic_evidence(
    programme: Programme,
    needs: pd.DataFrame,
    themes: pd.DataFrame,
    doc_topics: pd.DataFrame,
    n_writers: int,
    n_passages: int,
    evaluation: pd.Series | None = None,
) -> pd.DataFrame:
    """Raw evidence per catalogue topic (before standardisation): survey need of the linked areas, the share
    of writing respondents and of informant passages that carry the topic (guided assignment), and the trail:
    areas, matched themes, the best-scoring quotes and the interviews that raised it. `evaluation` (topic
    id -> share of evaluating participants who raise it) adds the evaluation's component."""
    mwds = needs.set_index("area")["mwds"]
    rows = []
    for topic in programme.topics:
        carried = doc_topics.loc[doc_topics["topic_id"] == topic.id]
        survey = carried.loc[carried["source"] == "survey"]
        interview = carried.loc[carried["source"] == "interview"]
        areas = [a for a in topic.areas if a in mwds.index]
        linked = themes.loc[
            themes["matched_topics"].map(lambda ids, tid=topic.id: tid in list(ids)), "theme_id"
        ]
        best = carried.loc[
            carried["text"].str.split().str.len().between(5, 80)
            & carried["text"].map(is_quotable).astype(bool)
        ].sort_values(["score", "doc_id"], ascending=[False, True], kind="stable")
        rows.append(
            {
                "topic_id": topic.id,
                "title": topic.title,
                "contributors": list(topic.contributors),
                "survey_need": float(mwds[areas].mean()) if areas else np.nan,
                "free_text_prevalence": survey["respondent_id"].nunique() / n_writers if n_writers else 0.0,
                "interview_emphasis": interview["doc_id"].nunique() / n_passages if n_passages else 0.0,
                "n_respondents": int(survey["respondent_id"].nunique()),
                "n_passages": int(interview["doc_id"].nunique()),
                "areas": areas,
                "themes": linked.tolist(),
                "quotes": [shorten_quote(q) for q in best["text"].drop_duplicates().head(3)],
                "interviews": sorted(interview["interview_id"].dropna().unique().tolist()),
            }
        )
    out = pd.DataFrame(rows)
    if evaluation is not None:
        out[EVALUATION_COLUMN] = out["topic_id"].map(evaluation).fillna(0.0).astype(float)
    return out


def combine(components: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """Weighted mean of column-standardised components; arrays are (..., topics)."""
    total = sum(weights.values())
    return np.asarray(
        sum(
            weights[key] / total * zscores(components[column])
            for key, column in component_columns(weights).items()
        )
    )


def bootstrap_components(
    programme: Programme,
    likert: pd.DataFrame,
    doc_topics: pd.DataFrame,
    writers: list[str],
    passages: list[str],
    resamples: int,
    seed: int,
    evaluation: pd.Series | None = None,
) -> dict[str, np.ndarray]:
    """Each component recomputed on `resamples` resamples: respondents (for the Likert need and the free-text
    prevalence, the same resample for both) and informant passages. Arrays are resamples x topics. The
    evaluation's component, when there is one, is held fixed (a later, separate sample)."""
    rng = np.random.default_rng(seed)
    topics = [t.id for t in programme.topics]
    m = area_matrix(likert)
    respondents = list(m.respondent_ids)
    index = {r: i for i, r in enumerate(respondents)}
    n = len(respondents)
    weights = resample_counts(rng, n, resamples)
    mwds = weighted_mwds(m, weights)["mwds"] if n else np.zeros((resamples, 0))
    area_index = {a: j for j, a in enumerate(m.areas["area"])}
    need = np.column_stack(
        [
            mwds[:, [area_index[a] for a in t.areas if a in area_index]].mean(axis=1)
            if any(a in area_index for a in t.areas)
            else np.full(resamples, np.nan)
            for t in programme.topics
        ]
    )
    wrote = np.zeros(n)
    carries = np.zeros((n, len(topics)))
    for r in writers:
        if r in index:
            wrote[index[r]] = 1
    survey = doc_topics.loc[doc_topics["source"] == "survey", ["respondent_id", "topic_id"]].drop_duplicates()
    for r, t in survey.itertuples(index=False):
        if r in index and t in topics:
            carries[index[r], topics.index(t)] = 1
    with np.errstate(invalid="ignore", divide="ignore"):
        prevalence = (weights @ carries) / (weights @ wrote)[:, None]
    p = len(passages)
    passage_index = {d: i for i, d in enumerate(passages)}
    in_passage = np.zeros((p, len(topics)))
    interview = doc_topics.loc[doc_topics["source"] == "interview", ["doc_id", "topic_id"]].drop_duplicates()
    for d, t in interview.itertuples(index=False):
        if d in passage_index and t in topics:
            in_passage[passage_index[d], topics.index(t)] = 1
    passage_weights = resample_counts(rng, p, resamples) / max(p, 1)
    emphasis = passage_weights @ in_passage if p else np.zeros((resamples, len(topics)))
    out = {
        "survey_need": need,
        "free_text_prevalence": np.nan_to_num(prevalence),
        "interview_emphasis": emphasis,
    }
    if evaluation is not None:
        fixed = np.array([float(evaluation.get(t, 0.0)) for t in topics])
        out[EVALUATION_COLUMN] = np.tile(fixed, (resamples, 1))
    return out


def rank_intervals(
    boot: dict[str, np.ndarray], weights: dict[str, float], topic_ids: list[str], confidence: float = 0.9
) -> pd.DataFrame:
    """Per topic: interval of the score and of the rank over the resamples."""
    intervals = summarise(combine(boot, weights), confidence, top_n=3)
    return intervals.rename(columns={"mwds_lo": "score_lo", "mwds_hi": "score_hi"}).assign(
        topic_id=topic_ids,
        rank_lo=lambda d: d["rank_lo"].astype(int),
        rank_hi=lambda d: d["rank_hi"].astype(int),
    )[["topic_id", "score_lo", "score_hi", "rank_lo", "rank_hi"]]


def rank_topics(evidence: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Standardise the components, combine them with `weights`, rank (ties broken by topic id)."""
    out = evidence.copy()
    columns = component_columns(weights).values()
    for column in columns:
        out[f"z_{column}"] = zscores(out[column].to_numpy(dtype=float))
    out["score"] = combine({c: out[c].to_numpy(dtype=float) for c in columns}, weights)
    out = out.sort_values(["score", "topic_id"], ascending=[False, True], kind="stable", ignore_index=True)
    out["rank"] = np.arange(1, len(out) + 1)
    return out
