"""`python -m pipeline.screenshots` (`make screenshots`): what a reader sees, as PNG in
`reports/screenshots/`: the first screen of every partner report and the landing page (headless Chromium,
Debian's `chromium`), every page of every PDF (`pdftoppm`, Debian's `poppler-utils`) and every page of the
board paper (converted by LibreOffice, `libreoffice-writer-nogui`, then `pdftoppm`). A missing tool skips
its part, saying how to install it."""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from pipeline.config import PROJ_ROOT
from pipeline.deliver.chromium import require_chromium, screenshot
from pipeline.errors import PipelineError
from pipeline.report import REPORTS

log = logging.getLogger(__name__)


def pdf_pages(pdf: Path, out: Path, prefix: str) -> list[Path]:
    """Every page of `pdf` as `out/<prefix>-N.png` (60 dpi), or [] without pdftoppm."""
    if shutil.which("pdftoppm") is None:
        log.warning("no PDF pages: pdftoppm is missing (apt-get install -y poppler-utils)")
        return []
    for old in out.glob(f"{prefix}-*.png"):  # a longer earlier version's pages are not this one's
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(out / prefix)], check=True, timeout=120)
    return sorted(out.glob(f"{prefix}-*.png"))


def word_pages(docx: Path, out: Path) -> list[Path]:
    """Every page of the board paper, through LibreOffice's PDF export, or [] without LibreOffice."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        log.warning(
            "no board paper pages: LibreOffice is missing (apt-get install -y libreoffice-writer-nogui)"
        )
        return []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [office, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(docx)],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return pdf_pages(Path(tmp) / f"{docx.stem}.pdf", out, docx.stem)


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
        for pdf in sorted((reports / "pdf").glob("*.pdf")):
            log.info("PDF pages: %d of %s", len(pdf_pages(pdf, out, f"pdf-{pdf.stem}")), pdf.name)
        board = reports / "styresak.docx"
        if board.exists():
            log.info("board paper pages: %d", len(word_pages(board, out)))
    except PipelineError as exc:
        print(f"error: {exc}")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
