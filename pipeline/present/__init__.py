"""What report notebooks show, built from a finished run: Norwegian tables, text and figures' inputs.

Notebooks hold no logic: they call `load_run(workdir)` and the functions of `overview`, `needs`, `profiles`,
`themes`, `plan` and `economics`. All free text is HTML-escaped here; every breakdown goes through the
small-cell helper.
"""

import importlib

from pipeline.present.base import HTML, Run, embed, format_number, format_percent, load_run, table
from pipeline.present.glossary import glossary

SUBMODULES = ("economics", "needs", "overview", "plan", "profiles", "themes", "waves")


def __getattr__(name: str):
    """`present.economics` and the others load on first use: `figures` imports `present.base` without
    importing the report sections that draw figures (no import cycle)."""
    if name in SUBMODULES:
        return importlib.import_module(f"pipeline.present.{name}")
    raise AttributeError(f"module 'pipeline.present' has no attribute {name!r}")


__all__ = [
    "HTML",
    "embed",
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
    "waves",
]
