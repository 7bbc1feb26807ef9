"""The ingest stage as one function: the survey export, its codebook and the interview transcripts the
programme file names in; pseudonymised tidy tables, the list of held-out rows and the privacy summary out.
It reads the raw inputs (they are its input) and writes nothing: the stage saves what it returns, and the
private pseudonym mapping only when the programme file asks for it."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline import interviews, needs, survey
from pipeline.config import Programme
from pipeline.errors import InputError, PipelineError
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
    # a previous wave ([inputs].previous_survey): its tables (ids F0001 …) and which items compare
    previous_respondents: pd.DataFrame | None = None
    previous_likert: pd.DataFrame | None = None
    previous_free_text: pd.DataFrame | None = None
    wave_items: pd.DataFrame | None = None


PREVIOUS_ID = "F"  # project ids of the previous wave (R0001 … are the current wave's): never the same person


def read_wave(path: Path, sheet: str | int, codebook: Path) -> tuple[pd.DataFrame, survey.SurveyTables]:
    """One survey wave: its codebook, and its export read and tidied (quarantine included)."""
    book = survey.read_codebook(codebook)
    id_column = book.loc[book["type"] == "respondent_id", "column"].iloc[0]
    expected = book.loc[book["type"] != "ignore", "column"].tolist()
    raw = survey.read_export(path, sheet, id_column, expected)
    return book, survey.tidy_survey(raw, book, path)


def previous_wave(programme: Programme, book: pd.DataFrame) -> dict:
    """The previous wave's tables, pseudonymised by the same rules, and the items both waves can compare
    (`needs.waves.match_items`); an InputError naming the previous codebook when none can."""
    from pipeline.needs.waves import match_items

    inputs = programme.inputs
    old_book, old = read_wave(inputs.previous_survey, inputs.previous_survey_sheet, inputs.previous_codebook)
    kept, left_out = match_items(old_book, book)
    if not kept:
        reasons = "; ".join(f"{r.item_id}: {r.reason}" for r in left_out.head(3).itertuples(index=False))
        raise InputError(
            inputs.previous_codebook,
            f"no leadership area can be compared with {inputs.codebook.name}: each needs its importance and "
            f"competence items with the same item_id, scale, area, dimension and wording ({reasons}).",
            hint="Give the previous wave's likert rows the item ids of the current codebook where the "
            "questions are the same, or leave previous_survey out.",
        )
    pseudonymiser = privacy_tables.build_pseudonymiser(programme, old.respondents, set())
    empty_turns = pd.DataFrame(columns=["interview_id", "turn", "speaker", "text"])
    old, _turns, _ids, summary = privacy_tables.pseudonymise_survey(
        old, empty_turns, old_book, pseudonymiser, programme.needs.municipality_item
    )
    if not old.report["balanced"]:  # a bug, not a user error
        raise PipelineError("ingest lost rows of the previous wave: rows read != kept + quarantined")
    warn_faulty_rows(inputs.previous_survey.name, old.report["quarantined"])

    def renamed(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(respondent_id=PREVIOUS_ID + frame["respondent_id"].str[1:])

    labels = dict(zip(book["item_id"], book["label"].fillna("").astype(str), strict=False))
    items = pd.concat(
        [
            pd.DataFrame(
                {"item_id": kept, "compared": True, "reason": "", "label": [labels[i] for i in kept]}
            ),
            left_out.assign(compared=False),
        ],
        ignore_index=True,
    )[["item_id", "compared", "reason", "label"]].sort_values("item_id", kind="stable", ignore_index=True)
    respondents = needs.add_size_band(
        old.respondents, programme.needs.municipality_item, programme.needs.size_item
    )
    return {
        "previous_respondents": renamed(respondents),
        "previous_likert": renamed(old.likert),
        "previous_free_text": renamed(old.free_text),
        "wave_items": items,
        "report": {"survey": old.report, "privacy": summary, "items_compared": len(kept)},
    }


def build(programme: Programme) -> IngestOutputs:
    """Survey export + codebook and transcripts -> pseudonymised interim tables (respondents with project
    ids and their municipality size band) and the ingest report with a privacy summary."""
    inputs = programme.inputs
    book, tables = read_wave(inputs.survey, inputs.survey_sheet, inputs.codebook)
    id_column = book.loc[book["type"] == "respondent_id", "column"].iloc[0]
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
    previous = previous_wave(programme, book) if inputs.previous_survey is not None else {}
    report = {"survey": tables.report, "interviews": interview_report, "privacy": summary}
    if previous:
        report["previous_survey"] = previous.pop("report")
    return IngestOutputs(
        **previous,
        respondents=respondents,
        likert=tables.likert,
        choices=tables.choices,
        free_text=tables.free_text,
        turns=turns,
        ingest_report=report,
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
