"""Stage entry points: each loads its inputs, calls the pure transforms, saves its outputs and records
itself in the run manifest. `run_all` reads as the list of steps of the pipeline."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.config import PROJ_ROOT, Programme
from pipeline.errors import InputError, PipelineError, PlanInfeasibleError
from pipeline.lazy import lazy_module
from pipeline.manifest import (
    check_upstream,
    other_files,
    record_timings,
    transcript_files,
    update_manifest,
)
from pipeline.privacy import tables as privacy_tables
from pipeline.store import Store, write_csv

# each stage runs in its own process under make: import what a stage uses when it first uses it, so the
# economics stage does not pay for scikit-learn, nor ingest for scipy's solver (measured in the note)
economics = lazy_module("pipeline.economics")
evaluation = lazy_module("pipeline.evaluation")
interviews = lazy_module("pipeline.interviews")
needs = lazy_module("pipeline.needs")
plan = lazy_module("pipeline.plan")
privacy = lazy_module("pipeline.privacy")
rank = lazy_module("pipeline.rank")
report = lazy_module("pipeline.report")
survey = lazy_module("pipeline.survey")
themes = lazy_module("pipeline.themes")
review = lazy_module("pipeline.themes.review")

log = logging.getLogger(__name__)

StageFn = Callable[[Programme, Store], dict[str, int]]


def ingest(programme: Programme, store: Store) -> dict[str, int]:
    """Survey export + codebook and transcripts -> pseudonymised interim tables (respondents with project
    ids and their municipality size band) and the ingest report with a privacy summary."""
    inputs = programme.inputs
    book = survey.read_codebook(inputs.codebook)
    id_column = book.loc[book["type"] == "respondent_id", "column"].iloc[0]
    expected = book.loc[book["type"] != "ignore", "column"].tolist()
    raw = survey.read_export(inputs.survey, inputs.survey_sheet, id_column, expected)
    tables = survey.tidy_survey(raw, book, inputs.survey)
    if not tables.likert["value"].notna().any():
        raise InputError(
            inputs.survey,
            "has no answers on the Likert items (importance and competence): the needs cannot be scored.",
            hint=f"Check that the likert rows of {inputs.codebook.name} name the export's columns, and that "
            "the export holds the answers (not only the free text).",
        )
    turns, interview_report, speakers = interviews.read_transcripts(
        transcript_files(programme), programme.interviews
    )
    for other in other_files(programme):
        reason = "not a transcript (.vtt, .srt, .docx or .txt): not read"
        log.warning("%s: %s. Save it in one of those formats to use it.", other.name, reason)
        interview_report.append({"file": other.name, "interview_id": other.stem, "skipped": reason})

    pseudonymiser = privacy_tables.build_pseudonymiser(programme, tables.respondents, speakers)
    tables, turns, ids, summary = privacy_tables.pseudonymise_survey(
        tables, turns, book, pseudonymiser, programme.needs.municipality_item
    )
    fresh = privacy_tables.build_pseudonymiser(programme, tables.respondents, speakers)
    flagged = privacy_tables.identifying_file_names(sorted(turns["interview_id"].unique()), fresh)
    if flagged:
        log.warning(
            "%s: transcript file names %s look like they carry a name or a place; they are used as interview "
            "ids in the analysts' tables (partner reports number the interviews). Rename them (int01.vtt …).",
            inputs.interviews,
            flagged,
        )
    if summary["respondent_ids"]["contact_like"]:
        log.warning(
            "%s, column '%s': %d respondent ids are e-mail addresses or written as phone numbers; they are "
            "replaced by project ids (R0001 …) in every output. Export anonymous ids if the survey tool "
            "allows it.",
            inputs.survey.name,
            id_column,
            summary["respondent_ids"]["contact_like"],
        )
    if programme.privacy.write_mapping:
        path = privacy.write_mapping(pseudonymiser.mapping, store.private / "pseudonym_mapping.csv")
        pd.DataFrame(sorted(ids.items(), key=lambda kv: kv[1]), columns=["survey_id", "project_id"]).to_csv(
            store.private / "respondent_ids.csv", index=False, encoding="utf-8"
        )
        log.warning(
            "pseudonym mapping and respondent ids written to %s (write_mapping is set): keep them away from "
            "partners",
            path.parent,
        )

    respondents = needs.add_size_band(
        tables.respondents, programme.needs.municipality_item, programme.needs.size_item
    )
    store.write("respondents", respondents)
    store.write("likert", tables.likert)
    store.write("choices", tables.choices)
    store.write("free_text", tables.free_text)
    store.write("turns", turns)
    store.write_json(
        "ingest_report", {"survey": tables.report, "interviews": interview_report, "privacy": summary}
    )
    if not tables.report["balanced"]:  # a bug, not a user error: refuse to go on
        raise PipelineError("ingest lost rows: rows read != kept + quarantined; see ingest_report.json")
    warn_faulty_rows(inputs.survey.name, tables.report["quarantined"])
    log.info(
        "survey: %d rows read, %d kept, %d quarantined",
        tables.report["rows_read"],
        tables.report["rows_kept"],
        tables.report["rows_quarantined"],
    )
    return {
        "survey_rows_read": tables.report["rows_read"],
        "respondents": len(tables.respondents),
        "quarantined": tables.report["rows_quarantined"],
        "likert_answers": len(tables.likert),
        "choices": len(tables.choices),
        "free_text_answers": len(tables.free_text),
        "interviews": int(turns["interview_id"].nunique()),
        "turns": len(turns),
    }


def warn_faulty_rows(file: str, quarantined: list[dict]) -> None:
    """One warning per kind of row held out because the file is faulty (`survey.FILE_FAULTS`: cut off,
    extra fields, another delimiter), with the rows and what to do; empty rows and earlier submissions are
    routine."""
    by_kind: dict[str, list[dict]] = {}
    for q in quarantined:
        if q["kind"] in survey.FILE_FAULTS:
            by_kind.setdefault(q["kind"], []).append(q)
    for rows in by_kind.values():
        log.warning(
            "%s: %s held out: %s.",
            file,
            survey.row_list([q["row"] for q in rows]),
            rows[0]["reason"],
        )


def needs_stage(programme: Programme, store: Store) -> dict[str, int]:
    """Likert answers -> needs per area (Borich MWDS with bootstrap intervals, IPA, Locus for Focus,
    priority), needs by segment, and the programme questions' answers."""
    settings = programme.needs
    likert = store.read("likert")
    respondents = store.read("respondents")
    table = needs.score_needs(likert, settings, progress=True)
    known = set(table["area"])
    for topic in programme.topics:
        for area in topic.areas:
            if area not in known:
                log.warning(
                    "%s: topic '%s' links area '%s', which the survey does not measure.",
                    programme.path.name,
                    topic.id,
                    area,
                )
    segments = {"role": settings.role_item, "size_band": "size_band", "span": settings.span_item}
    k = programme.privacy.min_cell
    grouped = privacy.group_rare_columns(respondents, segments.values(), k)  # rare answers read "Annet"
    by_segment = needs.segment_needs(likert, grouped, segments, settings, k)
    preferences = needs.summarise_preferences(
        respondents, [settings.format_item, settings.gatherings_item, settings.wtp_item]
    )
    profiles, assigned, composition, diagnostics = needs.need_profile_tables(
        likert, grouped, segments, k, settings.confidence, settings.seed
    )
    log.info(
        "need profiles: %d chosen (%d respondents placed, %d not placed)",
        diagnostics["chosen"],
        diagnostics["placed"],
        diagnostics["not_placed"],
    )
    store.write("needs", table)
    store.write("needs_segments", by_segment)
    store.write("preferences", preferences)
    store.write("need_profiles", profiles)
    store.write("respondent_profiles", assigned)
    store.write("profile_segments", composition)
    store.write_json("profile_diagnostics", diagnostics)
    store.write_json(
        "needs_summary",
        {
            "respondents": len(respondents),
            "size_bands": respondents["size_band"].value_counts().sort_index().to_dict(),
            "median_wtp": needs.median_answer(preferences, settings.wtp_item),
            "gatherings": needs.preferred_sessions(preferences, settings.gatherings_item),
            "confidence": settings.confidence,
            "ipa_centre": needs.ipa_centre(table, settings.quadrant_centre),
            "bootstrap": settings.bootstrap,
            "top_n": settings.top_n,
        },
    )
    return {
        "areas": len(table),
        "segment_rows": len(by_segment),
        "suppressed": int(by_segment["suppressed"].sum()),
        "profiles": int(diagnostics["chosen"]),
    }


def themes_stage(programme: Programme, store: Store) -> dict[str, int]:
    """Free text + informant turns -> themes, document-theme and document-topic assignments, prevalence by
    segment and source, attribute effects, and the diagnostics behind the number of themes."""
    docs, non_answers = themes.collect_documents(store.read("free_text"), store.read("turns"))
    settings = programme.themes
    if len(docs) < themes.MIN_DOCUMENTS:
        raise PipelineError(
            f"only {len(docs)} substantive free-text answers and informant passages; theme "
            f"discovery needs at least {themes.MIN_DOCUMENTS}. Check the codebook's free_text items."
        )
    respondents = store.read("respondents")
    topic_ids = [t.id for t in programme.topics]
    keys = review.document_keys(docs)
    reviewed = None
    if settings.review is not None and settings.review.is_file():
        reviewed = review.review_matrix(
            review.read_review(settings.review, topic_ids, keys), keys, len(topic_ids)
        )
        log.info("%s: %d reviewed rows override the machine", settings.review.name, int(reviewed[0].sum()))
    elif settings.review is not None:
        log.warning(
            "%s ([themes].review) does not exist yet: write it with `python -m pipeline review`",
            settings.review,
        )
    meaning = themes.embed_corpus(
        settings.embeddings,
        programme.path,
        docs["text"].tolist(),
        [themes.topic_text(t) for t in programme.topics],
        store,
        progress=True,
        rows=themes.fit_rows(len(docs), seed=settings.seed),  # a large corpus: the fitted subset only
    )
    found = themes.discover_themes(
        docs,
        programme.topics,
        settings,
        int(respondents["respondent_id"].isin(docs["respondent_id"].dropna()).sum()),  # who wrote: the base
        progress=True,
        review=reviewed,
        embeddings=meaning.documents,
        topic_embeddings=meaning.topics,
    )
    model, doc_themes, table = found.model, found.doc_themes, found.table
    segments = {"role": programme.needs.role_item, "size_band": "size_band"}
    writers = privacy.group_rare_columns(  # rare answers read "Annet" in every breakdown
        respondents.loc[respondents["respondent_id"].isin(docs["respondent_id"].dropna())],
        segments.values(),
        programme.privacy.min_cell,
    )
    theme_ids = table["theme_id"].tolist()
    matrix = themes.respondent_theme_matrix(doc_themes, writers["respondent_id"].tolist(), theme_ids)
    prevalence = themes.prevalence_table(
        matrix,
        writers,
        theme_ids,
        segments,
        doc_themes.loc[doc_themes["source"] == "interview"],
        programme.privacy.min_cell,
        seed=settings.seed,
    )
    effects = themes.attribute_effects(
        matrix, writers, theme_ids, list(segments.values()), programme.privacy.min_cell, seed=settings.seed
    )
    store.write("themes", table)
    store.write("doc_themes", doc_themes)
    store.write(
        "doc_topics",
        themes.doc_topics(
            docs, [t.id for t in programme.topics], found.mapping.scores, found.mapping.assigned
        ),
    )
    store.write("seed_terms", found.mapping.seed_terms)
    mapping = found.mapping
    machine = mapping.machine if mapping.machine is not None else mapping.assigned
    store.write("coding", review.coding_sheet(docs, machine, mapping.scores, mapping.seeds, topic_ids))
    agreement = (
        review.agreement(machine[mapping.reviewed], mapping.assigned[mapping.reviewed], topic_ids)
        if mapping.reviewed is not None
        else review.agreement(
            np.zeros((0, len(topic_ids)), bool), np.zeros((0, len(topic_ids)), bool), topic_ids
        )
    )
    store.write("review_agreement", agreement)
    store.write("theme_prevalence", prevalence)
    store.write("theme_effects", effects)
    store.write_json(
        "theme_diagnostics",
        {
            "n_themes": model.n_themes_,
            "chosen_by": "programme file ([themes].n_themes)" if settings.n_themes else "diagnostics",
            "k_range": [settings.k_min, settings.k_max],
            "n_neighbors": model.n_neighbors_,
            "representation": meaning.describe(),
            "candidates": model.diagnostics_.round(4).to_dict(orient="records"),
            "documents": len(docs),
            "survey_documents": int((docs["source"] == "survey").sum()),
            "interview_passages": int((docs["source"] == "interview").sum()),
            "non_answers": len(non_answers),
            "documents_with_seed_terms": int(found.mapping.seeds.any(axis=1).sum()),
            "related_terms": {True: "shipped list", False: "none"}.get(
                settings.related_terms, str(settings.related_terms)
            ),
            "related_terms_added": int((found.mapping.seed_terms["source"] == "related").sum()),
            "reviewed_documents": int(mapping.reviewed.sum()) if mapping.reviewed is not None else 0,
            "review_model": themes.held_out_kappa(
                model,
                docs["text"].tolist(),
                programme.topics,
                settings.related_terms,
                reviewed,
                meaning.topics,
                settings.seed,
            )
            if reviewed is not None
            else None,
            "unsupported_topics": list(found.unsupported),
        },
    )
    return {
        "documents": len(docs),
        "non_answers": len(non_answers),
        "themes": model.n_themes_,
        "emerging": int(table["emerging"].sum()),
    }


def write_coding_sheet(programme: Programme, store: Store, out: Path | None = None) -> Path:
    """The analyst's coding sheet from the last theme stage, merged with the sheet already there (reviews
    are kept; reviewed rows whose document is gone move to the 'Utgått' tab). Returns the sheet's path."""
    beside = programme.path.parent / "koding.xlsx"
    if programme.path.parent.resolve() == (PROJ_ROOT / "data" / "raw").resolve():
        beside = store.interim / "koding.xlsx"  # the shipped sample: data/raw stays as shipped
    path = out or programme.themes.review or beside
    previous = None
    if path.is_file():
        previous = review.read_sheet(path)
    sheet, retired = review.merge_review(store.read("coding"), previous, path)
    if previous is not None:
        retired = pd.concat([review.read_sheet(path, review.RETIRED), retired], ignore_index=True)
    topics = pd.DataFrame(
        {"Tema-id": [t.id for t in programme.topics], "Tema": [t.title for t in programme.topics]}
    )
    review.write_sheet(sheet, retired, topics, path)
    n_reviewed = int(sheet[review.COLUMNS["reviewed"]].str.strip().ne("").sum())
    log.info(
        "coding sheet written to %s: %d rows, %d reviewed, %d retired%s",
        path,
        len(sheet),
        n_reviewed,
        len(retired),
        ""
        if programme.themes.review == path
        else f'; set [themes].review = "{os.path.relpath(path, programme.path.parent)}" to use it',
    )
    return path


def rank_stage(programme: Programme, store: Store) -> dict[str, int]:
    """Needs + themes -> one score per catalogue topic with its evidence trail."""
    doc_themes = store.read("doc_themes")
    doc_topics = store.read("doc_topics")
    writers = doc_themes.loc[doc_themes["source"] == "survey", "respondent_id"].drop_duplicates().tolist()
    passages = doc_themes.loc[doc_themes["source"] == "interview", "doc_id"].drop_duplicates().tolist()
    share = None
    rated = pd.DataFrame(columns=evaluation.USEFULNESS_COLUMNS)
    if programme.inputs.evaluation is not None:  # replanning after a gathering: the participants' view
        previous = plan.read_previous_plan(programme.inputs.previous_plan, programme)
        held = {t: g for t, g in previous.items() if g <= programme.sessions.delivered}
        answers = evaluation.read_evaluation(programme.inputs.evaluation, programme, held)
        share, commented = evaluation.mentions(answers, programme)
        rated = evaluation.usefulness(answers, programme.privacy.min_cell)
        log.info("evaluation: %d rows, %d participants commented", len(answers), commented)
    store.write("evaluation", rated)
    evidence = rank.topic_evidence(
        programme, store.read("needs"), store.read("themes"), doc_topics, len(writers), len(passages), share
    )
    ranking = rank.rank_topics(evidence, programme.weights)
    boot = rank.bootstrap_components(
        programme,
        store.read("likert"),
        doc_topics,
        writers,
        passages,
        programme.needs.bootstrap,
        programme.needs.seed,
        share,
    )
    intervals = rank.rank_intervals(
        boot, programme.weights, [t.id for t in programme.topics], programme.needs.confidence
    )
    ranking = ranking.merge(intervals, on="topic_id", how="left")
    evidence = needs.profile_evidence(
        store.read("respondent_profiles"),
        store.read("need_profiles"),
        doc_topics,
        doc_themes,
        programme.topics,
        store.read("themes"),
        programme.privacy.min_cell,
        programme.needs.bootstrap,
        programme.needs.confidence,
        programme.needs.seed,
    )
    ranking = ranking.merge(needs.topics_served(evidence), on="topic_id", how="left")
    ranking["serves_profile"] = ranking["serves_profile"].fillna("")
    store.write("topic_ranking", ranking)
    store.write("profile_topics", evidence)
    return {"topics": len(ranking), "profile_rows": len(evidence)}


def plan_stage(programme: Programme, store: Store) -> dict[str, int]:
    """Ranking -> optimal plans for 3 and 4 gatherings (the configured count is the chosen one), with the
    probability of each topic being in the programme as the weights move, the strong topics left out, and
    the designers' CSV and Excel."""
    settings = programme.plan
    ranking = store.read("topic_ranking")
    previous = (
        plan.read_previous_plan(programme.inputs.previous_plan, programme)
        if programme.inputs.previous_plan is not None
        else None
    )
    held = programme.sessions.delivered
    full = plan.freeze(programme, previous) if previous else programme
    programme, threads = plan.split_threads(full)  # the solver plans the topics besides the red threads
    thread_ids = [t.id for t in threads]
    affinity = plan.topic_affinity(
        store.read("doc_topics"), store.read("themes"), [t.id for t in programme.topics]
    )
    floor = None if settings.fill_all_slots else settings.min_score
    values = plan.topic_values(ranking.set_index("topic_id")["score"], floor)
    sensitivity, sensitivity_summary = (
        plan.weight_sensitivity(
            programme,
            ranking,
            programme.sessions.count,
            settings.sensitivity_samples,
            settings.sensitivity_concentration,
            programme.needs.seed,
            floor,
        )
        if settings.sensitivity_samples
        else (pd.DataFrame({"topic_id": ranking["topic_id"], "p_in_programme": np.nan, "p_top3": np.nan}), {})
    )
    sensitivity.loc[sensitivity["topic_id"].isin(thread_ids), "p_in_programme"] = 1.0
    p_in = sensitivity.set_index("topic_id")["p_in_programme"]
    tables, missing, variants, reasons = [], [], {}, {}
    candidates = plan.new_need_candidates(store.read("themes"))
    pair = plan.affinity_pairs(affinity)
    terms = plan.order_terms(programme, settings.cohesion)
    changes = pd.DataFrame(columns=plan.CHANGE_COLUMNS)
    for count in (3, 4):
        chosen = count == programme.sessions.count
        if held and not chosen:
            variants[str(count)] = {
                "feasible": False,
                "reason": f"under way: {held} of {programme.sessions.count} gatherings held",
            }
            continue
        try:
            result = plan.solve_plan(
                programme,
                values,
                count,
                affinity=affinity,
                cohesion=settings.cohesion,
                previous=previous if chosen else None,
            )
        except PlanInfeasibleError as exc:
            if chosen:
                raise
            log.warning("no alternative plan with %d gatherings: %s", count, exc)
            variants[str(count)] = {"feasible": False, "reason": str(exc)}
            continue
        record_timings(store, {"plan_solver_seconds": {str(count): round(result.seconds, 3)}})
        greedy = plan.greedy_plan(programme, values, count, affinity, settings.cohesion)
        table_n = plan.plan_table(
            programme, ranking, result, chosen, affinity, p_in if chosen else None, settings.cohesion
        )
        table_n = plan.mark_weak(table_n, settings.min_score, bool(candidates))
        table_n = pd.concat(
            [table_n, plan.thread_rows(full, ranking, threads, count, chosen, p_in if chosen else None)],
            ignore_index=True,
        ).sort_values(["session", "rank"], kind="stable", ignore_index=True)
        tables.append(table_n)
        reasons[count] = plan.order_reasons(
            programme, result.assignment, count, terms, pair, values, held if chosen else 0
        )
        if chosen and previous:
            changes = plan.changes(
                full,
                previous,
                result.assignment,
                ranking,
                plan.cost_of_staying(programme, values, result, previous, affinity, settings.cohesion),
                ranking.set_index("topic_id").get(rank.EVALUATION_COLUMN),
            )
        missing.append(
            plan.left_out(programme, ranking.loc[~ranking["topic_id"].isin(thread_ids)], result, values)
        )
        variants[str(count)] = {
            "feasible": True,
            "chosen": chosen,
            "topics": len(result.assignment) + len(threads),
            "threads": thread_ids,
            "objective": round(result.objective, 4),
            "value": round(result.value, 4),
            "cohesion": round(result.cohesion, 4),
            "order": round(result.order, 4),
            "greedy_objective": round(greedy.objective, 4),
            "slots": int(sum(programme.sessions.slots_for(count))),
            "open_slots": int(sum(programme.sessions.slots_for(count)) - len(result.assignment)),
            "weak_topics": table_n.loc[table_n["weak"], "topic_id"].tolist(),
        }
        log.info(
            "plan with %d gatherings: %d topics, objective %.3f (greedy %.3f), %.2f s",
            count,
            len(result.assignment),
            result.objective,
            greedy.objective,
            result.seconds,
        )
    table = pd.concat(tables, ignore_index=True)
    store.write("plan", table)
    store.write("plan_overview", plan.gathering_overview(programme, table, ranking, reasons))
    store.write(
        "plan_left_out",
        pd.concat(missing, ignore_index=True) if missing else pd.DataFrame(columns=plan.LEFT_OUT_COLUMNS),
    )
    store.write("plan_sensitivity", sensitivity)
    store.write("plan_changes", changes)
    store.write_json(
        "plan_summary",
        {
            "variants": variants,
            "sensitivity": sensitivity_summary,
            "cohesion_weight": settings.cohesion,
            "min_score": settings.min_score,
            "fill_all_slots": settings.fill_all_slots,
            "candidates": candidates,
            "replan": {
                "previous_plan": bool(previous),
                "delivered": held,
                "stability": settings.stability,
                "changes": changes["change"].value_counts().sort_index().to_dict(),
            },
        },
    )
    view = plan.designer_view(table, {c.id: c.name for c in programme.contributors})
    write_csv(view, store.processed_file("plan.csv"), excel_nb=True)  # the workbook comes with the reports
    return {"placed_topics": int(table["chosen"].sum())}


def economics_stage(programme: Programme, store: Store) -> dict[str, int]:
    """Willingness to pay -> demand, revenue, costs, surplus and the risk of a loss per fee, for 3 and 4
    gatherings, with each party's share ([economics] of the programme file; empty outputs without it)."""
    settings = programme.economics
    empty = pd.DataFrame(columns=["n_sessions", "fee"])
    if settings is None:
        store.write("economics", empty)
        store.write("economics_segments", pd.DataFrame(columns=["segment_type", "segment", "n"]))
        store.write_json("economics_summary", {"configured": False})
        return {"fees": 0}
    respondents = store.read("respondents")
    item = programme.needs.wtp_item
    if item not in respondents:
        raise PipelineError(
            f"[economics] needs the willingness-to-pay question '{item}' ([needs].wtp_item), which the "
            "survey export does not have. Map it in the codebook, or remove [economics]."
        )
    table, summary, bands = economics.economics_tables(settings, respondents[item], programme.sessions.count)
    chosen = summary["by_sessions"][str(programme.sessions.count)]
    fee = chosen["fee"] if chosen["fee"] is not None else chosen["lowest_risk_fee"]
    segments = [
        economics.demand_by_segment(respondents, item, bands, fee, programme.privacy.min_cell, column)
        for column in (programme.needs.role_item, "size_band")
        if column in respondents
    ]
    store.write("economics", table)
    store.write("economics_segments", pd.concat(segments, ignore_index=True))
    store.write_json("economics_summary", summary)
    log.info(
        "economics: fee %s kr with %.0f participants, surplus %.0f kr, P(loss) %.2f",
        fee,
        chosen["participants"],
        chosen["surplus"],
        chosen["p_loss"],
    )
    return {"fees": len(settings.fees), "resamples": settings.resamples}


def reports_stage(programme: Programme, store: Store) -> dict[str, int]:
    """Processed tables -> HTML reports rendered by papermill, and reports/index.html."""
    written = report.render_reports(store)
    return {"reports": len(written)}


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
