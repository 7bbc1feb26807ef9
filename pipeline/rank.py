"""Rank catalogue topics by three kinds of evidence, with the trail that supports each score.

Components per topic: survey need (mean Borich MWDS of the topic's linked areas), free-text prevalence (share
of survey respondents whose answers carry a theme matched to the topic) and interview emphasis (share of
informant passages carrying such a theme). Each component is standardised across topics (z-score) so that the
programme file's weights mean what they say; the score is their weighted mean.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.config import Programme

COMPONENTS = {
    "survey": "survey_need",
    "free_text": "free_text_prevalence",
    "interviews": "interview_emphasis",
}


def standardise(values: pd.Series) -> pd.Series:
    """z-scores across topics; a component that does not vary (or is all missing) contributes 0."""
    filled = values.astype(float).fillna(values.mean() if values.notna().any() else 0.0)
    sd = filled.std(ddof=0)
    return (filled - filled.mean()) / sd if sd > 0 else filled * 0.0


def topic_evidence(
    programme: Programme,
    needs: pd.DataFrame,
    themes: pd.DataFrame,
    doc_topics: pd.DataFrame,
    n_writers: int,
    n_passages: int,
) -> pd.DataFrame:
    """Raw evidence per catalogue topic (before standardisation): survey need of the linked areas, the share
    of writing respondents and of informant passages that carry the topic (guided assignment), and the trail:
    areas, matched themes, the best-scoring quotes and the interviews that raised it."""
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
        best = carried.loc[carried["text"].str.split().str.len().between(5, 80)].sort_values(
            ["score", "doc_id"], ascending=[False, True], kind="stable"
        )
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
                "quotes": best["text"].drop_duplicates().head(3).tolist(),
                "interviews": sorted(interview["interview_id"].dropna().unique().tolist()),
            }
        )
    return pd.DataFrame(rows)


def rank_topics(evidence: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Standardise the components, combine them with `weights`, rank (ties broken by topic id)."""
    out = evidence.copy()
    total = sum(weights.values())
    out["score"] = 0.0
    for key, column in COMPONENTS.items():
        out[f"z_{column}"] = standardise(out[column])
        out["score"] += weights[key] / total * out[f"z_{column}"]
    out = out.sort_values(["score", "topic_id"], ascending=[False, True], kind="stable", ignore_index=True)
    out["rank"] = np.arange(1, len(out) + 1)
    return out
