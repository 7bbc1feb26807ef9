"""Print-ready PDF of every partner report, by headless Chromium's print-to-PDF (the reports carry their
own print style: A4, page numbers, no table row or figure cut across pages). Without Chromium the run goes
on and says how to install it."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipeline.deliver.chromium import INSTALL_HINT, find_chromium, print_pdf

log = logging.getLogger(__name__)


def write_pdfs(pages: list[Path], out: Path, quiet: bool = False) -> list[Path]:
    """`out/<page>.pdf` for every page, two at a time; [] (and, unless `quiet`, a warning saying how to
    install it) without Chromium."""
    if find_chromium() is None:
        if not quiet:
            log.warning("no PDF written: Chromium is not installed. %s", INSTALL_HINT)
        return []
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda page: print_pdf(page, out / f"{page.stem}.pdf"), pages))
