"""The ingest stage as one function: the survey export, its codebook and the interview transcripts the
programme file names in; pseudonymised tidy tables, the list of held-out rows and the privacy summary out.
It reads the raw inputs (they are its input) and writes nothing: the stage saves what it returns, and the
private pseudonym mapping only when the programme file asks for it."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from pipeline import interviews, needs, survey
from pipeline.config import Programme
from pipeline.errors import InputError
from pipeline.manifest import other_files, transcript_files
from pipeline.privacy import tables as privacy_tables
from pipeline.store import StageOutputs

log = logging.getLogger(__name__)


@dataclass
class IngestOutputs(StageOutputs):
    respondents: pd.DataFrame  # project ids, segments and the municipality size band
    likert: pd.DataFrame
    choices: pd.DataFrame
    free_text: pd.DataFrame
    turns: pd.DataFrame  # the informants' turns of the interviews
    ingest_report: dict  # rows read, kept and held out (with reasons), transcripts, privacy summary
    mapping: dict[str, str]  # pseudonym mapping (private: written only with [privacy].write_mapping)
    respondent_ids: dict[str, str]  # survey id -> project id (private, as above)
    counts: dict[str, int]  # for the run manifest


def build(programme: Programme) -> IngestOutputs:
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
    respondents = needs.add_size_band(
        tables.respondents, programme.needs.municipality_item, programme.needs.size_item
    )
    warn_faulty_rows(inputs.survey.name, tables.report["quarantined"])
    log.info(
        "survey: %d rows read, %d kept, %d quarantined",
        tables.report["rows_read"],
        tables.report["rows_kept"],
        tables.report["rows_quarantined"],
    )
    return IngestOutputs(
        respondents=respondents,
        likert=tables.likert,
        choices=tables.choices,
        free_text=tables.free_text,
        turns=turns,
        ingest_report={"survey": tables.report, "interviews": interview_report, "privacy": summary},
        mapping=pseudonymiser.mapping,
        respondent_ids=ids,
        counts={
            "survey_rows_read": tables.report["rows_read"],
            "respondents": len(tables.respondents),
            "quarantined": tables.report["rows_quarantined"],
            "likert_answers": len(tables.likert),
            "choices": len(tables.choices),
            "free_text_answers": len(tables.free_text),
            "interviews": int(turns["interview_id"].nunique()),
            "turns": len(turns),
        },
    )


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
