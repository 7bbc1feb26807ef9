"""Print-ready PDF of every partner report, by headless Chromium's print-to-PDF (the reports carry their
own print style: A4, page numbers, no table row or figure cut across pages). Without Chromium the run goes
on and says how to install it."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from pipeline.deliver.chromium import HIDE_VARIABLE, INSTALL_HINT, chromium_hidden, find_chromium, print_pdf

log = logging.getLogger(__name__)


def write_pdfs(pages: list[Path], out: Path, quiet: bool = False) -> list[Path]:
    """`out/<page>.pdf` for every page, two at a time; [] (and, unless `quiet`, a warning saying how to
    install it) without Chromium. Without it, a PDF an earlier run printed of one of `pages` is removed:
    it would no longer match the page."""
    if find_chromium() is None:
        stale = [out / f"{page.stem}.pdf" for page in pages if (out / f"{page.stem}.pdf").is_file()]
        for path in stale:
            path.unlink()
        if stale:
            log.warning("removed %d PDF(s) of an earlier run, which no longer match the reports", len(stale))
        if not quiet and chromium_hidden():
            log.warning("no PDF written: Chromium is hidden by %s.", HIDE_VARIABLE)
        elif not quiet:
            log.warning("no PDF written: Chromium is not installed. %s", INSTALL_HINT)
        return []
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(lambda page: print_pdf(page, out / f"{page.stem}.pdf"), pages))
