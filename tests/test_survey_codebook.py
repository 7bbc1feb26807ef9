from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.config import DEFAULT_CONFIG
from pipeline.errors import InputError
from pipeline.survey import draft_codebook, read_codebook, read_export
from pipeline.survey.codebook import slug
from tests.conftest import CODEBOOK

RAW = DEFAULT_CONFIG.parent / "survey"


def test_draft_reproduces_the_shipped_codebook_except_chosen_names(tmp_path: Path) -> None:
    out = tmp_path / "draft.csv"
    assert (
        main(["codebook", "draft", str(RAW / "medlemsundersokelse_2021.xlsx"), "--out", str(out), "-q"]) == 0
    )
    draft = read_codebook(out)  # the draft is itself a valid codebook
    shipped = read_codebook(RAW / "codebook.csv")
    assert list(draft["column"]) == list(shipped["column"])
    pairs = shipped.merge(draft, on="column", suffixes=("", "_draft"))
    for field in ("type", "dimension", "missing"):
        assert (pairs[field] == pairs[f"{field}_draft"]).all(), field
    likert = pairs[pairs["type"] == "likert"]
    assert (likert["scale"] == likert["scale_draft"]).all()
    multi = pairs[pairs["type"] == "multi_choice"]
    assert all(
        set(a.split("|")) == set(b.split("|"))
        for a, b in zip(multi["scale"], multi["scale_draft"], strict=True)
    )
    # areas are named by the human, but the draft groups the same columns into the same areas
    assert likert.groupby("area")["area_draft"].nunique().eq(1).all()
    assert likert.groupby("area_draft")["area"].nunique().eq(1).all()


def test_draft_detects_personal_columns_timestamps_and_nettskjema_options() -> None:
    raw = pd.DataFrame(
        {
            "_row": [2, 3, 4, 5],
            "ID": ["1", "2", "3", "4"],
            "Tidsmerke": [
                "10.05.2021 08:00:00",
                "10.05.2021 09:00:00",
                "11.05.2021 10:00:00",
                "12.05.2021 11:00:00",
            ],
            "E-postadresse": ["a@b.no", "c@d.no", "e@f.no", "g@h.no"],
            "Navn": ["Kari", "Ola", "Per", "Liv"],
            "tema.Økonomi": ["1", "0", "1", "0"],
            "Hvor enig er du? - Vi samarbeider godt": ["Helt enig", "Litt uenig", "Helt enig", "Vet ikke"],
            "Kommentar": [
                "Dette er en lang kommentar om mye",
                "En annen tanke her",
                "Noe helt annet igjen",
                "Kort",
            ],
        }
    )
    book = draft_codebook(raw).set_index("column")
    assert book.at["ID", "type"] == "respondent_id"
    assert book.at["Tidsmerke", "type"] == "timestamp" and book.at["Tidsmerke", "item_id"] == "completed_at"
    assert book.at["E-postadresse", "type"] == "ignore" and book.at["Navn", "type"] == "ignore"
    assert (book.at["tema.Økonomi", "type"], book.at["tema.Økonomi", "option"]) == ("multi_choice", "Økonomi")
    likert = book.loc["Hvor enig er du? - Vi samarbeider godt"]
    assert (
        likert["type"] == "likert"
        and likert["scale"].startswith("1=Helt uenig|")
        and likert["missing"] == "Vet ikke"
    )
    assert book.at["Kommentar", "type"] == "free_text"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Økonomistyring og prioritering", "okonomistyring_og_prioritering"),
        ("Samarbeid på tvers!", "samarbeid_pa_tvers"),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        (",likert,", ",likertt,", r"row \d+, column 'type': unknown type 'likertt'"),
        (",importance,", ",viktighet,", r"column 'dimension': dimension must be importance or competence"),
        ("1=Ikke viktig|", "en=Ikke viktig|", r"column 'scale': scale .* is not of the form"),
    ],
)
def test_codebook_errors_name_row_and_column(tmp_path: Path, old: str, new: str, match: str) -> None:
    text = (RAW / "codebook.csv").read_text(encoding="utf-8")
    path = tmp_path / "codebook.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError, match=match):
        read_codebook(path)


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        (
            "Rustet - Digitalisering,comp_dig,",
            "Rustet - Digitalisering,comp_rekr,",
            r"row 8, column 'item_id': item_id 'comp_rekr' is used twice\. Every column needs its own",
        ),
        (
            "Rustet - Digitalisering,comp_dig,",
            "Rustet - Rekruttering,comp_dig,",
            r"row 8, column 'column': the export column 'Rustet - Rekruttering' is listed twice\.$",
        ),
    ],
)
def test_codebook_duplicates_name_the_second_row(tmp_path: Path, old: str, new: str, match: str) -> None:
    assert old in CODEBOOK
    path = tmp_path / "codebook.csv"
    path.write_text(CODEBOOK.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError, match=match):
        read_codebook(path)


def test_codebook_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "codebook.csv"
    path.write_text("column,item_id,type\nA,a,category\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"lacks the column\(s\) \['area'"):
        read_codebook(path)


def test_draft_of_a_file_that_is_not_an_export(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("1;2\n3;4\n", encoding="utf-8")
    with pytest.raises(InputError, match="does not look like a survey export"):
        read_export(path)
