"""The run's findings as plain Norwegian sentences and small tables, for the landing page and the board
paper. Pure functions of a loaded run (`present.load_run`)."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.present.base import Run, format_percent, theme_share_base, too_few_needs
from pipeline.text import capitalised, count_words, format_number, listed, number_word


@dataclass(frozen=True)
class Gathering:
    session: int
    title: str
    purpose: str
    order_reason: str
    topics: list[tuple[str, str]]  # (topic title, contributors)


def top_needs(run: Run, n: int = 3) -> list[str]:
    """The largest needs, one sentence each, with how sure we are; an area fewer than `min_cell` leaders
    answered is named without its score, and when that holds for every area, one sentence says why."""
    if too_few_needs(run):
        return [too_few_needs(run)]
    needs = run.tables["needs"].sort_values("rank").head(n)
    out = []
    for r in needs.itertuples(index=False):
        if r.n < run.min_cell:
            out.append(f"{r.area_label}: bare {r.n} har svart på dette området, for få til å si noe sikkert.")
            continue
        sure = (  # the same threshold and words as the needs report's headline
            f"med minst 90\u202f% sannsynlighet blant de {n} største"
            if r.p_top >= 0.9
            else f"med {format_percent(r.p_top)} sannsynlighet blant de {n} største"
        )
        covering = [f"«{t.title}»" for t in run.programme.topics if r.area in t.areas]
        covered = (
            f" Programtemaet {covering[0]} bygger på dette området."
            if len(covering) == 1
            else f" Programtemaene {listed(covering)} bygger på dette området."
            if covering
            else " Ingen programtemaer i katalogen bygger på dette området."
        )
        out.append(
            f"{r.area_label}: Borich-skår {format_number(r.mwds, 1)} "
            f"(intervall {format_number(r.mwds_lo, 1)}–{format_number(r.mwds_hi, 1)}), {sure}.{covered}"
        )
    return out


def uncovered_top_needs(run: Run, n: int = 3) -> list[str]:
    """The largest needs (by rank, areas enough leaders answered) that no catalogue topic builds on."""
    needs = run.tables["needs"].loc[lambda d: d["n"] >= run.min_cell].sort_values("rank").head(n)
    linked = {a for t in run.programme.topics for a in t.areas}
    return [r.area_label for r in needs.itertuples(index=False) if r.area not in linked]


def programme(run: Run) -> list[Gathering]:
    """The chosen programme, gathering by gathering."""
    overview = run.tables["plan_overview"].loc[lambda d: d["chosen"]].sort_values("session")
    plan = run.tables["plan"].loc[lambda d: d["chosen"]]
    who = {
        r.title: ", ".join(run.contributor_names.get(c, c) for c in r.contributors)
        for r in plan.itertuples(index=False)
    }
    return [
        Gathering(
            int(r.session),
            r.title,
            r.purpose,
            r.order_reason,
            [(t, who.get(t, "")) for t in r.topics],
        )
        for r in overview.itertuples(index=False)
    ]


def new_needs(run: Run) -> list[str]:
    out = []
    for c in run.plan_summary.get("candidates", []):
        interviews = f" og i {c['interviews']} av intervjuene" if c.get("interviews") else ""
        out.append(
            f"«{c['title']}»: tatt opp av {c['respondents']} ledere "
            f"({format_percent(c['share_respondents'])} av dem som skrev fritekst){interviews}. Ingen av "
            "programtemaene i katalogen dekker det."
        )
    return out


def new_needs_lines(run: Run) -> list[str]:
    """The one account of new needs every document gives: the new needs, or that there are none, then what
    the catalogue does not cover but is not counted as a need."""
    from pipeline.present.themes import candidates, not_needs

    new, other, rest = new_needs(run), candidates(run), not_needs(run)
    lines = new or ["Lederne tar ikke opp noe nytt behov som katalogen mangler."]
    if other:
        lines.append(
            "Disse emnene i svarene dekkes heller ikke av katalogen, men er ikke regnet som nye behov; "
            "programgruppen kan vurdere dem:"
        )
        lines += other
    if rest:
        lines.append(rest)
    return lines


def weak_topics(run: Run) -> list[str]:
    plan = run.tables["plan"].loc[lambda d: d["chosen"] & d["weak"]]
    return [f"Samling {r.session}: «{r.title}»" for r in plan.itertuples(index=False)]


WEIGHT_NAMES = {
    "survey": "behovet i undersøkelsen",
    "free_text": "fritekst",
    "interviews": "intervjuene",
    "evaluation": "deltakernes evaluering",
}


def evidence(run: Run, weights: dict[str, float]) -> list[str]:
    """How the evidence was gathered and weighed (`weights`: the programme file's)."""
    r = run.tables["respondents"]
    turns = run.tables["turns"]
    interviews = turns["interview_id"].nunique()
    writers = theme_share_base(run)
    municipalities = f" fra {r['municipality'].nunique()} kommuner" if "municipality" in r else ""
    out = [
        f"I alt svarte {format_number(len(r))} {'leder' if len(r) == 1 else 'ledere'}{municipalities} på "
        f"medlemsundersøkelsen; {format_number(writers)} av dem skrev med egne ord hva de trenger.",
        capitalised(count_words(interviews, "dybdeintervju", "dybdeintervjuer"))
        + " med toppledere utdyper svarene.",
        "Behovet for hvert lederområde er målt med Borich-skår: hvor viktig området er, og hvor stort gapet "
        "er til hvor godt rustet lederne føler seg.",
        "Hvert programtema i katalogen er vurdert etter tre ting: behovet i undersøkelsen, hvor mange som "
        "nevner det i fritekst, og hvor mye det vektlegges i intervjuene. Et programtema som bygger på flere "
        "lederområder, får gjennomsnittet av deres Borich-skår.",
    ]
    total = sum(weights.values())
    if total > 0:
        out.append(
            "Programgruppen har vektet dem slik: "
            + ", ".join(f"{WEIGHT_NAMES.get(k, k)} {format_percent(v / total)}" for k, v in weights.items())
            + "."
        )
    return out


def caveats(run: Run) -> list[str]:
    """What is uncertain, said plainly."""
    r = run.tables["respondents"]
    complete = (r["status"] == "complete").mean() if "status" in r else float("nan")
    out = [
        "Vi kjenner ikke svarprosenten: undersøkelsen gikk til medlemmene, og vi vet ikke hvor mange som "
        "fikk den. De som svarte, kan være de mest interesserte.",
        "Alle fullførte hele skjemaet."
        if complete == 1
        else f"Av dem som svarte, fullførte {format_percent(complete)} hele skjemaet; de andre svarene er "
        "brukt så langt de gikk.",
        f"Grupper med færre enn {run.min_cell} svar vises ikke, for å verne den enkelte.",
    ]
    interviews = run.tables["turns"]["interview_id"].nunique()
    if interviews < 10:
        out.append(f"Intervjuene er få ({interviews}); de utdyper, men veier mindre enn undersøkelsen.")
    if not run.theme_diagnostics.get("reviewed_documents"):
        out.append(
            "Hvilke programtemaer fritekstene og intervjuene handler om, er avgjort maskinelt; ingen av "
            "svarene er kontrollert av en analytiker ennå."
        )
    return out


def economics_lines(run: Run) -> list[str]:
    """The economics in a few plain sentences (empty when the programme file has no [economics])."""
    from pipeline.present import economics

    if not economics.configured(run):
        return []
    lead, rest = economics.recommendation_sentences(run)
    e = run.programme.economics
    return [
        f"Anbefaling: {lead}",
        rest,
        f"Forutsetninger: {format_number(e.eligible)} ledere i målgruppen; av dem som er villige til "
        "å betale, "
        f"melder {format_percent(e.uptake)} seg på ({format_percent(e.uptake_low)}–"
        f"{format_percent(e.uptake_high)}); høyst {e.capacity or 'ubegrenset antall'} deltakere. Et "
        "overskudd "
        f"deles {economics.split_text(run)}; et underskudd bæres av "
        f"{economics.party(run, e.loss_carried_by)}. "
        "Se rapporten «Økonomi» for kostnadene og usikkerheten.",
    ]


def no_economics(run: Run) -> list[str]:
    """Without the programme's costs: what the leaders said they would pay, and what is missing."""
    asked = run.tables["preferences"].loc[lambda d: d["item_id"] == "wtp"]
    out = [
        "Saken har ingen beregning av avgift, overskudd eller risiko for tap ennå, fordi kostnadene for "
        "programmet ikke er lagt inn. Beregningen trenger de faste kostnadene og kostnaden per deltaker, "
        "hvor mange ledere som er i målgruppen, og hvordan partene deler et overskudd eller et underskudd."
    ]
    if not asked.empty:
        answers = "; ".join(
            f"{a}: {format_percent(v)}" for a, v in zip(asked["answer"], asked["share"], strict=True)
        )
        out.append(f"I undersøkelsen svarte lederne slik på hva de er villige til å betale: {answers}.")
    return out


def economics_section(run: Run) -> list[tuple[str, list[str]]]:
    lines = economics_lines(run)
    return [("Økonomi", lines)] if lines else []


def changes_lines(run: Run, sessions: int | None = None) -> list[str]:
    """What changed since the previous member survey, and what it means for the proposed programme: the
    clear changes in need with the catalogue topics built on the area and whether the plan has them, then
    the clear changes in what leaders write about and the new needs that are new since then. `sessions`:
    the plan with that many gatherings (the one the board is asked for), else the chosen plan. Empty
    without a previous survey."""
    from pipeline.present import waves

    if not waves.has_previous(run):
        return []
    change = run.tables["needs_change"]
    plan = run.tables["plan"]
    if sessions is None or plan.loc[plan["chosen"], "n_sessions"].eq(sessions).all():
        chosen, proposal = set(plan.loc[plan["chosen"], "topic_id"]), "forslaget"
    else:
        chosen = set(plan.loc[plan["n_sessions"] == sessions, "topic_id"])
        proposal = f"forslaget med {number_word(sessions)} samlinger"
    before, now = waves.answered(run)
    lines = [
        f"I forrige medlemsundersøkelse svarte {format_number(before)} ledere på spørsmålene om "
        f"lederområdene, i denne {format_number(now)}. Det er ikke de samme lederne, så endringene er "
        "forskjeller mellom to grupper."
        + waves.chance_line(len(change), run.needs_summary.get("confidence", 0.9))
    ]
    clear = change.loc[change["clear"]].sort_values("mwds_change", ascending=False)
    for r in clear.itertuples(index=False):
        way = "økt" if r.mwds_change > 0 else "gått ned"
        linked = [t for t in run.programme.topics if r.area in t.areas]
        in_plan = [f"«{t.title}»" for t in linked if t.id in chosen]
        outside = [f"«{t.title}»" for t in linked if t.id not in chosen]
        said = []
        if in_plan:
            said.append(f"{listed(in_plan)} bygger på dette området og er med i {proposal}.")
        if outside:
            said.append(f"{listed(outside)} bygger på dette området, men er ikke med i {proposal}.")
        if not linked:
            said.append("Ingen programtemaer i katalogen bygger på dette området.")
        lines.append(
            f"{r.area_label}: behovet har {way} tydelig (Borich-skår fra {format_number(r.mwds_previous, 1)} "
            f"til {format_number(r.mwds_current, 1)}, nr. {int(r.rank_previous)} før og nr. "
            f"{int(r.rank_current)} nå). " + " ".join(said)
        )
    rest = len(change) - len(clear)
    lines.append(
        f"Ingen tydelig endring på de andre {format_number(rest)} lederområdene."
        if len(clear)
        else f"Ingen tydelig endring i behovet på noen av de {format_number(rest)} lederområdene."
    )
    lines += [line for line in waves.theme_lines(run) if not line.startswith("Ingen tydelig")]
    lines += [line for line in waves.new_theme_lines(run) if "er nytt siden sist" in line]
    return lines


def grown_needs_sentence(run: Run, sessions: int | None = None) -> list[str]:
    """For the secretariat's assessment: the areas whose need grew clearly since the previous survey, and
    those of them no topic of the plan (with `sessions` gatherings, else the chosen one) builds on."""
    change = run.tables.get("needs_change")
    if change is None:
        return []
    grew = change.loc[change["clear"] & (change["mwds_change"] > 0)].sort_values(
        "mwds_change", ascending=False
    )
    if grew.empty:
        return []
    plan = run.tables["plan"]
    rows = plan.loc[plan["chosen"]] if sessions is None else plan.loc[plan["n_sessions"] == sessions]
    in_plan = set(rows["topic_id"])
    covered = {a for t in run.programme.topics if t.id in in_plan for a in t.areas}
    outside = [r.area_label.lower() for r in grew.itertuples(index=False) if r.area not in covered]
    said = (
        f"Siden forrige medlemsundersøkelse har behovet økt tydelig innen "
        f"{listed([r.area_label.lower() for r in grew.itertuples(index=False)])}."
    )
    if outside:
        said += f" Ingen av programtemaene i forslaget bygger på {listed(outside)}."
    else:
        said += f" Forslaget har programtemaer som bygger på {'det' if len(grew) == 1 else 'dem'}."
    return [said]
