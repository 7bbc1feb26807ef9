"""Needs for partners: the areas ranked by Borich MWDS with uncertainty, and the programme preferences."""

from __future__ import annotations

import pandas as pd

from pipeline.present.base import HTML, Run, bullets, format_number, format_percent, table, too_few_needs


def needs_table(run: Run) -> HTML:
    """Areas by Borich MWDS, with interval, rank interval, probability of top n, quadrants and priority; a
    sentence instead when fewer than `min_cell` leaders answered."""
    if too_few_needs(run):
        return HTML("")  # the headline says why
    needs = run.tables["needs"].sort_values("rank")
    top_n = int(run.needs_summary.get("top_n", 3))

    def interval(lo: float, hi: float, decimals: int = 1) -> str:
        return f"{format_number(lo, decimals)}–{format_number(hi, decimals)}"

    shown = pd.DataFrame(
        {
            "Rang (intervall)": [
                f"{r} ({interval(lo, hi, 0)})" if lo != hi else f"{r}"
                for r, lo, hi in zip(needs["rank"], needs["rank_lo"], needs["rank_hi"], strict=True)
            ],
            "Lederområde": needs["area_label"],
            "Svar": needs["n"].map(format_number),
            "Viktighet": needs["importance"].map(lambda v: format_number(v, 2)),
            "Kompetanse": needs["competence"].map(lambda v: format_number(v, 2)),
            "Borich-skår (intervall)": [
                f"{format_number(m, 2)} ({interval(lo, hi)})"
                for m, lo, hi in zip(needs["mwds"], needs["mwds_lo"], needs["mwds_hi"], strict=True)
            ],
            f"Blant de {top_n} største": needs["p_top"].map(format_percent),
            "Prioritet": needs["priority_label"],
        }
    )
    return table(shown)


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
    return table(
        shown, f"Undersøkelsen har ikke noe spørsmål om {heading.lower()}, så det er ingen svar å vise."
    )


def needs_headline(run: Run) -> HTML:
    """The needs in a few sentences: the top areas with their probability, and the programme preferences.
    No claim on areas fewer than `min_cell` leaders answered."""
    needs = run.tables["needs"].sort_values("rank")
    summary = run.needs_summary
    top_n = int(summary.get("top_n", 3))
    enough = needs["n"] >= run.min_cell
    sure = needs.loc[enough & (needs["p_top"] >= 0.9), "area_label"].tolist()
    first = needs.loc[enough & (needs["priority"] == 1), "area_label"].tolist()
    items = (
        [too_few_needs(run)]
        if too_few_needs(run)
        else [f"Størst behov etter Borich-skår: {', '.join(needs.loc[enough, 'area_label'].head(top_n))}."]
    )
    if sure:
        items.append(
            f"Med minst 90\u202f% sannsynlighet blant de {top_n} største behovene: {', '.join(sure)}."
        )
    if first:
        items.append(
            "Første prioritet (stort gap på viktige områder og blant de største behovene): "
            + ", ".join(first)
            + "."
        )
    gatherings = summary.get("gatherings") or {}
    if gatherings.get("preferred"):
        items.append(
            f"Tre samlinger ønskes av {format_percent(gatherings['share_3'])}, fire av "
            f"{format_percent(gatherings['share_4'])}."
        )
    if summary.get("median_wtp"):
        items.append(f"Midterste svar på betalingsvilje per deltaker: {summary['median_wtp']}.")
    return bullets(items)


def segment_items(run: Run) -> list[tuple[str, str]]:
    """The extra breakdowns the programme file asks for ([needs].segment_items): (item id, the question's
    label in the codebook, as the reports name it)."""
    items = run.programme.needs.segment_items
    if not items:
        return []
    book = pd.read_csv(run.programme.inputs.codebook, dtype=str, keep_default_na=False)
    labels = dict(zip(book["item_id"], book.get("label", book["item_id"]), strict=True))
    return [(item, labels.get(item) or item) for item in items]
