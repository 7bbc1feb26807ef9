"""Stage entry points: each loads its inputs from the store, calls its package's pure `build`, saves what
it returns and records itself in the run manifest. The logic lives in the packages (`ingest.build`,
`needs.build`, `themes.build`, `rank.build`, `plan.build`, `economics.build`); `run_all` reads as the
list of steps of the pipeline."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.config import Programme
from pipeline.errors import PipelineError
from pipeline.lazy import lazy_module
from pipeline.manifest import check_upstream, record_timings, update_manifest
from pipeline.store import Store, write_csv

# each stage runs in its own process under make: import what a stage uses when it first uses it, so the
# economics stage does not pay for scikit-learn, nor ingest for scipy's solver (measured in the note)
economics = lazy_module("pipeline.economics")
evaluation = lazy_module("pipeline.evaluation")
ingest_ = lazy_module("pipeline.ingest")
needs = lazy_module("pipeline.needs")
plan = lazy_module("pipeline.plan")
privacy = lazy_module("pipeline.privacy")
rank = lazy_module("pipeline.rank")
report = lazy_module("pipeline.report")
themes = lazy_module("pipeline.themes")
review = lazy_module("pipeline.themes.review")

log = logging.getLogger(__name__)

StageFn = Callable[[Programme, Store], dict[str, int]]


def save(store: Store, outputs: Any) -> dict[str, int]:
    """Write a stage's tables and JSON documents under their store names; returns its manifest counts."""
    for name, table in outputs.tables().items():
        store.write(name, table)
    for name, document in outputs.jsons().items():
        store.write_json(name, document)
    return outputs.counts


def ingest(programme: Programme, store: Store) -> dict[str, int]:
    """Survey export + codebook and transcripts -> pseudonymised interim tables and the ingest report."""
    out = ingest_.build(programme)
    if programme.privacy.write_mapping:
        path = privacy.write_mapping(out.mapping, store.private / "pseudonym_mapping.csv")
        pd.DataFrame(
            sorted(out.respondent_ids.items(), key=lambda kv: kv[1]), columns=["survey_id", "project_id"]
        ).to_csv(store.private / "respondent_ids.csv", index=False, encoding="utf-8")
        log.warning(
            "pseudonym mapping and respondent ids written to %s (write_mapping is set): keep them away from "
            "partners",
            path.parent,
        )
    counts = save(store, out)
    if not out.ingest_report["survey"]["balanced"]:  # a bug, not a user error: refuse to go on
        raise PipelineError("ingest lost rows: rows read != kept + quarantined; see ingest_report.json")
    return counts


def needs_stage(programme: Programme, store: Store) -> dict[str, int]:
    """Likert answers -> needs per area, by segment, the programme questions and the need profiles."""
    previous = programme.inputs.previous_survey is not None  # a previous wave: the change since then
    out = needs.build(
        programme,
        store.read("likert"),
        store.read("respondents"),
        progress=True,
        previous_likert=store.read("previous_likert") if previous else None,
        wave_items=store.read("wave_items") if previous else None,
        previous_respondents=store.read("previous_respondents") if previous else None,
    )
    return save(store, out)


def themes_stage(programme: Programme, store: Store) -> dict[str, int]:
    """Free text + informant turns -> themes, the documents' themes and topics, prevalence, effects, the
    coding sheet and the diagnostics. The review sheet and the embedding cache are read here."""
    settings = programme.themes

    def reviewed(docs: pd.DataFrame):
        if settings.review is None:
            return None
        if not settings.review.is_file():
            log.warning(
                "%s ([themes].review) does not exist yet: write it with `python -m pipeline review`",
                settings.review,
            )
            return None
        keys = review.document_keys(docs)
        topic_ids = [t.id for t in programme.topics]
        found = review.review_matrix(
            review.read_review(settings.review, topic_ids, keys), keys, len(topic_ids)
        )
        log.info("%s: %d reviewed rows override the machine", settings.review.name, int(found[0].sum()))
        return found

    def embed(texts: list[str], topic_texts: list[str], rows):
        return themes.embed_corpus(
            settings.embeddings, programme.path, texts, topic_texts, store, progress=True, rows=rows
        )

    out = themes.build(
        programme,
        store.read("free_text"),
        store.read("turns"),
        store.read("respondents"),
        review=reviewed,
        embed=embed,
        progress=True,
        previous_free_text=(
            store.read("previous_free_text") if programme.inputs.previous_survey is not None else None
        ),
    )
    return save(store, out)


def rank_stage(programme: Programme, store: Store) -> dict[str, int]:
    """Needs + themes -> one score per catalogue topic with its evidence trail (and, when replanning, the
    participants' evaluation, read here)."""
    answers = None
    if programme.inputs.evaluation is not None:
        previous = plan.read_previous_plan(programme.inputs.previous_plan, programme)
        held = {t: g for t, g in previous.items() if g <= programme.sessions.delivered}
        answers = evaluation.read_evaluation(programme.inputs.evaluation, programme, held)
    out = rank.build(
        programme,
        store.read("needs"),
        store.read("themes"),
        store.read("doc_themes"),
        store.read("doc_topics"),
        store.read("likert"),
        store.read("respondent_profiles"),
        store.read("need_profiles"),
        answers,
    )
    return save(store, out)


def plan_stage(programme: Programme, store: Store) -> dict[str, int]:
    """Ranking -> plans for 3 and 4 gatherings, what they leave out, how sure they are, and the designers'
    CSV (the previous plan, when replanning, is read here)."""
    previous = (
        plan.read_previous_plan(programme.inputs.previous_plan, programme)
        if programme.inputs.previous_plan is not None
        else None
    )
    out = plan.build(
        programme, store.read("topic_ranking"), store.read("doc_topics"), store.read("themes"), previous
    )
    record_timings(store, {"plan_solver_seconds": out.solver_seconds})
    write_csv(out.designers, store.processed_file("plan.csv"), excel_nb=True)  # the workbook: with reports
    return save(store, out)


def economics_stage(programme: Programme, store: Store) -> dict[str, int]:
    """Willingness to pay -> demand, revenue, costs, surplus and the risk of a loss per fee."""
    return save(store, economics.build(programme, store.read("respondents")))


def reports_stage(programme: Programme, store: Store) -> dict[str, int]:
    """Processed tables -> HTML reports rendered by papermill, and reports/index.html."""
    return {"reports": len(report.render_reports(store))}


STAGES: dict[str, StageFn] = {
    "ingest": ingest,
    "needs": needs_stage,
    "themes": themes_stage,
    "rank": rank_stage,
    "plan": plan_stage,
    "economics": economics_stage,
    "reports": reports_stage,
}


def run_stage(name: str, programme: Programme, store: Store) -> dict[str, int]:
    """Run one stage and record it in the manifest."""
    names = list(STAGES)
    check_upstream(store, programme, name, tuple(names[: names.index(name)]))
    started = time.perf_counter()
    log.info("stage %s ...", name)
    rows = STAGES[name](programme, store)
    seconds = time.perf_counter() - started
    update_manifest(store, programme, name, rows, seconds)
    log.info("stage %s done in %.1f s: %s", name, seconds, rows)
    return rows


def run_all(programme: Programme, store: Store) -> Path:
    """The whole pipeline, in order. Returns the reports index."""
    for name in STAGES:
        run_stage(name, programme, store)
    return store.reports / "index.html"
