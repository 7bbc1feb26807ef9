"""The rank stage as one pure function: needs, themes and the documents' topics in; one score per
catalogue topic with its evidence trail, its rank interval and the need profile it serves out. No I/O:
replanning's evaluation answers come in already read (`evaluation.read_evaluation`)."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from pipeline import evaluation
from pipeline.config import Programme
from pipeline.needs.profile_text import profile_evidence, topics_served
from pipeline.rank.scores import bootstrap_components, rank_intervals, rank_topics, topic_evidence
from pipeline.store import StageOutputs

log = logging.getLogger(__name__)


@dataclass
class RankOutputs(StageOutputs):
    topic_ranking: pd.DataFrame
    profile_topics: pd.DataFrame  # what each need profile raises, per topic
    evaluation: pd.DataFrame  # the participants' usefulness ratings (empty without an evaluation)
    counts: dict[str, int]  # for the run manifest


def build(
    programme: Programme,
    needs: pd.DataFrame,
    themes: pd.DataFrame,
    doc_themes: pd.DataFrame,
    doc_topics: pd.DataFrame,
    likert: pd.DataFrame,
    respondent_profiles: pd.DataFrame,
    need_profiles: pd.DataFrame,
    evaluation_answers: pd.DataFrame | None = None,
) -> RankOutputs:
    """Every catalogue topic scored on the survey need, the free text and the interviews (and, when
    replanning, the participants' evaluation), ranked with a bootstrap interval."""
    writers = doc_themes.loc[doc_themes["source"] == "survey", "respondent_id"].drop_duplicates().tolist()
    passages = doc_themes.loc[doc_themes["source"] == "interview", "doc_id"].drop_duplicates().tolist()
    share = None
    rated = pd.DataFrame(columns=evaluation.USEFULNESS_COLUMNS)
    if evaluation_answers is not None:  # replanning after a gathering: the participants' view
        share, commented = evaluation.mentions(evaluation_answers, programme)
        rated = evaluation.usefulness(evaluation_answers, programme.privacy.min_cell)
        log.info("evaluation: %d rows, %d participants commented", len(evaluation_answers), commented)
    evidence = topic_evidence(programme, needs, themes, doc_topics, len(writers), len(passages), share)
    ranking = rank_topics(evidence, programme.weights)
    boot = bootstrap_components(
        programme,
        likert,
        doc_topics,
        writers,
        passages,
        programme.needs.bootstrap,
        programme.needs.seed,
        share,
    )
    intervals = rank_intervals(
        boot, programme.weights, [t.id for t in programme.topics], programme.needs.confidence
    )
    ranking = ranking.merge(intervals, on="topic_id", how="left")
    served = profile_evidence(
        respondent_profiles,
        need_profiles,
        doc_topics,
        doc_themes,
        programme.topics,
        themes,
        programme.privacy.min_cell,
        programme.needs.bootstrap,
        programme.needs.confidence,
        programme.needs.seed,
    )
    ranking = ranking.merge(topics_served(served), on="topic_id", how="left")
    ranking["serves_profile"] = ranking["serves_profile"].fillna("")
    return RankOutputs(
        topic_ranking=ranking,
        profile_topics=served,
        evaluation=rated,
        counts={"topics": len(ranking), "profile_rows": len(served)},
    )
