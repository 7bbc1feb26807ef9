"""The sample export through every format variant real survey tools write: identical tidy tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.config import DEFAULT_CONFIG
from pipeline.survey import read_codebook, read_export, tidy_survey
from pipeline.survey.codebook import scale_labels

RAW = DEFAULT_CONFIG.parent / "survey"
EXPORT = RAW / "medlemsundersokelse_2021.xlsx"
CODEBOOK = RAW / "codebook.csv"
ID = "Respondent-ID"


@pytest.fixture(scope="module")
def book() -> pd.DataFrame:
    return read_codebook(CODEBOOK)


@pytest.fixture(scope="module")
def grid() -> pd.DataFrame:
    """The sample export as the text a CSV export holds (ids as digits, blanks empty)."""
    frame = pd.read_excel(EXPORT, dtype=object)
    return frame.map(lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v))


@pytest.fixture(scope="module")
def baseline(book: pd.DataFrame):
    return tidy_survey(read_export(EXPORT, id_column=ID), book, EXPORT)


def assert_same_tables(got, want, compare_rows: bool = True) -> None:
    drop = [] if compare_rows else ["source_row"]
    pd.testing.assert_frame_equal(
        got.respondents.drop(columns=drop), want.respondents.drop(columns=drop), check_dtype=False
    )
    for name in ("likert", "choices", "free_text"):
        pd.testing.assert_frame_equal(getattr(got, name), getattr(want, name), check_dtype=False)
    for key in ("rows_read", "rows_kept", "rows_quarantined", "partial_completions"):
        assert got.report[key] == want.report[key], key


def likert_columns(book: pd.DataFrame) -> list[str]:
    return book.loc[book["type"] == "likert", "column"].tolist()


def with_newlines(grid: pd.DataFrame, book: pd.DataFrame) -> pd.DataFrame:
    """A free-text answer with a line break inside (quoted in the CSV); whitespace is normalised on ingest."""
    out = grid.copy()
    col = book.loc[book["type"] == "free_text", "column"].iloc[0]
    i = out.index[out[col].str.count(" ") >= 3][0]
    out.at[i, col] = out.at[i, col].replace(" ", "\r\n", 1)
    return out


VARIANTS = {
    "semicolon-utf8-bom-crlf.csv": dict(sep=";", encoding="utf-8-sig", lineterminator="\r\n"),
    "comma-utf8.csv": dict(sep=",", encoding="utf-8", lineterminator="\n"),
    "semicolon-cp1252.csv": dict(sep=";", encoding="cp1252", lineterminator="\r\n"),
    "excel-unicode-text.txt": dict(sep="\t", encoding="utf-16", lineterminator="\r\n"),
    "tab-latin1.tsv": dict(sep="\t", encoding="cp1252", lineterminator="\n"),
}


@pytest.mark.parametrize("name", VARIANTS)
def test_delimited_variants(name: str, tmp_path: Path, grid, book, baseline) -> None:
    path = tmp_path / name
    with_newlines(grid, book).to_csv(path, index=False, **VARIANTS[name])
    assert_same_tables(tidy_survey(read_export(path, id_column=ID), book, path), baseline)


def test_xlsx_header_below_a_title_on_a_named_sheet(tmp_path: Path, grid, book, baseline) -> None:
    path = tmp_path / "export.xlsx"
    title = pd.DataFrame(
        [["Medlemsundersøkelse 2021 – eksport"] + [""] * (grid.shape[1] - 1), [""] * grid.shape[1]]
    )
    body = pd.DataFrame([list(grid.columns), *grid.to_numpy().tolist()])
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame([["Om eksporten"]]).to_excel(writer, sheet_name="Info", header=False, index=False)
        pd.concat([title, body], ignore_index=True).to_excel(
            writer, sheet_name="Data", header=False, index=False
        )
    got = tidy_survey(read_export(path, sheet="Data", id_column=ID), book, path)
    assert_same_tables(got, baseline, compare_rows=False)
    assert got.respondents["source_row"].min() == baseline.respondents["source_row"].min() + 2


def test_likert_as_codes_bare_labels_decimal_commas_and_odd_case(
    tmp_path: Path, grid, book, baseline
) -> None:
    out = grid.copy()
    columns = likert_columns(book)
    for k, col in enumerate(columns):

        def recode(v: str, k: int = k) -> str:
            if not v[:1].isdigit():
                return v.upper() if v else v  # "VET IKKE"
            code, label = v.split(" - ", 1)
            return [code, label, f"{code},0", f"  {label.lower()}  "][k % 4]

        out[col] = out[col].map(recode)
    path = tmp_path / "codes.csv"
    out.to_csv(path, index=False, sep=";", encoding="utf-8-sig")
    assert_same_tables(tidy_survey(read_export(path, id_column=ID), book, path), baseline)


def test_iso_timestamps_with_offset(tmp_path: Path, grid, book, baseline) -> None:
    out = grid.copy()
    for col in ("Startet", "Fullført"):
        stamps = pd.to_datetime(out[col], format="%d.%m.%Y %H:%M", errors="coerce")
        iso = (
            stamps.dt.tz_localize("Europe/Oslo")
            .dt.tz_convert("UTC")
            .map(lambda t: "" if pd.isna(t) else t.isoformat())
        )
        out[col] = iso.str.replace("+00:00", "Z", regex=False)
        out.loc[out.index % 2 == 0, col] = stamps.dt.tz_localize("Europe/Oslo").map(
            lambda t: "" if pd.isna(t) else t.isoformat()
        )[out.index % 2 == 0]
    path = tmp_path / "iso.csv"
    out.to_csv(path, index=False)
    assert_same_tables(tidy_survey(read_export(path, id_column=ID), book, path), baseline)


def test_microsoft_forms_layout(tmp_path: Path, grid, book, baseline) -> None:
    """ID, Starttidspunkt, Fullføringstidspunkt, E-postadresse, Navn; multi-select in one cell with ';'."""
    out = grid.rename(columns={ID: "ID", "Startet": "Starttidspunkt", "Fullført": "Fullføringstidspunkt"})
    out.insert(3, "E-postadresse", "anonym@eksempel.no")
    out.insert(4, "Navn", "Anonym")
    multi = book.loc[book["type"] == "multi_choice", "column"].iloc[0]
    out[multi] = out[multi].map(lambda v: ";".join(v.split("; ")) + ";" if v else v)
    path = tmp_path / "forms.xlsx"
    out.to_excel(path, index=False)
    forms_book = book.copy()
    forms_book["column"] = forms_book["column"].replace(
        {ID: "ID", "Startet": "Starttidspunkt", "Fullført": "Fullføringstidspunkt"}
    )
    got = tidy_survey(read_export(path, id_column="ID"), forms_book, path)
    assert got.report["columns_not_in_codebook"] == ["E-postadresse", "Navn"]
    assert_same_tables(got, baseline)
    assert "anonym@eksempel.no" not in got.respondents.to_csv()


def test_google_forms_layout(tmp_path: Path, grid, book, baseline) -> None:
    """Tidsmerke as the completion time, multi-select with ', ', no respondent id column of its own."""
    out = grid.rename(columns={"Fullført": "Tidsmerke"})
    multi = book.loc[book["type"] == "multi_choice", "column"].iloc[0]
    out[multi] = out[multi].str.replace("; ", ", ", regex=False)
    path = tmp_path / "google.csv"
    out.to_csv(path, index=False)
    google_book = book.copy()
    google_book["column"] = google_book["column"].replace({"Fullført": "Tidsmerke"})
    assert_same_tables(tidy_survey(read_export(path, id_column=ID), google_book, path), baseline)


def test_nettskjema_option_columns_and_numeric_codes(tmp_path: Path, grid, book, baseline) -> None:
    """Multi-choice as 'question.option' 0/1 columns; categories as numeric codes decoded by the codebook."""
    out = grid.copy()
    multi = book.loc[book["type"] == "multi_choice"].iloc[0]
    options = multi["scale"].split("|")
    for option in options:
        out[f"bidragsytere.{option}"] = out[multi["column"]].map(
            lambda v, o=option: "1" if o in v.split("; ") else "0"
        )
    out = out.drop(columns=multi["column"])
    role = book.loc[book["item_id"] == "role"].iloc[0]
    roles = sorted(set(grid[role["column"]].str.strip()) - {""})
    out[role["column"]] = out[role["column"]].str.strip().map(lambda v: str(roles.index(v) + 1) if v else v)
    path = tmp_path / "nettskjema.csv"
    out.to_csv(path, index=False, sep=";")
    rows = book.loc[book["column"] != multi["column"]].copy()
    rows.loc[rows["item_id"] == "role", "scale"] = "|".join(f"{i + 1}={r}" for i, r in enumerate(roles))
    extra = pd.DataFrame(
        [
            {
                **dict.fromkeys(book.columns, ""),
                "column": f"bidragsytere.{o}",
                "item_id": multi["item_id"],
                "type": "multi_choice",
                "option": o,
            }
            for o in options
        ]
    )
    nettskjema_book = pd.concat([rows, extra], ignore_index=True)
    got = tidy_survey(read_export(path, id_column=ID), nettskjema_book, path)
    assert scale_labels(rows.loc[rows["item_id"] == "role", "scale"].iloc[0])[1] == roles[0]
    # roles had stray spaces in the sample; decoded codes give the clean labels
    want = baseline.respondents.assign(role=baseline.respondents["role"].str.strip())
    pd.testing.assert_frame_equal(got.respondents, want, check_dtype=False)
    pd.testing.assert_frame_equal(got.choices, baseline.choices, check_dtype=False)
