"""Programme economics for partners: the recommendation in one sentence, demand and surplus by fee, three
against four gatherings, each party's share, sensitivity to the uptake assumption and the assumptions."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from pipeline import figures
from pipeline.present.base import HTML, Run, bullets, format_percent, table
from pipeline.text import format_number, number_word

PARTY_NAMES = {"sin": "Smart Innovation Norway", "osr": "Osloregionen", "olt": "Olympiatoppen"}
KINDS = {
    "per_gathering": "per samling",
    "per_participant": "per deltaker",
    "per_participant_gathering": "per deltaker og samling",
    "one_off": "én gang",
}


def kroner(value: float, exact: bool = False) -> str:
    """'205 000 kr': an estimate above 10 000 kr to the nearest thousand; `exact` for amounts that are set
    (a fee, a cost), which are never rounded (14 500 kr stays 14 500 kr)."""
    if value is None or pd.isna(value):
        return "–"
    rounded = round(value, -3) if abs(value) >= 10_000 and not exact else value
    text = format_number(rounded, 0).replace("-", "\u2212", 1)  # a minus sign, not a hyphen
    return f"{text}\u00a0kr"  # no line break before "kr"


def break_even(run: Run, participants: float) -> str:
    """The participants needed to break even, or why it cannot happen: never at this fee, or not within
    the programme's capacity."""
    capacity = run.programme.economics.capacity if run.programme.economics else None
    if not np.isfinite(participants):
        return "aldri"
    if capacity and participants > capacity:
        return f"ikke mulig (over taket på {capacity})"
    return format_number(participants, 0)


def configured(run: Run) -> bool:
    return bool(run.economics_summary.get("configured"))


def party(run: Run, pid: str) -> str:
    return run.contributor_names.get(pid, PARTY_NAMES.get(pid, pid))


def willing(run: Run, n: int, fee: float) -> str:
    """', som etter våre anslag 26 % av lederne er villige til å betale (…),': the survey's willingness
    to pay at `fee`, read from its answer bands (the economics table's own row), or '' when the table has no
    row for it."""
    rows = run.tables["economics"].loc[lambda d: (d["n_sessions"] == n) & (d["fee"] == fee)]
    if rows.empty:
        return ""
    share = format_percent(rows["share_willing"].iloc[0])
    return (
        f", som etter våre anslag {share} av lederne er villige til å betale (de svarte i beløpsintervaller),"
    )


def variant_sentence(run: Run, n: int) -> str:
    s = run.economics_summary["by_sessions"][str(n)]
    risk = format_percent(run.economics_summary["max_loss_probability"])
    if s["fee"] is None:
        return (
            f"Med {number_word(n)} samlinger finnes ingen avgift som gir under {risk} risiko for tap med "
            f"disse forutsetningene; lavest risiko har {kroner(s['lowest_risk_fee'], exact=True)} "
            f"({format_percent(s['lowest_risk'])} risiko for tap, forventet {kroner(s['surplus'])})."
        )
    return (
        f"Med {number_word(n)} samlinger: en deltakeravgift på {kroner(s['fee'], exact=True)}"
        f"{willing(run, n, s['fee'])} gir trolig {format_number(s['participants'], 0)} "
        f"deltakere ({format_number(s['participants_lo'], 0)}–{format_number(s['participants_hi'], 0)}), et "
        f"forventet overskudd på {kroner(s['surplus'])} (fra {kroner(s['surplus_lo'])} til "
        f"{kroner(s['surplus_hi'])}) og {format_percent(s['p_loss'])} risiko for tap."
    )


def recommendation(run: Run) -> HTML:
    """The recommendation in one sentence first, then the other gathering count."""
    if not configured(run):
        return not_configured(run)
    lead, rest = recommendation_sentences(run)
    return HTML(f"<p><strong>Anbefaling: {html.escape(lead)}</strong></p>" + bullets([rest]).body)


def not_configured(run: Run) -> HTML:
    """Without the programme's costs: the willingness to pay as the leaders gave it, and what the analysis
    needs to say more."""
    from pipeline.present.needs import preferences_table

    asked = run.tables["preferences"].loc[lambda d: d["item_id"] == "wtp"]
    answers = (
        "<h2>Betalingsvilje</h2><p>Hva lederne svarte på hvor mye de er villige til å betale for hele "
        "programmet:</p>" + preferences_table(run, "wtp", "Betalingsvilje per deltaker").body
        if not asked.empty
        else "<p>Undersøkelsen har ikke noe spørsmål om betalingsvilje.</p>"
    )
    return HTML(
        "<p>Avgift, overskudd og risiko for tap er ikke regnet ut ennå, fordi kostnadene for programmet ikke "
        "er lagt inn. For å få dem trenger analysen de faste kostnadene og kostnaden per deltaker for tre og "
        "fire samlinger, hvor mange ledere som er i målgruppen, hvor mange av de villige som trolig melder "
        "seg på, og hvordan partene deler et overskudd. Når programgruppen har lagt dem inn, viser "
        "rapporten avgiften, balansen og risikoen.</p>" + answers
    )


def titled(heading: str, body: str, intro: str = "") -> HTML:
    """A section of the report: its heading, an optional lead-in and its content (the notebook holds no
    heading of its own, so a section without data leaves nothing behind)."""
    lead = f"<p>{intro}</p>" if intro else ""
    return HTML(f"<h2>{html.escape(heading)}</h2>{lead}{body}")


def supported_sessions(run: Run) -> int | None:
    """The number of gatherings the economics support: the chosen one when a fee keeps the risk of a loss
    low enough, else the other one when that holds there, else None."""
    chosen = int(run.economics_summary["chosen_sessions"])
    by = run.economics_summary["by_sessions"]
    for n in (chosen, 7 - chosen):
        if by.get(str(n), {}).get("fee") is not None:
            return n
    return None


def recommendation_sentences(run: Run) -> tuple[str, str]:
    """(the recommendation, the other gathering count in one sentence), from `supported_sessions`, the same
    answer the board paper's decisions take."""
    chosen = int(run.economics_summary["chosen_sessions"])
    other = 7 - chosen
    supported = supported_sessions(run)
    if supported == chosen:
        return variant_sentence(run, chosen), variant_sentence(run, other)
    if supported == other:
        lead = (
            f"Av hensyn til økonomien bør programmet ha {number_word(other)} samlinger, "
            f"ikke {number_word(chosen)}. " + variant_sentence(run, other)
        )
        return lead, variant_sentence(run, chosen)
    return "Ingen avgift gir lav nok risiko for tap. " + variant_sentence(run, chosen), variant_sentence(
        run, other
    )


def recommended_fees(run: Run) -> dict[int, float | None]:
    return {int(n): v["fee"] for n, v in run.economics_summary.get("by_sessions", {}).items()}


def demand_figure(run: Run) -> HTML:
    if not configured(run):
        return HTML("")
    chosen = str(run.economics_summary["chosen_sessions"])
    main = run.economics_summary["by_sessions"][chosen]
    return titled(
        "Betalingsvilje",
        figures.demand_chart(run.tables["economics"], main["fee"] or main["lowest_risk_fee"]).body,
        "Andelen som er villige til å betale minst en gitt avgift for hele programmet.",
    )


def surplus_figure(run: Run) -> HTML:
    if not configured(run):
        return HTML("")
    return titled(
        "Overskudd etter avgift", figures.surplus_chart(run.tables["economics"], recommended_fees(run)).body
    )


def fee_table(run: Run, n_sessions: int | None = None) -> HTML:
    """A row per 2 000 kr of fee (and the recommended fee): participants, revenue, costs, surplus, risk."""
    if not configured(run):
        return HTML("")
    n = n_sessions or supported_sessions(run) or int(run.economics_summary["chosen_sessions"])
    t = run.tables["economics"].loc[lambda d: d["n_sessions"] == n]
    keep = set(recommended_fees(run).values()) - {None}
    t = t.loc[(t["fee"] % 2000 == 0) | t["fee"].isin(keep)]
    shown = pd.DataFrame(
        {
            "Avgift": t["fee"].map(kroner),
            "Villige til å betale": t["share_willing"].map(format_percent),
            "Deltakere (intervall)": [
                f"{format_number(m, 0)} ({format_number(lo, 0)}–{format_number(hi, 0)})"
                for m, lo, hi in zip(
                    t["participants"], t["participants_lo"], t["participants_hi"], strict=True
                )
            ],
            "Inntekt": t["revenue"].map(kroner),
            "Kostnader": t["costs"].map(kroner),
            "Overskudd": t["surplus"].map(kroner),
            "Risiko for tap": t["p_loss"].map(format_percent),
            "Deltakere for å gå i balanse": t["break_even"].map(lambda v: break_even(run, v)),
        }
    )
    why = (
        "som økonomien anbefaler"
        if n == supported_sessions(run)
        else "valgt av programgruppen"
        if n == int(run.economics_summary["chosen_sessions"])
        else ""
    )
    note = f"<p>Tabellen gjelder {number_word(n)} samlinger{f', {why}' if why else ''}.</p>"
    return HTML(note + table(shown).body)


def sessions_table(run: Run) -> HTML:
    """Three against four gatherings at each count's recommended fee."""
    if not configured(run):
        return HTML("")
    rows = []
    for n, s in sorted(run.economics_summary["by_sessions"].items()):
        rows.append(
            {
                "Samlinger": n,
                "Anbefalt avgift": kroner(s["fee"], exact=True)
                if s["fee"] is not None
                else "ingen med lav nok risiko (tallene gjelder "
                f"{kroner(s['lowest_risk_fee'], exact=True)}, lavest risiko)",
                "Deltakere": format_number(s["participants"], 0),
                "Faste kostnader": kroner(s["fixed_costs"], exact=True),
                "Kostnad per deltaker": kroner(s["cost_per_participant"], exact=True),
                "Deltakere for å gå i balanse": break_even(run, s["break_even"]),
                "Forventet overskudd": kroner(s["surplus"]),
                "Risiko for tap": format_percent(s["p_loss"]),
            }
        )
    return titled("Tre eller fire samlinger", table(pd.DataFrame(rows)).body)


def shares_table(run: Run) -> HTML:
    """Each party's expected share at the recommended fee of each gathering count."""
    if not configured(run):
        return HTML("")
    rows = []
    for n, s in sorted(run.economics_summary["by_sessions"].items()):
        for pid, value in s["shares"].items():
            rows.append({"Samlinger": n, "Part": party(run, pid), "Forventet andel": kroner(value)})
    note = (
        f"<p>Et overskudd etter alle kostnader deles {split_text(run)}; et underskudd bæres av "
        f"{html.escape(party(run, run.programme.economics.loss_carried_by))}. Olympiatoppens honorar er en "
        "kostnad i Smart Innovation Norways budsjett (eget avtaleforhold).</p>"
    )
    return titled("Hva partene får", note + table(pd.DataFrame(rows)).body)


def split_text(run: Run) -> str:
    parts = [f"{format_percent(v)} til {party(run, k)}" for k, v in run.programme.economics.split]
    return html.escape(", ".join(parts[:-1]) + " og " + parts[-1] if len(parts) > 1 else parts[0])


def sensitivity_table(run: Run) -> HTML:
    if not configured(run):
        return HTML("")
    rows = [
        {
            "Oppslutning": f"{s['level']} ({format_percent(s['uptake'])})",
            "Avgift": kroner(s["fee"], exact=True),
            "Deltakere": format_number(s["participants"], 0),
            "Forventet overskudd": kroner(s["surplus"]),
            "Risiko for tap": format_percent(s["p_loss"]),
            "Beste avgift med denne oppslutningen": kroner(s["best_fee"], exact=True)
            if s["best_fee"] is not None
            else "ingen med lav nok risiko",
        }
        for s in run.economics_summary["uptake_sensitivity"]
    ]
    first = run.economics_summary["uptake_sensitivity"][0]
    n = first.get("n_sessions", run.economics_summary["chosen_sessions"])
    return titled(
        "Hvis oppslutningen blir en annen",
        table(pd.DataFrame(rows)).body,
        f"Tabellen viser {number_word(int(n))} samlinger og en avgift på {kroner(first['fee'], exact=True)} "
        "når andelen som melder seg på, ligger fast på det lave, det forventede og det høye nivået. Tallene "
        "over regner i stedet med usikkerheten om dette nivået, og blir derfor ikke de samme.",
    )


def segments_table(run: Run) -> HTML:
    if not configured(run):
        return HTML("")
    seg = run.tables["economics_segments"]
    names = {"role": "Rolle", "size_band": "Kommunestørrelse"}
    shown = pd.DataFrame(
        {
            "Inndeling": seg["segment_type"].map(lambda v: names.get(v, v)),
            "Gruppe": seg["segment"],
            "Svar": [
                f"<{run.min_cell}" if sup else format_number(n)
                for n, sup in zip(seg["n"], seg["suppressed"], strict=True)
            ],
            "Villige til å betale avgiften": [
                "–" if sup else format_percent(v)
                for v, sup in zip(seg["share_willing"], seg["suppressed"], strict=True)
            ],
        }
    )
    return titled(
        "Betalingsvilje i ulike grupper",
        table(shown, "Ingen grupper å vise.").body,
        "Andelen som er villige til å betale den anbefalte avgiften. Grupper med få svar vises ikke.",
    )


def assumptions(run: Run) -> HTML:
    """The programme file's figures, in Norwegian, with the method in plain words."""
    if not configured(run):
        return HTML("")
    e = run.programme.economics
    summary = run.economics_summary
    costs = pd.DataFrame(
        {
            "Kostnad": [c.name for c in e.costs],
            "Beløp": [kroner(c.amount, exact=True) for c in e.costs],
            "Gjelder": [KINDS[c.kind] for c in e.costs],
            "Betales av": [party(run, c.carried_by) for c in e.costs],
        }
    )
    items = [
        f"Målgruppen i medlemskommunene er {format_number(e.eligible)} ledere.",
        f"Av dem som er villige til å betale avgiften, melder {format_percent(e.uptake)} seg på "
        f"(vi regner med et sted mellom {format_percent(e.uptake_low)} og {format_percent(e.uptake_high)}).",
        f"Høyst {e.capacity} deltakere." if e.capacity else "Ingen øvre grense for antall deltakere.",
        f"Betalingsviljen bygger på {summary['answered']} svar; "
        f"{summary['dont_know'] + summary['no_answer']} "
        "svarte ikke eller svarte «Vet ikke» og er holdt utenfor (vi antar at de ligner de andre).",
        "Svarene er gitt i intervaller. Vi antar at betalingsviljen er jevnt fordelt innenfor hvert "
        "intervall; "
        f"det åpne øverste intervallet regnes til {format_number(e.open_band_factor, 1)} ganger starten.",
        f"Usikkerheten er funnet ved å regne alt ut {format_number(e.resamples)} ganger med et tilfeldig "
        "utvalg av svarene, oppslutningen trukket innenfor intervallet og tilfeldig påmelding.",
    ]
    return titled("Forutsetninger", bullets(items).body + table(costs).body)
