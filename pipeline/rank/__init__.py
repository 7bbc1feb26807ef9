"""Rank catalogue topics by three kinds of evidence, with the trail that supports each score.

Components per topic: survey need (mean Borich MWDS of the topic's linked areas), free-text prevalence (share
of the respondents who wrote that carry the topic, by the guided assignment) and interview emphasis (share of
informant passages carrying it). Each component is standardised across topics (z-score) so that the programme
file's weights mean what they say; the score is their weighted mean.

Uncertainty: respondents and informant passages are resampled together (seeded bootstrap), every component
recomputed, standardised and combined for each resample; the spread of each topic's rank is its interval.
Weight sensitivity (how the plan changes when the weights move) lives with the plan, in `plan.sensitivity`.

`build` (in `rank.stage`, loaded on first use so the plan stage does not import the evaluation's reader)
is the stage as one pure function: `build(programme, needs, themes, ...) -> RankOutputs`.
"""

from pipeline.rank.scores import (
    COMPONENTS,
    EVALUATION_COLUMN,
    bootstrap_components,
    combine,
    component_columns,
    rank_intervals,
    rank_topics,
    topic_evidence,
    zscores,
)


def __getattr__(name: str):
    if name in ("build", "RankOutputs"):
        from pipeline.rank import stage as module

        return getattr(module, name)
    raise AttributeError(f"module 'pipeline.rank' has no attribute {name!r}")


__all__ = [
    "COMPONENTS",
    "EVALUATION_COLUMN",
    "component_columns",
    "zscores",
    "topic_evidence",
    "combine",
    "bootstrap_components",
    "rank_intervals",
    "rank_topics",
    "build",
    "RankOutputs",
]
