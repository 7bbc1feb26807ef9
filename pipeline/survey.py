"""Survey ingest: a survey-tool export plus its codebook in, tidy tables out.

`read_export` and `read_codebook` are the edges (files in, raw frames out); `tidy_survey` is the pure
transform that turns them into respondents, Likert answers (long) and free-text answers (long), and
accounts for every input row: kept, or quarantined with a reason.
"""

from __future__ import annotations

import csv
import difflib
import io
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.errors import InputError

log = logging.getLogger(__name__)

CODEBOOK_COLUMNS = ("column", "item_id", "type", "area", "dimension", "scale", "missing", "label")
ITEM_TYPES = ("respondent_id", "timestamp", "category", "likert", "multi_choice", "free_text", "ignore")
DIMENSIONS = ("importance", "competence")
# answers that mean "no answer", whatever the codebook says; their reason is kept
DEFAULT_MISSING = ("vet ikke", "ikke relevant", "ønsker ikke å svare", "ikke aktuelt")
DATE_FORMATS = ("%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y")


@dataclass(frozen=True)
class SurveyTables:
    respondents: pd.DataFrame
    likert: pd.DataFrame
    free_text: pd.DataFrame
    report: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------- edges
def read_codebook(path: Path) -> pd.DataFrame:
    """The codebook as a frame of strings, validated (one row per export column)."""
    try:
        book = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise InputError(
            path,
            f"cannot be read as a CSV codebook ({exc}).",
            hint="Save it as UTF-8 CSV with the columns " + ", ".join(CODEBOOK_COLUMNS) + ".",
        ) from exc
    missing = [c for c in CODEBOOK_COLUMNS if c not in book.columns]
    if missing:
        raise InputError(
            path,
            f"the codebook lacks the column(s) {missing}.",
            hint="Columns needed: " + ", ".join(CODEBOOK_COLUMNS) + ".",
        )
    book = book.apply(lambda s: s.str.strip())
    for i, row in book.iterrows():
        line = int(i) + 2  # header is line 1
        if row["type"] not in ITEM_TYPES:
            raise InputError(
                path,
                f"unknown type '{row['type']}'.",
                row=line,
                column="type",
                hint="Use one of: " + ", ".join(ITEM_TYPES) + ".",
            )
        if row["type"] != "ignore" and not row["item_id"]:
            raise InputError(path, "item_id is empty.", row=line, column="item_id")
        if row["type"] == "likert":
            if row["dimension"] not in DIMENSIONS:
                raise InputError(
                    path,
                    f"dimension must be importance or competence, not '{row['dimension']}'.",
                    row=line,
                    column="dimension",
                )
            if not row["area"]:
                raise InputError(path, "a Likert item needs an area id.", row=line, column="area")
            parse_scale(row["scale"], path, line)
    dup = book.loc[book["item_id"].ne("") & book["item_id"].duplicated(), "item_id"]
    if len(dup):
        raise InputError(
            path, f"item_id '{dup.iloc[0]}' is used twice.", row=int(dup.index[0]) + 2, column="item_id"
        )
    if (book["type"] == "respondent_id").sum() != 1:
        raise InputError(path, "exactly one column must have type respondent_id.", column="type")
    return book


def read_export(path: Path, sheet: str | int = 0, id_column: str | None = None) -> pd.DataFrame:
    """The export's answer table as strings/objects, with the header row found and `_row` holding each
    row's line number in the file (as a spreadsheet program would show it)."""
    if not path.is_file():
        raise InputError(path, "file not found.")
    if path.stat().st_size == 0:
        raise InputError(path, "the file is empty.", hint="Export the survey again.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            grid = pd.read_excel(path, sheet_name=sheet, header=None, dtype=object, engine="openpyxl")
        except ValueError as exc:
            raise InputError(path, f"cannot read sheet {sheet!r} ({exc}).") from exc
        except Exception as exc:  # openpyxl raises many kinds for a non-workbook
            raise InputError(path, f"is not a readable Excel workbook ({type(exc).__name__}).") from exc
    elif suffix in (".csv", ".tsv", ".txt"):
        grid = _read_delimited(path)
    else:
        raise InputError(path, f"unsupported file type '{suffix}'.", hint="Use .xlsx, .csv or .tsv.")
    grid = grid.dropna(how="all", axis=1)
    header_at = _find_header(grid, id_column)
    if header_at is None:
        raise InputError(
            path,
            "does not look like a survey export: no header row with the respondent id "
            f"column '{id_column}' was found.",
            hint="Check that this is the right file and codebook.",
        )
    header = [_clean_header(v) for v in grid.iloc[header_at]]
    body = grid.iloc[header_at + 1 :].copy()
    body.columns = header
    body = body.loc[:, [h != "" for h in header]]
    body.insert(0, "_row", np.arange(header_at + 2, header_at + 2 + len(body)))
    return body.reset_index(drop=True)


def _read_delimited(path: Path) -> pd.DataFrame:
    data = path.read_bytes()
    encodings = ["utf-16"] if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ["utf-8-sig", "cp1252"]
    for enc in encodings:
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError(path, "unreadable encoding.", hint="Save the export as UTF-8 CSV.")
    try:
        dialect = csv.Sniffer().sniff(text[:20000], delimiters=";,\t")
        sep = dialect.delimiter
    except csv.Error:
        sep = "\t" if path.suffix.lower() == ".tsv" else ";"
    return pd.read_csv(
        io.StringIO(text), sep=sep, header=None, dtype=object, keep_default_na=False, na_values=[""]
    )


def _clean_header(value: Any) -> str:
    return (
        ""
        if value is None or (isinstance(value, float) and np.isnan(value))
        else " ".join(str(value).split())
    )


def _find_header(grid: pd.DataFrame, id_column: str | None) -> int | None:
    for i in range(min(len(grid), 30)):
        cells = [_clean_header(v) for v in grid.iloc[i]]
        if id_column is not None and id_column in cells:
            return i
    return None


# ------------------------------------------------------------------------------------------ transforms
def parse_scale(spec: str, path: Path | str = "codebook", line: int | None = None) -> dict[str, int]:
    """'1=Ikke viktig|...|5=Svært viktig' -> {'ikke viktig': 1, ..., '1': 1, ...} (keys normalised)."""
    mapping: dict[str, int] = {}
    for part in (p for p in spec.split("|") if p.strip()):
        code, _, label = part.partition("=")
        if not code.strip().isdigit() or not label.strip():
            raise InputError(
                path, f"scale '{spec}' is not of the form '1=Label|2=Label|...'.", row=line, column="scale"
            )
        mapping[_norm(label)] = int(code)
        mapping[code.strip()] = int(code)
    if len(set(mapping.values())) < 2:
        raise InputError(path, f"scale '{spec}' needs at least two points.", row=line, column="scale")
    return mapping


def _norm(value: Any) -> str:
    return " ".join(str(value).split()).casefold()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == ""


def parse_likert(value: Any, scale: dict[str, int], missing: tuple[str, ...]) -> tuple[float, str | None]:
    """One Likert cell -> (value, missing reason). Raises KeyError for an unknown label."""
    if _is_blank(value):
        return np.nan, "blank"
    if isinstance(value, int | float) and float(value).is_integer() and str(int(value)) in scale:
        return float(value), None
    text = _norm(value)
    if text in missing:
        return np.nan, text
    if text in scale:
        return float(scale[text]), None
    m = re.match(r"^(\d+)\s*[-–:.]\s*(.+)$", text)
    if m and m.group(1) in scale:  # "5 - Svært viktig": the code decides
        return float(scale[m.group(1)]), None
    raise KeyError(text)


def parse_timestamp(value: Any) -> pd.Timestamp:
    if _is_blank(value):
        return pd.NaT
    if isinstance(value, pd.Timestamp | np.datetime64) or hasattr(value, "year"):
        return pd.Timestamp(value)
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return pd.to_datetime(text, format=fmt)
        except ValueError:
            continue
    try:
        ts = pd.Timestamp(text)
    except ValueError:
        return pd.NaT
    return ts.tz_convert("Europe/Oslo").tz_localize(None) if ts.tzinfo else ts


def tidy_survey(raw: pd.DataFrame, codebook: pd.DataFrame, source: Path | str) -> SurveyTables:
    """Raw export + codebook -> tidy tables and an ingest report. Every raw row is kept or quarantined."""
    source = Path(source)
    book = codebook.loc[codebook["type"] != "ignore"]
    headers = [c for c in raw.columns if c != "_row"]
    _check_columns(book, headers, source)
    unknown_columns = [h for h in headers if h not in set(codebook["column"])]
    for h in unknown_columns:
        log.warning("%s: column '%s' is not in the codebook; it is ignored.", source.name, h)

    id_col = book.loc[book["type"] == "respondent_id", "column"].iloc[0]
    quarantine: list[dict[str, Any]] = []
    keep = np.ones(len(raw), dtype=bool)
    answer_cols = [
        c for c in book["column"] if c != id_col and book.set_index("column").at[c, "type"] != "timestamp"
    ]
    for i in range(len(raw)):
        row = raw.iloc[i]
        if all(_is_blank(row[c]) for c in headers):
            keep[i] = False
            quarantine.append(_q(source, row["_row"], "", "", "empty row"))
        elif _is_blank(row[id_col]):
            keep[i] = False
            quarantine.append(_q(source, row["_row"], id_col, "", "no respondent id"))
        elif all(_is_blank(row[c]) for c in answer_cols):
            keep[i] = False
            quarantine.append(_q(source, row["_row"], "", "", "no answers at all"))

    kept = raw.loc[keep].copy()
    kept["respondent_id"] = kept[id_col].map(_id_text)
    ts_cols = book.loc[book["type"] == "timestamp"]
    for _, item in ts_cols.iterrows():
        kept[item["item_id"]] = [parse_timestamp(v) for v in kept[item["column"]]]
    order_col = "completed_at" if "completed_at" in kept else ("started_at" if "started_at" in kept else None)
    sort_cols = ["respondent_id"] + ([order_col] if order_col else []) + ["_row"]
    kept = kept.sort_values(sort_cols, kind="stable", na_position="first")
    is_dup = kept.duplicated("respondent_id", keep="last")
    for _, row in kept.loc[is_dup].iterrows():
        quarantine.append(
            _q(
                source,
                row["_row"],
                id_col,
                row["respondent_id"],
                "duplicate submission; a later submission of this respondent is kept",
            )
        )
    kept = kept.loc[~is_dup].sort_values("_row", kind="stable")

    likert = _likert_long(kept, book, source)
    free_text = _free_text_long(kept, book)
    respondents = _respondents(kept, book, likert)

    quarantine.sort(key=lambda q: q["row"])
    report = {
        "file": source.name,
        "rows_read": int(len(raw)),
        "rows_kept": int(len(respondents)),
        "rows_quarantined": len(quarantine),
        "balanced": int(len(raw)) == int(len(respondents)) + len(quarantine),
        "partial_completions": int((respondents["status"] == "partial").sum()),
        "columns_not_in_codebook": unknown_columns,
        "quarantined": quarantine,
    }
    return SurveyTables(respondents, likert, free_text, report)


def _id_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _q(source: Path, row: int, column: str, value: Any, reason: str) -> dict[str, Any]:
    return {"file": source.name, "row": int(row), "column": column, "value": str(value), "reason": reason}


def _check_columns(book: pd.DataFrame, headers: list[str], source: Path) -> None:
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
        missing = tuple(_norm(m) for m in item["missing"].split("|") if m.strip()) + DEFAULT_MISSING
        values, reasons = [], []
        for row_no, cell in zip(kept["_row"], kept[item["column"]], strict=True):
            try:
                v, why = parse_likert(cell, scale, missing)
            except KeyError:
                labels = sorted({k for k in scale if not k.isdigit()} | set(missing))
                raise InputError(
                    source,
                    f"unknown Likert answer '{cell}'.",
                    row=int(row_no),
                    column=item["column"],
                    hint="Known labels: " + "; ".join(labels) + ". Add it to the codebook's scale or "
                    "missing list.",
                ) from None
            values.append(v)
            reasons.append(why)
        frames.append(
            pd.DataFrame(
                {
                    "respondent_id": kept["respondent_id"].to_numpy(),
                    "item_id": item["item_id"],
                    "area": item["area"],
                    "area_label": item["label"] or item["area"],
                    "dimension": item["dimension"],
                    "value": np.asarray(values, dtype=float),
                    "missing_reason": reasons,
                    "scale_max": max(scale.values()),
                }
            )
        )
    if not frames:
        return pd.DataFrame(
            columns=[
                "respondent_id",
                "item_id",
                "area",
                "area_label",
                "dimension",
                "value",
                "missing_reason",
                "scale_max",
            ]
        )
    return pd.concat(frames, ignore_index=True).sort_values(
        ["respondent_id", "item_id"], kind="stable", ignore_index=True
    )


def _free_text_long(kept: pd.DataFrame, book: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, item in book.loc[book["type"] == "free_text"].iterrows():
        for rid, cell in zip(kept["respondent_id"], kept[item["column"]], strict=True):
            if not _is_blank(cell):
                rows.append(
                    (rid, item["item_id"], item["label"] or item["item_id"], " ".join(str(cell).split()))
                )
    out = pd.DataFrame(rows, columns=["respondent_id", "question", "question_label", "text"])
    return out.sort_values(["respondent_id", "question"], kind="stable", ignore_index=True)


def _respondents(kept: pd.DataFrame, book: pd.DataFrame, likert: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(
        {"respondent_id": kept["respondent_id"].to_numpy(), "source_row": kept["_row"].to_numpy()}
    )
    for _, item in book.loc[book["type"] == "timestamp"].iterrows():
        out[item["item_id"]] = kept[item["item_id"]].to_numpy()
    for _, item in book.loc[book["type"].isin(["category", "multi_choice"])].iterrows():
        out[item["item_id"]] = [
            None if _is_blank(v) else " ".join(str(v).split()) for v in kept[item["column"]]
        ]
    answered = likert.assign(answered=likert["missing_reason"].ne("blank")).groupby("respondent_id")[
        "answered"
    ]
    share = answered.mean() if len(likert) else pd.Series(dtype=float)
    out["likert_answered_share"] = out["respondent_id"].map(share).fillna(0.0).to_numpy()
    # complete = the survey tool recorded a completion time; without that column, most Likert items answered
    has_time = "completed_at" in out
    completed = out["completed_at"].notna() if has_time else out["likert_answered_share"] >= 0.9
    out["status"] = np.where(completed, "complete", "partial")
    return out.sort_values("respondent_id", kind="stable", ignore_index=True)
