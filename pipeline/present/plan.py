"""The programme plan for partners: ranking, gatherings, 3 versus 4, what was left out."""

from __future__ import annotations

import html

import pandas as pd

from pipeline.present.base import HTML, Run, bullets, format_number, format_percent, table
from pipeline.text import capitalised, count_words, genitive, listed, number_word


def ranking_table(run: Run) -> HTML:
    """Catalogue topics by score with the rank interval and the evidence behind the score."""
    r = run.tables["topic_ranking"].sort_values("rank")
    shown = pd.DataFrame(
        {
            "Rang (intervall)": [
                f"{k} ({lo}–{hi})" if lo != hi else f"{k}"
                for k, lo, hi in zip(r["rank"], r["rank_lo"], r["rank_hi"], strict=True)
            ],
            "Tema": r["title"],
            "Skår": r["score"].map(lambda v: format_number(v, 2)),
            "Behov (Borich)": r["survey_need"].map(lambda v: format_number(v, 2)),
            "Fritekst": r["free_text_prevalence"].map(format_percent),
            "Intervjuer": r["interview_emphasis"].map(format_percent),
        }
    )
    if "serves_profile" in r and r["serves_profile"].ne("").any():
        # from the need areas (Borich), not from the free text, which the needs report shows per profile
        shown["Profilen med størst behov på temaets områder"] = r["serves_profile"].to_numpy()
    return table(shown)


def variant_difference(run: Run) -> tuple[int, pd.DataFrame] | None:
    """(the chosen count, the topics only one of the plans with three and four gatherings holds, `in_plan`:
    the count of the plan that holds it), or None when one of the two plans does not exist."""
    plan = run.tables["plan"]
    chosen = int(plan.loc[plan["chosen"], "n_sessions"].iloc[0])
    ids = {n: set(plan.loc[plan["n_sessions"] == n, "topic_id"]) for n in (3, 4)}
    if not ids[3] or not ids[4]:
        return None
    only = plan.loc[
        ((plan["n_sessions"] == 4) & plan["topic_id"].isin(ids[4] - ids[3]))
        | ((plan["n_sessions"] == 3) & plan["topic_id"].isin(ids[3] - ids[4]))
    ]
    return chosen, only.sort_values("rank", kind="stable").rename(columns={"n_sessions": "in_plan"})


def one_place_each(run: Run, n_sessions: int) -> dict[str, list[int]]:
    """When every gathering of the plan with `n_sessions` has exactly one place per partner (as many slots as
    partners who must be at every gathering, and every topic from one of them): each such partner's ranks
    in that plan. Else {}: the partners' presence does not decide alone which topics fit."""
    programme = run.programme
    present = [c.id for c in programme.contributors if c.every_session]
    plan = run.tables["plan"].loc[lambda d: d["n_sessions"] == n_sessions]
    if not present or set(programme.sessions.slots_for(n_sessions)) != {len(present)}:
        return {}
    owners = plan["contributors"].map(lambda c: list(c))
    if not owners.map(lambda c: len(c) == 1 and c[0] in present).all():
        return {}
    owner = owners.map(lambda o: o[0])
    return {c: sorted(plan.loc[owner == c, "rank"].tolist()) for c in present}


def passed_over(run: Run, n_sessions: int, dropped: pd.DataFrame) -> list[str]:
    """Sentences for the topics of `dropped` (not in the plan with `n_sessions`) that outrank a topic the
    plan keeps: why the weaker one stays. True by construction: from the plan's own rows."""
    plan = run.tables["plan"].loc[lambda d: d["n_sessions"] == n_sessions]
    kept = plan["rank"].max() if len(plan) else 0
    places = one_place_each(run, n_sessions)
    left_out = run.tables["plan_left_out"].loc[lambda d: d["n_sessions"] == n_sessions]
    reasons = dict(zip(left_out["topic_id"], left_out["reason"], strict=True))
    out = []
    for topic in dropped.loc[dropped["rank"] < kept].itertuples(index=False):
        weaker = plan.loc[plan["rank"] > topic.rank, "rank"].sort_values().tolist()
        stays = f"nr. {listed([str(r) for r in weaker])} blir med"
        owner = list(topic.contributors)[0] if len(topic.contributors) == 1 else None
        if places and owner in places:
            name = run.contributor_names.get(owner, owner)
            ranks = listed([str(r) for r in places[owner]])
            out.append(
                f"«{topic.title}» (nr. {topic.rank}) faller ut selv om {stays}, fordi hver samling da har "
                f"én plass til hver partner, og {genitive(name)} {number_word(len(places[owner]))} plasser "
                f"går til nr. {ranks}."
            )
        elif topic.topic_id in reasons:
            out.append(
                f"«{topic.title}» (nr. {topic.rank}) faller ut selv om {stays}: {reasons[topic.topic_id]}."
            )
    return out


def fourth_gathering(run: Run) -> str:
    """One sentence: what a fourth gathering adds (or what the plan loses with three), from the two plans."""
    found = variant_difference(run)
    if found is None:
        return ""
    chosen, only = found
    added = only.loc[only["in_plan"] == 4]
    if added.empty:
        return "En fjerde samling gir ikke plass til flere programtemaer, bare mer tid til de samme."
    names = listed([f"«{t}» (nr. {r})" for t, r in zip(added["title"], added["rank"], strict=True)])
    weak = int(added["weak"].sum())
    some = count_words(weak, "av dem", "av dem")
    who = "Det" if len(added) == 1 else "Alle" if weak == len(added) else capitalised(some)
    strength = f" {who} har svakt grunnlag i svarene." if weak else ""
    if chosen == 4:
        instead = only.loc[only["in_plan"] == 3]
        comes = [f"«{t}» (nr. {r})" for t, r in zip(instead["title"], instead["rank"], strict=True)]
        back = f" I stedet kommer {listed(comes)} inn." if comes else ""
        why = "".join(" " + s for s in passed_over(run, 3, added))
        plan = run.tables["plan"]
        still = plan.loc[(plan["n_sessions"] == 3) & plan["weak"].astype(bool)].sort_values("rank")
        remains = (
            f" Også med tre samlinger har {listed([f'«{t}»' for t in still['title']])} svakt grunnlag."
            if len(still)
            else ""
        )
        return (
            "Med tre samlinger i stedet for fire blir samlingene satt sammen på nytt, og "
            f"{names} faller ut.{strength}{back}{why}{remains}"
        )
    return f"En fjerde samling ville gitt plass til {names}.{strength}"


def plan_comparison(run: Run) -> HTML:
    """Three versus four gatherings: which topics only one of the two plans holds, and which of them are
    weak (`fourth_gathering`)."""
    variants = run.plan_summary.get("variants", {})
    other = next((c for c, v in variants.items() if not v.get("chosen")), None)
    if other is not None and not variants[other].get("feasible"):
        under_way = str(variants[other].get("reason", "")).startswith("under way")
        return HTML(
            "<p>"
            + (
                "Programmet er allerede i gang, så antallet samlinger ligger fast."
                if under_way
                else f"En plan med {other} samlinger lar seg ikke sette opp innenfor reglene for programmet."
            )
            + "</p>"
        )
    found = variant_difference(run)
    if found is None:
        return HTML("<p>Det er ikke laget noen plan med et annet antall samlinger.</p>")
    return HTML(f"<p>{html.escape(fourth_gathering(run))}</p>")


def left_out_table(run: Run) -> HTML:
    """Strong topics that are not in the chosen plan, and why."""
    chosen = int(run.tables["plan"].loc[run.tables["plan"]["chosen"], "n_sessions"].iloc[0])
    part = run.tables["plan_left_out"].loc[lambda d: d["n_sessions"] == chosen]
    if part.empty:
        return HTML(
            "<p>Alle temaene som rangeres innenfor antallet plasser (og de tre neste), er med i planen.</p>"
        )
    return table(
        pd.DataFrame({"Rang": part["rank"], "Tema": part["title"], "Hvorfor ikke med": part["reason"]})
    )


def plan_table(run: Run, n_sessions: int | None = None) -> HTML:
    plan = run.tables["plan"]
    plan = plan.loc[plan["chosen"]] if n_sessions is None else plan.loc[plan["n_sessions"] == n_sessions]
    if plan.empty:
        return HTML(f"<p>Ingen plan med {n_sessions} samlinger: se tabellen over for hvorfor.</p>")
    who = plan["contributors"].map(lambda ids: ", ".join(run.contributor_names.get(c, c) for c in ids))
    shown = pd.DataFrame(
        {
            "Samling": plan["session"],
            "Programtema (bidragsyter)": [f"{t} ({w})" for t, w in zip(plan["title"], who, strict=True)],
            "Sannsynlighet med": plan["p_in_programme"].map(format_percent),
            "Begrunnelse": plan["rationale"],
        }
    )
    if plan["p_in_programme"].round(2).nunique(dropna=False) <= 1:  # the same everywhere: says nothing
        return table(shown.drop(columns="Sannsynlighet med"))
    return HTML(
        table(shown).body + "<p><small>«Sannsynlighet med» er andelen av forsøkene, med vektene mellom "
        "undersøkelse, fritekst og intervjuer litt endret, der temaet kommer med i programmet.</small></p>"
    )


def headline(run: Run) -> HTML:
    """The plan in a few lines (`headline_items`)."""
    return bullets(headline_items(run))


def plan_facts(run: Run) -> list[str]:
    """The plan's central facts, for every document that presents the plan: topics against slots, how many
    are weak and which, what a fourth gathering adds."""
    plan = run.tables["plan"].loc[lambda d: d["chosen"]]
    n = int(plan["n_sessions"].iloc[0])
    chosen = next((v for v in run.plan_summary.get("variants", {}).values() if v.get("chosen")), {})
    slots = int(chosen.get("slots", len(plan)))
    catalogue = len(run.tables["topic_ranking"])
    placed = plan["topic_id"].nunique()
    if placed >= catalogue:
        first = (
            f"Programmet har {number_word(n)} samlinger med {slots} plasser, og alle de {catalogue} "
            "programtemaene i katalogen får plass. Planen velger altså ikke bort noe tema; den avgjør "
            "hvilke temaer som står sammen, og i hvilken rekkefølge."
        )
    else:
        first = (
            f"Programmet har {number_word(n)} samlinger med {slots} plasser. Av de {catalogue} "
            f"programtemaene i katalogen får {placed} plass"
            + (f", og {slots - placed} plasser står åpne." if slots > placed else ".")
        )
    weak = plan.loc[plan["weak"]].sort_values("rank")
    items = [first]
    if weak.empty:
        items.append("Ingen av temaene i planen har svakt grunnlag i svarene.")
    else:
        count = count_words(len(weak), "av dem", "av dem")
        items.append(
            f"{capitalised(count)} har svakt grunnlag i svarene: behovet i undersøkelsen, fritekstene og "
            f"intervjuene gir {'det' if len(weak) == 1 else 'dem'} samlet lav skår. Det gjelder "
            f"{listed([f'«{t}»' for t in weak['title']])}."
        )
    fourth = fourth_gathering(run)
    if fourth:
        items.append(fourth)
    return items


def headline_items(run: Run) -> list[str]:
    """The plan's central facts (`plan_facts`), then the contributors and, when it says something, how sure
    the choice is."""
    plan = run.tables["plan"].loc[lambda d: d["chosen"]]
    items = plan_facts(run)
    placed, catalogue = plan["topic_id"].nunique(), len(run.tables["topic_ranking"])
    per = (
        plan.explode("contributors")["contributors"]
        .map(lambda c: run.contributor_names.get(c, c))
        .value_counts()
        .sort_index(kind="stable")
    )
    shared = int((plan["contributors"].map(len) > 1).sum())
    items.append(
        "Bidragsyterne: "
        + ", ".join(f"{k} har {v}" for k, v in per.items())
        + (f" ({shared} temaer har to bidragsytere og teller hos begge)." if shared else ".")
    )
    sure = plan.loc[plan["p_in_programme"] >= 0.9]
    if placed < catalogue and plan["p_in_programme"].notna().all():
        items.append(
            f"Når vektene mellom undersøkelse, fritekst og intervjuer endres litt, kommer {len(sure)} av de "
            f"{placed} temaene med i minst 90\u202f% av forsøkene."
        )
    wishes = run.needs_summary.get("gatherings") or {}
    if wishes.get("preferred"):
        items.append(gatherings_wish(wishes, int(run.needs_summary.get("respondents", 0))))
    return items


def gatherings_wish(wishes: dict, n: int) -> str:
    """Three or four gatherings, as the respondents wished; a difference within what chance gives (under
    two standard errors of the difference between two shares of one sample) is said as a tie."""
    p3, p4 = float(wishes.get("share_3", 0)), float(wishes.get("share_4", 0))
    se = ((p3 + p4 - (p3 - p4) ** 2) / n) ** 0.5 if n else float("inf")
    shares = f"tre ({format_percent(p3)}) og fire ({format_percent(p4)})"
    if abs(p3 - p4) < 2 * se:
        return (
            f"Omtrent like mange ønsket {shares} samlinger; forskjellen er innenfor det tilfeldigheter gir."
        )
    more = 3 if p3 > p4 else 4
    return f"Flere ønsket {number_word(more)} samlinger enn {number_word(7 - more)}: {shares}."


def programme_overview(run: Run) -> HTML:
    """The chosen programme: per gathering its title, purpose and place in the order, its topics with
    contributors, one line of evidence and the reason for each, and one or two quotes."""
    overview = run.tables["plan_overview"].loc[lambda d: d["chosen"]].sort_values("session")
    plan = run.tables["plan"].loc[lambda d: d["chosen"]].set_index("topic_id")
    by_title = {row["title"]: row for _tid, row in plan.iterrows()}
    parts = []
    for row in overview.itertuples(index=False):
        items = []
        for title, evidence in zip(row.topics, row.evidence, strict=True):
            who = ", ".join(run.contributor_names.get(c, c) for c in by_title[title]["contributors"])
            weak = " <em>(svakt grunnlag)</em>" if by_title[title]["weak"] else ""
            items.append(
                f"<li><strong>{html.escape(title)}</strong> ({html.escape(who)}){weak}<br>"
                f"<small>{html.escape(evidence.split('; ', 1)[-1])}</small><br>"
                f"{html.escape(by_title[title]['rationale'])}</li>"
            )
        quotes = "".join(f"<blockquote>«{html.escape(q)}»</blockquote>" for q in row.quotes)
        order = (
            f"<p><em>Plass i rekkefølgen:</em> {html.escape(row.order_reason)}</p>"
            if row.order_reason
            else ""
        )
        parts.append(
            f"<h3>Samling {row.session}: {html.escape(row.title)}</h3>"
            f"<p>{html.escape(row.purpose)}</p>{order}<ul>{''.join(items)}</ul>{quotes}"
        )
    return HTML("".join(parts))


def settings_note(run: Run) -> HTML:
    """For the analysts' version only: the programme file's settings behind weak and open slots."""
    summary = run.plan_summary
    return HTML(
        "<p>For analytikere: et programtema har svakt grunnlag når skåren er under "
        f"<code>[plan].min_score</code> = {format_number(summary.get('min_score', -0.5), 2)}. Med "
        "<code>[plan].fill_all_slots = false</code> står slike plasser åpne i stedet "
        f"(nå: <code>{str(summary.get('fill_all_slots', True)).lower()}</code>).</p>"
    )


def weak_slots(run: Run) -> HTML:
    """Topics with weak grounds in the answers, open slots, and the new needs that could take them."""
    summary = run.plan_summary
    chosen = next((v for v in summary.get("variants", {}).values() if v.get("chosen")), {})
    plan = run.tables["plan"].loc[lambda d: d["chosen"]]
    weak = plan.loc[plan["weak"]]
    candidates = summary.get("candidates", [])
    items = []
    if weak.empty and not chosen.get("open_slots"):
        items.append("Ingen plasser har temaer med svakt grunnlag i svarene.")
    for r in weak.itertuples(index=False):
        items.append(
            f"Samling {r.session}: «{r.title}» har svakt grunnlag i svarene (nr. {r.rank} av "
            f"{len(run.tables['topic_ranking'])}). Plassen kan brukes bedre."
        )
    if chosen.get("open_slots"):
        items.append(
            f"{chosen['open_slots']} av {chosen['slots']} plasser står åpne fordi ingen programtemaer i "
            "katalogen har godt nok grunnlag i svarene til dem."
        )
    for c in candidates:
        items.append(
            f"Nytt behov som kan ta en av plassene: «{c['title']}», tatt opp av {c['respondents']} "
            f"respondenter ({format_percent(c['share_respondents'])}) og i {c['interviews']} intervjuer. "
            "Ingen programtemaer i katalogen dekker det."
            + (f" Sitat: «{c['quote']}»" if c.get("quote") else "")
        )
    if not candidates and not weak.empty:
        items.append(
            "Lederne tar ikke opp noe nytt behov som katalogen mangler, så en svak plass må eventuelt fylles "
            "med et annet programtema eller brukes til mer tid på de sterkeste temaene."
        )
    return bullets(items)


def replan_changes(run: Run) -> HTML:
    """When replanning: what the new plan changes from the previous one and why, and the participants'
    evaluation of the delivered gatherings. Nothing when this is the first plan."""
    replan = run.plan_summary.get("replan", {})
    if not replan.get("previous_plan"):
        return HTML("")
    changes = run.tables["plan_changes"]
    held = int(replan.get("delivered", 0))
    counts = changes["change"].value_counts()
    later = changes.loc[changes["previous_session"].fillna(99) > held]
    kept = int((later["change"] == "uendret").sum())
    done = (
        "Samling 1 er gjennomført og står som den var. "
        if held == 1
        else f"Samling 1–{held} er gjennomført og står som de var. "
        if held
        else ""
    )
    planned = len(later.loc[later["change"] != "ny"])
    summary = (
        f"{done}Av de {planned} temaene den forrige planen hadde i samlingene "
        f"som gjenstår, står {kept} der de sto, {int(counts.get('flyttet', 0))} er flyttet og "
        f"{int(counts.get('tatt ut', 0))} er tatt ut; {int(counts.get('ny', 0))} er nye. En endring gjøres "
        "bare når den gir en klart bedre plan enn å la temaet stå (stabilitet "
        f"{format_number(replan.get('stability', 0), 1)}, satt av programgruppen)."
    )
    moved = changes.loc[changes["change"] != "uendret"]
    shown = pd.DataFrame(
        {
            "Tema": moved["title"],
            "Før": moved["previous_session"].map(lambda v: "–" if pd.isna(v) else f"samling {v}"),
            "Nå": moved["session"].map(lambda v: "–" if pd.isna(v) else f"samling {v}"),
            "Endring": moved["change"],
            "Begrunnelse": moved["reason"],
        }
    )
    parts = [f"<h2>Endringer siden forrige plan</h2><p>{html.escape(summary)}</p>"]
    parts.append(table(shown).body if not shown.empty else "<p>Planen er uendret.</p>")
    rated = run.tables["evaluation"]
    if not rated.empty:
        titles = run.tables["topic_ranking"].set_index("topic_id")["title"]
        rated = rated.sort_values(["session", "topic_id"])
        evaluation = pd.DataFrame(
            {
                "Samling": rated["session"],
                "Tema": rated["topic_id"].map(titles),
                "Svar": rated["answers"],
                "Snitt nytte (1–5)": [
                    f"under {run.min_cell} svar" if sup else format_number(m, 1)
                    for m, sup in zip(rated["mean"], rated["suppressed"], strict=True)
                ],
                "Andel 4 eller 5": [
                    "–" if sup else format_percent(v)
                    for v, sup in zip(rated["share_useful"], rated["suppressed"], strict=True)
                ],
            }
        )
        ranking = run.tables["topic_ranking"]
        asked = ranking.loc[ranking.get("evaluation_mentions", pd.Series(0.0, index=ranking.index)) > 0]
        asked = asked.sort_values(["evaluation_mentions", "rank"], ascending=[False, True]).head(3)
        wishes = ", ".join(
            f"«{t}» ({format_percent(v)})"
            for t, v in zip(asked["title"], asked["evaluation_mentions"], strict=True)
        )
        parts.append(
            "<h3>Deltakernes evaluering</h3><p>Nytten deltakerne oppga for hvert tema (1 = lite nyttig, "
            "5 = svært nyttig). Kommentarene teller med i rangeringen av temaene som gjenstår"
            + (
                f"; flest tar opp {html.escape(wishes)} (andel av deltakerne som skrev en kommentar)."
                if wishes
                else "."
            )
            + "</p>"
        )
        parts.append(table(evaluation).body)
    return HTML("".join(parts))
