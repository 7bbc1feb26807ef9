"""Replanning while the programme runs: the previous plan (the plan.csv or plan.xlsx an earlier run wrote),
the gatherings already held frozen as it had them, and the changes the new plan makes, each with its reason.

The new plan changes as little as possible: `[plan].stability` is what keeping a topic in the programme,
and in the gathering the previous plan gave it, is worth (as conference schedulers weigh changes to a
published schedule), so a topic moves or is replaced only when that gains more than the stability given up.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from pipeline.config import Programme, Sessions
from pipeline.errors import ConfigError, InputError, PlanInfeasibleError
from pipeline.plan.model import PlanResult, solve_plan
from pipeline.survey.reading import read_simple_table
from pipeline.text import format_percent

HINT = (
    "A previous plan is the data/processed/plan.csv or reports/programplan.xlsx of an earlier run: a column "
    "'Samling' and a column 'Tema-id' (or 'Tema' with the topic's title), one row per topic."
)
PLAN_SHEET = "Plan som tabell"  # the designer's workbook's flat sheet (reports/programplan.xlsx)
CHANGE_COLUMNS = ["topic_id", "title", "previous_session", "session", "change", "reason"]
CHANGES = {"kept": "uendret", "moved": "flyttet", "added": "ny", "dropped": "tatt ut"}


def read_previous_plan(path: Path, programme: Programme) -> dict[str, int]:
    """topic id -> gathering in the previous plan (thread topics, which run through every gathering, are
    left out). Every topic must be in the catalogue; problems name the row and column."""
    table = read_simple_table(path, HINT, sheet=PLAN_SHEET)
    if "Samling" not in table.columns or not {"Tema-id", "Tema"} & set(table.columns):
        raise InputError(path, "the columns 'Samling' and 'Tema-id' (or 'Tema') are missing.", hint=HINT)
    by_title = {t.title: t.id for t in programme.topics}
    ids = {t.id for t in programme.topics}
    column = "Tema-id" if "Tema-id" in table.columns else "Tema"
    previous: dict[str, int] = {}
    for i, (session, name) in enumerate(zip(table["Samling"], table[column], strict=True), start=2):
        topic_id = name if column == "Tema-id" and name in ids else by_title.get(name)
        if topic_id is None:
            raise InputError(
                path,
                f"'{name}' is no topic of the catalogue.",
                row=i,
                column=column,
                hint="A topic of the previous plan must still be in the programme file (excluded is fine).",
            )
        if not session.isdigit() or not 1 <= int(session) <= programme.sessions.count:
            raise InputError(
                path,
                f"'{session}' is not a gathering from 1 to {programme.sessions.count}.",
                row=i,
                column="Samling",
                hint=HINT,
            )
        if programme.topic(topic_id).thread:
            continue
        if topic_id in previous and previous[topic_id] != int(session):
            raise InputError(
                path,
                f"'{name}' is in gatherings {previous[topic_id]} and {session}.",
                row=i,
                column="Samling",
                hint="A topic sits in one gathering; a thread topic (thread = true) runs through all.",
            )
        previous[topic_id] = int(session)
    if not previous:
        raise InputError(path, "has no topics.", hint=HINT)
    return previous


def freeze(programme: Programme, previous: dict[str, int]) -> Programme:
    """The programme with its delivered gatherings frozen: each holds exactly the topics the previous plan
    gave it (pinned there, included even if since excluded, their prerequisites met by history), and no
    other topic may be pinned to one."""
    held = programme.sessions.delivered
    if not held:
        return programme
    done = {t: g for t, g in previous.items() if g <= held}
    for s in range(1, held + 1):
        if not any(g == s for g in done.values()):
            raise InputError(
                programme.inputs.previous_plan or programme.path,
                f"gathering {s} is held ([sessions].delivered = {held}) but has no topics in the previous "
                "plan.",
                hint="Give the plan the delivered gatherings followed, or lower [sessions].delivered.",
            )
    for i, t in enumerate(programme.topics):
        if t.pinned_session is not None and t.pinned_session <= held and t.id not in done:
            raise ConfigError(
                programme.path,
                f"topics[{i}].pinned_session",
                f"topic '{t.id}' is pinned to gathering {t.pinned_session}, which is held without it. Pin "
                "it to a gathering still to come, or remove pinned_session.",
            )
    topics = tuple(
        replace(t, pinned_session=done[t.id], excluded=False, requires=()) if t.id in done else t
        for t in programme.topics
    )
    slots = tuple(
        sum(1 for g in done.values() if g == s + 1) if s < held else n
        for s, n in enumerate(programme.sessions.slots)
    )
    return replace(programme, topics=topics, sessions=Sessions(programme.sessions.count, slots, held))


def cost_of_staying(
    programme: Programme,
    values: pd.Series,
    result: PlanResult,
    previous: dict[str, int],
    affinity: pd.DataFrame | None,
    cohesion: float,
) -> dict[str, float]:
    """Per topic the new plan moves: how much weaker (share of the objective) the best plan is that keeps
    it where the previous plan had it; 1.0 when no plan can keep it there."""
    cost = {}
    for topic_id, before in sorted(previous.items()):
        after = result.assignment.get(topic_id)
        if after is None or after == before or before <= programme.sessions.delivered:
            continue
        pinned = replace(
            programme,
            topics=tuple(
                replace(t, pinned_session=before) if t.id == topic_id else t for t in programme.topics
            ),
        )
        try:
            kept = solve_plan(
                pinned, values, result.n_sessions, affinity=affinity, cohesion=cohesion, previous=previous
            )
            cost[topic_id] = max(0.0, (result.objective - kept.objective) / result.objective)
        except PlanInfeasibleError:
            cost[topic_id] = 1.0
    return cost


def changes(
    programme: Programme,
    previous: dict[str, int],
    assignment: dict[str, int],
    ranking: pd.DataFrame,
    kept_cost: dict[str, float],
    evaluation_share: pd.Series | None = None,
) -> pd.DataFrame:
    """One row per topic in either plan: kept, moved, added or dropped, with a Norwegian reason. `kept_cost`
    is, per moved topic, how much weaker the best plan that leaves it where it was is (share of objective)."""
    info = ranking.set_index("topic_id")
    held = programme.sessions.delivered
    rows = []
    for topic_id in sorted(set(previous) | set(assignment), key=lambda t: (assignment.get(t, 99), t)):
        before, after = previous.get(topic_id), assignment.get(topic_id)
        r = info.loc[topic_id] if topic_id in info.index else None
        evidence = (
            f"rangert nr. {int(r['rank'])} av {len(info)} med de oppdaterte svarene" if r is not None else ""
        )
        if evaluation_share is not None and evaluation_share.get(topic_id, 0.0) > 0:
            evidence += (
                f"; {format_percent(evaluation_share[topic_id])} av deltakerne tar det opp i evalueringen"
            )
        if before == after:
            kind = "kept"
            reason = "Samlingen er gjennomført." if before <= held else "Står der det sto."
        elif before is None:
            kind = "added"
            reason = f"Nytt i planen: {evidence}."
        elif after is None:
            kind = "dropped"
            full = [
                c.name
                for c in programme.contributors
                if c.id in programme.topic(topic_id).contributors
                and c.max_topics is not None
                and sum(c.id in programme.topic(t).contributors for t in assignment) >= c.max_topics
            ]
            came = [programme.topic(t).title for t in sorted(assignment) if t not in previous]
            if full:
                why = f"{' og '.join(full)} har fått så mange temaer som avtalt"
            elif came:
                why = f"inn kom {', '.join(f'«{c}»' for c in came)} med sterkere grunnlag i svarene"
            else:
                why = "plassen trengs til temaer med sterkere grunnlag i svarene"
            reason = f"Tatt ut: {evidence}; {why}."
        else:
            kind = "moved"
            cost = kept_cost.get(topic_id, 0.0)
            if cost >= 1.0:
                why = "ingen plan som holder reglene, kan la det stå"
            elif cost > 0:
                why = f"å la det stå ville gjort planen {format_percent(cost, 1)} svakere"
            else:
                why = "en like god plan kunne latt det stå; flyttingen følger av de andre endringene"
            reason = f"Flyttet fra samling {before} til {after}: {why}."
        rows.append(
            {
                "topic_id": topic_id,
                "title": programme.topic(topic_id).title,
                "previous_session": before,
                "session": after,
                "change": CHANGES[kind],
                "reason": reason,
            }
        )
    out = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    return out.astype({"previous_session": "Int64", "session": "Int64"})
