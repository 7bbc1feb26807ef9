"""The codebook: a small, human-editable CSV that maps every export column to an item.

Columns: `column` (the header exactly as exported), `item_id`, `type`, `area` and `dimension` (Likert
items), `scale` (Likert: `1=Ikke viktig|…|5=Svært viktig`; coded categories: `1=Kommunalsjef|2=…`;
multi-choice: the options `A|B|C`), `missing` (answers that mean no answer, e.g. `Vet ikke|Ikke relevant`),
`label` (Norwegian text for reports) and, optional, `option` (for a 0/1 column of one multi-choice option,
as Nettskjema exports them).

`draft_codebook` proposes a codebook from an export's headers and values for a human to review.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pandas as pd

from pipeline.errors import InputError
from pipeline.store import unprotect_cell, write_csv
from pipeline.survey.reading import clean_cell, decode, parse_timestamp, parser_problem, sniff_delimiter

CODEBOOK_COLUMNS = ("column", "item_id", "type", "area", "dimension", "scale", "missing", "label")
OPTIONAL_COLUMNS = ("option",)
ITEM_TYPES = ("respondent_id", "timestamp", "category", "likert", "multi_choice", "free_text", "ignore")
DIMENSIONS = ("importance", "competence")
# answers that mean "no answer" whatever the codebook says; their reason is kept
DEFAULT_MISSING = (
    "vet ikke",
    "ikke relevant",
    "ønsker ikke å svare",
    "ikke aktuelt",
    "vet ikkje",
    "ikkje relevant",
)

# scales a draft recognises by their labels (ordered from 1 up)
KNOWN_SCALES = (
    ("Ikke viktig", "Lite viktig", "Middels viktig", "Viktig", "Svært viktig"),
    ("Svært dårlig rustet", "Dårlig rustet", "Middels rustet", "Godt rustet", "Svært godt rustet"),
    ("Helt uenig", "Litt uenig", "Verken enig eller uenig", "Litt enig", "Helt enig"),
    ("Svært misfornøyd", "Misfornøyd", "Verken fornøyd eller misfornøyd", "Fornøyd", "Svært fornøyd"),
    ("I svært liten grad", "I liten grad", "I noen grad", "I stor grad", "I svært stor grad"),
)
ID_HEADER = re.compile(
    r"^(respondent[- _]?id|respondentid|svar[- _]?id|response[- _]?id|id|løpenummer|"
    r"respondent|responseid|submission id)$",
    re.IGNORECASE,
)
PERSONAL_HEADER = re.compile(
    r"(e-?post|e-?mail|\bnavn\b|\bname\b|telefon|mobil|fødselsnummer|ip-?adresse)", re.IGNORECASE
)
START_HEADER = re.compile(r"(start|begynt)", re.IGNORECASE)
END_HEADER = re.compile(
    r"(fullført|fullføring|completed|submitted|tidsmerke|timestamp|innsendt|sendt|slutt)", re.IGNORECASE
)
NUMBERED_LABEL = re.compile(r"^(\d+)\s*[-–:.]\s*(.+)$")
IMPORTANCE_WORDS = re.compile(r"viktig", re.IGNORECASE)
COMPETENCE_WORDS = re.compile(r"(rustet|kompetanse|mestre|mestrer|trygg|god er du|godt)", re.IGNORECASE)


def norm(value: object) -> str:
    """Case- and whitespace-insensitive form of a label, for matching."""
    return " ".join(str(value).split()).casefold()


# the known scales' labels as `norm` gives them, for matching answers
KNOWN_NORMED = tuple(tuple(norm(label) for label in scale) for scale in KNOWN_SCALES)


# ------------------------------------------------------------------------------------------- reading
def read_codebook(path: Path) -> pd.DataFrame:
    """The codebook as a frame of strings, validated: messages name the codebook's row and column."""
    if not Path(path).is_file():
        raise InputError(
            path,
            "codebook not found.",
            hint="Check [inputs].codebook in the programme file, or "
            "write one with `python -m pipeline codebook draft EXPORT`.",
        )
    expected = "Save it as CSV (UTF-8; ',' or ';' between cells) with the columns " + ", ".join(
        CODEBOOK_COLUMNS
    )
    text = decode(Path(path), Path(path).read_bytes(), hint=expected + ".")
    sep = sniff_delimiter(text, Path(path).suffix.lower())
    try:
        book = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(path, parser_problem(str(exc), sep), hint=expected + ".") from exc
    missing = [c for c in CODEBOOK_COLUMNS if c not in book.columns]
    if missing:
        raise InputError(
            path,
            f"the codebook lacks the column(s) {missing}.",
            hint="Columns needed: " + ", ".join(CODEBOOK_COLUMNS) + ".",
        )
    for col in OPTIONAL_COLUMNS:
        if col not in book.columns:
            book[col] = ""
    book = book.apply(lambda s: s.map(unprotect_cell).str.strip())
    book["column"] = book["column"].map(clean_cell)
    for i, row in book.iterrows():
        line = int(i) + 2  # the header is line 1
        if row["type"] not in ITEM_TYPES:
            raise InputError(
                path,
                f"unknown type '{row['type']}'.",
                row=line,
                column="type",
                hint="Use one of: " + ", ".join(ITEM_TYPES) + ".",
            )
        if row["type"] != "ignore" and not row["item_id"]:
            raise InputError(
                path,
                "item_id is empty.",
                row=line,
                column="item_id",
                hint="Give the item a short id, or set type to ignore.",
            )
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
        elif row["type"] == "category" and row["scale"]:
            parse_scale(row["scale"], path, line)
    single = book.loc[(book["item_id"] != "") & (book["option"] == "")]
    for rows, column, problem, hint in (
        (
            single,
            "item_id",
            "item_id '{}' is used twice.",
            "Every column needs its own item id (except 0/1 option columns).",
        ),
        (book, "column", "the export column '{}' is listed twice.", None),
    ):
        dup = rows.loc[rows[column].duplicated(), column]
        if len(dup):
            row = int(dup.index[0]) + 2
            raise InputError(path, problem.format(dup.iloc[0]), row=row, column=column, hint=hint)
    if (book["type"] == "respondent_id").sum() != 1:
        raise InputError(path, "exactly one column must have type respondent_id.", column="type")
    return book


def parse_scale(spec: str, path: Path | str = "codebook", line: int | None = None) -> dict[str, int]:
    """'1=Ikke viktig|...|5=Svært viktig' -> {'ikke viktig': 1, ..., '1': 1, ...} (label keys normalised)."""
    mapping: dict[str, int] = {}
    for part in (p for p in spec.split("|") if p.strip()):
        code, _, label = part.partition("=")
        if not code.strip().isdigit() or not label.strip():
            raise InputError(
                path, f"scale '{spec}' is not of the form '1=Label|2=Label|...'.", row=line, column="scale"
            )
        mapping[norm(label)] = int(code)
        mapping[code.strip()] = int(code)
    if len(set(mapping.values())) < 2:
        raise InputError(path, f"scale '{spec}' needs at least two points.", row=line, column="scale")
    return mapping


def scale_labels(spec: str) -> dict[int, str]:
    """'1=A|2=B' -> {1: 'A', 2: 'B'} (labels as written)."""
    out = {}
    for part in (p for p in spec.split("|") if p.strip()):
        code, _, label = part.partition("=")
        out[int(code)] = label.strip()
    return out


def write_codebook(book: pd.DataFrame, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = list(CODEBOOK_COLUMNS) + [c for c in OPTIONAL_COLUMNS if c in book and (book[c] != "").any()]
    return write_csv(book[columns], path)  # formula-safe cells; a header with a line break is quoted


# --------------------------------------------------------------------------------------------- draft
def slug(text: str, max_len: int = 40) -> str:
    """'Strategisk ledelse og planlegging' -> 'strategisk_ledelse_og_planlegging' (ASCII, for ids)."""
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")[:max_len].rstrip("_") or "item"


def _split_battery(header: str) -> tuple[str, str] | None:
    for sep in (" - ", " – ", ": "):
        if sep in header:
            stem, _, item = header.rpartition(sep)
            if stem and item:
                return stem, item
    return None


def _likert_codes(values: list[str]) -> dict[int, str] | None:
    """Numbered labels ('5 - Svært viktig') or labels of a known scale -> code -> label; else None."""
    codes: dict[int, str] = {}
    for v in values:
        m = NUMBERED_LABEL.match(v)
        if m:
            codes[int(m.group(1))] = m.group(2).strip()
            continue
        key = norm(v)
        known = next((i for i, labels in enumerate(KNOWN_NORMED) if key in labels), None)
        if known is None:
            return None
        point = KNOWN_NORMED[known].index(key)
        codes[point + 1] = KNOWN_SCALES[known][point]
    return codes if codes and max(codes) <= 11 else None


def _complete_scale(codes: dict[int, str]) -> str:
    """The scale spec from observed codes, filled in from a known scale when some points were never chosen."""
    top = max(codes)
    for known in KNOWN_SCALES:
        if len(known) >= top and all(norm(known[c - 1]) == norm(lab) for c, lab in codes.items()):
            return "|".join(f"{i + 1}={lab}" for i, lab in enumerate(known))
    return "|".join(f"{c}={codes[c]}" for c in sorted(codes))


def split_multi(value: str) -> list[str]:
    """The options of one multi-choice cell without known options: split on ';', else on ', '."""
    sep = ";" if ";" in value else ", "
    return [p.strip() for p in value.split(sep) if p.strip()]


def draft_codebook(raw: pd.DataFrame) -> pd.DataFrame:
    """A codebook proposed from an export's headers and values (`read_export` output), for review.

    Detects the respondent id, timestamps, columns with personal data (ignored), Likert batteries
    ('Question - Item' with numbered or known labels; dimension from the question's wording), multi-choice
    (one cell with ';' or ', ' separators, or Nettskjema 0/1 'question.option' columns), free text (mostly
    distinct, several words) and categories. Ids and labels are suggestions for a human to rename."""
    headers = [c for c in raw.columns if c not in ("_row", "_defect")]
    values = {h: [c for c in map(clean_cell, raw[h]) if c] for h in headers}
    rows: list[dict[str, str]] = []

    def mostly_unique(h: str) -> bool:  # a duplicate submission repeats an id; a category repeats many
        return bool(values[h]) and len(set(values[h])) >= 0.95 * len(values[h])

    id_col = next((h for h in headers if ID_HEADER.match(h) and mostly_unique(h)), None)
    if id_col is None:
        id_col = next((h for h in headers if mostly_unique(h) and all(v.isdigit() for v in values[h])), None)
    battery_missing: dict[str, set[str]] = {}
    battery_codes: dict[str, dict[int, str]] = {}
    for h in headers:
        vals = values[h]
        answers = [v for v in vals if norm(v) not in DEFAULT_MISSING]
        parts = _split_battery(h)
        codes = _likert_codes(sorted(set(answers))) if parts and answers else None
        if parts and codes is not None:
            stem = parts[0]
            battery_missing.setdefault(stem, set()).update(v for v in vals if norm(v) in DEFAULT_MISSING)
            battery_codes.setdefault(stem, {}).update(codes)
    used_ids: Counter[str] = Counter()

    def unique(item_id: str) -> str:
        used_ids[item_id] += 1
        return item_id if used_ids[item_id] == 1 else f"{item_id}_{used_ids[item_id]}"

    for h in headers:
        vals = values[h]
        row = dict.fromkeys(CODEBOOK_COLUMNS, "") | {"column": h, "option": ""}
        parts = _split_battery(h)
        distinct = set(vals)
        if h == id_col:
            row |= {"item_id": "respondent_id", "type": "respondent_id"}
        elif PERSONAL_HEADER.search(h):
            row |= {"type": "ignore", "label": "personopplysning: leses ikke"}
        elif vals and _all_timestamps(vals):
            kind = (
                "started_at"
                if START_HEADER.search(h)
                else "completed_at"
                if END_HEADER.search(h)
                else slug(h)
            )
            row |= {"item_id": unique(kind), "type": "timestamp", "label": h}
        elif parts and parts[0] in battery_codes:
            stem, item = parts
            dimension = (
                "importance"
                if IMPORTANCE_WORDS.search(stem)
                else "competence"
                if COMPETENCE_WORDS.search(stem)
                else ""
            )
            prefix = {"importance": "imp", "competence": "comp"}.get(dimension, slug(stem, 12))
            row |= {
                "item_id": unique(f"{prefix}_{slug(item, 30)}"),
                "type": "likert",
                "area": slug(item, 30),
                "dimension": dimension,
                "scale": _complete_scale(battery_codes[stem]),
                "missing": "|".join(sorted(battery_missing[stem], key=norm)),
                "label": item,
            }
        elif "." in h and distinct and distinct <= {"0", "1"}:
            stem, _, option = h.rpartition(".")
            row |= {"item_id": slug(stem), "type": "multi_choice", "option": option, "label": stem}
        elif vals and _looks_multi(vals):
            counts = Counter(o for v in vals for o in split_multi(v))
            options = sorted(counts, key=lambda o: (-counts[o], o))
            row |= {
                "item_id": unique(slug(h)),
                "type": "multi_choice",
                "scale": "|".join(options),
                "label": h,
            }
        elif vals and _looks_free_text(vals):
            row |= {"item_id": unique(slug(h)), "type": "free_text", "label": h}
        else:
            row |= {"item_id": unique(slug(h)), "type": "category", "label": h}
        rows.append(row)
    return pd.DataFrame(rows, columns=[*CODEBOOK_COLUMNS, *OPTIONAL_COLUMNS])


def _all_timestamps(values: list[str]) -> bool:
    sample = values[:200]
    return all(not v.replace(",", "").replace(".", "").isdigit() for v in sample) and sum(
        parse_timestamp(v) is not pd.NaT for v in sample
    ) >= 0.9 * len(sample)


def _looks_multi(values: list[str]) -> bool:
    split = [split_multi(v) for v in values]
    if sum(len(s) > 1 for s in split) < max(2, 0.1 * len(values)):
        return False
    options = Counter(o for s in split for o in s)
    return len(options) <= 30 and sum(c >= 2 for c in options.values()) >= 0.8 * len(options)


def _looks_free_text(values: list[str]) -> bool:
    words = sum(len(v.split()) for v in values) / len(values)
    return (len(set(values)) >= 0.5 * len(values) and words >= 3) or max(len(v) for v in values) > 80
