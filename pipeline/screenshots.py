"""`python -m pipeline.screenshots` (`make screenshots`): the first page of every partner report as PNG,
taken by headless Chromium (Debian's `chromium` package), into `reports/screenshots/`, to look at what a
reader sees."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from pipeline.config import PROJ_ROOT
from pipeline.deliver.chromium import require_chromium, screenshot
from pipeline.errors import PipelineError
from pipeline.report import REPORTS

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.screenshots", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--workdir", type=Path, default=PROJ_ROOT)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    reports = args.workdir / "reports"
    out = reports / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    try:
        require_chromium()
        for spec in REPORTS:
            html = reports / f"{spec.name}.html"
            if not html.exists():
                raise PipelineError(f"{html} does not exist yet. Run `make reports` first.")
            log.info("screenshot: %s", screenshot(html, out / f"{spec.name}.png"))
        log.info("screenshot: %s", screenshot(reports / "index.html", out / "index.png", height=900))
    except PipelineError as exc:
        print(f"error: {exc}")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
