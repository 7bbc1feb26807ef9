"""Bad input, one change at a time, across the programme file, survey export, codebook, transcripts and work
dir: each variant either stops with exit status 2 and one line naming the file and row/column or key and
saying what to do, or is handled correctly with every row accounted for."""

from __future__ import annotations

import csv
import fcntl
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from tests.conftest import CODEBOOK, PROGRAMME, export_csv, write_project

Change = Callable[[Path], None]


def edit(name: str, old: str, new: str, count: int = 1) -> Change:
    def change(root: Path) -> None:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    return change


def programme(old: str, new: str) -> Change:
    return edit("programme.toml", old, new)


def survey_text(text: str, encoding: str = "utf-8") -> Change:
    def change(root: Path) -> None:
        (root / "survey.csv").write_bytes(text.encode(encoding))

    return change


def transcript(name: str, content: bytes) -> Change:
    def change(root: Path) -> None:
        (root / "interviews" / name).write_bytes(content)

    return change


def both(first: Change, second: Change) -> Change:
    def change(root: Path) -> None:
        first(root)
        second(root)

    return change


def broken_docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types><broken")
        z.writestr("word/document.xml", "<w:document><w:body><w:p>")
    return buffer.getvalue()


HEADER, *ROWS = export_csv().splitlines()
REVERSED_IMP = "1=Svært viktig|2=Viktig|3=Middels viktig|4=Lite viktig|5=Ikke viktig"

# (id, change, work dir ('ingest': a fresh one), message regex on stderr)
ERRORS: list[tuple[str, Change, str, str]] = [
    # programme file: typos are refused with a suggestion
    (
        "privacy-typo",
        programme("min_cell = 2", "min_cel = 2"),
        "ingest",
        r"privacy\.min_cel: unknown key\. Did you mean 'min_cell'",
    ),
    (
        "topic-typo-pinned",
        programme('areas = ["dig"]', 'areas = ["dig"]\npinned_sesion = 1'),
        "ingest",
        r"topics\[1\]\.pinned_sesion: unknown key\. Did you mean 'pinned_session'",
    ),
    (
        "topic-typo-excluded",
        programme('areas = ["dig"]', 'areas = ["dig"]\nexluded = true'),
        "ingest",
        r"topics\[1\]\.exluded: unknown key\. Did you mean 'excluded'",
    ),
    (
        "unknown-table",
        programme("[themes]", "[tema]\nk_min = 2\n\n[themes]"),
        "ingest",
        r"programme\.toml: tema: unknown table\. Did you mean 'themes'",
    ),
    (
        "inputs-typo",
        programme('survey = "survey.csv"', 'survey = "survey.csv"\nsurvey_shet = 0'),
        "ingest",
        r"inputs\.survey_shet: unknown key\. Did you mean 'survey_sheet'",
    ),
    (
        "sessions-typo",
        programme("slots = 2", "slots = 2\ncont = 3"),
        "ingest",
        r"sessions\.cont: unknown key\. Did you mean 'count'",
    ),
    (
        "contributor-typo",
        programme('name = "Olympiatoppen"', 'name = "Olympiatoppen"\nmax_topic = 2'),
        "ingest",
        r"contributors\[0\]\.max_topic: unknown key\. Did you mean 'max_topics'",
    ),
    (
        "weights-typo",
        programme("free_text = 0.3", "fre_text = 0.3"),
        "ingest",
        r"weights\.fre_text: unknown key\. Did you mean 'free_text'",
    ),
    (
        "needs-typo",
        programme("[themes]", "[needs]\nbootstrp = 500\n\n[themes]"),
        "ingest",
        r"needs\.bootstrp: unknown key\. Did you mean 'bootstrap'",
    ),
    (
        "plan-typo",
        programme("[themes]", "[plan]\ncohesian = 1.0\n\n[themes]"),
        "ingest",
        r"plan\.cohesian: unknown key\. Did you mean 'cohesion'",
    ),
    (
        "interviews-typo",
        programme("[themes]", "[interviews]\nskip_unreadble = true\n\n[themes]"),
        "ingest",
        r"interviews\.skip_unreadble: unknown key\. Did you mean 'skip_unreadable'",
    ),
    (
        "themes-typo",
        programme("k_min = 2", "kmin = 2"),
        "ingest",
        r"themes\.kmin: unknown key\. Did you mean 'k_min'",
    ),
    (
        "programme-typo",
        programme('name = "Testprogram"', 'nam = "Testprogram"'),
        "ingest",
        r"programme\.nam: unknown key\. Did you mean 'name'",
    ),
    (
        "requires-cycle",
        both(
            edit("programme.toml", 'areas = ["dig"]', 'areas = ["dig"]\nrequires = ["data"]'),
            edit(
                "programme.toml",
                'seed_terms = ["data", "analyse"]',
                'seed_terms = ["data", "analyse"]\nrequires = ["digital"]',
            ),
        ),
        "ingest",
        r"topics\[1\]\.requires: topics require each other in a circle \(digital → data → digital\)",
    ),
    (
        "requires-self",
        programme(
            'seed_terms = ["stress", "restitusjon"]',
            'seed_terms = ["stress", "restitusjon"]\nrequires = ["restitusjon"]',
        ),
        "ingest",
        r"topics\[3\]\.requires: topics require each other in a circle \(restitusjon → restitusjon\)",
    ),
    (
        "path-outside",
        programme('survey = "survey.csv"', 'survey = "../survey.csv"'),
        "ingest",
        r"inputs\.survey: '\.\./survey\.csv' is outside the programme file's folder",
    ),
    (
        "path-absolute",
        programme('codebook = "codebook.csv"', 'codebook = "/etc/hostname"'),
        "ingest",
        r"inputs\.codebook: '/etc/hostname' is outside the programme file's folder",
    ),
    ("bad-toml", programme("[sessions]", "[sessions"), "ingest", r"programme\.toml: is not valid TOML"),
    (
        "topics-not-tables",
        programme('[[topics]]\nid = "rekruttering"', '[wrong]\nid = "rekruttering"'),
        "ingest",
        r"programme\.toml: wrong: unknown table",
    ),
    (
        "min-cell-zero",
        programme("min_cell = 2", "min_cell = 0"),
        "ingest",
        r"privacy\.min_cell: must be at least 1",
    ),
    (
        "unknown-contributor",
        programme('contributors = ["olt"]\n', 'contributors = ["oltt"]\n'),
        "ingest",
        r"topics\[2\]\.contributors: unknown contributor \['oltt'\]",
    ),
    # survey export
    (
        "no-likert-answers",
        survey_text(
            "\n".join(
                [HEADER, *[";".join(r.split(";")[:3] + ["", "", "", ""] + r.split(";")[7:]) for r in ROWS]]
            )
            + "\n"
        ),
        "ingest",
        r"survey\.csv: has no answers on the Likert items",
    ),
    (
        "impossible-date",
        edit("survey.csv", "01.06.2021 10:00", "31.02.2021 10:00"),
        "ingest",
        r"survey\.csv, row 2, column 'Fullført': not a possible date and time: '31\.02\.2021 10:00'",
    ),
    (
        "reversed-scale",
        edit(
            "codebook.csv",
            "1=Ikke viktig|2=Lite viktig|3=Middels viktig|4=Viktig|5=Svært viktig",
            REVERSED_IMP,
        ),
        "ingest",
        r"survey\.csv, row 2, column 'Viktighet - Rekruttering': the answer's number says 5 but the "
        r"codebook's scale gives 'Svært viktig' = 1",
    ),
    (
        "header-only",
        survey_text(HEADER + "\n"),
        "ingest",
        r"survey\.csv, row 1: has a header row but no answers below it",
    ),
    ("empty-file", survey_text(""), "ingest", r"survey\.csv: the file is empty"),
    (
        "unclosed-quote",
        survey_text("\n".join([HEADER, ROWS[0], ROWS[1].replace(";3;", ';"3;', 1), *ROWS[2:]]) + "\n"),
        "ingest",
        r"survey\.csv: a quoted cell that starts in row 3 is never closed",
    ),
    (
        "unknown-likert-label",
        edit("survey.csv", "4 - Viktig", "Kjempeviktig"),
        "ingest",
        r"survey\.csv, row 3, column 'Viktighet - Rekruttering': unknown Likert answer 'Kjempeviktig'",
    ),
    (
        "duplicate-header",
        edit("survey.csv", "Rolle;", "Utfordringer;"),
        "ingest",
        r"survey\.csv, row 1: the header row has the column name 'Utfordringer' twice",
    ),
    (
        "not-a-survey",
        survey_text("hello\nworld\n"),
        "ingest",
        r"survey\.csv: does not look like a survey export: no header row with the respondent id column 'ID'",
    ),
    # codebook
    (
        "codebook-missing-column",
        edit("codebook.csv", "column,item_id,type", "kolonne,item_id,type"),
        "ingest",
        r"codebook\.csv: the codebook lacks the column\(s\) \['column'\]",
    ),
    (
        "codebook-bad-scale",
        edit("codebook.csv", "5=Svært viktig,Vet ikke,Rekruttering", "5,Vet ikke,Rekruttering"),
        "ingest",
        r"codebook\.csv.*scale .* is not of the form",
    ),
    # transcripts
    (
        "broken-docx",
        transcript("int02.docx", broken_docx()),
        "ingest",
        r"int02\.docx: is (a damaged|not a readable) Word document.*skip_unreadable = true",
    ),
    (
        "empty-transcript",
        transcript("int02.txt", b""),
        "ingest",
        r"int02\.txt: the transcript is empty\. Open it and save it again",
    ),
    (
        "no-speakers",
        transcript("int02.txt", b"just some text without speakers\n"),
        "ingest",
        r"int02\.txt: no speaker turns found.*skip_unreadable",
    ),
]
ERRORS += [
    (
        "workdir-is-file",
        lambda root: (root / "wd").write_text("x"),
        "wd",
        r"--workdir .*/wd: .*/wd is a file, not a folder",
    ),
    (
        "workdir-under-file",
        lambda root: (root / "wd").write_text("x"),
        "wd/below",
        r"--workdir .*/below: .*/wd is a file, not a folder",
    ),
]


@pytest.mark.parametrize(("change", "where", "message"), [c[1:] for c in ERRORS], ids=[c[0] for c in ERRORS])
def test_bad_input_stops_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: Change, where: str, message: str
) -> None:
    root = tmp_path / "project"
    config = write_project(root)
    change(root)
    workdir = root / where if where != "ingest" else tmp_path / "w"
    assert main(["ingest", "--config", str(config), "--workdir", str(workdir), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("error: ") and "Traceback" not in err
    assert re.search(message, err), err


def run_ingest(tmp_path: Path, change: Change, extra: str = "") -> tuple[dict, Path]:
    root = tmp_path / "project"
    config = write_project(root, PROGRAMME + extra)
    change(root)
    workdir = tmp_path / "w"
    assert main(["ingest", "--config", str(config), "--workdir", str(workdir), "-q"]) == 0
    report = json.loads((workdir / "data/interim/ingest_report.json").read_text(encoding="utf-8"))
    assert report["survey"]["balanced"]
    return report, workdir


def quarantined(report: dict) -> list[dict]:
    return report["survey"]["quarantined"]


def test_a_file_cut_off_mid_row_quarantines_the_last_row(tmp_path: Path) -> None:
    cut = "\n".join([HEADER, *ROWS])[:-90]  # the last row loses its last fields and the line end
    report, _ = run_ingest(tmp_path, survey_text(cut))
    (last,) = [q for q in quarantined(report) if "cut off" in q["reason"]]
    assert last["row"] == len(ROWS) + 1
    assert report["survey"]["rows_kept"] == len(ROWS) - 1


def test_a_row_with_more_fields_than_the_header_is_quarantined(tmp_path: Path) -> None:
    rows = [*ROWS]
    rows[2] = rows[2] + ";an answer; with a semicolon"
    report, _ = run_ingest(tmp_path, survey_text("\n".join([HEADER, *rows]) + "\n"))
    (bad,) = [q for q in quarantined(report) if "fields where the header row has" in q["reason"]]
    assert bad["row"] == 4


def test_a_single_respondent_export_is_read(tmp_path: Path) -> None:
    one = ROWS[0].replace("vanskelig, vi", "vanskelig, og vi, altså, vi")  # commas in the answer
    report, workdir = run_ingest(tmp_path, survey_text(f"{HEADER}\n{one}\n"))
    assert report["survey"]["rows_kept"] == 1


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252", "utf-16"])
def test_exports_in_other_encodings_are_read(tmp_path: Path, encoding: str) -> None:
    report, _ = run_ingest(tmp_path, survey_text(export_csv().replace("\n", "\r\n"), encoding))
    assert report["survey"]["rows_kept"] == len(ROWS)


def test_a_semicolon_codebook_is_read(tmp_path: Path) -> None:
    rows = [line.split(",") for line in CODEBOOK.strip().splitlines()]
    text = "\n".join(";".join(r) for r in rows) + "\n"
    report, _ = run_ingest(tmp_path, lambda root: (root / "codebook.csv").write_text(text, encoding="utf-8"))
    assert report["survey"]["rows_kept"] == len(ROWS)


def test_a_pdf_in_the_transcript_folder_is_reported(tmp_path: Path) -> None:
    report, _ = run_ingest(tmp_path, transcript("notater.pdf", b"%PDF-1.4"))
    (line,) = [r for r in report["interviews"] if r["file"] == "notater.pdf"]
    assert "not a transcript" in line["skipped"]


def test_a_damaged_docx_is_skipped_and_reported_when_asked(tmp_path: Path) -> None:
    extra = "\n[interviews]\nskip_unreadable = true\n"
    report, _ = run_ingest(tmp_path, transcript("int02.docx", broken_docx()), extra)
    (line,) = [r for r in report["interviews"] if r["file"] == "int02.docx"]
    assert "Word document" in line["skipped"]


def test_a_single_speaker_transcript_is_flagged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    text = (
        "Kommunalsjef: Hva er utfordringene? Rekruttering av sykepleiere.\nKommunalsjef: Og digitalisering.\n"
    )
    report, _ = run_ingest(tmp_path, transcript("int02.txt", text.encode()))
    (line,) = [r for r in report["interviews"] if r["file"] == "int02.txt"]
    assert line["single_speaker"] is True
    assert any("only one speaker" in r.message for r in caplog.records)


def test_a_second_run_into_a_locked_work_dir_stops(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_project(tmp_path / "project")
    workdir = tmp_path / "w"
    workdir.mkdir()
    with (workdir / ".pipeline.lock").open("a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        handle.write("pid 1: python -m pipeline run")
        handle.flush()
        assert main(["ingest", "--config", str(config), "--workdir", str(workdir), "-q"]) == 2
    err = capsys.readouterr().err
    assert "another run is writing there (pid 1: python -m pipeline run)" in err
    assert main(["ingest", "--config", str(config), "--workdir", str(workdir), "-q"]) == 0  # free again


def test_a_stage_refuses_outputs_made_from_other_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = write_project(tmp_path / "project")
    workdir = tmp_path / "w"
    assert main(["ingest", "--config", str(config), "--workdir", str(workdir), "-q"]) == 0
    (tmp_path / "project" / "survey.csv").write_text(export_csv(6), encoding="utf-8")  # another export
    assert main(["needs", "--config", str(config), "--workdir", str(workdir), "-q"]) == 2
    assert "would mix two runs" in capsys.readouterr().err


# ---- the last round of broken and hostile inputs ------------------------------------------------------


def comma_rows(rows: list[str]) -> list[str]:
    """`;` rows of the fixture's export written again with ',' between the cells, quoted where needed."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=",", lineterminator="\n")
    for row in rows:
        writer.writerow(row.split(";"))
    return out.getvalue().splitlines()


def test_rows_written_with_another_delimiter_are_read_with_it_and_said(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    header, *rows = re.sub(r"\b0(\d\d)\.06\.", r"\1.06.", export_csv(20)).splitlines()  # dd.mm. dates
    mixed = [*rows[:10], *comma_rows(rows[10:])]  # ten complete respondents with ',' in a ';' file
    assert any('"' in r for r in mixed[10:])  # answers with commas are quoted
    report, workdir = run_ingest(tmp_path, survey_text("\n".join([header, *mixed]) + "\n"))
    assert report["survey"]["rows_kept"] == 20 and report["survey"]["rows_quarantined"] == 0
    assert report["survey"]["rows_read_with_other_delimiter"] == {",": list(range(12, 22))}
    warning = [r.message for r in caplog.records if "separate their cells with ','" in r.getMessage()]
    assert warning
    assert (
        "survey.csv" in caplog.text
        and "rows 12, 13" in caplog.text
        and "export the file again" in caplog.text
    )
    likert = pd.read_parquet(workdir / "data/interim/likert.parquet")
    assert likert["respondent_id"].nunique() == 20


def test_a_row_with_another_delimiter_that_does_not_fit_is_held_out_with_its_reason(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from pipeline.present.overview import held_out

    bad = comma_rows([ROWS[2]])[0] + ",an extra cell"  # ',' between cells, and one cell too many
    rows = [*ROWS[:2], bad, *ROWS[3:]]
    report, _ = run_ingest(tmp_path, survey_text("\n".join([HEADER, *rows]) + "\n"))
    (q,) = quarantined(report)
    assert q["row"] == 4 and q["kind"] == "one_cell" and "Correct the row" in q["reason"]
    assert "survey.csv: row 4 held out" in caplog.text
    said = held_out(quarantined(report))
    assert "feil skilletegn" in said and "dobbelt" not in said and "Rett opp raden" in said


def test_a_very_long_answer_is_kept_and_flagged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    long = "Rekruttering av sykepleiere er vanskelig. " * 5000  # over 128 KiB in one cell
    assert len(long) > 131072
    rows = [*ROWS]
    rows[1] = ";".join([*rows[1].split(";")[:-1], long])
    report, workdir = run_ingest(tmp_path, survey_text("\n".join([HEADER, *rows]) + "\n"))
    assert report["survey"]["rows_kept"] == len(ROWS)
    texts = pd.read_parquet(workdir / "data/interim/free_text.parquet")["text"]
    assert texts.str.len().max() >= len(long.strip()) - 10
    assert re.search(r"survey\.csv, row 3, field 8: a cell of 21\d \d{3} characters is kept", caplog.text)


LOWER_CASE_NAMES = ["kari", "nordmann", "ola", "hansen", "ingrid", "kvamme"]


def test_names_typed_in_lower_case_leave_no_trace(tmp_path: Path) -> None:
    answers = [
        "jeg heter kari nordmann og rekruttering av sykepleiere er vanskelig",
        "ola hansen og jeg jobber med digitalisering og ny teknologi",
        "snakk med ingrid kvamme om rekruttering og kompetanse",
    ]
    rows = [*ROWS]
    for i, answer in enumerate(answers):
        rows[i] = ";".join([*rows[i].split(";")[:-1], answer])
    root = tmp_path / "project"
    config = write_project(root, export="\n".join([HEADER, *rows]) + "\n")
    workdir = tmp_path / "w"
    for command in ("ingest", "themes", "review"):
        assert main([command, "--config", str(config), "--workdir", str(workdir), "-q"]) == 0
    texts = " ".join(pd.read_parquet(workdir / "data/interim/free_text.parquet")["text"])
    texts += " ".join(pd.read_parquet(workdir / "data/processed/doc_topics.parquet")["text"])
    sheet = pd.read_excel(root / "koding.xlsx", sheet_name=None, dtype=str)
    texts += " ".join(" ".join(frame.fillna("").to_numpy().ravel()) for frame in sheet.values())
    words = set(re.findall(r"\w+", texts.lower()))
    assert "rekruttering" in words  # the answers are there
    assert words.isdisjoint(LOWER_CASE_NAMES), words & set(LOWER_CASE_NAMES)


SELF_INTRODUCTION = (
    "I: [00:00:05] Fortell litt om kommunen og utfordringene.\n"
    "Kommunalsjef: [00:00:12] Lørenskog kommune ble etablert 1. januar 2020, som en sammenslåing av "
    "Nittedal, Rælingen og Skedsmo. Kommunen vokser med 1500 til 2000 innbyggere i året. Rekruttering av "
    "sykepleiere og kompetanse er den store utfordringen, og digitalisering av tjenestene.\n"
    "I: [00:01:00] Og ellers?\n"
    "Kommunalsjef: [00:01:08] Ny teknologi og velferdsteknologi i tjenestene, og rekruttering.\n"
)


def test_self_introductions_that_point_to_a_municipality_stay_out_of_the_processed_tables(
    tmp_path: Path,
) -> None:
    from pipeline.config import load_programme
    from pipeline.stages import run_stage
    from pipeline.store import Store

    root = tmp_path / "project"
    config = write_project(root)
    (root / "interviews" / "int02.txt").write_text(SELF_INTRODUCTION, encoding="utf-8")
    store = Store(tmp_path / "w")
    for stage in ("ingest", "needs", "themes", "rank", "plan", "economics"):
        run_stage(stage, load_programme(config), store)
    topics = pd.read_parquet(store.workdir / "data/processed/doc_topics.parquet")
    assert topics["text"].str.contains("sykepleiere").any()  # the passage itself is evidence
    processed = store.workdir / "data/processed"
    text = " ".join(
        [p.read_text(encoding="utf-8") for p in processed.glob("*.json")]
        + [
            " ".join(str(v) for v in pd.read_parquet(p).to_numpy().ravel())
            for p in processed.glob("*.parquet")
        ]
    )
    for identifying in ("sammenslåing", "etablert 1. januar", "1500 til 2000", "innbyggere i året"):
        assert identifying not in text, identifying


def test_one_respondent_is_not_called_certain(tmp_path: Path) -> None:
    from pipeline.config import load_programme
    from pipeline.deliver import findings
    from pipeline.present.base import load_run
    from pipeline.present.needs import needs_headline, needs_table
    from pipeline.stages import run_stage
    from pipeline.store import Store

    config = write_project(tmp_path / "project", export=f"{HEADER}\n{ROWS[0]}\n")
    for number in (2, 3, 4):  # the interviews carry the themes; the survey has one respondent
        (tmp_path / "project" / "interviews" / f"int0{number}.txt").write_text(
            SELF_INTRODUCTION.replace("Lørenskog", "Vår"), encoding="utf-8"
        )
    store = Store(tmp_path / "w")
    for stage in ("ingest", "needs", "themes", "rank", "plan", "economics"):
        run_stage(stage, load_programme(config), store)
    run = load_run(store.workdir)
    needs = pd.read_parquet(store.workdir / "data/processed/needs.parquet")
    assert needs["n"].max() == 1 < run.min_cell
    said = " ".join(findings.top_needs(run))
    assert "sikkert" not in said and "Borich-skår" not in said
    assert "Bare én leder har svart" in said and f"færre enn {run.min_cell} svar" in said
    assert "Bare én leder har svart" in needs_headline(run).body
    assert "Borich" not in needs_table(run).body and "90 %" not in needs_headline(run).body
    from pipeline.present.profiles import profiles_headline

    assert "for få svar til å se etter behovsprofiler" in profiles_headline(run).body
    from pipeline import figures

    for chart in (
        figures.mwds_chart(needs, 0.9, run.min_cell),
        figures.ipa_chart(needs, None, run.min_cell),
        figures.lff_chart(needs, run.min_cell),
    ):
        assert "<img" not in chart.body and "vises ikke fordi bare én leder" in chart.body  # not drawn


def test_a_row_with_empty_trailing_fields_is_kept_and_with_filled_ones_is_held_out_and_said(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from pipeline.present.overview import held_out

    rows = [*ROWS]
    rows[1] += ";;"  # a tool that writes empty cells after the last column
    rows[4] += ";ekstra;svar"
    report, _ = run_ingest(tmp_path, survey_text("\n".join([HEADER, *rows]) + "\n"))
    (q,) = quarantined(report)
    assert q["row"] == 6 and q["kind"] == "extra_fields" and "Put the answer in quotes" in q["reason"]
    assert report["survey"]["rows_kept"] == len(ROWS) - 1
    assert "survey.csv: row 6 held out: 10 fields where the header row has 8" in caplog.text
    said = held_out(quarantined(report))
    assert said.startswith("(rad med flere felt enn overskriftsraden)") and "dobbelt" not in said
    assert "Rett opp raden i eksportfilen" in said


def two_row_header_xlsx(root: Path, item_separator: str = " - ") -> None:
    """The fixture's export as a workbook whose questions sit over merged cells, their items in the row
    below."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["ID", "Fullført", "Rolle", "Viktighet", None, "Rustet", None, "Utfordringer"])
    sheet.append([None, None, None, "Rekruttering", "Digitalisering", "Rekruttering", "Digitalisering", None])
    sheet.merge_cells("D1:E1")
    sheet.merge_cells("F1:G1")
    for row in ROWS:
        sheet.append(row.split(";"))
    book.save(root / "survey.xlsx")
    programme_file = root / "programme.toml"
    programme_file.write_text(
        programme_file.read_text(encoding="utf-8").replace('"survey.csv"', '"survey.xlsx"'), encoding="utf-8"
    )


def test_a_header_over_two_merged_rows_is_read_as_question_and_item(tmp_path: Path) -> None:
    report, workdir = run_ingest(tmp_path, two_row_header_xlsx)
    assert report["survey"]["rows_kept"] == len(ROWS)
    respondents = pd.read_parquet(workdir / "data/interim/respondents.parquet")
    assert respondents["source_row"].min() == 3  # the answers start below the two header rows
    likert = pd.read_parquet(workdir / "data/interim/likert.parquet")
    assert set(likert["item_id"]) == {"imp_rekr", "imp_dig", "comp_rekr", "comp_dig"}


def test_a_two_row_header_that_still_misses_a_column_names_the_layout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "project"
    config = write_project(root)
    two_row_header_xlsx(root)
    book = root / "codebook.csv"
    book.write_text(book.read_text(encoding="utf-8").replace("Rustet - Digitalisering", "Rustet: Digital"))
    assert main(["ingest", "--config", str(config), "--workdir", str(tmp_path / "w"), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert re.search(r"survey\.xlsx, row 1: the header spans two rows \(1 and 2.*'Rustet: Digital'", err), err
    assert "Export with one header row" in err


def test_a_formula_in_the_coding_sheet_names_the_sheet_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from openpyxl import load_workbook

    root = tmp_path / "project"
    config = write_project(root)
    config.write_text(
        config.read_text(encoding="utf-8").replace("seed = 1", 'seed = 1\nreview = "koding.xlsx"'),
        encoding="utf-8",
    )
    workdir = tmp_path / "w"
    for command in ("ingest", "themes", "review"):
        assert main([command, "--config", str(config), "--workdir", str(workdir), "-q"]) == 0
    book = load_workbook(root / "koding.xlsx")
    sheet = book["Koding"]
    column = [c.value for c in sheet[1]].index("Riktige temaer") + 1
    sheet.cell(row=3, column=column, value="=digital")  # what Excel shows as #NAME?
    book.save(root / "koding.xlsx")
    capsys.readouterr()
    assert main(["themes", "--config", str(config), "--workdir", str(workdir), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "nan" not in err
    assert "sheet 'Koding', row 3, column 'Riktige temaer': '=digital' is a formula" in err
    assert "without '='" in err


@pytest.mark.parametrize(
    ("ids", "alarm"),
    [
        ([str(41234567 + 7919 * i) for i in range(8)], False),  # plain 8-digit survey ids
        ([f"4{i}1 23 456" for i in range(8)], True),  # written as phone numbers
        ([f"leder{i}@kommune.no" for i in range(8)], True),
    ],
    ids=["eight-digit-ids", "phone-numbers", "e-mail"],
)
def test_only_ids_that_are_contact_details_raise_the_alarm(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, ids: list[str], alarm: bool
) -> None:
    rows = [";".join([rid, *row.split(";")[1:]]) for rid, row in zip(ids, ROWS, strict=True)]
    report, _ = run_ingest(tmp_path, survey_text("\n".join([HEADER, *rows]) + "\n"))
    assert (report["privacy"]["respondent_ids"]["contact_like"] == 8) is alarm
    assert ("respondent ids are e-mail addresses" in caplog.text) is alarm


def test_a_successful_render_prints_no_kernel_error(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """Shutting a kernel down interrupts it first; one still answering a message logs 'KeyboardInterrupt
    caught in kernel' at ERROR on a run that went well. The kernel's own log is kept quiet, and a failing
    cell still fails."""
    import nbformat
    import papermill as pm

    from pipeline.report import execute_notebook, kernel_name

    def notebook(name: str, source: str) -> Path:
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": kernel_name(), "language": "python", "display_name": "Python 3"}
        nb.cells = [nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["parameters"]})]
        nb.cells.append(nbformat.v4.new_code_cell(source))
        nbformat.write(nb, tmp_path / name)
        return tmp_path / name

    quiet = notebook("quiet.ipynb", "get_ipython().kernel.log.error('KeyboardInterrupt caught in kernel.')")
    execute_notebook(quiet, tmp_path / "out.ipynb", {"x": 2}, kernel_name())
    captured = capfd.readouterr()
    assert "KeyboardInterrupt caught in kernel" not in captured.err + captured.out
    with pytest.raises(pm.PapermillExecutionError, match="ZeroDivisionError"):
        execute_notebook(notebook("fails.ipynb", "1 / 0"), tmp_path / "out2.ipynb", {"x": 2}, kernel_name())
