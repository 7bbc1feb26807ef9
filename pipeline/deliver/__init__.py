"""Deliverables beside the report pages, for readers who do not open a folder of HTML:

- `findings`: the run's findings as plain Norwegian sentences, shared by the landing page and the board paper.
- `landing`: `reports/index.html` (findings first, links to each report) and `reports/om_kjoringen.html`
  (the technical run information).
- `board`: the board paper (`reports/styresak.docx`), python-docx, styles only.
- `workbook`: the designer's workbook (`reports/programplan.xlsx`) and CSV files in the Norwegian Excel
  dialect.
- `pdf`: print-ready PDF of every partner report by headless Chromium, when it is installed.
- `chromium`: headless Chromium for PDF and screenshots.
"""

from pipeline.deliver.write import write_deliverables

__all__ = ["write_deliverables"]
