"""Reading survey-tool exports: XLSX (sheet selectable, header row found wherever it is) and delimited text
(`;`, `,` or tab, sniffed; UTF-8 with or without BOM, cp1252/latin-1, UTF-16; CRLF; quoted newlines).

The result is the answer table as strings/objects, with `_row` holding each record's row number as a
spreadsheet program shows it, so every message can name the row. The cell readers shared by the codebook
and the tidy transform (`clean_cell`, `is_blank`, `parse_timestamp`) live here too, and `decode` serves the
interview transcripts as well."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.errors import InputError

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
    if suffix in WORKBOOKS:
        grid = _read_workbook(path, sheet)
    elif suffix in DELIMITED:
        grid = read_delimited(path)
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
    sample = "\n".join(text.splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in (";", "\t", ",")}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ("\t" if suffix == ".tsv" else ";")


def read_delimited(path: Path) -> pd.DataFrame:
    text = decode(path, path.read_bytes())
    if not text.strip():
        raise InputError(path, "the file is empty.", hint="Export the survey again from the survey tool.")
    sep = sniff_delimiter(text, path.suffix.lower())
    try:
        return pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            dtype=object,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
        )
    except pd.errors.ParserError as exc:
        raise InputError(
            path, f"cannot be read as '{sep}'-separated text ({exc}).", hint="Check quoting, or export again."
        ) from exc


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
