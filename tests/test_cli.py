from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import STAGE_HELP, main
from tests.conftest import PROGRAMME, write_project


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_help_lists_every_stage() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for name in ["run", *STAGE_HELP]:
        assert name in result.stdout
    assert "--config" in result.stdout and "--workdir" in result.stdout


def test_config_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    path = write_project(tmp_path, PROGRAMME.replace("count = 3", "count = 7"))
    result = run_cli("ingest", "--config", str(path), "--workdir", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "sessions.count: must be 3 or 4" in result.stderr
    assert not (tmp_path / "out").exists()


def test_stage_before_its_input_names_the_stage_to_run(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["needs", "--config", str(project), "--workdir", str(tmp_path / "w"), "-q"])
    assert code == 2
    assert "Run `python -m pipeline ingest`" in capsys.readouterr().err


def test_bad_input_file_error_names_file_row_column(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    survey = project.parent / "survey.csv"
    survey.write_text(
        survey.read_text(encoding="utf-8").replace("4 - Viktig", "Kanskje", 1), encoding="utf-8"
    )
    code = main(["ingest", "--config", str(project), "--workdir", str(tmp_path / "w"), "-q"])
    err = capsys.readouterr().err
    assert code == 2 and "survey.csv, row 3, column 'Viktighet - Rekruttering'" in err


@pytest.mark.parametrize("before", [True, False])
def test_options_before_or_after_the_command_are_both_kept(tmp_path: Path, before: bool) -> None:
    # `make` puts --config and --workdir before the command: a subcommand's defaults must not overwrite them
    from pipeline.cli import build_parser

    options = ["--config", str(tmp_path / "p.toml"), "--workdir", str(tmp_path / "w"), "-q"]
    args = build_parser().parse_args([*options, "ingest"] if before else ["ingest", *options])
    assert args.config == tmp_path / "p.toml" and args.workdir == tmp_path / "w" and args.quiet
