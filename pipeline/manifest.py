"""The run manifest (`data/processed/run_manifest.json`): what went in and what came out; and how long it
took, in `run_timings.json` beside it (the only output that differs between two runs of the same inputs).

Every stage updates its own entry, so a run made stage by stage through `make` has the same manifest shape
as `python -m pipeline run`. When the programme file or the inputs change, the stages of the older run are
dropped, so the manifest never mixes two runs; and a stage refuses to read the outputs of a run made from
another programme file or other inputs (`check_upstream`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.config import Programme
from pipeline.errors import StageOrderError
from pipeline.interviews import TRANSCRIPT_SUFFIXES
from pipeline.store import Store, sha256_file


def transcript_files(programme: Programme) -> list[Path]:
    """The transcripts in the interviews folder, in a stable order."""
    return sorted(
        p
        for p in programme.inputs.interviews.iterdir()
        if p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES
    )


def other_files(programme: Programme) -> list[Path]:
    """Files in the interviews folder that are not transcripts (a .pdf, a note): not read, but reported."""
    return sorted(
        p
        for p in programme.inputs.interviews.iterdir()
        if p.is_file() and p.suffix.lower() not in TRANSCRIPT_SUFFIXES
    )


def input_files(programme: Programme) -> list[Path]:
    """Every input file the run reads, in a stable order (a related-terms list of your own, a coding sheet,
    a previous plan and an evaluation last)."""
    own_terms = programme.themes.related_terms
    sheet = programme.themes.review
    return [
        programme.inputs.survey,
        programme.inputs.codebook,
        *transcript_files(programme),
        *([own_terms] if isinstance(own_terms, Path) else []),
        *([sheet] if sheet is not None and sheet.is_file() else []),
        *[p for p in (programme.inputs.previous_plan, programme.inputs.evaluation) if p is not None],
        *[
            p
            for p in (programme.inputs.previous_survey, programme.inputs.previous_codebook)
            if p is not None and p != programme.inputs.codebook
        ],
    ]


def input_hashes(programme: Programme) -> dict[str, str]:
    base = programme.path.parent
    return {_relative(p, base): sha256_file(p) for p in input_files(programme)}


def _relative(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def update_manifest(
    store: Store, programme: Programme, stage: str, rows: dict[str, int], seconds: float
) -> dict[str, Any]:
    """Record one finished stage in the manifest and return the manifest."""
    hashes = input_hashes(programme)
    path = store.path("run_manifest")
    manifest: dict[str, Any] = store.read_json("run_manifest") if path.exists() else {}
    if manifest.get("config_sha256") != programme.sha256 or manifest.get("inputs") != hashes:
        manifest = {}
    manifest.update(
        {
            "package_version": __version__,
            "programme_file": programme.path.as_posix(),
            "config_sha256": programme.sha256,
            "inputs": hashes,
        }
    )
    if stage == "ingest":  # replacements per source and kind, never the values
        manifest["privacy"] = store.read_json("ingest_report").get("privacy", {})
    if stage == "themes":  # which sentence encoder (model and weights) the themes stand on, if any
        manifest["encoder"] = store.read_json("theme_diagnostics").get("representation", {})
    stages = manifest.setdefault("stages", {})
    stages[stage] = {"rows": rows}
    store.write_json("run_manifest", manifest)
    record_timings(store, {"stages": {stage: round(seconds, 3)}})
    return manifest


def record_timings(store: Store, timings: dict[str, dict[str, float]]) -> None:
    """Merge wall times into `run_timings.json`, with the time of writing."""
    path = store.path("run_timings")
    current: dict[str, Any] = store.read_json("run_timings") if path.exists() else {}
    for key, values in timings.items():
        current.setdefault(key, {}).update(values)
    current["updated_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    store.write_json("run_timings", current)


def check_upstream(store: Store, programme: Programme, stage: str, upstream: tuple[str, ...]) -> None:
    """Refuse to run `stage` on outputs that other data made (another survey export, codebook or
    transcripts): two runs into one work dir must not mix one run's respondents with the other's themes.
    Settings may change between stages (re-ranking with other weights is a use); the data may not."""
    path = store.path("run_manifest")
    if not upstream or not path.exists():
        return
    manifest = store.read_json("run_manifest")
    terms, sheet = programme.themes.related_terms, programme.themes.review
    own = {_relative(p, programme.path.parent) for p in (terms, sheet) if isinstance(p, Path)}
    recorded = {k: v for k, v in manifest.get("inputs", {}).items() if k not in own}
    current = {k: v for k, v in input_hashes(programme).items() if k not in own}
    if recorded == current:
        return
    made_by = manifest.get("programme_file", "another programme file")
    raise StageOrderError(
        f"{store.workdir}: the outputs there were made by {made_by} from other data than the files "
        f"{programme.path.name} names now; `{stage}` would mix two runs. Run the whole pipeline again "
        "(`make all` or `python -m pipeline run`), or use another --workdir."
    )
