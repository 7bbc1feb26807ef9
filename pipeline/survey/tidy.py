"""From a raw export and its codebook to tidy tables: respondents (one row each), Likert answers (long),
multi-choice answers (long) and free-text answers (long). Every raw row is kept or quarantined with a reason;
`report['rows_read'] == report['rows_kept'] + report['rows_quarantined']` always holds.

Cells are parsed once per distinct value per column (vectorised), so a 100,000-respondent export takes
seconds."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.errors import InputError
from pipeline.survey.codebook import (
    DEFAULT_MISSING,
    NUMBERED_LABEL,
    norm,
    parse_scale,
    scale_labels,
    split_multi,
)
from pipeline.survey.reading import DATE_FORMATS, clean_cell, is_blank, parse_timestamp

log = logging.getLogger(__name__)

LIKERT_COLUMNS = [
    "respondent_id",
    "item_id",
    "area",
    "area_label",
    "dimension",
    "value",
    "missing_reason",
    "scale_max",
]
CHOICE_COLUMNS = ["respondent_id", "item_id", "option"]
FREE_TEXT_COLUMNS = ["respondent_id", "question", "question_label", "text"]
TRUE_MARKS = {"1", "1.0", "x", "ja", "yes", "true", "sant"}


@dataclass(frozen=True)
class SurveyTables:
    respondents: pd.DataFrame
    likert: pd.DataFrame
    choices: pd.DataFrame
    free_text: pd.DataFrame
    report: dict[str, Any] = field(default_factory=dict)


def blank_mask(column: pd.Series) -> np.ndarray:
    """Vectorised `is_blank` for one column."""
    text = column.astype("string").str.strip()
    return (column.isna() | text.isna() | (text == "")).to_numpy(dtype=bool)


def parse_likert(value: Any, scale: dict[str, int], missing: tuple[str, ...]) -> tuple[float, str | None]:
    """One Likert cell -> (value, missing reason). Labels ('5 - Svært viktig', 'svært viktig'), codes (5, '5',
    '5,0') and missing answers ('Vet ikke') are understood. Raises KeyError for anything else."""
    if is_blank(value):
        return np.nan, "blank"
    if isinstance(value, int | float) and float(value).is_integer() and str(int(value)) in scale:
        return float(value), None
    text = norm(value)
    if text in missing:
        return np.nan, text
    if text in scale:
        return float(scale[text]), None
    decimal = re.match(r"^(\d+)[,.]0+$", text)
    if decimal and decimal.group(1) in scale:
        return float(scale[decimal.group(1)]), None
    numbered = NUMBERED_LABEL.match(text)
    if numbered and numbered.group(1) in scale:
        number, label = numbered.group(1), norm(numbered.group(2))
        if label in scale and scale[label] != int(number):
            written = NUMBERED_LABEL.match(" ".join(str(value).split()))
            shown = written.group(2).strip() if written else numbered.group(2).strip()
            raise ScaleContradiction(int(number), shown, scale[label])
        return float(scale[number]), None
    raise KeyError(text)


class ScaleContradiction(Exception):
    """A numbered answer ('5 - Svært viktig') whose label the codebook's scale gives another number."""

    def __init__(self, number: int, label: str, code: int):
        super().__init__(f"{number} - {label}")
        self.number, self.label, self.code = number, label, code


@dataclass(frozen=True)
class Distinct:
    """A column factorised once: `codes` index into `parsed`, the parse of each distinct value (the last
    entry is the parse of a blank cell). Survey cells repeat a lot; parsing each once gives the speed."""

    codes: np.ndarray
    parsed: list[Any]

    def take(self, values: list[Any] | np.ndarray) -> np.ndarray:
        """Per-cell array from one value per distinct cell (same order as `parsed`)."""
        return np.asarray(values, dtype=object if not isinstance(values, np.ndarray) else values.dtype)[
            self.codes
        ]


def distinct(column: pd.Series, parse: Any) -> Distinct:
    """Parse each distinct value of `column` once (blank cells as None)."""
    codes, uniques = pd.factorize(column.astype(object), use_na_sentinel=True)
    return Distinct(codes, [parse(None if is_blank(u) else u) for u in uniques] + [parse(None)])


def parse_timestamps(column: pd.Series) -> pd.Series:
    """Vectorised `parse_timestamp`: common formats in bulk, anything else one distinct value at a time."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return pd.to_datetime(column)
    text = column.astype("string").str.strip()
    out = pd.Series(pd.NaT, index=column.index, dtype="datetime64[ns]")
    for fmt in DATE_FORMATS[:3]:
        todo = out.isna() & text.notna() & (text != "")
        if not todo.any():
            break
        out[todo] = pd.to_datetime(text[todo], format=fmt, errors="coerce")
    todo = out.isna() & ~pd.Series(blank_mask(column), index=column.index)
    if todo.any():
        rest = distinct(column[todo], parse_timestamp)
        out[todo] = pd.to_datetime(pd.Series(rest.take(rest.parsed), index=column[todo].index))
    return out


def tidy_survey(raw: pd.DataFrame, codebook: pd.DataFrame, source: Path | str) -> SurveyTables:
    """Raw export + codebook -> tidy tables and an ingest report."""
    source = Path(source)
    book = codebook.loc[codebook["type"] != "ignore"]
    headers = [c for c in raw.columns if c not in ("_row", "_defect")]
    _check_columns(book, headers, source)
    known = set(codebook["column"])
    unknown_columns = [h for h in headers if h not in known]
    for h in unknown_columns:
        log.warning("%s: column '%s' is not in the codebook; it is ignored.", source.name, h)

    id_col = book.loc[book["type"] == "respondent_id", "column"].iloc[0]
    blanks = {h: blank_mask(raw[h]) for h in headers}  # the codebook's columns are among the headers
    answer_cols = book.loc[~book["type"].isin(["respondent_id", "timestamp"]), "column"]
    all_blank = np.logical_and.reduce(list(blanks.values())) if headers else np.ones(len(raw), bool)
    no_answers = np.logical_and.reduce([blanks[h] for h in answer_cols]) if len(answer_cols) else all_blank
    reasons = np.where(
        all_blank,
        "empty row",
        np.where(blanks[id_col], "no respondent id", np.where(no_answers, "no answers at all", "")),
    )
    if "_defect" in raw:  # a row the reader could not take as written (cut off, or too many fields)
        reasons = np.where(
            raw["_defect"].to_numpy(dtype=str) != "", raw["_defect"].to_numpy(dtype=str), reasons
        )
    quarantine = [
        _q(source, r, id_col if why == "no respondent id" else "", "", why)
        for r, why in zip(raw["_row"], reasons, strict=True)
        if why
    ]

    kept = raw.loc[reasons == ""].copy()
    kept["respondent_id"] = kept[id_col].map(_id_text)
    for _, item in book.loc[book["type"] == "timestamp"].iterrows():
        kept[item["item_id"]] = parse_timestamps(kept[item["column"]])
        reject_first(
            source,
            kept,
            item["column"],
            kept[item["item_id"]].isna().to_numpy() & ~blank_mask(kept[item["column"]]),
            "not a possible date and time:",
            "Correct the cell (dd.mm.yyyy hh:mm) or leave it blank, then run again.",
        )
    order_col = next((c for c in ("completed_at", "started_at") if c in kept), None)
    sort_cols = ["respondent_id", *([order_col] if order_col else []), "_row"]
    kept = kept.sort_values(sort_cols, kind="stable", na_position="first")
    is_dup = kept.duplicated("respondent_id", keep="last").to_numpy()
    for row_no, rid in zip(kept.loc[is_dup, "_row"], kept.loc[is_dup, "respondent_id"], strict=True):
        quarantine.append(
            _q(
                source,
                row_no,
                id_col,
                rid,
                "duplicate submission; a later submission of this respondent is kept",
            )
        )
    kept = kept.loc[~is_dup].sort_values("_row", kind="stable")

    likert = _likert_long(kept, book, source)
    choices = _choices_long(kept, book, source)
    free_text = _free_text_long(kept, book)
    respondents = _respondents(kept, book, likert, source)

    quarantine.sort(key=lambda q: q["row"])
    report = {
        "file": source.name,
        "rows_read": int(len(raw)),
        "rows_kept": int(len(respondents)),
        "rows_quarantined": len(quarantine),
        "balanced": int(len(raw)) == int(len(respondents)) + len(quarantine),
        "partial_completions": int((respondents["status"] == "partial").sum()),
        "columns_not_in_codebook": unknown_columns,
        "rows_read_with_other_delimiter": raw.attrs.get("other_delimiter", {}),
        "quarantined": quarantine,
    }
    report["summary"] = (
        f"{report['rows_read']} rows read = {report['rows_kept']} kept + "
        f"{report['rows_quarantined']} quarantined"
        + ("" if report["balanced"] else " -- NOT BALANCED, please report this as a bug")
    )
    return SurveyTables(respondents, likert, choices, free_text, report)


def reject_first(
    source: Path, kept: pd.DataFrame, column: str, bad: np.ndarray, problem: str, hint: str
) -> None:
    """Raise an InputError naming the first cell of `column` marked `bad` (file, row, column, value)."""
    bad = np.asarray(bad, dtype=bool)
    if bad.any():
        at = int(np.flatnonzero(bad)[0])
        raise InputError(
            source,
            f"{problem} '{clean_cell(kept[column].iloc[at])}'.",
            row=int(kept["_row"].iloc[at]),
            column=column,
            hint=hint,
        )


def _id_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


QUARANTINE_KINDS = (  # (kind, how its reason begins or ends): what the reports say about the row
    ("empty", "empty row"),
    ("no_id", "no respondent id"),
    ("no_answers", "no answers at all"),
    ("duplicate", "duplicate submission"),
    ("cut_off", "it was cut off"),
    ("extra_fields", "an unquoted delimiter"),
    ("one_cell", "read as one cell"),
)


FILE_FAULTS = frozenset({"cut_off", "extra_fields", "one_cell", "other"})  # the file must be corrected


def quarantine_kind(reason: str) -> str:
    """The kind of a quarantine reason ('other' for one this list does not know)."""
    return next((kind for kind, words in QUARANTINE_KINDS if words in reason), "other")


def _q(source: Path, row: int, column: str, value: Any, reason: str) -> dict[str, Any]:
    return {
        "file": source.name,
        "row": int(row),
        "column": column,
        "value": str(value),
        "reason": reason,
        "kind": quarantine_kind(reason),
    }


def _check_columns(book: pd.DataFrame, headers: list[str], source: Path) -> None:
    import difflib

    for col in book["column"]:
        if col not in headers:
            close = difflib.get_close_matches(col, headers, n=3, cutoff=0.5)
            hint = (
                ("Closest headers in the export: " + "; ".join(f"'{c}'" for c in close) + ".")
                if close
                else "Fix the codebook's 'column' value or use the right export."
            )
            raise InputError(
                source, "the codebook's column is missing from the export.", column=col, hint=hint
            )


def _likert_long(kept: pd.DataFrame, book: pd.DataFrame, source: Path) -> pd.DataFrame:
    frames = []
    for _, item in book.loc[book["type"] == "likert"].iterrows():
        scale = parse_scale(item["scale"])
        missing = tuple(norm(m) for m in item["missing"].split("|") if m.strip()) + DEFAULT_MISSING

        def parse(
            cell: Any, scale: dict[str, int] = scale, missing: tuple[str, ...] = missing
        ) -> tuple[float, Any]:
            try:
                return parse_likert(cell, scale, missing)
            except KeyError:
                return (np.nan, KeyError)
            except ScaleContradiction as exc:
                return (np.nan, exc)

        parsed = distinct(kept[item["column"]], parse)
        contradiction = [isinstance(p[1], ScaleContradiction) for p in parsed.parsed]
        if any(contradiction):
            first = next(p[1] for p in parsed.parsed if isinstance(p[1], ScaleContradiction))
            reject_first(
                source,
                kept,
                item["column"],
                parsed.take(contradiction),
                f"the answer's number says {first.number} but the codebook's scale gives "
                f"'{first.label}' = {first.code}:",
                f"Fix the scale of item '{item['item_id']}' in the codebook (is its order reversed?) so the "
                "numbers and labels agree with the export.",
            )
        labels = sorted({k for k in scale if not k.isdigit()} | set(missing))
        reject_first(
            source,
            kept,
            item["column"],
            parsed.take([p[1] is KeyError for p in parsed.parsed]),
            "unknown Likert answer",
            "Known labels: " + "; ".join(labels) + ". Add it to the codebook's scale or missing list.",
        )
        frames.append(
            pd.DataFrame(
                {
                    "respondent_id": kept["respondent_id"].to_numpy(),
                    "item_id": item["item_id"],
                    "area": item["area"],
                    "area_label": item["label"] or item["area"],
                    "dimension": item["dimension"],
                    "value": parsed.take(np.array([p[0] for p in parsed.parsed], dtype=float)),
                    "missing_reason": parsed.take([p[1] for p in parsed.parsed]),
                    "scale_max": max(scale.values()),
                }
            )
        )
    if not frames:
        return pd.DataFrame(columns=LIKERT_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    return out.sort_values(["respondent_id", "item_id"], kind="stable", ignore_index=True)[LIKERT_COLUMNS]


def split_choices(cell: str, options: list[str]) -> list[str]:
    """The options chosen in one cell. With known options, they are found in the cell (so an option that
    itself contains a comma survives); otherwise the cell is split on ';' or ', '."""
    text = clean_cell(cell)
    if options:
        found, rest = [], text
        for option in sorted(options, key=len, reverse=True):
            pattern = re.compile(rf"(?:^|[;,]\s*){re.escape(option)}(?=\s*(?:[;,]|$))", re.IGNORECASE)
            if pattern.search(rest):
                found.append(option)
                rest = pattern.sub(";", rest)
        leftover = [p.strip() for p in re.split(r"[;,]", rest) if p.strip()]
        return sorted(found, key=options.index) + leftover
    return split_multi(text)


def _choices_long(kept: pd.DataFrame, book: pd.DataFrame, source: Path) -> pd.DataFrame:
    rows = []
    items = book.loc[book["type"] == "multi_choice"]
    for _, item in items.iterrows():
        column = kept[item["column"]]
        if item["option"]:  # one 0/1 column per option (Nettskjema)
            marks = TRUE_MARKS | {norm(item["option"])}
            parsed = distinct(column, lambda v, marks=marks: v is not None and norm(v) in marks)
            chosen = parsed.take(parsed.parsed).astype(bool)
            rows += [(rid, item["item_id"], item["option"]) for rid in kept.loc[chosen, "respondent_id"]]
            continue
        options = [o.strip() for o in item["scale"].split("|") if o.strip()]
        parsed = distinct(
            column, lambda v, options=options: split_choices(str(v), options) if v is not None else []
        )
        per_cell = parsed.take(parsed.parsed)
        rows += [
            (rid, item["item_id"], o)
            for rid, chosen in zip(kept["respondent_id"].tolist(), per_cell, strict=True)
            for o in chosen
        ]
    out = pd.DataFrame(rows, columns=CHOICE_COLUMNS)
    return out.sort_values(CHOICE_COLUMNS, kind="stable", ignore_index=True)


def _free_text_long(kept: pd.DataFrame, book: pd.DataFrame) -> pd.DataFrame:
    frames = []
    for _, item in book.loc[book["type"] == "free_text"].iterrows():
        column = kept[item["column"]]
        keep = ~blank_mask(column)
        frames.append(
            pd.DataFrame(
                {
                    "respondent_id": kept.loc[keep, "respondent_id"].to_numpy(),
                    "question": item["item_id"],
                    "question_label": item["label"] or item["item_id"],
                    "text": [" ".join(str(v).split()) for v in column[keep].tolist()],
                }
            )
        )
    out = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=FREE_TEXT_COLUMNS)
    return out.sort_values(["respondent_id", "question"], kind="stable", ignore_index=True)[FREE_TEXT_COLUMNS]


def category_label(value: Any, labels: dict[int, str]) -> str | None | type[KeyError]:
    """A category cell as text; with coded labels (Nettskjema's numeric codes) the code becomes its label.
    KeyError (the class) marks a value that is neither a known code nor a known label."""
    if is_blank(value):
        return None
    text = clean_cell(value)
    if not labels:
        return text
    code = re.sub(r"[,.]0+$", "", text)
    if code.isdigit() and int(code) in labels:
        return labels[int(code)]
    by_norm = {norm(lab): lab for lab in labels.values()}
    return by_norm.get(norm(text), KeyError)


def _respondents(kept: pd.DataFrame, book: pd.DataFrame, likert: pd.DataFrame, source: Path) -> pd.DataFrame:
    out = pd.DataFrame(
        {"respondent_id": kept["respondent_id"].to_numpy(), "source_row": kept["_row"].to_numpy()}
    )
    for _, item in book.loc[book["type"] == "timestamp"].iterrows():
        out[item["item_id"]] = pd.to_datetime(kept[item["item_id"]].to_numpy())
    for _, item in book.loc[book["type"] == "category"].iterrows():
        labels = scale_labels(item["scale"]) if item["scale"] else {}
        parsed = distinct(kept[item["column"]], lambda v, labels=labels: category_label(v, labels))
        reject_first(
            source,
            kept,
            item["column"],
            parsed.take([p is KeyError for p in parsed.parsed]),
            "unknown code or answer",
            "Known: " + "; ".join(f"{c}={lab}" for c, lab in labels.items()) + ". Fix the codebook's scale.",
        )
        out[item["item_id"]] = parsed.take(parsed.parsed)
    answered = likert.assign(answered=likert["missing_reason"].ne("blank")).groupby("respondent_id")[
        "answered"
    ]
    share = answered.mean() if len(likert) else pd.Series(dtype=float)
    out["likert_answered_share"] = out["respondent_id"].map(share).fillna(0.0).astype(float).to_numpy()
    # complete = the survey tool recorded a completion time; without that column, most Likert items answered
    has_time = "completed_at" in out
    completed = out["completed_at"].notna() if has_time else out["likert_answered_share"] >= 0.9
    out["status"] = np.where(completed, "complete", "partial")
    return out.sort_values("respondent_id", kind="stable", ignore_index=True)
