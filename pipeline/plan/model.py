"""The plan as mixed-integer programmes (scipy's `milp`, HiGHS), and a greedy plan to compare with.

Decision x[t, s] = 1 when topic t is taught in gathering s. Maximise the value of the chosen topics plus
`cohesion` times the affinity of topics that share a gathering (y[i, j, s] <= x[i, s], y <= x[j, s]; with a
positive affinity the optimum sets y = x[i, s] * x[j, s]), subject to: slots per gathering, each topic at most
once, every contributor present in every gathering (unless configured otherwise), at most `max_topics` per
contributor, prerequisites (A in an earlier gathering than B), pinned and excluded topics. An infeasible
programme gets a message naming the constraint groups in conflict, not a solver dump.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from pipeline.config import Programme
from pipeline.errors import PlanInfeasibleError
from pipeline.plan.order import groups_of, level_bonus, order_gatherings, order_terms, score

MIP_GAP = 0.01  # stop within 1 % of the optimum (the cohesion term makes proving optimality slow)
NODE_LIMIT = 50_000  # a deterministic bound on the search (a time limit would make results machine-dependent)
TIME_LIMIT_S = 120.0  # a safety net only
GROUPS = ("slots", "contributor_presence", "contributor_max", "prerequisites", "pinned")
GROUP_NAMES = {
    "slots": "slots per gathering ([sessions].slots)",
    "contributor_presence": "every contributor in every gathering ([[contributors]].every_session)",
    "contributor_max": "topics per contributor ([[contributors]].max_topics)",
    "prerequisites": "prerequisites ([[topics]].requires)",
    "pinned": "pinned topics ([[topics]].pinned_session)",
}


@dataclass(frozen=True)
class PlanResult:
    n_sessions: int
    assignment: dict[str, int]  # topic id -> gathering (1-based)
    objective: float
    value: float = 0.0  # the topics' part of the objective
    cohesion: float = 0.0  # the affinity part (already multiplied by the cohesion weight)
    order: float = 0.0  # the order terms: level, neighbouring gatherings, stability (`plan.order`)
    seconds: float = field(default=0.0, compare=False)
    gap: float = field(default=0.0, compare=False)  # relative MIP gap at stop (0 = proven optimal)


WEAK_VALUE = -0.01  # a topic under the evidence floor, when slots may stay open: placed only when forced


def topic_values(scores: pd.Series, floor: float | None = None) -> pd.Series:
    """Value per topic (index) from its score: the best topic is worth most; every topic is worth > 0, so
    every slot is filled. With `floor` (`[plan].fill_all_slots = false`), a topic scoring below it is worth
    a little less than nothing: the plan takes it only when a rule forces it, and otherwise leaves the slot
    open."""
    values = scores - scores.min() + 0.1
    return values if floor is None else values.where(scores >= floor, WEAK_VALUE)


def solve_plan(
    programme: Programme,
    values: pd.Series,
    n_sessions: int,
    relax: frozenset[str] = frozenset(),
    affinity: pd.DataFrame | None = None,
    cohesion: float = 0.0,
    force: tuple[str, ...] = (),
    select_only: bool = False,
    previous: dict[str, int] | None = None,
) -> PlanResult:
    """The plan for `n_sessions` gatherings, in two steps: first the topics, chosen for their value under all
    constraints (proven optimal); then their arrangement over the gatherings, for cohesion under the same
    constraints, the chosen topics fixed. So cohesion decides where topics go, never that a weaker topic
    displaces a stronger one; and the second step, whose proof of optimality is slow, works on a dozen topics
    only (stopping within 1 % of the optimum, or after a fixed number of search nodes, which keeps runs
    deterministic). `relax` drops constraint groups (for diagnosis); `force`
    requires topics to be placed (for explaining why a strong topic is left out); `select_only` stops after
    the first step (which topics are in; the weight-sensitivity draws need no more). Then the gatherings are
    ordered (`plan.order`). `previous` (replanning: topic -> gathering in the previous plan) adds the
    stability term: `[plan].stability` for each topic kept in the programme, and again for each kept in
    its gathering."""
    if not relax:
        check_feasible(programme, n_sessions)
    stay = {t: g for t, g in (previous or {}).items() if g > programme.sessions.delivered}
    selection = _solve(programme, values, n_sessions, relax, None, 0.0, force, stay=stay, anywhere=True)
    if relax or force or select_only or not selection.assignment:  # diagnosis and what-ifs: selection only
        return selection
    levels = programme.plan.foundation_weight > 0 and any(t.level for t in programme.topics)
    arranged = selection
    if (affinity is not None and cohesion > 0) or levels or stay:
        chosen = set(selection.assignment)
        fixed = replace(
            programme,
            topics=tuple(replace(t, excluded=t.excluded or t.id not in chosen) for t in programme.topics),
        )
        arranged = _solve(
            fixed,
            values,
            n_sessions,
            relax,
            affinity,
            cohesion,
            tuple(sorted(chosen)),
            levels=levels,
            stay=stay,
        )
    terms = order_terms(
        programme, cohesion if affinity is not None else 0.0, programme.plan.stability if stay else 0.0, stay
    )
    pair = affinity_pairs(affinity)
    assignment = order_gatherings(programme, arranged.assignment, n_sessions, terms, pair, values)
    ordered = score_assignment(programme, assignment, n_sessions, terms, pair, values)
    return replace(
        arranged,
        assignment=assignment,
        objective=arranged.value + arranged.cohesion + ordered.total,
        order=ordered.total,
        seconds=selection.seconds + arranged.seconds,
    )


def affinity_pairs(affinity: pd.DataFrame | None) -> dict[tuple[str, str], float]:
    """Affinity as {(a, b): w} with a < b."""
    if affinity is None:
        return {}
    return {
        (min(a, b), max(a, b)): float(w)
        for a, b, w in affinity[["topic_a", "topic_b", "affinity"]].itertuples(index=False)
    }


def score_assignment(programme, assignment, n_sessions, terms, pair, values):
    """The order terms of a finished assignment (its gatherings as they are)."""
    groups = groups_of(assignment, n_sessions)
    return score(programme, groups, tuple(range(n_sessions)), terms, pair, values)


def _solve(
    programme: Programme,
    values: pd.Series,
    n_sessions: int,
    relax: frozenset[str],
    affinity: pd.DataFrame | None,
    cohesion: float,
    force: tuple[str, ...],
    levels: bool = False,
    stay: dict[str, int] | None = None,
    anywhere: bool = False,
) -> PlanResult:
    """One mixed-integer programme (see the module docstring); `levels` adds the level term of
    `plan.order` (foundation topics early, advanced late), and `stay` the stability term (topic -> its
    gathering in the previous plan; `anywhere`: kept in the programme at all), both linear."""
    started = time.perf_counter()
    topics = [t for t in programme.topics if not t.excluded]
    slots = programme.sessions.slots_for(n_sessions)
    T, S = len(topics), n_sessions
    index = {t.id: i for i, t in enumerate(topics)}
    pairs: list[tuple[int, int, float]] = []
    if affinity is not None and cohesion > 0:
        for a, b, w in affinity[["topic_a", "topic_b", "affinity"]].itertuples(index=False):
            if a in index and b in index and w > 0:
                pairs.append((index[a], index[b], float(w)))
    n_x, n_y = T * S, len(pairs) * S

    def x(t: int, s: int) -> int:
        return t * S + s

    def y(p: int, s: int) -> int:
        return n_x + p * S + s

    rows, cols, data, lb, ub = [], [], [], [], []

    def add(coeffs: dict[int, float], lo: float, hi: float) -> None:
        r = len(lb)
        for j, v in coeffs.items():
            rows.append(r)
            cols.append(j)
            data.append(v)
        lb.append(lo)
        ub.append(hi)

    for t in range(T):  # each topic at most once; forced topics exactly once
        add({x(t, s): 1.0 for s in range(S)}, 1.0 if topics[t].id in force else 0.0, 1.0)
    if "slots" not in relax:
        for s in range(S):
            add({x(t, s): 1.0 for t in range(T)}, 0.0, float(slots[s]))
    for c in programme.contributors:
        theirs = [index[t.id] for t in topics if c.id in t.contributors]
        if c.every_session and "contributor_presence" not in relax:
            for s in range(programme.sessions.delivered, S):  # delivered gatherings are as they were
                add({x(t, s): 1.0 for t in theirs}, 1.0, np.inf)
        if c.max_topics is not None and "contributor_max" not in relax:
            add({x(t, s): 1.0 for t in theirs for s in range(S)}, 0.0, float(c.max_topics))
    if "prerequisites" not in relax:
        for topic in topics:
            for req in topic.requires:
                if req in index:
                    b, a = index[topic.id], index[req]
                    for s in range(S):  # x[b, s] <= sum over s' < s of x[a, s']
                        coeffs = {x(b, s): 1.0}
                        coeffs.update({x(a, s2): -1.0 for s2 in range(s)})
                        add(coeffs, -np.inf, 0.0)
    for p, (i, j, _w) in enumerate(pairs):
        for s in range(S):
            add({y(p, s): 1.0, x(i, s): -1.0}, -np.inf, 0.0)
            add({y(p, s): 1.0, x(j, s): -1.0}, -np.inf, 0.0)
    # valid cuts that tighten the relaxation (the optimum is the same): a topic shares a gathering with at
    # most slots - 1 others, so its pairs there count at most (slots - 1) times its own presence. Measured
    # in `make bench`: the sample's 4 gatherings 9.4 s -> 0.4 s, 60 topics x 6 gatherings 5.4 s -> 1.4 s,
    # better objectives in both; ordering identical gatherings by value (tried before) slowed them down.
    partners: dict[int, list[int]] = {}
    for p, (i, j, _w) in enumerate(pairs):
        partners.setdefault(i, []).append(p)
        partners.setdefault(j, []).append(p)
    for t, ps in partners.items():
        for s in range(S):
            if len(ps) > slots[s] - 1:
                coeffs = {y(p, s): 1.0 for p in ps}
                coeffs[x(t, s)] = -float(slots[s] - 1)
                add(coeffs, -np.inf, 0.0)
    lower = np.zeros(n_x + n_y)
    if "pinned" not in relax:
        for topic in topics:
            if topic.pinned_session is not None and topic.pinned_session <= S:
                lower[x(index[topic.id], topic.pinned_session - 1)] = 1.0
    value = values.reindex([t.id for t in topics]).fillna(0.0).to_numpy()
    weight = programme.plan.foundation_weight if levels else 0.0
    level = np.array([[level_bonus(t.level, s, S, weight) for s in range(S)] for t in topics]).reshape(-1)
    for t, g in (stay or {}).items():
        if t in index:
            for s in range(S) if anywhere else (g - 1,):
                level[x(index[t], s)] += programme.plan.stability
    c = np.concatenate([-np.repeat(value, S) - level, -cohesion * np.repeat([w for _i, _j, w in pairs], S)])
    A = coo_matrix((data, (rows, cols)), shape=(len(lb), n_x + n_y)).tocsr()
    res = milp(
        c,
        constraints=LinearConstraint(A, np.array(lb), np.array(ub)),
        integrality=np.concatenate([np.ones(n_x), np.zeros(n_y)]),
        bounds=Bounds(lower, np.ones(n_x + n_y)),
        options={
            "presolve": True,
            "mip_rel_gap": MIP_GAP,
            "node_limit": NODE_LIMIT,
            "time_limit": TIME_LIMIT_S,
        },
    )
    if res.x is None:  # infeasible (a time limit with a plan found still returns that plan)
        raise PlanInfeasibleError(explain_infeasible(programme, values, n_sessions, relax, force))
    xs = np.round(res.x[:n_x]).reshape(T, S)
    assignment = {topics[t].id: int(np.argmax(xs[t])) + 1 for t in range(T) if xs[t].sum() > 0.5}
    value_part = float(sum(value[index[t]] for t in assignment))
    level_part = float(level @ np.round(res.x[:n_x]))
    objective = float(-c @ res.x) - level_part
    gap = float(getattr(res, "mip_gap", 0.0) or 0.0)
    return PlanResult(
        n_sessions,
        assignment,
        objective,
        value_part,
        objective - value_part,
        time.perf_counter() - started,
        gap,
    )


def check_feasible(programme: Programme, n_sessions: int) -> None:
    """What can be seen to be impossible without solving, named in the programme file's terms: more topics
    pinned to a gathering than it has slots, a contributor who must be in every gathering with fewer topics
    (or a lower `max_topics`) than there are gatherings, a topic pinned no later than a topic it requires."""
    slots = programme.sessions.slots_for(n_sessions)
    topics = [t for t in programme.topics if not t.excluded]
    where = f"{programme.path}: no plan with {n_sessions} gatherings"
    for s in range(n_sessions):
        pinned = sorted(t.id for t in topics if t.pinned_session == s + 1)
        if len(pinned) > slots[s]:
            raise PlanInfeasibleError(
                f"{where}: {len(pinned)} topics are pinned to gathering {s + 1} ({', '.join(pinned)}), which "
                f"has {slots[s]} slots. Unpin some ([[topics]].pinned_session) or give it more slots."
            )
    for c in programme.contributors:
        if not c.every_session:
            continue
        held = programme.sessions.delivered  # delivered gatherings are as they were: count what is to come
        theirs = [t.id for t in topics if c.id in t.contributors]
        done = sum(1 for t in topics if c.id in t.contributors and (t.pinned_session or 99) <= held)
        limit_left = (c.max_topics if c.max_topics is not None else len(theirs)) - done
        can = min(len(theirs) - done, limit_left)
        if can < n_sessions - held:
            limit = f" and max_topics = {c.max_topics}" if c.max_topics is not None else ""
            raise PlanInfeasibleError(
                f"{where}: contributor '{c.id}' must be in every gathering but has {len(theirs)} topics"
                f"{limit}. Set every_session = false for '{c.id}', or give it more topics."
            )
    pins = {t.id: t.pinned_session for t in topics}
    for t in topics:
        if t.pinned_session is None:
            continue
        for req in t.requires:
            if req not in pins:
                problem = f"requires '{req}', which is excluded. Include '{req}' or drop the requirement"
            elif t.pinned_session == 1:
                problem = f"requires '{req}', which must come earlier. Unpin it or drop the requirement"
            elif pins[req] is not None and pins[req] >= t.pinned_session:
                problem = (
                    f"requires '{req}', pinned to gathering {pins[req]}; a required topic must come "
                    "earlier. Move one of the pins"
                )
            else:
                continue
            raise PlanInfeasibleError(
                f"{where}: topic '{t.id}' is pinned to gathering {t.pinned_session} but {problem}."
            )


def explain_infeasible(
    programme: Programme,
    values: pd.Series,
    n_sessions: int,
    relax: frozenset[str],
    force: tuple[str, ...] = (),
) -> str:
    if relax:  # called during diagnosis: keep it short
        return "infeasible"
    culprits = []
    for group in GROUPS:
        try:
            solve_plan(programme, values, n_sessions, relax=frozenset({group}), force=force)
            culprits.append(group)
        except PlanInfeasibleError:
            continue
    what = f"no plan with {n_sessions} gatherings" + (f" that includes {', '.join(force)}" if force else "")
    if culprits:
        listed = "; or ".join(GROUP_NAMES[g] for g in culprits)
        return (
            f"{programme.path}: {what} meets all constraints. Relaxing any one of these makes it possible: "
            f"{listed}."
        )
    return (
        f"{programme.path}: {what} meets all constraints, and no single constraint group explains it; check "
        "slots, contributors, pinned topics and prerequisites together."
    )


def greedy_plan(
    programme: Programme,
    values: pd.Series,
    n_sessions: int,
    affinity: pd.DataFrame | None = None,
    cohesion: float = 0.0,
) -> PlanResult:
    """For comparison, what a careful person would do by hand: for each gathering, the best remaining topic of
    each contributor that must be present; then the free slots best topic first, within the contributor
    limits. Prerequisites, cohesion and the order terms are not considered (they are scored after)."""
    slots = list(programme.sessions.slots_for(n_sessions))
    used = {c.id: 0 for c in programme.contributors}
    limits = {c.id: c.max_topics for c in programme.contributors}
    order = [
        t for t in values.sort_values(ascending=False, kind="stable").index if not programme.topic(t).excluded
    ]
    assignment: dict[str, int] = {}

    def fits(topic_id: str) -> bool:
        topic = programme.topic(topic_id)
        return topic_id not in assignment and all(
            limits[c] is None or used[c] < limits[c] for c in topic.contributors
        )

    def place(topic_id: str, session: int) -> None:
        assignment[topic_id] = session + 1
        slots[session] -= 1
        for c in programme.topic(topic_id).contributors:
            used[c] += 1

    for s in range(n_sessions):
        for c in programme.contributors:
            if not c.every_session or slots[s] == 0:
                continue
            if any(c.id in programme.topic(t).contributors for t, g in assignment.items() if g == s + 1):
                continue
            best = next((t for t in order if c.id in programme.topic(t).contributors and fits(t)), None)
            if best is not None:
                place(best, s)
    for topic_id in order:
        free = [s for s in range(n_sessions) if slots[s] > 0]
        if not free:
            break
        if fits(topic_id):
            place(topic_id, free[0])
    value = float(values.reindex(list(assignment)).sum())
    together = 0.0
    if affinity is not None:
        for a, b, w in affinity[["topic_a", "topic_b", "affinity"]].itertuples(index=False):
            if a in assignment and b in assignment and assignment[a] == assignment[b]:
                together += w
    terms = order_terms(programme, cohesion if affinity is not None else 0.0)
    ordered = score_assignment(programme, assignment, n_sessions, terms, affinity_pairs(affinity), values)
    return PlanResult(
        n_sessions,
        assignment,
        value + cohesion * together + ordered.total,
        value,
        cohesion * together,
        ordered.total,
    )
