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
from collections.abc import Collection
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


def read_export(
    path: Path, sheet: str | int = 0, id_column: str | None = None, expected: Collection[str] = ()
) -> pd.DataFrame:
    """The export's answer table. With `id_column` the header is the first row holding that column name;
    without, the first row that looks like a header (most cells filled, mostly text). `expected`: the
    codebook's column names; when they are found only by joining the header row with the row below it
    (a question over merged cells, its items below: 'Question - Item'), the two rows are read as one."""
    path = Path(path)
    if not path.is_file():
        raise InputError(path, "file not found.", hint="Check the path in the programme file.")
    if path.stat().st_size == 0:
        raise InputError(path, "the file is empty.", hint="Export the survey again from the survey tool.")
    suffix = path.suffix.lower()
    records: list[list[str]] | None = None  # the fields of every record of a delimited file
    cut_off = False
    sep = ""
    if suffix in WORKBOOKS:
        grid = _read_workbook(path, sheet)
    elif suffix in DELIMITED:
        grid, records, cut_off, sep = read_delimited(path)
    else:
        raise InputError(path, f"unsupported file type '{suffix}'.", hint="Use .xlsx, .csv, .tsv or .txt.")
    full = grid
    grid = full.dropna(how="all", axis=1)
    header_at = find_header(grid, id_column)
    other_delimiter: dict[str, list[int]] = {}
    if records is not None and header_at is not None:
        full, records, other_delimiter = resplit_rows(full, records, header_at, sep)
        grid = full.dropna(how="all", axis=1)
    if header_at is None:
        wanted = f"with the respondent id column '{id_column}' " if id_column else ""
        raise InputError(
            path,
            f"does not look like a survey export: no header row {wanted}was found in the "
            f"first {HEADER_SCAN_ROWS} rows.",
            hint="Check that this is the right file and codebook.",
        )
    header = [clean_cell(v) for v in grid.iloc[header_at]]
    joined = two_row_header(path, grid, header_at, header, expected)
    header_rows = 1 if joined is None else 2
    if joined is not None:
        header = joined
        log.info(
            "%s: the header spans rows %d and %d, read as 'Question - Item'",
            path.name,
            header_at + 1,
            header_at + 2,
        )
    body = grid.iloc[header_at + header_rows :].copy()
    if body.dropna(how="all").empty:
        raise InputError(
            path,
            "has a header row but no answers below it.",
            row=header_at + 1,
            hint="Export again with the responses included.",
        )
    defects = row_defects(records, cut_off, header_at + header_rows - 1, len(body))
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
    first_row = header_at + 1 + header_rows
    body.insert(0, "_row", np.arange(first_row, first_row + len(body)))
    if any(defects):
        body.insert(1, "_defect", defects)
    body = body.reset_index(drop=True)
    body.attrs["other_delimiter"] = {
        d: [r + 1 for r in rows] for d, rows in other_delimiter.items()
    }  # spreadsheet row numbers of the rows read with another delimiter than the file's
    for delimiter, rows in body.attrs["other_delimiter"].items():
        log.warning(
            "%s: %d row(s) (%s) separate their cells with %s where the file uses %s; they were read with "
            "%s. Check those rows, or export the file again from the survey tool.",
            path.name,
            len(rows),
            row_list(rows),
            DELIMITER_NAMES[delimiter],
            DELIMITER_NAMES[sep],
            DELIMITER_NAMES[delimiter],
        )
    return body


def joined_header(top: list[str], below: list[str]) -> list[str]:
    """Two header rows as one: a question written once over merged cells is carried to the right until
    the next one, and joined with the item below it ('Question - Item'); a column with nothing below keeps
    its own text."""
    out, question = [], ""
    for upper, lower in zip(top, below, strict=True):
        if upper:
            question = upper
        if lower and question:
            out.append(f"{question} - {lower}")
        else:
            out.append(upper or lower)
    return out


def two_row_header(
    path: Path, grid: pd.DataFrame, header_at: int, header: list[str], expected: Collection[str]
) -> list[str] | None:
    """The header joined from the header row and the row below it, when only that finds every `expected`
    column; None when the one header row is right. Joined rows that find more columns but not all are an
    InputError naming the layout."""
    wanted = [c for c in dict.fromkeys(expected) if c]
    missing = [c for c in wanted if c not in header]
    if not missing or header_at + 1 >= len(grid):
        return None
    below = [clean_cell(v) for v in grid.iloc[header_at + 1]]
    joined = joined_header(header, below)
    if sum(c in joined for c in wanted) <= len(wanted) - len(missing):
        return None
    still = [c for c in wanted if c not in joined]
    if still:
        raise InputError(
            path,
            f"the header spans two rows ({header_at + 1} and {header_at + 2}: questions over merged cells, "
            f"items below), and '{still[0]}' is not among the joined headers.",
            row=header_at + 1,
            hint="Export with one header row ('Question - Item' per column), or correct the codebook's "
            "'column' to the joined header.",
        )
    return joined


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


DELIMITER_NAMES = {";": "';'", ",": "','", "\t": "tabs"}
FIELD_LIMIT = csv.field_size_limit()
LONG_CELL = 20_000  # characters: an answer longer than about eight pages is more likely a paste error


def allow_long_fields(text: str) -> None:
    """The csv module refuses a field longer than 128 KiB by default; an export may hold one (a pasted
    document in a free-text answer). Every field of `text` is allowed."""
    csv.field_size_limit(max(FIELD_LIMIT, len(text) + 1))


def read_records(path: Path, text: str, sep: str) -> list[list[str]]:
    """Every record's fields (a blank line is a record of none), as the CSV reader sees them."""
    reader = csv.reader(io.StringIO(text), delimiter=sep)
    try:
        return list(reader)
    except csv.Error as exc:
        raise InputError(
            path,
            f"cannot be read as '{sep}'-separated text ({exc}).",
            row=reader.line_num,
            hint="Open the file in a text editor at that row, or export again from the survey tool.",
        ) from exc


def read_delimited(path: Path) -> tuple[pd.DataFrame, list[list[str]] | None, bool, str]:
    """(the export as a grid of cells, one row per record; each record's fields, or None when the two
    readers disagree on the records; whether the text ends without a line end; the delimiter)."""
    text = decode(path, path.read_bytes())
    if not text.strip():
        raise InputError(path, "the file is empty.", hint="Export the survey again from the survey tool.")
    allow_long_fields(text)
    sep = sniff_delimiter(text, path.suffix.lower())
    records = read_records(path, text, sep)
    try:
        grid = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            header=None,
            names=range(max((len(r) for r in records), default=1)),
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
            len(records),
        )
    warn_long_cells(path, records)
    return grid, records if len(records) == len(grid) else None, cut_off, sep


def warn_long_cells(path: Path, records: list[list[str]]) -> None:
    """A warning per cell longer than LONG_CELL characters (kept as it is)."""
    for row, fields in enumerate(records, start=1):
        for column, value in enumerate(fields, start=1):
            if len(value) > LONG_CELL:
                log.warning(
                    "%s, row %d, field %d: a cell of %s characters is kept as it is; check that it is not "
                    "a paste error.",
                    path.name,
                    row,
                    column,
                    f"{len(value):,}".replace(",", " "),
                )


def resplit_rows(
    grid: pd.DataFrame, records: list[list[str]], header_at: int, sep: str
) -> tuple[pd.DataFrame, list[list[str]], dict[str, list[int]]]:
    """Rows below the header written with another delimiter than the file's (`101,Kommunalsjef,…` in a
    `;` file) read again with that delimiter, when it gives them exactly the header's number of fields.
    Returns the grid and records with those rows replaced, and {delimiter: 0-based record numbers}."""
    width = len(records[header_at])
    grid = grid.copy()
    records = list(records)
    found: dict[str, list[int]] = {}
    for i in range(header_at + 1, len(records)):
        fields = records[i]
        if len(fields) == width or not any(f.strip() for f in fields):
            continue
        line = sep.join(fields)
        for other in (d for d in (";", ",", "\t") if d != sep and d in line):
            try:
                parsed = list(csv.reader(io.StringIO(line), delimiter=other))
            except csv.Error:
                continue
            if len(parsed) == 1 and len(parsed[0]) == width:
                records[i] = parsed[0]
                values = [v if v != "" else np.nan for v in parsed[0]]
                grid.iloc[i] = values + [np.nan] * (grid.shape[1] - width)
                found.setdefault(other, []).append(i)
                break
    return grid, records, found


def row_list(rows: list[int], shown: int = 8) -> str:
    """'rows 3, 5, 9' or 'rows 3, 5, … (12 in all)'."""
    head = ", ".join(str(r) for r in rows[:shown])
    return (
        ("row " if len(rows) == 1 else "rows ")
        + head
        + (f", … ({len(rows)} in all)" if len(rows) > shown else "")
    )


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


def row_defects(records: list[list[str]] | None, cut_off: bool, header_at: int, n_body: int) -> list[str]:
    """Per body row: why the row cannot be trusted as read ('' when it can): more filled fields than the
    header (a delimiter inside an unquoted answer; empty fields after the last column are harmless), fewer
    fields than the header with no delimiter that fits, or the file ending in the middle of its last row."""
    if records is None:
        return [""] * n_body
    width = len(records[header_at])
    out = []
    for i, fields in enumerate(records[header_at + 1 : header_at + 1 + n_body]):
        n = len(fields)
        last = i == n_body - 1
        if n > width and any(f.strip() for f in fields[width:]):
            out.append(
                f"{n} fields where the header row has {width}: an unquoted delimiter in an answer? Put the "
                "answer in quotes or remove the extra delimiter, or export again"
            )
        elif last and cut_off and 0 < n < width:
            out.append(f"the file ends in the middle of this row ({n} of {width} fields): it was cut off")
        elif 1 < n < width and any(f.strip() for f in fields):
            out.append(
                f"{n} fields where the header row has {width}: cells are missing or the row uses another "
                "delimiter. Correct the row, or export again"
            )
        elif n == 1 and width > 1 and fields[0].strip() and any(d in fields[0] for d in ";,\t"):
            out.append(
                f"the whole row is read as one cell (the header row has {width}): it uses another "
                "delimiter that does not fit. Correct the row, or export again"
            )
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
