"""Reading survey-tool exports: XLSX (sheet selectable, header row found wherever it is) and delimited text
(`;`, `,` or tab, sniffed; UTF-8 with or without BOM, cp1252/latin-1, UTF-16; CRLF; quoted newlines).

The result is the answer table as strings/objects, with `_row` holding each record's row number as a
spreadsheet program shows it, so every message can name the row. The cell readers shared by the codebook
and the tidy transform (`clean_cell`, `is_blank`, `parse_timestamp`) live here too, and `decode` serves the
interview transcripts as well."""

from __future__ import annotations

import csv
import io
import logging
import re
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.errors import InputError

log = logging.getLogger(__name__)

DELIMITED = (".csv", ".tsv", ".txt")
WORKBOOKS = (".xlsx", ".xlsm")
HEADER_SCAN_ROWS = 30
DATE_FORMATS = (
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%d.%m.%y %H:%M",
)
DECODE_HINT = "Save the export as 'CSV UTF-8' in Excel, or export it again from the survey tool."


def read_export(path: Path, sheet: str | int = 0, id_column: str | None = None) -> pd.DataFrame:
    """The export's answer table. With `id_column` the header is the first row holding that column name;
    without, the first row that looks like a header (most cells filled, mostly text)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found.", hint="Check the path in the programme file.")
    if path.stat().st_size == 0:
        raise InputError(path, "the file is empty.", hint="Export the survey again from the survey tool.")
    suffix = path.suffix.lower()
    counts: list[int] | None = None  # fields per record of a delimited file
    cut_off = False
    if suffix in WORKBOOKS:
        grid = _read_workbook(path, sheet)
    elif suffix in DELIMITED:
        grid, counts, cut_off = read_delimited(path)
    else:
        raise InputError(path, f"unsupported file type '{suffix}'.", hint="Use .xlsx, .csv, .tsv or .txt.")
    grid = grid.dropna(how="all", axis=1)
    header_at = find_header(grid, id_column)
    if header_at is None:
        wanted = f"with the respondent id column '{id_column}' " if id_column else ""
        raise InputError(
            path,
            f"does not look like a survey export: no header row {wanted}was found in the "
            f"first {HEADER_SCAN_ROWS} rows.",
            hint="Check that this is the right file and codebook.",
        )
    header = [clean_cell(v) for v in grid.iloc[header_at]]
    body = grid.iloc[header_at + 1 :].copy()
    if body.dropna(how="all").empty:
        raise InputError(
            path,
            "has a header row but no answers below it.",
            row=header_at + 1,
            hint="Export again with the responses included.",
        )
    defects = row_defects(counts, cut_off, header_at, len(body))
    body.columns = header
    body = body.loc[:, [h != "" for h in header]]
    duplicated = body.columns[body.columns.duplicated()].tolist()
    if duplicated:
        raise InputError(
            path,
            f"the header row has the column name '{duplicated[0]}' twice.",
            row=header_at + 1,
            hint="Rename one of them in the export or re-export.",
        )
    body.insert(0, "_row", np.arange(header_at + 2, header_at + 2 + len(body)))
    if any(defects):
        body.insert(1, "_defect", defects)
    return body.reset_index(drop=True)


def _read_workbook(path: Path, sheet: str | int) -> pd.DataFrame:
    try:
        return pd.read_excel(path, sheet_name=sheet, header=None, dtype=object, engine="openpyxl")
    except ValueError as exc:
        if "Worksheet" in str(exc) or "not found" in str(exc):
            names = pd.ExcelFile(path, engine="openpyxl").sheet_names
            raise InputError(path, f"has no sheet {sheet!r}.", hint=f"Sheets: {', '.join(names)}.") from exc
        raise InputError(path, f"is not a readable Excel workbook ({exc}).") from exc
    except IndexError as exc:
        names = pd.ExcelFile(path, engine="openpyxl").sheet_names
        raise InputError(path, f"has no sheet number {sheet}.", hint=f"Sheets: {', '.join(names)}.") from exc
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        raise InputError(
            path,
            f"is not a readable Excel workbook ({type(exc).__name__}).",
            hint="Open it in Excel and save it as .xlsx, or export as CSV.",
        ) from exc


def decode(path: Path, data: bytes, hint: str = DECODE_HINT) -> str:
    """Text of a delimited export or a transcript: UTF-16 (by BOM, or by its zero bytes without one), UTF-8
    (with or without BOM), else cp1252. `hint` says what to do when none fits."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    elif data[:200].count(b"\x00") > 20:  # UTF-16 without BOM
        candidates = ["utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"]
    else:
        candidates = ["utf-8-sig", "cp1252"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(
        path,
        "unreadable encoding (neither UTF-8, UTF-16 nor Windows-1252).",
        hint=hint,
    )


def sniff_delimiter(text: str, suffix: str) -> str:
    """The delimiter under which the first records have the most consistent number of fields (two or
    more): the most common width wins, then the wider. A one-respondent export, or answers full of commas,
    do not fool it the way `csv.Sniffer` can be fooled."""
    sample = "\n".join(text.splitlines()[:50])
    scores = {}
    for delimiter in (";", "\t", ","):
        widths = [
            len(r) for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if any(map(str.strip, r))
        ]
        common = Counter(widths).most_common(1)[0][0] if widths else 0
        if common >= 2:
            scores[delimiter] = (sum(w == common for w in widths) / len(widths), common)
    if scores:
        return max(scores, key=lambda d: scores[d])
    return "\t" if suffix == ".tsv" else ";"


def field_counts(text: str, sep: str) -> list[int]:
    """Number of fields of every record (a blank line is a record of none), as the CSV reader sees them."""
    return [len(r) for r in csv.reader(io.StringIO(text), delimiter=sep)]


def read_delimited(path: Path) -> tuple[pd.DataFrame, list[int] | None, bool]:
    """(the export as a grid of cells, one row per record; each record's number of fields, or None when
    the two readers disagree on the records; whether the text ends without a line end)."""
    text = decode(path, path.read_bytes())
    if not text.strip():
        raise InputError(path, "the file is empty.", hint="Export the survey again from the survey tool.")
    sep = sniff_delimiter(text, path.suffix.lower())
    counts = field_counts(text, sep)
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            names=range(max(counts, default=1)),
            dtype=object,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
        )
    except pd.errors.ParserError as exc:
        raise InputError(
            path, parser_problem(str(exc), sep), hint="Check the quoting, or export again."
        ) from exc
    cut_off = not text.endswith(("\n", "\r"))
    if cut_off and text.count("\n") > 1:
        log.warning(
            "%s does not end with a line end. If the file was cut off, the last row's last answer may be "
            "incomplete: check row %d, or export again.",
            path.name,
            len(counts),
        )
    return grid, counts if len(counts) == len(grid) else None, cut_off


def parser_problem(message: str, sep: str) -> str:
    """pandas' parser message as one plain sentence with 1-based row numbers."""
    message = " ".join(message.split())
    unclosed = re.search(r"EOF inside string starting at row (\d+)", message)
    if unclosed:
        return f"a quoted cell that starts in row {int(unclosed.group(1)) + 1} is never closed."
    fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", message)
    if fields:
        return (
            f"row {fields.group(2)} has {fields.group(3)} fields where the rows above have {fields.group(1)}."
        )
    return f"cannot be read as '{sep}'-separated text ({message})."


def row_defects(counts: list[int] | None, cut_off: bool, header_at: int, n_body: int) -> list[str]:
    """Per body row: why the row cannot be trusted as read ('' when it can): more fields than the header (a
    delimiter inside an unquoted answer), or the file ending in the middle of its last row."""
    if counts is None:
        return [""] * n_body
    width = counts[header_at]
    out = []
    for i, n in enumerate(counts[header_at + 1 : header_at + 1 + n_body]):
        last = i == n_body - 1
        if n > width:
            out.append(f"{n} fields where the header row has {width}: an unquoted delimiter in an answer?")
        elif last and cut_off and 0 < n < width:
            out.append(f"the file ends in the middle of this row ({n} of {width} fields): it was cut off")
        else:
            out.append("")
    return out


def clean_cell(value: Any) -> str:
    """A cell as trimmed text with inner whitespace collapsed; blanks become ''."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return " ".join(str(value).split())


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == ""


def parse_timestamp(value: Any) -> pd.Timestamp:
    """'dd.mm.yyyy hh:mm', ISO 8601 (an offset is converted to Norwegian local time), Excel datetimes."""
    if is_blank(value):
        return pd.NaT
    if isinstance(value, pd.Timestamp) or hasattr(value, "year"):
        ts = pd.Timestamp(value)
    else:
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


def find_header(grid: pd.DataFrame, id_column: str | None) -> int | None:
    rows = min(len(grid), HEADER_SCAN_ROWS)
    if id_column is not None:
        for i in range(rows):
            if id_column in (clean_cell(v) for v in grid.iloc[i]):
                return i
        return None
    for i in range(rows):
        cells = [clean_cell(v) for v in grid.iloc[i]]
        filled = [c for c in cells if c]
        texty = [c for c in filled if not c.replace(",", "").replace(".", "").isdigit()]
        if len(filled) >= max(2, 0.6 * len(cells)) and len(texty) >= 0.8 * len(filled):
            return i
    return None


def read_simple_table(path: Path, hint: str, sheet: str | None = None) -> pd.DataFrame:
    """A small table with its header in the first row, as stripped strings: CSV (delimiter and encoding
    sniffed) or a workbook's sheet `sheet` (when it has one; else its first). For the inputs beside the
    survey (a previous plan, an evaluation export); `hint` says what the file should look like."""
    suffix = path.suffix.lower()
    try:
        if suffix in WORKBOOKS:
            names = pd.ExcelFile(path, engine="openpyxl").sheet_names
            chosen = sheet if sheet in names else 0
            table = pd.read_excel(
                path, sheet_name=chosen, dtype=str, keep_default_na=False, engine="openpyxl"
            )
        elif suffix in DELIMITED:
            text = decode(path, path.read_bytes(), hint=hint)
            if not text.strip():
                raise InputError(path, "the file is empty.", hint=hint)
            sep = sniff_delimiter(text, suffix)
            table = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
        else:
            raise InputError(path, f"'{suffix}' files cannot be read.", hint=hint)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError, OSError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(
            path, f"cannot be read as a table ({' '.join(str(exc).split())}).", hint=hint
        ) from exc
    table.columns = [str(c).strip() for c in table.columns]
    return table.apply(lambda s: s.astype(str).str.strip())
