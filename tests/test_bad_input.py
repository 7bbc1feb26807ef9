"""Bad input, one change at a time, across the programme file, survey export, codebook, transcripts and work
dir: each variant either stops with exit status 2 and one line naming the file and row/column or key and
saying what to do, or is handled correctly with every row accounted for."""

from __future__ import annotations

import fcntl
import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

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
