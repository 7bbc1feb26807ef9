"""`python -m benchmarks --out reports/benchmarks.md`: time every stage on the shipped sample.

Each stage is run `--repeat` times into a temporary work dir; the table reports the median and the minimum
wall time. Further sections measure pseudonymisation on the planted personal data, the needs analysis,
need profiles, themes against labels, two surveys compared, the plan solver, the economics and survey
ingest at scale.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks import economics, ingest, needs, plan, privacy, profiles, themes, waves
from pipeline.config import DEFAULT_CONFIG, PROJ_ROOT, load_programme
from pipeline.stages import STAGES, run_stage
from pipeline.store import Store

log = logging.getLogger("benchmarks")


def time_stages(config: Path, repeat: int, keep: Path) -> dict[str, list[float]]:
    """Wall time per stage over `repeat` runs; the last run's outputs stay in `keep`."""
    programme = load_programme(config)
    timings: dict[str, list[float]] = {name: [] for name in STAGES}
    for i in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            store = Store(keep if i == repeat - 1 else Path(tmp))
            for name in STAGES:
                started = time.perf_counter()
                run_stage(name, programme, store)
                timings[name].append(time.perf_counter() - started)
    return timings


def stage_table(timings: dict[str, list[float]]) -> str:
    lines = ["| stage | median s | min s |", "|---|---:|---:|"]
    for name, values in timings.items():
        lines.append(f"| {name} | {statistics.median(values):.2f} | {min(values):.2f} |")
    total = [sum(v[i] for v in timings.values()) for i in range(len(next(iter(timings.values()))))]
    lines.append(f"| **all** | {statistics.median(total):.2f} | {min(total):.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--out", type=Path, default=Path("reports/benchmarks.md"))
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    last_run = Path(tempfile.mkdtemp(prefix="bench-run-"))
    sections = [
        f"# Benchmarks\n\n## Stage wall time on {args.config.name} ({args.repeat} runs)\n",
        stage_table(time_stages(args.config, args.repeat, last_run)),
    ]
    shared = PROJ_ROOT.parent / "shared" / "data"
    sections += [
        "\n## Pseudonymisation\n",
        privacy.run(
            args.config,
            PROJ_ROOT / "data" / "ground_truth",
            shared,
            PROJ_ROOT / "benchmarks" / "data" / "privacy_cases.jsonl",
            last_run,
        ),
    ]
    shutil.rmtree(last_run, ignore_errors=True)
    sections += ["\n## Needs analysis\n", needs.run(args.config, PROJ_ROOT / "data" / "ground_truth")]
    sections += ["\n## Need profiles\n", profiles.run(args.config, PROJ_ROOT / "data" / "ground_truth")]
    sections += [
        "\n## Themes against labels\n",
        themes.run(args.config, PROJ_ROOT / "data" / "ground_truth", shared / "sib200_nob.tsv"),
    ]
    sections += [
        "\n## Two surveys: what changed since the previous one\n",
        waves.run(args.config, PROJ_ROOT / "data" / "raw" / "programme_2023.toml"),
    ]
    sections += ["\n## Plan solver\n", plan.run(args.config)]
    sections += ["\n## Economics\n", economics.run(args.config)]
    with tempfile.TemporaryDirectory() as tmp:
        sections += [
            "\n## Survey ingest at scale (generated exports, one process each)\n",
            ingest.run(Path(tmp)),
        ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(sections) + "\n", encoding="utf-8")
    log.warning("benchmark table written to %s", args.out)
    print(args.out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
