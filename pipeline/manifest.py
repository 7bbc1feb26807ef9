"""The run manifest (`data/processed/run_manifest.json`): what went in, what came out, how long it took.

Every stage updates its own entry, so a run made stage by stage through `make` has the same manifest shape
as `python -m pipeline run`. When the programme file or the inputs change, the stages of the older run are
dropped, so the manifest never mixes two runs.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline import __version__
from pipeline.config import Programme
from pipeline.interviews import TRANSCRIPT_SUFFIXES
from pipeline.store import Store


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def transcript_files(programme: Programme) -> list[Path]:
    """The transcripts in the interviews folder, in a stable order."""
    return sorted(
        p
        for p in programme.inputs.interviews.iterdir()
        if p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES
    )


def input_files(programme: Programme) -> list[Path]:
    """Every input file the run reads, in a stable order (a related-terms list of your own and a coding
    sheet last)."""
    own_terms = programme.themes.related_terms
    sheet = programme.themes.review
    return [
        programme.inputs.survey,
        programme.inputs.codebook,
        *transcript_files(programme),
        *([own_terms] if isinstance(own_terms, Path) else []),
        *([sheet] if sheet is not None and sheet.is_file() else []),
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
            "updated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    )
    if stage == "ingest":  # replacements per source and kind, never the values
        manifest["privacy"] = store.read_json("ingest_report").get("privacy", {})
    stages = manifest.setdefault("stages", {})
    stages[stage] = {"rows": rows, "seconds": round(seconds, 3)}
    store.write_json("run_manifest", manifest)
    return manifest
