from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.errors import InputError
from pipeline.survey import parse_likert, parse_scale, read_codebook, read_export, tidy_survey
from tests.conftest import export_csv

SCALE = parse_scale("1=Ikke viktig|2=Lite viktig|3=Middels viktig|4=Viktig|5=Svært viktig")


@pytest.mark.parametrize(
    ("cell", "value", "reason"),
    [
        ("5 - Svært viktig", 5.0, None),
        ("  svært   VIKTIG ", 5.0, None),
        (4, 4.0, None),
        ("2", 2.0, None),
        ("Vet ikke", np.nan, "vet ikke"),
        (None, np.nan, "blank"),
        ("", np.nan, "blank"),
    ],
)
def test_parse_likert(cell: object, value: float, reason: str | None) -> None:
    got, why = parse_likert(cell, SCALE, ("vet ikke",))
    assert (np.isnan(got) and np.isnan(value)) or got == value
    assert why == reason


def test_unknown_label_raises_keyerror() -> None:
    with pytest.raises(KeyError):
        parse_likert("Kjempeviktig", SCALE, ("vet ikke",))


def _tables(project: Path, export: str | None = None):
    root = project.parent
    if export is not None:
        (root / "survey.csv").write_text(export, encoding="utf-8")
    book = read_codebook(root / "codebook.csv")
    raw = read_export(root / "survey.csv", id_column="ID")
    return tidy_survey(raw, book, root / "survey.csv")


def test_tidy_tables_shapes_and_values(project: Path) -> None:
    tables = _tables(project)
    assert len(tables.respondents) == 8
    assert len(tables.likert) == 8 * 4
    rekr = tables.likert.query("item_id == 'imp_rekr'").set_index("respondent_id")["value"]
    assert rekr["100"] == 5.0 and rekr["101"] == 4.0
    dig = tables.likert.query("item_id == 'imp_dig'")
    assert dig["value"].isna().all() and set(dig["missing_reason"]) == {"vet ikke"}
    assert len(tables.free_text) == 8
    assert tables.report["balanced"] and tables.report["rows_read"] == 8


def test_duplicate_keeps_latest_and_quarantines_older(project: Path) -> None:
    lines = export_csv().splitlines()
    later = lines[1].replace("01.06.2021", "20.06.2021").replace("Kommunalsjef", "Etatsleder")
    tables = _tables(project, "\n".join([*lines, later]) + "\n")
    assert tables.report["rows_read"] == 9 and tables.report["rows_kept"] == 8
    assert tables.report["rows_quarantined"] == 1
    q = tables.report["quarantined"][0]
    assert q["row"] == 2 and q["column"] == "ID" and "duplicate" in q["reason"]
    assert tables.respondents.set_index("respondent_id").at["100", "role"] == "Etatsleder"


def test_empty_row_and_missing_id_are_quarantined_with_reason(project: Path) -> None:
    lines = export_csv().splitlines()
    extra = [";;;;;;;", ";01.06.2021 10:00;Kommunalsjef;4;4;4;4;tekst"]
    tables = _tables(project, "\n".join([*lines, *extra]) + "\n")
    reasons = {q["row"]: q["reason"] for q in tables.report["quarantined"]}
    assert reasons == {10: "empty row", 11: "no respondent id"}
    assert tables.report["balanced"]


def test_partial_completion_is_kept_and_flagged(project: Path) -> None:
    lines = export_csv().splitlines()
    lines[3] = "102;;Kommunalsjef;4 - Viktig;;;;"
    tables = _tables(project, "\n".join(lines) + "\n")
    status = tables.respondents.set_index("respondent_id")["status"]
    assert status["102"] == "partial" and (status.drop("102") == "complete").all()


def test_unknown_likert_label_names_file_row_column(project: Path) -> None:
    lines = export_csv().splitlines()
    lines[2] = lines[2].replace("4 - Viktig", "Kjempeviktig", 1)
    with pytest.raises(
        InputError,
        match=r"survey\.csv, row 3, column 'Viktighet - Rekruttering': unknown Likert "
        r"answer 'Kjempeviktig'.*Known labels: .*svært viktig",
    ):
        _tables(project, "\n".join(lines) + "\n")


def test_codebook_column_missing_from_export_suggests_headers(project: Path) -> None:
    export = export_csv().replace("Viktighet - Rekruttering", "Viktighet – Rekrutering")
    with pytest.raises(InputError, match=r"column 'Viktighet - Rekruttering'.*Closest headers.*Rekrutering"):
        _tables(project, export)


def test_export_without_the_id_header_is_not_a_survey(project: Path) -> None:
    (project.parent / "survey.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    with pytest.raises(InputError, match="does not look like a survey export"):
        read_export(project.parent / "survey.csv", id_column="ID")


def test_empty_export(project: Path) -> None:
    (project.parent / "survey.csv").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="the file is empty"):
        read_export(project.parent / "survey.csv", id_column="ID")


def test_codebook_with_unknown_type_names_row(project: Path) -> None:
    path = project.parent / "codebook.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(",category,", ",kategori,"), encoding="utf-8")
    with pytest.raises(InputError, match=r"codebook\.csv, row 4, column 'type': unknown type 'kategori'"):
        read_codebook(path)


def test_raw_input_is_not_modified(project: Path) -> None:
    before = (project.parent / "survey.csv").read_bytes()
    _tables(project)
    assert (project.parent / "survey.csv").read_bytes() == before


def test_xlsx_with_header_not_in_first_row(project: Path, tmp_path: Path) -> None:
    csv_tables = _tables(project)
    rows = [line.split(";") for line in export_csv().splitlines()]
    grid = pd.DataFrame([["Eksport fra spørreverktøy"] + [""] * 7, [""] * 8, *rows])
    xlsx = tmp_path / "export.xlsx"
    grid.to_excel(xlsx, header=False, index=False)
    raw = read_export(xlsx, id_column="ID")
    tables = tidy_survey(raw, read_codebook(project.parent / "codebook.csv"), xlsx)
    pd.testing.assert_frame_equal(tables.likert, csv_tables.likert)
    assert tables.report["quarantined"] == [] and raw["_row"].iloc[0] == 4


def test_unreadable_encoding(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(b"ID;Svar\n1;\x81\x8d\x8f\x90\x9d\xff\xfe\n")
    with pytest.raises(InputError, match=r"export\.csv: unreadable encoding.*CSV UTF-8"):
        read_export(path, id_column="ID")


def test_unknown_sheet_lists_the_sheets(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    pd.DataFrame({"ID": [1]}).to_excel(path, sheet_name="Svar", index=False)
    with pytest.raises(InputError, match=r"has no sheet 'Data'.*Sheets: Svar"):
        read_export(path, sheet="Data", id_column="ID")


def test_export_column_missing_from_codebook_is_warned_and_ignored(
    project: Path, caplog: pytest.LogCaptureFixture
) -> None:
    lines = export_csv().splitlines()
    lines = [f"{line};Ekstra" if i == 0 else f"{line};x" for i, line in enumerate(lines)]
    with caplog.at_level("WARNING"):
        tables = _tables(project, "\n".join(lines) + "\n")
    assert tables.report["columns_not_in_codebook"] == ["Ekstra"]
    assert "column 'Ekstra' is not in the codebook" in caplog.text
    assert "Ekstra" not in tables.respondents.columns


def test_multi_choice_with_known_options_keeps_commas_inside_options() -> None:
    from pipeline.survey import split_choices

    options = ["Ja, gjerne", "Nei", "Kanskje"]
    assert split_choices("Ja, gjerne, Kanskje", options) == ["Ja, gjerne", "Kanskje"]
    assert split_choices("Nei;Kanskje;", options) == ["Nei", "Kanskje"]
    assert split_choices("A; B", []) == ["A", "B"]
