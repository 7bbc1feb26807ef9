"""Every deliverable of a finished run, written after the report pages (`reports` stage)."""

from __future__ import annotations

import logging
from pathlib import Path

from pipeline.deliver.board import write_board_paper
from pipeline.deliver.findings import economics_section
from pipeline.deliver.landing import landing_page, run_page
from pipeline.deliver.pdf import write_pdfs
from pipeline.deliver.workbook import economics_sheet, write_workbook
from pipeline.present.base import load_run
from pipeline.store import Store

log = logging.getLogger(__name__)

BOARD_PAPER = "styresak.docx"
WORKBOOK = "programplan.xlsx"
PDF_DIR = "pdf"


def write_deliverables(
    store: Store, reports: list[tuple[str, str]], pdfs: list[Path] | None = None
) -> list[Path]:
    """The workbook, the board paper, the PDFs (unless `pdfs` were printed already, as the reports were
    rendered) and the landing pages; `reports`: (name, title) of every partner report, in order."""
    run = load_run(store.workdir)
    programme = run.programme
    out = store.reports
    written = [
        write_workbook(run, out / WORKBOOK, economics_sheet(run)),
        write_board_paper(
            run,
            programme.name,
            programme.weights,
            out / BOARD_PAPER,
            economics_section(run),
            [title for _name, title in reports] + ["Arbeidsbok for programutviklerne (Excel)"],
        ),
    ]
    if pdfs is None:
        pdfs = write_pdfs([out / f"{name}.html" for name, _title in reports], out / PDF_DIR)
        written += pdfs
    order = {name: i for i, (name, _title) in enumerate(reports)}
    pdfs = sorted((p for p in pdfs if p.stem in order), key=lambda p: order[p.stem])
    titles = dict(reports)
    documents = [(f"{name}.html", title) for name, title in reports]
    documents += [(f"{PDF_DIR}/{p.name}", f"{titles[p.stem]} (PDF for utskrift)") for p in pdfs]
    documents += [
        (BOARD_PAPER, "Styresak (Word)"),
        (WORKBOOK, "Arbeidsbok for programutviklerne (Excel)"),
    ]
    documents += [(f"{name}_analytiker.html", f"{title}: analyseversjon med kode") for name, title in reports]
    index = out / "index.html"
    index.write_text(landing_page(run, programme.name, programme.weights, documents), encoding="utf-8")
    about = out / "om_kjoringen.html"
    about.write_text(run_page(run), encoding="utf-8")
    log.info("deliverables written: %s", ", ".join(p.name for p in [*written, index, about]))
    return [*written, index, about]
