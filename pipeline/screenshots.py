"""`python -m pipeline.screenshots` (`make screenshots`): the first page of every partner report as PNG,
taken by headless Chromium (Debian's `chromium` package), into `reports/screenshots/`, to look at what a
reader sees."""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.config import PROJ_ROOT
from pipeline.errors import PipelineError
from pipeline.report import REPORTS

log = logging.getLogger(__name__)

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def find_chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise PipelineError(
        "Chromium not found. Install Debian's package (apt-get install chromium) and run again."
    )


def screenshot(html: Path, png: Path, width: int = 1280, height: int = 1600) -> Path:
    """One page, as a reader first sees it."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                find_chromium(),
                *FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={png}",
                html.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return png


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
