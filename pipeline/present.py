"""What report notebooks show: a finished run loaded from a work dir, and Norwegian tables and text built
from it. Notebooks only call these functions; all free text is HTML-escaped here, and every breakdown goes
through the small-cell helper."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from pipeline.config import load_programme
from pipeline.privacy import format_count, suppress_small_cells
from pipeline.store import Store

THIN_SPACE = "\u202f"


def format_number(value: float, decimals: int = 0) -> str:
    """Norwegian number format: decimal comma, narrow no-break space between thousands."""
    if value is None or pd.isna(value):
        return "–"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", THIN_SPACE).replace(".", ",")


def format_percent(share: float, decimals: int = 0) -> str:
    return "–" if share is None or pd.isna(share) else f"{format_number(100 * share, decimals)}{THIN_SPACE}%"


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
        "themes",
        "doc_themes",
        "theme_prevalence",
        "topic_ranking",
        "plan",
        "plan_left_out",
    )
    manifest = store.read_json("run_manifest")
    programme = load_programme(manifest["programme_file"])
    return Run(
        store,
        {n: store.read(n) for n in names},
        manifest,
        store.read_json("ingest_report"),
        programme.privacy.min_cell,
        {c.id: c.name for c in programme.contributors},
        store.read_json("needs_summary"),
        store.read_json("plan_summary"),
    )


class HTML:
    """Minimal rich-display object (what IPython.display.HTML does), so the package needs no IPython."""

    def __init__(self, body: str):
        self.body = body

    def _repr_html_(self) -> str:
        return self.body


def _table(df: pd.DataFrame) -> HTML:
    return HTML(df.to_html(index=False, escape=True, border=0, classes="rapport-tabell"))


def summary(run: Run) -> HTML:
    """The short summary partners read first."""
    t = run.tables
    n = len(t["respondents"])
    top_needs = t["needs"].sort_values("rank").head(3)["area_label"].tolist()
    chosen = t["plan"].loc[t["plan"]["chosen"]]
    n_sessions = int(chosen["n_sessions"].iloc[0]) if len(chosen) else 0
    emerging = t["themes"].loc[t["themes"]["emerging"], "label"].tolist()
    items = [
        f"{format_number(n)} ledere svarte på undersøkelsen, og {t['turns']['interview_id'].nunique()} "
        "dybdeintervjuer er med i grunnlaget.",
        "Størst opplevd behov (Borich-skår): " + ", ".join(top_needs) + ".",
        f"Programmet foreslås med {n_sessions} samlinger og {len(chosen)} temaer.",
    ]
    if emerging:
        items.append(
            "Temaer i fritekst som ingen tema i katalogen dekker (nye behov): " + "; ".join(emerging) + "."
        )
    return HTML("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")


def respondents_by(run: Run, column: str, heading: str) -> HTML:
    """Respondents per category, small cells shown as '<k'."""
    counts = run.tables["respondents"][column].fillna("Ikke oppgitt").value_counts().rename_axis(heading)
    df = counts.reset_index(name="n").sort_values(["n", heading], ascending=[False, True], kind="stable")
    df = suppress_small_cells(df.assign(andel=df["n"] / df["n"].sum()), "n", run.min_cell, ["andel"])
    shown = pd.DataFrame(
        {
            heading: df[heading],
            "Antall": [format_count(v, run.min_cell) for v in df["n"]],
            "Andel": [format_percent(v) for v in df["andel"]],
        }
    )
    return _table(shown)


def needs_table(run: Run) -> HTML:
    """Areas by Borich MWDS, with interval, rank interval, probability of top n, quadrants and priority."""
    needs = run.tables["needs"].sort_values("rank")
    top_n = int(run.needs_summary.get("top_n", 3))

    def interval(lo: float, hi: float, decimals: int = 1) -> str:
        return f"{format_number(lo, decimals)}–{format_number(hi, decimals)}"

    shown = pd.DataFrame(
        {
            "Rang": needs["rank"],
            "Lederområde": needs["area_label"],
            "Svar": needs["n"].map(format_number),
            "Viktighet": needs["importance"].map(lambda v: format_number(v, 2)),
            "Kompetanse": needs["competence"].map(lambda v: format_number(v, 2)),
            "Borich-skår": needs["mwds"].map(lambda v: format_number(v, 2)),
            "Intervall": [
                interval(lo, hi) for lo, hi in zip(needs["mwds_lo"], needs["mwds_hi"], strict=True)
            ],
            "Rang, intervall": [
                interval(lo, hi, 0) for lo, hi in zip(needs["rank_lo"], needs["rank_hi"], strict=True)
            ],
            f"Sannsynlighet topp {top_n}": needs["p_top"].map(format_percent),
            "Prioritet": needs["priority_label"],
        }
    )
    return _table(shown)


def preferences_table(run: Run, item: str, heading: str) -> HTML:
    """One programme question's answers with counts and shares (not a breakdown: no suppression needed)."""
    part = run.tables["preferences"].loc[lambda d: d["item_id"] == item]
    shown = pd.DataFrame(
        {
            heading: part["answer"],
            "Antall": part["n"].map(format_number),
            "Andel": part["share"].map(format_percent),
        }
    )
    return _table(shown)


def needs_headline(run: Run) -> HTML:
    """The needs in a few sentences: the top areas with their probability, and the programme preferences."""
    needs = run.tables["needs"].sort_values("rank")
    summary = run.needs_summary
    top_n = int(summary.get("top_n", 3))
    sure = needs.loc[needs["p_top"] >= 0.9, "area_label"].tolist()
    first = needs.loc[needs["priority"] == 1, "area_label"].tolist()
    items = [f"Størst behov etter Borich-skår: {', '.join(needs['area_label'].head(top_n))}."]
    if sure:
        items.append(f"Med minst 90 % sannsynlighet blant de {top_n} største behovene: {', '.join(sure)}.")
    if first:
        items.append(
            "Første prioritet (stort gap på viktige områder og blant de største behovene): "
            + ", ".join(first)
            + "."
        )
    gatherings = summary.get("gatherings") or {}
    if gatherings.get("preferred"):
        items.append(
            f"{format_percent(gatherings['share_3'])} ønsker tre samlinger og "
            f"{format_percent(gatherings['share_4'])} fire."
        )
    if summary.get("median_wtp"):
        items.append(f"Midterste svar på betalingsvilje per deltaker: {summary['median_wtp']}.")
    return HTML("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")


def themes_table(run: Run) -> HTML:
    """Themes by size: label, documents, share of the respondents who wrote, interviews, catalogue topic."""
    themes = run.tables["themes"].sort_values(["n_docs", "theme_id"], ascending=[False, True], kind="stable")
    shown = pd.DataFrame(
        {
            "Tema (kjennetegnende ord)": themes["label"],
            "Svar og utsnitt": themes["n_docs"].map(format_number),
            "Andel av respondentene": themes["share_respondents"].map(format_percent),
            "Intervjuer": themes["interviews"].map(len),
            "Katalogtema": [t if isinstance(t, str) and t else "– nytt behov" for t in themes["topic_title"]],
        }
    )
    return _table(shown)


def emerging_needs(run: Run) -> HTML:
    """Themes that no catalogue topic covers, with their words and a quote: candidates for new topics."""
    emerging = run.tables["themes"].loc[lambda d: d["emerging"].astype(bool)]
    if emerging.empty:
        return HTML("<p>Alle temaene i fritekst og intervjuer dekkes av minst ett tema i katalogen.</p>")
    parts = []
    for _, theme in emerging.iterrows():
        quote = list(theme["quotes"])[:1]
        parts.append(
            f"<li><strong>{html.escape(theme['label'])}</strong> ({theme['n_docs']} svar og utsnitt; "
            f"{html.escape(', '.join(list(theme['terms'])[3:8]))})"
            + (f"<blockquote>«{html.escape(quote[0])}»</blockquote>" if quote else "")
            + "</li>"
        )
    return HTML("<ul>" + "".join(parts) + "</ul>")


def quotes(run: Run, per_theme: int = 2) -> HTML:
    """Representative anonymised quotes per theme, escaped."""
    parts = []
    for _, theme in run.tables["themes"].sort_values("theme_id").iterrows():
        items = "".join(
            f"<blockquote>«{html.escape(q)}»</blockquote>" for q in list(theme["quotes"])[:per_theme]
        )
        parts.append(f"<h4>{html.escape(theme['label'])}</h4>{items or '<p>Ingen sitater.</p>'}")
    return HTML("".join(parts))


def ranking_table(run: Run) -> HTML:
    """Catalogue topics by score with the rank interval and the evidence behind the score."""
    r = run.tables["topic_ranking"].sort_values("rank")
    shown = pd.DataFrame(
        {
            "Rang": r["rank"],
            "Rang, intervall": [f"{lo}–{hi}" for lo, hi in zip(r["rank_lo"], r["rank_hi"], strict=True)],
            "Tema": r["title"],
            "Skår": r["score"].map(lambda v: format_number(v, 2)),
            "Behov (Borich)": r["survey_need"].map(lambda v: format_number(v, 2)),
            "Fritekst": r["free_text_prevalence"].map(format_percent),
            "Intervjuer": r["interview_emphasis"].map(format_percent),
        }
    )
    return _table(shown)


def plan_comparison(run: Run) -> HTML:
    """3 versus 4 gatherings: topics and the value of each plan."""
    variants = run.plan_summary.get("variants", {})
    rows = []
    for count in ("3", "4"):
        v = variants.get(count)
        if not v:
            continue
        if not v.get("feasible"):
            rows.append({"Samlinger": count, "Temaer": "–", "Verdi": "ikke mulig", "Valgt": ""})
            continue
        rows.append(
            {
                "Samlinger": count,
                "Temaer": v["topics"],
                "Verdi": format_number(v["objective"], 2),
                "Valgt": "valgt i programfilen" if v["chosen"] else "",
            }
        )
    return _table(pd.DataFrame(rows))


def left_out_table(run: Run) -> HTML:
    """Strong topics that are not in the chosen plan, and why."""
    chosen = int(run.tables["plan"].loc[run.tables["plan"]["chosen"], "n_sessions"].iloc[0])
    part = run.tables["plan_left_out"].loc[lambda d: d["n_sessions"] == chosen]
    if part.empty:
        return HTML("<p>Ingen sterke temaer er utelatt.</p>")
    return _table(
        pd.DataFrame({"Rang": part["rank"], "Tema": part["title"], "Hvorfor ikke med": part["reason"]})
    )


def plan_table(run: Run, n_sessions: int | None = None) -> HTML:
    plan = run.tables["plan"]
    plan = plan.loc[plan["chosen"]] if n_sessions is None else plan.loc[plan["n_sessions"] == n_sessions]
    shown = pd.DataFrame(
        {
            "Samling": plan["session"],
            "Tema": plan["title"],
            "Bidragsyter": plan["contributors"].map(
                lambda ids: ", ".join(run.contributor_names.get(c, c) for c in ids)
            ),
            "Sannsynlighet med": plan["p_in_programme"].map(format_percent),
            "Begrunnelse": plan["rationale"],
        }
    )
    return _table(shown)
