"""Survey ingest at scale: exports of 1,000 / 10,000 / 100,000 respondents from the sample generator, read,
tidied and pseudonymised in a fresh process each (so peak memory is that of the ingest alone)."""

from __future__ import annotations

import resource
import time
from pathlib import Path

from benchmarks.child import run_in_child
from pipeline.privacy import Pseudonymiser, pseudonymise_column
from pipeline.sample.generate import write_scaled
from pipeline.survey import read_codebook, read_export, tidy_survey

SIZES = (1_000, 10_000, 100_000)


def ingest_once(export: str, codebook: str) -> dict[str, float]:
    """Run in a child process: seconds per step and peak resident memory."""
    export, codebook = Path(export), Path(codebook)
    t0 = time.perf_counter()
    book = read_codebook(codebook)
    raw = read_export(export, id_column="Respondent-ID")
    t1 = time.perf_counter()
    tables = tidy_survey(raw, book, export)
    t2 = time.perf_counter()
    pseudonymise_column(tables.free_text, "text", Pseudonymiser())
    t3 = time.perf_counter()
    return {
        "read_s": t1 - t0,
        "tidy_s": t2 - t1,
        "pseudonymise_s": t3 - t2,
        "total_s": t3 - t0,
        "respondents": len(tables.respondents),
        "likert_rows": len(tables.likert),
        "free_text_rows": len(tables.free_text),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def run(workdir: Path, sizes: tuple[int, ...] = SIZES) -> str:
    lines = [
        "| respondents | file MB | read s | tidy s | pseudonymise s | total s | peak MB |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        export = workdir / f"survey_{n}.csv"
        if not export.exists():
            write_scaled(n, workdir)
        r = run_in_child("benchmarks.ingest", "ingest_once", str(export), str(workdir / "codebook.csv"))
        lines.append(
            f"| {n:,} | {export.stat().st_size / 1e6:.1f} | {r['read_s']:.2f} | {r['tidy_s']:.2f} | "
            f"{r['pseudonymise_s']:.2f} | {r['total_s']:.2f} | {r['peak_mb']:.0f} |"
        )
    return "\n".join(lines)
