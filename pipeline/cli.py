"""Command line: `python -m pipeline [run|ingest|needs|themes|rank|plan|reports] --config PATH --workdir DIR`.

Errors the user can act on print as one line on stderr and exit with status 2, without a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.config import DEFAULT_CONFIG, PROJ_ROOT

STAGE_HELP = {
    "ingest": "read the survey export and transcripts into pseudonymised tidy tables (data/interim)",
    "needs": "score needs per leadership area from the Likert battery (Borich MWDS)",
    "themes": "discover themes in free-text answers and informant turns",
    "rank": "rank catalogue topics by survey need, free-text prevalence and interview emphasis",
    "plan": "assign topics to 3 and 4 gatherings by optimisation; write plan.csv",
    "economics": "fee, break-even, surplus split and the risk of a loss ([economics] of the programme file)",
    "reports": "render the Norwegian reports with papermill into reports/",
}


def common_options(defaults: bool) -> argparse.ArgumentParser:
    """The options every command takes, before or after the command's name. Only the main parser has
    defaults: a subcommand's default would overwrite what was given before the command (argparse fills a
    subparser's defaults into the same namespace), so `--config X ingest` would silently read the sample."""

    def default(value):
        return value if defaults else argparse.SUPPRESS

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--config",
        type=Path,
        default=default(DEFAULT_CONFIG),
        help="programme file (TOML); default: the shipped sample's data/raw/programme.toml",
    )
    common.add_argument(
        "--workdir",
        type=Path,
        default=default(PROJ_ROOT),
        help="where data/interim, data/processed and reports are written; default: project root",
    )
    common.add_argument(
        "-v", "--verbose", action="store_true", default=default(False), help="log debug messages"
    )
    common.add_argument(
        "-q", "--quiet", action="store_true", default=default(False), help="log warnings and errors only"
    )
    return common


def build_parser() -> argparse.ArgumentParser:
    common = common_options(defaults=False)
    parser = argparse.ArgumentParser(
        prog="python -m pipeline",
        description="From a municipal member survey and leader interviews to a ranked topic plan for a "
        "leadership programme, with Norwegian reports.",
        parents=[common_options(defaults=True)],
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.add_parser("run", parents=[common], help="run every stage in order")
    for name, text in STAGE_HELP.items():
        sub.add_parser(name, parents=[common], help=text)
    coding = sub.add_parser(
        "review",
        parents=[common],
        help="write the coding sheet (xlsx) for an analyst: every answer and passage with the machine's "
        "topics, most informative first; reviews already in the sheet are kept",
    )
    coding.add_argument(
        "--out",
        type=Path,
        default=None,
        help="where to write it; default: [themes].review of the programme file, or koding.xlsx beside it",
    )
    one = sub.add_parser(
        "report",
        parents=[common],
        help="re-render one or more reports (partner and analyst versions), optionally with extra "
        "notebook parameters (--param KEY=VALUE)",
    )
    one.add_argument(
        "names", nargs="*", help="report names (default: all): oversikt, behov, temaer, programplan"
    )
    one.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a notebook parameter (a Python literal or text); repeatable",
    )
    codebook = sub.add_parser("codebook", parents=[common], help="codebook tools: `codebook draft EXPORT`")
    codebook_sub = codebook.add_subparsers(dest="codebook_command", metavar="ACTION", required=True)
    draft = codebook_sub.add_parser(
        "draft",
        parents=[common],
        help="write a draft codebook from an export's headers and values, for review",
        description="Detects the respondent id, timestamps, Likert batteries and their scales, multi-choice "
        "and free-text columns; ids and labels are suggestions to rename. Written to --out, default "
        "WORKDIR/data/interim/codebook_draft.csv.",
    )
    draft.add_argument("export", type=Path, help="the survey export (.xlsx, .csv, .tsv)")
    draft.add_argument(
        "--sheet", default="0", help="sheet name or number of an .xlsx export (default: first)"
    )
    draft.add_argument("--out", type=Path, default=None, help="where to write the draft codebook (CSV)")
    return parser


def parse_params(items: list[str]) -> dict[str, object]:
    """['n=3', 'label=x'] -> {'n': 3, 'label': 'x'} (Python literals where they parse)."""
    import ast

    out: dict[str, object] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise SystemExit(f"error: --param needs KEY=VALUE, got {item!r}")
        try:
            out[key.strip()] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            out[key.strip()] = value
    return out


def draft_codebook_command(args: argparse.Namespace) -> Path:
    from pipeline.survey import draft_codebook, read_export, write_codebook

    sheet: str | int = int(args.sheet) if str(args.sheet).isdigit() else args.sheet
    out = args.out or args.workdir.expanduser().resolve() / "data" / "interim" / "codebook_draft.csv"
    book = draft_codebook(read_export(args.export, sheet))
    written = write_codebook(book, out)
    counts = book["type"].value_counts().to_dict()
    logging.getLogger("pipeline").info(
        "draft codebook written to %s (%s); review it before use", written, counts
    )
    return written


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    level = logging.DEBUG if args.verbose else logging.WARNING if args.quiet else logging.INFO
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)

    # imported here so that --help answers without loading pandas, scikit-learn and papermill
    from pipeline.config import load_programme
    from pipeline.errors import PipelineError
    from pipeline.stages import run_all, run_stage
    from pipeline.store import Store

    try:
        if args.command == "codebook":
            draft_codebook_command(args)
            return 0
        if args.command == "report":
            from pipeline.report import render_reports

            written = render_reports(
                Store(work_dir(args.workdir)),
                names=tuple(args.names),
                parameters=parse_params(args.param),
            )
            logging.getLogger("pipeline").info("%d report files written", len(written))
            return 0
        programme = load_programme(args.config)
        store = Store(work_dir(args.workdir))
        with workdir_lock(store.workdir, argv if argv is not None else sys.argv[1:]):
            if args.command == "review":
                from pipeline.themes.review import write_coding_sheet

                write_coding_sheet(programme, store, args.out)
                return 0
            if args.command == "run":
                index = run_all(programme, store)
                logging.getLogger("pipeline").info("reports written; open %s", index)
            else:
                run_stage(args.command, programme, store)
    except PipelineError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the disk, not the data: full, read-only, no permission
        where = f" {exc.filename}" if exc.filename else ""
        print(
            f"error:{where}: {exc.strerror or exc}. Check the path and that it can be written.",
            file=sys.stderr,
        )
        return 2
    return 0


def work_dir(path: Path) -> Path:
    """The work dir, resolved; a file where a folder is wanted is refused before anything is written."""
    from pipeline.errors import WorkdirError

    path = path.expanduser().resolve()
    for part in (path, *path.parents):
        if part.exists():
            if not part.is_dir():
                raise WorkdirError(
                    f"--workdir {path}: {part} is a file, not a folder. Give a folder (it is created if "
                    "missing)."
                )
            break
    return path


@contextmanager
def workdir_lock(workdir: Path, argv: list[str]) -> Iterator[None]:
    """Hold `WORKDIR/.pipeline.lock` for the command: a second run into the same work dir stops at once
    with a message naming the first, instead of mixing its outputs with the other run's."""
    import fcntl

    from pipeline.errors import WorkdirError

    workdir.mkdir(parents=True, exist_ok=True)
    lock = workdir / ".pipeline.lock"
    with lock.open("a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            other = handle.read().strip() or "another process"
            raise WorkdirError(
                f"--workdir {workdir}: another run is writing there ({other}). Wait for it to finish, or "
                "use another --workdir."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}: python -m pipeline {' '.join(argv)}\n")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)
