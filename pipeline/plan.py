"""Assign ranked topics to the gatherings by mixed-integer optimisation (scipy's `milp`, HiGHS).

Decision x[t, s] = 1 when topic t is taught in gathering s. Maximise the value of the chosen topics
subject to: slots per gathering, each topic at most once, every contributor present in every gathering
(unless configured otherwise), at most `max_topics` per contributor, prerequisites (A in an earlier
gathering than B), pinned and excluded topics. An infeasible programme gets a message naming the
constraint groups in conflict.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix

from pipeline.config import Programme
from pipeline.errors import PlanInfeasibleError

PLAN_COLUMNS = [
    "n_sessions",
    "chosen",
    "session",
    "topic_id",
    "title",
    "contributors",
    "rank",
    "score",
    "value",
    "rationale",
]
GROUPS = ("slots", "contributor_presence", "contributor_max", "prerequisites", "pinned")


@dataclass(frozen=True)
class PlanResult:
    n_sessions: int
    assignment: dict[str, int]  # topic id -> gathering (1-based)
    objective: float


def topic_values(ranking: pd.DataFrame) -> pd.Series:
    """Positive value per topic from its score: the best topic is worth most; every topic is worth > 0."""
    score = ranking.set_index("topic_id")["score"]
    return score - score.min() + 0.1


def solve_plan(
    programme: Programme, values: pd.Series, n_sessions: int, relax: frozenset[str] = frozenset()
) -> PlanResult:
    """The optimal assignment for `n_sessions` gatherings. `relax` drops constraint groups (for diagnosis)."""
    topics = [t for t in programme.topics if not t.excluded]
    slots = programme.sessions.slots_for(n_sessions)
    T, S = len(topics), n_sessions
    index = {t.id: i for i, t in enumerate(topics)}

    def var(t: int, s: int) -> int:
        return t * S + s

    rows: list[tuple[dict[int, float], float, float]] = []
    for t in range(T):  # each topic at most once
        rows.append(({var(t, s): 1.0 for s in range(S)}, 0.0, 1.0))
    if "slots" not in relax:
        for s in range(S):
            rows.append(({var(t, s): 1.0 for t in range(T)}, 0.0, float(slots[s])))
    for c in programme.contributors:
        theirs = [index[t.id] for t in topics if c.id in t.contributors]
        if c.every_session and "contributor_presence" not in relax:
            for s in range(S):
                rows.append(({var(t, s): 1.0 for t in theirs}, 1.0, np.inf))
        if c.max_topics is not None and "contributor_max" not in relax:
            rows.append(({var(t, s): 1.0 for t in theirs for s in range(S)}, 0.0, float(c.max_topics)))
    if "prerequisites" not in relax:
        for topic in topics:
            for req in topic.requires:
                if req not in index:
                    continue
                b, a = index[topic.id], index[req]
                for s in range(S):  # x[b, s] <= sum_{s' < s} x[a, s']
                    coeffs = {var(b, s): 1.0}
                    for s2 in range(s):
                        coeffs[var(a, s2)] = coeffs.get(var(a, s2), 0.0) - 1.0
                    rows.append((coeffs, -np.inf, 0.0))
    lower = np.zeros(T * S)
    if "pinned" not in relax:
        for topic in topics:
            if topic.pinned_session is not None and topic.pinned_session <= S:
                lower[var(index[topic.id], topic.pinned_session - 1)] = 1.0
    A = lil_matrix((len(rows), T * S))
    lb, ub = np.empty(len(rows)), np.empty(len(rows))
    for r, (coeffs, lo, hi) in enumerate(rows):
        for j, v in coeffs.items():
            A[r, j] = v
        lb[r], ub[r] = lo, hi
    c = -np.repeat(values.reindex([t.id for t in topics]).fillna(0.0).to_numpy(), S)
    res = milp(
        c,
        constraints=LinearConstraint(A.tocsr(), lb, ub),
        integrality=np.ones(T * S),
        bounds=Bounds(lower, np.ones(T * S)),
        options={"presolve": True},
    )
    if res.status != 0 or res.x is None:
        raise PlanInfeasibleError(_explain_infeasible(programme, values, n_sessions, relax))
    x = np.round(res.x).reshape(T, S)
    assignment = {topics[t].id: int(np.argmax(x[t])) + 1 for t in range(T) if x[t].sum() > 0.5}
    return PlanResult(n_sessions, assignment, float(-res.fun))


def _explain_infeasible(
    programme: Programme, values: pd.Series, n_sessions: int, relax: frozenset[str]
) -> str:
    if relax:  # called during diagnosis: keep it short
        return "infeasible"
    culprits = []
    for group in GROUPS:
        try:
            solve_plan(programme, values, n_sessions, relax=frozenset({group}))
            culprits.append(group)
        except PlanInfeasibleError:
            continue
    names = {
        "slots": "slots per gathering ([sessions].slots)",
        "contributor_presence": "every contributor in every gathering ([[contributors]].every_session)",
        "contributor_max": "topics per contributor ([[contributors]].max_topics)",
        "prerequisites": "prerequisites ([[topics]].requires)",
        "pinned": "pinned topics ([[topics]].pinned_session)",
    }
    if culprits:
        listed = "; or ".join(names[g] for g in culprits)
        return (
            f"{programme.path}: no plan with {n_sessions} gatherings meets all constraints. "
            f"Relaxing any one of these makes it possible: {listed}."
        )
    return (
        f"{programme.path}: no plan with {n_sessions} gatherings meets all constraints, and no single "
        "constraint group explains it; check slots, contributors, pinned topics and prerequisites together."
    )


def plan_table(programme: Programme, ranking: pd.DataFrame, result: PlanResult, chosen: bool) -> pd.DataFrame:
    """The plan as rows (one per placed topic) with a rationale line each, in gathering then rank order."""
    info = ranking.set_index("topic_id")
    values = topic_values(ranking)
    rows = []
    for topic_id, session in result.assignment.items():
        topic = programme.topic(topic_id)
        r = info.loc[topic_id]
        why = [f"rangert som nr. {int(r['rank'])} av {len(ranking)}"]
        if topic.pinned_session:
            why.append(f"låst til samling {topic.pinned_session} i programfilen")
        if topic.requires:
            why.append("kommer etter " + ", ".join(topic.requires))
        rows.append(
            {
                "n_sessions": result.n_sessions,
                "chosen": chosen,
                "session": session,
                "topic_id": topic_id,
                "title": topic.title,
                "contributors": list(topic.contributors),
                "rank": int(r["rank"]),
                "score": float(r["score"]),
                "value": float(values[topic_id]),
                "rationale": "; ".join(why),
            }
        )
    out = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    return out.sort_values(["session", "rank"], kind="stable", ignore_index=True)


def excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Neutralise spreadsheet formula injection: text cells starting with = + - @ get a leading apostrophe."""

    def fix(v: object) -> object:
        return "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v

    return df.apply(
        lambda col: col.map(fix) if col.dtype == object or pd.api.types.is_string_dtype(col) else col
    )


NORWEGIAN_COLUMNS = {
    "n_sessions": "Antall samlinger",
    "session": "Samling",
    "title": "Tema",
    "topic_id": "Tema-id",
    "contributors": "Bidragsyter",
    "rank": "Rangering",
    "score": "Skår",
    "rationale": "Begrunnelse",
}


def designer_view(plan: pd.DataFrame, contributor_names: dict[str, str]) -> pd.DataFrame:
    """The chosen plan with Norwegian column names and contributor names, for CSV and Excel."""
    chosen = plan.loc[plan["chosen"]].copy()
    chosen["contributors"] = chosen["contributors"].map(
        lambda ids: ", ".join(contributor_names[c] for c in ids)
    )
    chosen["score"] = chosen["score"].round(2)
    return excel_safe(chosen[list(NORWEGIAN_COLUMNS)].rename(columns=NORWEGIAN_COLUMNS))
