"""A finished run loaded from a work dir (`load_run`), Norwegian number formats, and the HTML display object
the report notebooks use."""

from __future__ import annotations

import base64
import hashlib
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.config import load_programme
from pipeline.store import WITH_PREVIOUS_WAVE, Store
from pipeline.text import format_number, format_percent

__all__ = [
    "HTML",
    "Run",
    "bullets",
    "format_number",
    "format_percent",
    "load_run",
    "table",
    "theme_share_base",
]


@dataclass(frozen=True)
class Run:
    store: Store
    tables: dict[str, pd.DataFrame]
    manifest: dict[str, Any]
    ingest_report: dict[str, Any]
    min_cell: int
    contributor_names: dict[str, str]
    needs_summary: dict[str, Any]
    plan_summary: dict[str, Any]
    economics_summary: dict[str, Any]
    programme: Any  # the programme file as loaded (config.Programme)
    theme_diagnostics: dict[str, Any] = field(default_factory=dict)  # how the themes were found


def load_run(workdir: str | Path) -> Run:
    """Every table of a finished run in `workdir`."""
    store = Store(Path(workdir))
    names = (
        "respondents",
        "likert",
        "free_text",
        "turns",
        "needs",
        "needs_segments",
        "preferences",
        "need_profiles",
        "respondent_profiles",
        "profile_segments",
        "profile_topics",
        "themes",
        "doc_themes",
        "seed_terms",
        "review_agreement",
        "theme_prevalence",
        "theme_effects",
        "topic_ranking",
        "plan",
        "plan_left_out",
        "plan_overview",
        "plan_changes",
        "evaluation",
        "economics",
        "economics_segments",
    )
    manifest = store.read_json("run_manifest")
    programme = load_programme(manifest["programme_file"])
    tables = {n: store.read(n) for n in names}
    if programme.inputs.previous_survey is not None:  # the comparison with a previous survey
        tables |= {name: store.read(name) for name in sorted(WITH_PREVIOUS_WAVE)}
    return Run(
        store,
        tables,
        manifest,
        store.read_json("ingest_report"),
        programme.privacy.min_cell,
        {c.id: c.name for c in programme.contributors},
        store.read_json("needs_summary"),
        store.read_json("plan_summary"),
        store.read_json("economics_summary"),
        programme,
        store.read_json("theme_diagnostics"),
    )


class HTML:
    """Minimal rich-display object (what IPython.display.HTML does), so the package needs no IPython."""

    def __init__(self, body: str):
        self.body = body

    def _repr_html_(self) -> str:
        return self.body


def embed(fig: Any, alt: str, caption: str = "") -> HTML:
    """A figure as an HTML <figure> with a PNG, Norwegian alternative text and an optional caption, shown
    at its own size (in inches), so print does not shrink its text."""
    import matplotlib.pyplot as plt  # only where a figure is drawn

    inches = fig.get_size_inches()[0]
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return HTML(
        f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" '
        f'style="width:{inches:.2f}in;max-width:100%">{cap}</figure>'
    )


NUMERIC_CELL = re.compile(r"^[<–-]?\s*\d[\d\s\u202f,.]*(\s*%)?(\s*\(.*\))?$|^–$")


EMPTY = "Det er ingenting å vise her for disse dataene."
WIDE_TABLE = 6  # columns from which a table prints in a smaller font


def theme_share_base(run: Run) -> int:
    """The respondents who wrote an answer with content: the base of every share of an emne."""
    prevalence = run.tables["theme_prevalence"]
    base = prevalence.loc[(prevalence["segment_type"] == "source") & (prevalence["segment"] == "survey"), "n"]
    return int(base.iloc[0]) if len(base) else int(run.tables["free_text"]["respondent_id"].nunique())


def too_few_needs(run: Run) -> str:
    """'' when enough leaders answered the importance and competence items to rank needs; otherwise the
    sentence that says why they are not ranked (fewer than `min_cell`: one person's answers are theirs)."""
    needs = run.tables["needs"]
    answered = int(needs["n"].max()) if len(needs) else 0
    if answered >= run.min_cell:
        return ""
    who = "ingen ledere" if answered == 0 else "én leder" if answered == 1 else f"{answered} ledere"
    return (
        f"Bare {who} har svart på spørsmålene om viktighet og kompetanse. Rapportene viser ikke resultater "
        f"for grupper med færre enn {run.min_cell} svar, så behovene blir verken vist eller rangert."
    )


def table(df: pd.DataFrame, empty: str = EMPTY) -> HTML:
    """A DataFrame as an HTML table; cell text is escaped. Columns of numbers are right-aligned, text columns
    left-aligned, as a reader expects. An empty frame is a sentence (`empty`: why), never a bare header."""
    if df.empty:
        return HTML(f"<p>{html.escape(empty)}</p>")
    body = df.to_html(index=False, escape=True, border=0, classes="rapport-tabell")
    numeric = [
        df[c].map(lambda v: bool(NUMERIC_CELL.match(str(v).strip()))).all() if len(df) else False
        for c in df.columns
    ]
    key = "t" + hashlib.sha1(df.to_csv(index=False).encode("utf-8")).hexdigest()[:10]  # stable across runs
    rules = [
        f".{key} td:nth-child({i + 1}), .{key} th:nth-child({i + 1})"
        f"{{text-align:{'right' if num else 'left'}}}"
        for i, num in enumerate(numeric)
    ]
    wide = " bred" if len(df.columns) >= WIDE_TABLE else ""  # printed smaller (the report template)
    body = body.replace(
        'class="dataframe rapport-tabell"', f'class="dataframe rapport-tabell {key}{wide}"', 1
    )
    return HTML(f"<style>{' '.join(rules)}</style>{body}")


def bullets(items: list[str]) -> HTML:
    """A bullet list of plain sentences (escaped)."""
    return HTML("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")
