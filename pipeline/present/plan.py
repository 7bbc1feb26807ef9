"""The programme plan for partners: ranking, gatherings, 3 versus 4, what was left out."""

from __future__ import annotations

import html

import pandas as pd

from pipeline.present.base import HTML, Run, bullets, format_number, format_percent, table


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
        shown["Treffer særlig profilen"] = r["serves_profile"].to_numpy()
    return table(shown)


def plan_comparison(run: Run) -> HTML:
    """3 versus 4 gatherings: topics and the value of each plan."""
    variants = run.plan_summary.get("variants", {})
    rows = []
    for count in ("3", "4"):
        v = variants.get(count)
        if not v:
            continue
        if not v.get("feasible"):
            under_way = str(v.get("reason", "")).startswith("under way")
            verdict = "ikke aktuelt: programmet er i gang" if under_way else "ikke mulig"
            rows.append({"Samlinger": count, "Temaer": "–", "Verdi": verdict, "Valgt": ""})
            continue
        rows.append(
            {
                "Samlinger": count,
                "Temaer": v["topics"],
                "Verdi": format_number(v["objective"], 2),
                "Valgt": "valgt i programfilen" if v["chosen"] else "",
            }
        )
    return table(pd.DataFrame(rows))


def left_out_table(run: Run) -> HTML:
    """Strong topics that are not in the chosen plan, and why."""
    chosen = int(run.tables["plan"].loc[run.tables["plan"]["chosen"], "n_sessions"].iloc[0])
    part = run.tables["plan_left_out"].loc[lambda d: d["n_sessions"] == chosen]
    if part.empty:
        return HTML("<p>Ingen sterke temaer er utelatt.</p>")
    return table(
        pd.DataFrame({"Rang": part["rank"], "Tema": part["title"], "Hvorfor ikke med": part["reason"]})
    )


def plan_table(run: Run, n_sessions: int | None = None) -> HTML:
    plan = run.tables["plan"]
    plan = plan.loc[plan["chosen"]] if n_sessions is None else plan.loc[plan["n_sessions"] == n_sessions]
    if plan.empty:
        return HTML(f"<p>Ingen plan med {n_sessions} samlinger: se tabellen over for hvorfor.</p>")
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
    return table(shown)


def headline(run: Run) -> HTML:
    """The plan in a few lines: gatherings, topics per contributor, and how sure the choice is."""
    plan = run.tables["plan"].loc[lambda d: d["chosen"]]
    n = int(plan["n_sessions"].iloc[0])
    per = (
        plan.explode("contributors")["contributors"]
        .map(lambda c: run.contributor_names.get(c, c))
        .value_counts()
        .sort_index(kind="stable")
    )
    shared = int((plan["contributors"].map(len) > 1).sum())
    sure = plan.loc[plan["p_in_programme"] >= 0.9]
    items = [
        f"{n} samlinger med {len(plan)} temaer. "
        + ", ".join(f"{k} bidrar i {v}" for k, v in per.items())
        + (f" ({shared} temaer har to bidragsytere og teller hos begge)." if shared else "."),
        f"{len(sure)} av de {len(plan)} temaene kommer med i minst 90 % av omtrekningene når vektene mellom "
        "undersøkelse, fritekst og intervjuer varieres litt.",
    ]
    wishes = run.needs_summary.get("gatherings") or {}
    if wishes.get("preferred"):
        items.append(gatherings_wish(wishes, int(run.needs_summary.get("respondents", 0))))
    return bullets(items)


WORDS = {3: "tre", 4: "fire"}


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
    return f"Flere ønsket {WORDS[more]} samlinger enn {WORDS[7 - more]}: {shares}."


def programme_overview(run: Run) -> HTML:
    """The chosen programme on one page: per gathering its title, purpose, topics with contributors and one
    line of evidence each, and one or two quotes."""
    overview = run.tables["plan_overview"].loc[lambda d: d["chosen"]].sort_values("session")
    plan = run.tables["plan"].loc[lambda d: d["chosen"]].set_index("topic_id")
    by_title = {row["title"]: row for _tid, row in plan.iterrows()}
    parts = []
    for row in overview.itertuples(index=False):
        items = []
        for title, evidence in zip(row.topics, row.evidence, strict=True):
            who = ", ".join(run.contributor_names.get(c, c) for c in by_title[title]["contributors"])
            weak = " <em>(svakt belegg)</em>" if by_title[title]["weak"] else ""
            items.append(
                f"<li><strong>{html.escape(title)}</strong> ({html.escape(who)}){weak}<br>"
                f"<small>{html.escape(evidence)}</small></li>"
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


def weak_slots(run: Run) -> HTML:
    """Topics placed under the evidence floor, open slots, and the new needs proposed as candidates."""
    summary = run.plan_summary
    chosen = next((v for v in summary.get("variants", {}).values() if v.get("chosen")), {})
    plan = run.tables["plan"].loc[lambda d: d["chosen"]]
    weak = plan.loc[plan["weak"]]
    floor = format_number(summary.get("min_score", -0.5), 2)
    items = []
    if weak.empty and not chosen.get("open_slots"):
        items.append(f"Alle plassene har temaer med belegg over gulvet (skår {floor}).")
    for r in weak.itertuples(index=False):
        items.append(
            f"Samling {r.session}: «{r.title}» har svakt belegg (skår {format_number(r.score, 2)}, under "
            f"gulvet {floor}). Plassen kan brukes bedre."
        )
    if chosen.get("open_slots"):
        items.append(
            f"{chosen['open_slots']} av {chosen['slots']} plasser står åpne fordi ingen tema i katalogen har "
            "nok belegg til dem ([plan].fill_all_slots = false)."
        )
    for c in summary.get("candidates", []):
        items.append(
            f"Kandidat fra de nye behovene: «{c['title']}», tatt opp av {c['respondents']} respondenter "
            f"({format_percent(c['share_respondents'])}) og i {c['interviews']} intervjuer. Ingen tema i "
            "katalogen dekker det." + (f" Sitat: «{c['quote']}»" if c.get("quote") else "")
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
        f"{format_number(replan.get('stability', 0), 1)} i programfilen)."
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
