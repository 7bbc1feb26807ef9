"""Where each stage's inputs and outputs live under a work dir, and how they are read and written.

This is the only module that knows file names of stage outputs (the output contract in the README).
Everything is written under the work dir: `data/interim`, `data/processed`, `reports`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.errors import StageOrderError

# a spreadsheet runs a cell that starts with one of these as a formula (CSV/formula injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(df: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every text cell that a spreadsheet would run as a formula gets a leading apostrophe
    (the OWASP advice); `unprotect_cell` takes it off again when our own files are read back."""

    def fix(v: object) -> object:
        return "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v

    out = df.apply(
        lambda col: col.map(fix) if col.dtype == object or pd.api.types.is_string_dtype(col) else col
    )
    out.columns = [fix(c) for c in df.columns]
    return out


def unprotect_cell(value: str) -> str:
    """A cell written by `spreadsheet_safe`, as it was."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


FIXED_ZIP_TIME = (2021, 6, 25, 12, 0, 0)  # Office files carry no time of writing: same input, same bytes
FIXED_ISO = "2021-06-25T12:00:00Z"


def stable_zip(data: bytes) -> bytes:
    """An Office file (zip) with fixed entry times and fixed document timestamps, so output is byte-stable."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                text = re.sub(
                    r"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)",
                    rf"\g<1>{FIXED_ISO}\g<2>",
                    content.decode("utf-8"),
                )
                content = text.encode("utf-8")
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, content)
    return out.getvalue()


def write_csv(df: pd.DataFrame, path: Path, encoding: str = "utf-8", excel_nb: bool = False) -> Path:
    """CSV with CRLF line ends (so a field holding a CR or LF is always quoted) and formula-safe cells.
    `excel_nb`: the dialect Norwegian Excel opens by double-click: `;` between cells, decimal comma, UTF-8
    with BOM."""
    path.parent.mkdir(parents=True, exist_ok=True)
    options = {"sep": ";", "decimal": ",", "encoding": "utf-8-sig"} if excel_nb else {"encoding": encoding}
    spreadsheet_safe(df).to_csv(path, index=False, lineterminator="\r\n", **options)
    return path


# dataset name -> (folder, file name); folders are relative to the work dir
DATASETS: dict[str, tuple[str, str]] = {
    "respondents": ("data/interim", "respondents.parquet"),
    "likert": ("data/interim", "likert.parquet"),
    "choices": ("data/interim", "choices.parquet"),
    "free_text": ("data/interim", "free_text.parquet"),
    "turns": ("data/interim", "turns.parquet"),
    # a previous survey wave ([inputs].previous_survey), read by the same rules; its ids start with F
    "previous_respondents": ("data/interim", "previous_respondents.parquet"),
    "previous_likert": ("data/interim", "previous_likert.parquet"),
    "previous_free_text": ("data/interim", "previous_free_text.parquet"),
    "wave_items": ("data/interim", "wave_items.parquet"),
    "needs_change": ("data/processed", "needs_change.parquet"),
    "needs_change_segments": ("data/processed", "needs_change_segments.parquet"),
    "theme_change": ("data/processed", "theme_change.parquet"),
    "topic_change": ("data/processed", "topic_change.parquet"),
    "term_change": ("data/processed", "term_change.parquet"),
    "current_theme_change": ("data/processed", "current_theme_change.parquet"),
    "needs": ("data/processed", "needs.parquet"),
    "needs_segments": ("data/processed", "needs_segments.parquet"),
    "preferences": ("data/processed", "preferences.parquet"),
    "need_profiles": ("data/processed", "need_profiles.parquet"),
    "respondent_profiles": ("data/processed", "respondent_profiles.parquet"),
    "profile_segments": ("data/processed", "profile_segments.parquet"),
    "profile_topics": ("data/processed", "profile_topics.parquet"),
    "themes": ("data/processed", "themes.parquet"),
    "doc_themes": ("data/processed", "doc_themes.parquet"),
    "doc_topics": ("data/processed", "doc_topics.parquet"),
    "seed_terms": ("data/processed", "seed_terms.parquet"),
    "coding": ("data/processed", "coding.parquet"),
    "review_agreement": ("data/processed", "review_agreement.parquet"),
    "theme_prevalence": ("data/processed", "theme_prevalence.parquet"),
    "theme_effects": ("data/processed", "theme_effects.parquet"),
    "topic_ranking": ("data/processed", "topic_ranking.parquet"),
    "plan": ("data/processed", "plan.parquet"),
    "plan_left_out": ("data/processed", "plan_left_out.parquet"),
    "plan_overview": ("data/processed", "plan_overview.parquet"),
    "plan_sensitivity": ("data/processed", "plan_sensitivity.parquet"),
    "plan_changes": ("data/processed", "plan_changes.parquet"),
    "evaluation": ("data/processed", "evaluation.parquet"),
    "economics": ("data/processed", "economics.parquet"),
    "economics_segments": ("data/processed", "economics_segments.parquet"),
}
JSON_FILES: dict[str, tuple[str, str]] = {
    "ingest_report": ("data/interim", "ingest_report.json"),
    "theme_diagnostics": ("data/processed", "theme_diagnostics.json"),
    "needs_summary": ("data/processed", "needs_summary.json"),
    "profile_diagnostics": ("data/processed", "profile_diagnostics.json"),
    "run_manifest": ("data/processed", "run_manifest.json"),
    "run_timings": ("data/processed", "run_timings.json"),
    "plan_summary": ("data/processed", "plan_summary.json"),
    "economics_summary": ("data/processed", "economics_summary.json"),
}
# written only when the programme file names a previous survey wave ([inputs].previous_survey)
WITH_PREVIOUS_WAVE = frozenset(
    {
        "previous_respondents",
        "previous_likert",
        "previous_free_text",
        "wave_items",
        "needs_change",
        "needs_change_segments",
        "theme_change",
        "topic_change",
        "term_change",
        "current_theme_change",
    }
)
# which stage writes which dataset, so a missing input can name the command that makes it
PRODUCED_BY = {
    "respondents": "ingest",
    "likert": "ingest",
    "choices": "ingest",
    "free_text": "ingest",
    "turns": "ingest",
    "ingest_report": "ingest",
    "previous_respondents": "ingest",
    "previous_likert": "ingest",
    "previous_free_text": "ingest",
    "wave_items": "ingest",
    "needs_change": "needs",
    "needs_change_segments": "needs",
    "theme_change": "themes",
    "topic_change": "themes",
    "term_change": "themes",
    "current_theme_change": "themes",
    "needs": "needs",
    "needs_segments": "needs",
    "preferences": "needs",
    "needs_summary": "needs",
    "need_profiles": "needs",
    "respondent_profiles": "needs",
    "profile_segments": "needs",
    "profile_diagnostics": "needs",
    "themes": "themes",
    "doc_themes": "themes",
    "doc_topics": "themes",
    "seed_terms": "themes",
    "coding": "themes",
    "review_agreement": "themes",
    "theme_prevalence": "themes",
    "theme_effects": "themes",
    "theme_diagnostics": "themes",
    "topic_ranking": "rank",
    "profile_topics": "rank",
    "plan": "plan",
    "plan_left_out": "plan",
    "plan_overview": "plan",
    "plan_sensitivity": "plan",
    "plan_changes": "plan",
    "plan_summary": "plan",
    "evaluation": "rank",
    "economics": "economics",
    "economics_segments": "economics",
    "economics_summary": "economics",
}


class StageOutputs:
    """What a stage's `build` returns (a dataclass): every field named like a dataset of the store is saved
    under that name, a table to parquet and a dict to JSON; other fields (the manifest's `counts`, what the
    stage writes elsewhere, what is private) are not."""

    def tables(self) -> dict[str, Any]:  # a field left None (no previous wave) is not written
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name in DATASETS and getattr(self, f.name) is not None
        }

    def jsons(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name in JSON_FILES and getattr(self, f.name) is not None
        }


def sha256_file(path: Path) -> str:
    """The SHA-256 of a file, read in blocks (inputs in the manifest, a model's weights)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """Write to a temporary file beside `path` and move it into place when done: a reader never sees a
    half-written output, and a failed write leaves the old file as it was."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp{os.getpid()}")
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class Store:
    """Paths of one work dir. Reading a missing stage output raises StageOrderError naming the stage."""

    workdir: Path

    @property
    def interim(self) -> Path:
        return self.workdir / "data" / "interim"

    @property
    def processed(self) -> Path:
        return self.workdir / "data" / "processed"

    @property
    def reports(self) -> Path:
        return self.workdir / "reports"

    @property
    def private(self) -> Path:
        """For the pseudonym mapping only (when the programme file asks for it); never shown to partners."""
        return self.workdir / "private"

    def path(self, name: str) -> Path:
        folder, file = DATASETS.get(name) or JSON_FILES[name]
        return self.workdir / folder / file

    def _existing(self, name: str) -> Path:
        path = self.path(name)
        if not path.exists():
            stage = PRODUCED_BY.get(name, "run")
            raise StageOrderError(
                f"{path} does not exist yet. Run `python -m pipeline {stage}` (or `make {stage}`) first, "
                "with the same --workdir."
            )
        return path

    def read(self, name: str) -> pd.DataFrame:
        return pd.read_parquet(self._existing(name))

    def write(self, name: str, df: pd.DataFrame) -> Path:
        path = self.path(name)
        with replacing(path) as tmp:
            df.reset_index(drop=True).to_parquet(tmp, index=False)
        return path

    def read_json(self, name: str) -> dict[str, Any]:
        return json.loads(self._existing(name).read_text(encoding="utf-8"))

    def write_json(self, name: str, data: dict[str, Any]) -> Path:
        path = self.path(name)
        with replacing(path) as tmp:
            tmp.write_text(
                json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n", encoding="utf-8"
            )
        return path

    def embedding_cache(self, identity: str) -> Path:
        """The cache of one sentence encoder's vectors (`pipeline.themes.embedding_cache`)."""
        slug = "".join(c if c.isalnum() or c in "-." else "_" for c in identity)
        return self.interim / "embeddings" / f"{slug}.parquet"

    def processed_file(self, file: str) -> Path:
        self.processed.mkdir(parents=True, exist_ok=True)
        return self.processed / file
