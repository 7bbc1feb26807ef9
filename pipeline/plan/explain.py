"""Why the plan looks as it does: topic affinity (what belongs together), a Norwegian rationale line per
placed topic, and the strong topics left out with the reason."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations

import numpy as np
import pandas as pd

from pipeline.config import Programme, Topic
from pipeline.errors import PlanInfeasibleError
from pipeline.plan.model import PlanResult, solve_plan, topic_values
from pipeline.plan.placement import placement_sentence, placements
from pipeline.text import format_percent

PLAN_COLUMNS = [
    "n_sessions",
    "chosen",
    "session",
    "topic_id",
    "title",
    "contributors",
    "rank",
    "rank_lo",
    "rank_hi",
    "score",
    "value",
    "p_in_programme",
    "rationale",
    "weak",
]
LEFT_OUT_COLUMNS = ["n_sessions", "topic_id", "title", "rank", "score", "reason"]
SHARED_THEME_BONUS = 0.1


def topic_affinity(doc_topics: pd.DataFrame, themes: pd.DataFrame, topic_ids: list[str]) -> pd.DataFrame:
    """How much two topics belong together: the Jaccard index of who raised them (survey respondents and
    informant passages), plus a bonus when a discovered theme matches both."""
    units: dict[str, set[str]] = {t: set() for t in topic_ids}
    for source, respondent, doc, topic in doc_topics[
        ["source", "respondent_id", "doc_id", "topic_id"]
    ].itertuples(index=False):
        if topic in units:
            units[topic].add(f"r:{respondent}" if source == "survey" else f"d:{doc}")
    shared: dict[tuple[str, str], int] = {}
    for matched in themes.get("matched_topics", pd.Series(dtype=object)):
        for a, b in combinations(sorted(set(matched)), 2):
            shared[a, b] = shared.get((a, b), 0) + 1
    rows = []
    for a, b in combinations(sorted(topic_ids), 2):
        union = len(units[a] | units[b])
        jaccard = len(units[a] & units[b]) / union if union else 0.0
        rows.append(
            (
                a,
                b,
                jaccard,
                shared.get((a, b), 0),
                jaccard + SHARED_THEME_BONUS * min(shared.get((a, b), 0), 2),
            )
        )
    return pd.DataFrame(rows, columns=["topic_a", "topic_b", "jaccard", "shared_themes", "affinity"])


def plan_row(
    n_sessions: int,
    chosen: bool,
    session: int,
    topic: Topic,
    r: pd.Series,
    values: pd.Series,
    p_in: float,
    rationale: str,
) -> dict:
    """One row of the plan table (PLAN_COLUMNS but `weak`, which `mark_weak` sets)."""
    return {
        "n_sessions": n_sessions,
        "chosen": chosen,
        "session": session,
        "topic_id": topic.id,
        "title": topic.title,
        "contributors": list(topic.contributors),
        "rank": int(r["rank"]),
        "rank_lo": int(r.get("rank_lo", r["rank"])),
        "rank_hi": int(r.get("rank_hi", r["rank"])),
        "score": float(r["score"]),
        "value": float(values[topic.id]),
        "p_in_programme": p_in,
        "rationale": rationale,
    }


def plan_table(
    programme: Programme,
    ranking: pd.DataFrame,
    result: PlanResult,
    chosen: bool,
    affinity: pd.DataFrame,
    p_in_programme: pd.Series | None = None,
    cohesion: float = 1.0,
) -> pd.DataFrame:
    """One row per placed topic, in gathering then rank order, with a Norwegian rationale: why it is in (rank,
    its evidence) and why in that gathering (`placement`: the rules that bind it, or what moving it costs)."""
    info = ranking.set_index("topic_id")
    values = topic_values(info["score"])
    pair = {(a, b): w for a, b, w in affinity[["topic_a", "topic_b", "affinity"]].itertuples(index=False)}
    rows = []
    n_slots = sum(programme.sessions.slots_for(result.n_sessions))
    placed = placements(programme, result.assignment, result.n_sessions, pair, cohesion)
    for topic_id, session in result.assignment.items():
        topic = programme.topic(topic_id)
        r = info.loc[topic_id]
        rank = f"nr. {int(r['rank'])} av {len(ranking)} i rangeringen"
        if "rank_lo" in r and int(r["rank_lo"]) != int(r["rank_hi"]):
            rank += f", trolig mellom nr. {int(r['rank_lo'])} og {int(r['rank_hi'])}"
        present = [c.name for c in programme.contributors if c.every_session and c.id in topic.contributors]
        if int(r["rank"]) > n_slots and present:
            why_in = (
                f"Med fordi {' og '.join(present)} skal bidra på hver samling, og dette er det sterkeste "
                f"temaet deres som kunne tas inn innenfor reglene for programmet ({rank})"
            )
        else:
            why_in = f"Med som {rank}"
        where = placement_sentence(programme, placed[topic_id], session)
        where = (
            f"står i samling {session}, men {where}"
            if where.startswith("det kunne like gjerne")
            else f"står i samling {session} fordi {where}"
        )
        p_in = float(p_in_programme.get(topic_id, np.nan)) if p_in_programme is not None else np.nan
        rationale = f"{why_in}, og {where}."
        rows.append(plan_row(result.n_sessions, chosen, session, topic, r, values, p_in, rationale))
    out = pd.DataFrame(rows, columns=PLAN_COLUMNS).assign(weak=False)
    return out.sort_values(["session", "rank"], kind="stable", ignore_index=True)


def mark_weak(table: pd.DataFrame, floor: float, new_needs: bool = False) -> pd.DataFrame:
    """Flag placed topics whose evidence score is under the floor, and say so in their rationale (what to do
    about it: a new need where the leaders raised one, otherwise another topic or a free slot)."""
    weak = table["score"] < floor
    note = (
        " Behovet i undersøkelsen, fritekstene og intervjuene gir det samlet lav skår, så plassen kan "
        "trolig brukes bedre" + (", for eksempel til et av de nye behovene." if new_needs else ".")
    )
    rationale = [r + note if w else r for r, w in zip(table["rationale"], weak, strict=True)]
    return table.assign(weak=weak.to_numpy(), rationale=rationale)


def new_need_candidates(themes: pd.DataFrame) -> list[dict]:
    """The new needs (themes no catalogue topic covers, judged real) as candidate topics for weak or open
    slots, with their evidence."""
    part = themes.loc[themes["emerging"].astype(bool)] if "emerging" in themes else themes.iloc[:0]
    return [
        {
            "theme_id": r.theme_id,
            "title": r.suggested_title or r.name,
            "respondents": int(r.n_respondents),
            "share_respondents": round(float(r.share_respondents), 4),
            "interviews": len(r.interviews),
            "quote": (list(r.quotes) or [""])[0],
        }
        for r in part.sort_values(["n_respondents", "theme_id"], ascending=[False, True]).itertuples()
    ]


def left_out(
    programme: Programme,
    ranking: pd.DataFrame,
    result: PlanResult,
    values: pd.Series,
    extra: int = 3,
) -> pd.DataFrame:
    """Topics that rank within the number of slots (plus `extra`) but are not in the plan, and why: forcing
    each in either breaks named constraints or lowers the plan's value by a stated amount."""
    n_slots = sum(programme.sessions.slots_for(result.n_sessions))
    rows = []
    for r in ranking.sort_values("rank").itertuples(index=False):
        if r.rank > n_slots + extra or r.topic_id in result.assignment:
            continue
        topic = programme.topic(r.topic_id)
        if topic.excluded:
            reason = "programgruppen har tatt det ut av planen"
        else:
            try:
                forced = solve_plan(programme, values, result.n_sessions, force=(r.topic_id,))  # selection
                dropped = [programme.topic(t).title for t in result.assignment if t not in forced.assignment]
                loss = (result.value - forced.value) / result.value if result.value else 0.0
                reason = (
                    f"skulle det inn, måtte {' og '.join(f'«{d}»' for d in dropped)} ut"
                    if dropped
                    else "det får ikke plass uten å gjøre planen svakere"
                ) + (
                    ", og planen som helhet ville vært omtrent like godt begrunnet i svarene"
                    if loss < 0.005
                    else f", og planen som helhet ville fått {format_percent(loss)} svakere grunnlag"
                )
                limits = [
                    c.name
                    for c in programme.contributors
                    if c.id in topic.contributors
                    and c.max_topics is not None
                    and sum(c.id in programme.topic(t).contributors for t in result.assignment)
                    >= c.max_topics
                ]
                if limits:
                    reason += f"; {' og '.join(limits)} har allerede så mange temaer som avtalt"
            except PlanInfeasibleError as exc:
                reason = (
                    f"kan ikke tas med uten å bryte en regel for programmet: {str(exc).split(': ', 1)[-1]}"
                )
        rows.append((result.n_sessions, r.topic_id, r.title, int(r.rank), float(r.score), reason))
    return pd.DataFrame(rows, columns=LEFT_OUT_COLUMNS)


def split_threads(programme: Programme) -> tuple[Programme, tuple[Topic, ...]]:
    """(the programme the solver plans, without thread topics; the thread topics). A thread topic takes a
    short slot in every gathering besides the gathering's topics, so its contributors are present in every
    gathering already: their presence rule is met by the thread, not by the solver."""
    threads = tuple(t for t in programme.topics if t.thread and not t.excluded)
    if not threads:
        return programme, ()
    present = {c for t in threads for c in t.contributors}
    contributors = tuple(
        replace(c, every_session=False) if c.id in present else c for c in programme.contributors
    )
    topics = tuple(replace(t, excluded=True) if t in threads else t for t in programme.topics)
    return replace(programme, topics=topics, contributors=contributors), threads


def thread_rows(
    programme: Programme,
    ranking: pd.DataFrame,
    threads: tuple[Topic, ...],
    n_sessions: int,
    chosen: bool,
    p_in_programme: pd.Series | None = None,
) -> pd.DataFrame:
    """One plan row per thread topic and gathering, with its reason."""
    info = ranking.set_index("topic_id")
    values = topic_values(info["score"])
    rows = []
    for topic in threads:
        r = info.loc[topic.id]
        for session in range(1, n_sessions + 1):
            rationale = (
                f"Rød tråd gjennom programmet: en kort økt i hver av de {n_sessions} samlingene, slik "
                f"programgruppen har bestemt. Rangert nr. {int(r['rank'])} av {len(ranking)}."
            )
            p_in = 1.0 if p_in_programme is not None else np.nan
            rows.append(plan_row(n_sessions, chosen, session, topic, r, values, p_in, rationale))
    return pd.DataFrame(rows, columns=PLAN_COLUMNS).assign(weak=False)
