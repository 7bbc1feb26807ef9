"""What report notebooks show, built from a finished run: Norwegian tables, text and figures' inputs.

Notebooks hold no logic: they call `load_run(workdir)` and the functions of `overview`, `needs`, `profiles`,
`themes`, `plan` and `economics`. All free text is HTML-escaped here; every breakdown goes through the
small-cell helper.
"""

from pipeline.present import economics, needs, overview, plan, profiles, themes
from pipeline.present.base import HTML, Run, format_number, format_percent, load_run, table
from pipeline.present.glossary import glossary

__all__ = [
    "HTML",
    "economics",
    "Run",
    "format_number",
    "format_percent",
    "glossary",
    "load_run",
    "needs",
    "overview",
    "plan",
    "profiles",
    "table",
    "themes",
]
