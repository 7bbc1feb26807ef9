"""The review loop, as survey coders work: the machine's coding of every answer and passage goes to a
coding sheet, most informative rows first; an analyst corrects rows; the next run reads the sheet, the
reviewed rows override the machine and act as labelled documents for the spreading, and the reports show how
well machine and reviewer agree (Cohen's kappa, precision and recall per topic).

A document is known in the sheet by a key that survives re-runs: `R0012/utfordringer` (project respondent id
and question) or `int03/12/2` (interview, turn, passage). The sheet is merged, never overwritten: a reviewed
row keeps its review, and a reviewed row whose document is gone moves to the sheet's "Utgått" tab.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.config import PROJ_ROOT, Programme
from pipeline.errors import InputError
from pipeline.privacy import redact_identifying
from pipeline.store import Store, spreadsheet_safe, stable_zip, unprotect_cell

log = logging.getLogger(__name__)

SHEET = "Koding"
RETIRED = "Utgått"
TOPICS = "Temaer"
COLUMNS = {
    "key": "Nøkkel",
    "source": "Kilde",
    "question": "Spørsmål",
    "text": "Tekst",
    "machine": "Maskinens temaer",
    "confidence": "Sikkerhet",
    "reviewed": "Riktige temaer",
    "comment": "Kommentar",
}
EXCEL_ERRORS = frozenset({"#NAME?", "#REF!", "#VALUE!", "#N/A", "#DIV/0!", "#NUM!", "#NULL!"})
NONE_WORDS = frozenset({"ingen", "-", "0", "ingen tema", "none"})
SOURCE_NAMES = {"survey": "Fritekstsvar", "interview": "Intervju"}


def document_keys(docs: pd.DataFrame) -> pd.Series:
    """The stable key of every document (see the module docstring)."""
    survey = docs["respondent_id"].astype(str) + "/" + docs["question"].astype(str)
    interview = (
        docs["interview_id"].astype(str) + "/" + docs["turn"].astype(str) + "/" + docs["passage"].astype(str)
    )
    return survey.where(docs["source"] == "survey", interview).rename("key")


def confidence(scores: np.ndarray, assigned: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(confidence of the machine's coding in [0, 1], margin between the two best topics) per document: a
    seed match counts fully, a spread score as its share of the document's scores."""
    total = scores.clip(0).sum(axis=1)
    share = np.divide(scores.clip(0), total[:, None], out=np.zeros_like(scores), where=total[:, None] > 0)
    top2 = -np.sort(-share, axis=1)[:, :2] if share.shape[1] >= 2 else np.column_stack([share, share * 0])
    conf = np.where(assigned.any(axis=1), top2[:, 0], 0.0)
    return conf, top2[:, 0] - top2[:, 1]


def coding_sheet(
    docs: pd.DataFrame, assigned: np.ndarray, scores: np.ndarray, seeds: np.ndarray, topic_ids: list[str]
) -> pd.DataFrame:
    """The machine's coding of every document, most informative rows first (uncertainty sampling):
    documents the seed terms did not reach, then the smallest margin between the two best topics."""
    conf, margin = confidence(scores, assigned)
    sheet = pd.DataFrame(
        {
            COLUMNS["key"]: document_keys(docs).to_numpy(),
            COLUMNS["source"]: docs["source"].map(SOURCE_NAMES).to_numpy(),
            COLUMNS["question"]: docs["question"].fillna("").astype(str).to_numpy(),
            COLUMNS["text"]: docs["text"].map(redact_identifying).to_numpy(),  # as every processed table
            COLUMNS["machine"]: ["; ".join(topic_ids[j] for j in np.nonzero(row)[0]) for row in assigned],
            COLUMNS["confidence"]: conf.round(2),
            COLUMNS["reviewed"]: "",
            COLUMNS["comment"]: "",
            "_seeded": seeds.any(axis=1),
            "_margin": margin,
        }
    )
    sheet = sheet.sort_values(["_seeded", "_margin", COLUMNS["key"]], kind="stable")
    return sheet[list(COLUMNS.values())].reset_index(drop=True)


def merge_review(
    sheet: pd.DataFrame, previous: pd.DataFrame | None, path: Path | str = "coding sheet"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the sheet with the reviews and comments of `previous` kept, reviewed rows first; the reviewed rows of
    `previous` whose document is gone). Nothing reviewed is dropped: a key reviewed twice is an error."""
    if previous is None or not len(previous):
        return sheet, pd.DataFrame(columns=list(COLUMNS.values()))
    previous = previous.reindex(columns=list(COLUMNS.values()), fill_value="").fillna("").astype(str)
    done = previous.loc[
        previous[COLUMNS["reviewed"]].str.strip().ne("") | previous[COLUMNS["comment"]].str.strip().ne("")
    ]
    twice = done[COLUMNS["key"]].duplicated(keep="first")
    if twice.any():
        row = int(done.index[twice.to_numpy()][0]) + 2
        raise InputError(
            path,
            f"sheet '{SHEET}', row {row}, column '{COLUMNS['key']}': "
            f"'{done.loc[twice, COLUMNS['key']].iloc[0]}' is reviewed twice.",
            hint="Keep one of the two rows, then run `python -m pipeline review` again.",
        )
    known = done[COLUMNS["key"]].isin(sheet[COLUMNS["key"]])
    kept = done.loc[known].set_index(COLUMNS["key"])
    out = sheet.copy()
    for column in (COLUMNS["reviewed"], COLUMNS["comment"]):
        values = dict(zip(kept.index, kept[column].astype(str), strict=True))
        out[column] = [values.get(k, "") for k in out[COLUMNS["key"]]]
    first = out[COLUMNS["reviewed"]].str.strip().ne("")
    out = pd.concat([out.loc[first], out.loc[~first]], ignore_index=True)
    return out, done.loc[~known].reset_index(drop=True)


def write_sheet(sheet: pd.DataFrame, retired: pd.DataFrame, topics: pd.DataFrame, path: Path) -> Path:
    """The coding sheet as a formatted workbook: the sheet, the topic list, and retired reviewed rows."""
    from openpyxl.styles import Alignment, Font

    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        spreadsheet_safe(sheet).to_excel(writer, sheet_name=SHEET, index=False)
        topics.to_excel(writer, sheet_name=TOPICS, index=False)
        spreadsheet_safe(retired).to_excel(writer, sheet_name=RETIRED, index=False)
        widths = {"A": 22, "B": 12, "C": 16, "D": 90, "E": 30, "F": 10, "G": 30, "H": 30}
        for name in (SHEET, RETIRED):
            ws = writer.sheets[name]
            ws.freeze_panes = "A2"
            for col, width in widths.items():
                ws.column_dimensions[col].width = width
            for cell in ws[1]:
                cell.font = Font(bold=True)
            for row in ws.iter_rows(min_row=2):
                row[3].alignment = Alignment(wrap_text=True, vertical="top")
        writer.sheets[TOPICS].column_dimensions["A"].width = 28
        writer.sheets[TOPICS].column_dimensions["B"].width = 60
    path.write_bytes(stable_zip(path.read_bytes()))  # no time of writing in the file
    return path


def read_sheet(path: Path, name: str = SHEET) -> pd.DataFrame:
    """One tab of a coding sheet as text (an empty frame for a missing 'Utgått' tab); a broken file is an
    InputError."""
    try:
        frame = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    except Exception as exc:  # openpyxl raises many kinds for a broken or foreign file
        raise InputError(
            path,
            f"cannot be read as a coding sheet ({type(exc).__name__}).",
            hint="Write a fresh one with `python -m pipeline review` under another name and copy your "
            "reviews into it.",
        ) from exc
    if name not in frame:
        if name == SHEET:
            raise InputError(path, f"has no sheet '{SHEET}'.", hint="Keep the sheet names of the workbook.")
        return pd.DataFrame(columns=list(COLUMNS.values()))
    return frame[name].map(lambda v: unprotect_cell(str(v)))


def formula_cells(path: Path, column: str, name: str = SHEET) -> dict[int, str]:
    """{sheet row: formula} for the cells of `column` that hold a formula (a topic typed as '=digital',
    which Excel shows as #NAME?) instead of text."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=False)
    try:
        rows = workbook[name].iter_rows(values_only=True)
        header = [str(v).strip() if v is not None else "" for v in next(rows, ())]
        if column not in header:
            return {}
        at = header.index(column)
        return {
            line: row[at]
            for line, row in enumerate(rows, start=2)
            if at < len(row) and isinstance(row[at], str) and row[at].startswith("=")
        }
    finally:
        workbook.close()


@dataclass(frozen=True)
class Review:
    keys: list[str]  # reviewed document keys
    labels: np.ndarray  # reviewed documents x topics


def read_review(path: Path, topic_ids: list[str], keys: pd.Series) -> Review:
    """The reviewed rows of a filled coding sheet. Every problem is an InputError naming the sheet row: an
    unreadable file, a missing column, a key that is not a document of this run, a key given twice, a
    topic that is not in the catalogue."""
    sheet = read_sheet(path)
    missing = [c for c in (COLUMNS["key"], COLUMNS["reviewed"]) if c not in sheet.columns]
    if missing:
        raise InputError(path, f"sheet '{SHEET}' lacks the column(s) {missing}.", hint="Keep the headings.")
    known_keys = set(keys)
    known_topics = {t.lower(): t for t in topic_ids}
    formulas = formula_cells(path, COLUMNS["reviewed"])
    seen: dict[str, int] = {}
    out_keys, rows = [], []
    for i, (key, value) in enumerate(zip(sheet[COLUMNS["key"]], sheet[COLUMNS["reviewed"]], strict=True)):
        line = i + 2  # the heading is row 1
        key, value = str(key).strip(), str(value).strip()
        if line in formulas or value in EXCEL_ERRORS:
            shown = formulas.get(line, value)
            raise InputError(
                path,
                f"sheet '{SHEET}', row {line}, column '{COLUMNS['reviewed']}': '{shown}' is a formula, not "
                "topic ids (Excel shows such a cell as #NAME?).",
                hint="Type the topic ids without '=' in front (or start the cell with an apostrophe: "
                "'digital), save and run again.",
            )
        if not value:
            continue
        if key in seen:
            raise InputError(
                path,
                f"sheet '{SHEET}', row {line}, column '{COLUMNS['key']}': '{key}' is reviewed twice "
                f"(also row {seen[key]}).",
                hint="Keep one of the two rows.",
            )
        seen[key] = line
        if key not in known_keys:
            raise InputError(
                path,
                f"sheet '{SHEET}', row {line}, column '{COLUMNS['key']}': '{key}' is no document of this run "
                "(the answer or passage is gone or changed).",
                hint="Run `python -m pipeline review` to move it to the 'Utgått' tab, or delete the row.",
            )
        chosen = (
            [] if value.lower() in NONE_WORDS else [v.strip() for v in value.replace(",", ";").split(";")]
        )
        unknown = [v for v in chosen if v and v.lower() not in known_topics]
        if unknown:
            raise InputError(
                path,
                f"sheet '{SHEET}', row {line}, column '{COLUMNS['reviewed']}': unknown topic {unknown}.",
                hint=f"Use topic ids from the '{TOPICS}' tab ({', '.join(topic_ids)}), or 'ingen'.",
            )
        out_keys.append(key)
        rows.append([t in {known_topics[v.lower()] for v in chosen if v} for t in topic_ids])
    labels = np.array(rows, dtype=bool).reshape(len(rows), len(topic_ids))
    return Review(out_keys, labels)


def review_matrix(review: Review, keys: pd.Series, n_topics: int) -> tuple[np.ndarray, np.ndarray]:
    """(documents reviewed, documents x topics labels) aligned with the run's documents."""
    index = {k: i for i, k in enumerate(keys)}
    mask = np.zeros(len(keys), dtype=bool)
    labels = np.zeros((len(keys), n_topics), dtype=bool)
    for key, row in zip(review.keys, review.labels, strict=True):
        mask[index[key]] = True
        labels[index[key]] = row
    return mask, labels


def agreement(machine: np.ndarray, reviewer: np.ndarray, topic_ids: list[str]) -> pd.DataFrame:
    """Per topic and over all: reviewed documents, Cohen's kappa, precision and recall of the machine's coding
    against the reviewer's, on the reviewed documents."""
    rows = []
    for j, topic in [*enumerate(topic_ids), (None, "alle")]:
        m = machine.ravel() if j is None else machine[:, j]
        r = reviewer.ravel() if j is None else reviewer[:, j]
        n = len(m)
        tp, fp, fn = int((m & r).sum()), int((m & ~r).sum()), int((~m & r).sum())
        observed = (m == r).mean() if n else np.nan
        expected = (m.mean() * r.mean() + (1 - m.mean()) * (1 - r.mean())) if n else np.nan
        kappa = (observed - expected) / (1 - expected) if n and expected < 1 else np.nan
        rows.append(
            {
                "topic_id": topic,
                "documents": int(machine.shape[0]),
                "reviewer_yes": int(r.sum()),
                "machine_yes": int(m.sum()),
                "kappa": float(kappa),
                "precision": tp / (tp + fp) if tp + fp else np.nan,
                "recall": tp / (tp + fn) if tp + fn else np.nan,
            }
        )
    return pd.DataFrame(rows)


def write_coding_sheet(programme: Programme, store: Store, out: Path | None = None) -> Path:
    """The analyst's coding sheet from the last theme stage, merged with the sheet already there (reviews
    are kept; reviewed rows whose document is gone move to the 'Utgått' tab). Returns the sheet's path."""
    beside = programme.path.parent / "koding.xlsx"
    if programme.path.parent.resolve() == (PROJ_ROOT / "data" / "raw").resolve():
        beside = store.interim / "koding.xlsx"  # the shipped sample: data/raw stays as shipped
    path = out or programme.themes.review or beside
    previous = None
    if path.is_file():
        previous = read_sheet(path)
    sheet, retired = merge_review(store.read("coding"), previous, path)
    if previous is not None:
        retired = pd.concat([read_sheet(path, RETIRED), retired], ignore_index=True)
    topics = pd.DataFrame(
        {"Tema-id": [t.id for t in programme.topics], "Tema": [t.title for t in programme.topics]}
    )
    write_sheet(sheet, retired, topics, path)
    n_reviewed = int(sheet[COLUMNS["reviewed"]].str.strip().ne("").sum())
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
