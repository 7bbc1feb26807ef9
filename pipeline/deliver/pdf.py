"""Print-ready PDF of every partner report, by headless Chromium's print-to-PDF (the reports carry their
own print style: A4, page numbers, no table row or figure cut across pages). Without Chromium the run goes
on and says how to install it."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipeline.deliver.chromium import INSTALL_HINT, find_chromium, print_pdf

log = logging.getLogger(__name__)


def write_pdfs(pages: list[Path], out: Path) -> list[Path]:
    """`out/<page>.pdf` for every page, two at a time; [] (and a warning saying how) without Chromium."""
    if find_chromium() is None:
        log.warning("no PDF written: Chromium is not installed. %s", INSTALL_HINT)
        return []
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda page: print_pdf(page, out / f"{page.stem}.pdf"), pages))
