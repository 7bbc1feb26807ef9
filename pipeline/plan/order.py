"""The order of the gatherings, as part of the model, and why each gathering sits where it does.

The arrangement step groups the chosen topics into gatherings (cohesion, prerequisites, pins, contributors,
and the level term below, which is linear and so rides in the same programme). This step then orders those
groups, exactly: every order of the gatherings that keeps the rules (pins, prerequisites, slot counts) is
scored, and the best one wins. With at most six gatherings there are at most 720 orders, so enumeration is
exact and takes milliseconds. An order scores:

- level: a foundation topic (`[[topics]] level = "foundation"`) is worth `foundation_weight` in the first
  gathering, falling linearly to 0 in the last; an advanced topic the other way round;
- neighbours: `neighbour_weight` x `cohesion` x the affinity of topics in neighbouring gatherings (the same
  leaders meet a related topic next time, not three months later);
- stability (replanning): `stability` per topic kept in the gathering the previous plan gave it;
- ties: the stronger gatherings first (the programme opens with what most leaders asked for).

The reason for each gathering's place comes from comparing the chosen order with the best order that puts
the gathering elsewhere: the rule that forbids every other place, or the terms the best other place loses.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import permutations

from pipeline.config import Programme
from pipeline.text import listed

NO_DIFFERENCE = 1e-9
NOTABLE_AFFINITY = 0.05  # a neighbour link weaker than this (Jaccard of who raised them) is not worth saying


def level_bonus(level: str, s: int, n_sessions: int, weight: float) -> float:
    """What a topic of `level` is worth in gathering `s` (0-based) of `n_sessions`."""
    if not level or n_sessions < 2 or weight <= 0:
        return 0.0
    position = s / (n_sessions - 1)
    return weight * (1.0 - position if level == "foundation" else position)


@dataclass(frozen=True)
class OrderTerms:
    foundation_weight: float = 0.0
    neighbour_weight: float = 0.0  # already multiplied by the cohesion weight
    stability: float = 0.0
    previous: tuple[tuple[str, int], ...] = ()  # (topic, gathering) of the previous plan


@dataclass(frozen=True)
class Scored:
    order: tuple[int, ...]  # order[k] = the group in gathering k + 1
    level: float
    neighbours: float
    stability: float
    strength: tuple[float, ...]  # the groups' value, gathering by gathering (the tie-break)

    @property
    def total(self) -> float:
        return self.level + self.neighbours + self.stability


def order_terms(programme: Programme, cohesion: float, stability: float = 0.0, previous=()) -> OrderTerms:
    return OrderTerms(
        programme.plan.foundation_weight,
        programme.plan.neighbour_weight * cohesion,
        stability,
        tuple(sorted(dict(previous).items())),
    )


def groups_of(assignment: dict[str, int], n_sessions: int) -> list[list[str]]:
    return [sorted(t for t, g in assignment.items() if g == s + 1) for s in range(n_sessions)]


def allowed(programme: Programme, groups: list[list[str]], order: tuple[int, ...], slots) -> bool:
    """Does putting group order[k] in gathering k + 1 keep pins, prerequisites and slot counts?"""
    where = {t: k + 1 for k, g in enumerate(order) for t in groups[g]}
    for k, g in enumerate(order):
        if len(groups[g]) > slots[k]:
            return False
    for t, k in where.items():
        topic = programme.topic(t)
        if topic.pinned_session is not None and topic.pinned_session != k:
            return False
        if any(req in where and where[req] >= k for req in topic.requires):
            return False
    return True


def score(
    programme: Programme,
    groups: list[list[str]],
    order: tuple[int, ...],
    terms: OrderTerms,
    pair: dict[tuple[str, str], float],
    values,
) -> Scored:
    n = len(order)
    level = sum(
        level_bonus(programme.topic(t).level, k, n, terms.foundation_weight)
        for k, g in enumerate(order)
        for t in groups[g]
    )
    neighbours = 0.0
    if terms.neighbour_weight > 0:
        for k in range(n - 1):
            for a in groups[order[k]]:
                for b in groups[order[k + 1]]:
                    neighbours += pair.get((min(a, b), max(a, b)), 0.0)
        neighbours *= terms.neighbour_weight
    previous = dict(terms.previous)
    stability = terms.stability * sum(
        1 for k, g in enumerate(order) for t in groups[g] if previous.get(t) == k + 1
    )
    strength = tuple(float(sum(values.get(t, 0.0) for t in groups[g])) for g in order)
    return Scored(order, level, neighbours, stability, strength)


def ranked_orders(
    programme: Programme,
    assignment: dict[str, int],
    n_sessions: int,
    terms: OrderTerms,
    pair: dict[tuple[str, str], float],
    values,
) -> tuple[list[list[str]], list[Scored]]:
    """Every allowed order of the gatherings, best first (ties: stronger gatherings first, then the order
    the arrangement gave)."""
    groups = groups_of(assignment, n_sessions)
    slots = programme.sessions.slots_for(n_sessions)
    scored = [
        score(programme, groups, order, terms, pair, values)
        for order in permutations(range(n_sessions))
        if allowed(programme, groups, order, slots)
    ]
    scored.sort(key=lambda o: (-round(o.total, 9), tuple(-round(v, 9) for v in o.strength), o.order))
    return groups, scored


def order_gatherings(
    programme: Programme,
    assignment: dict[str, int],
    n_sessions: int,
    terms: OrderTerms,
    pair: dict[tuple[str, str], float],
    values,
) -> dict[str, int]:
    """The assignment with its gatherings in the best allowed order."""
    groups, scored = ranked_orders(programme, assignment, n_sessions, terms, pair, values)
    if not scored:  # the arrangement itself keeps the rules, so this cannot happen; keep it as it is
        return assignment
    return {t: k + 1 for k, g in enumerate(scored[0].order) for t in groups[g]}


def quoted(programme: Programme, topics) -> str:
    return listed([f"«{programme.topic(t).title}»" for t in topics])


def rules_here(programme: Programme, assignment: dict[str, int], session: int, delivered: int) -> list[str]:
    """The rules that tie the gathering to its place: delivered, pins, prerequisites."""
    mine = sorted(t for t, g in assignment.items() if g == session)
    if session <= delivered:
        return ["samlingen er allerede gjennomført"]
    out = []
    pinned = [t for t in mine if programme.topic(t).pinned_session == session]
    if pinned:
        out.append(f"{quoted(programme, pinned)} er lagt til samling {session} av programgruppen")
    for t in mine:
        for req in programme.topic(t).requires:
            if req in assignment:
                built_on = quoted(programme, [req])
                out.append(f"{quoted(programme, [t])} bygger på {built_on} fra samling {assignment[req]}")
    for t, g in sorted(assignment.items()):
        later = [r for r in programme.topic(t).requires if r in mine]
        if later and g > session:
            out.append(f"{quoted(programme, later)} må komme før {quoted(programme, [t])} i samling {g}")
    return out


def order_reasons(
    programme: Programme,
    assignment: dict[str, int],
    n_sessions: int,
    terms: OrderTerms,
    pair: dict[tuple[str, str], float],
    values,
    delivered: int = 0,
) -> dict[int, str]:
    """Per gathering (1-based), one or two Norwegian sentences on why it sits where it does."""
    groups, scored = ranked_orders(programme, assignment, n_sessions, terms, pair, values)
    best = scored[0]
    reasons = {}
    for k, g in enumerate(best.order):
        session = k + 1
        rules = rules_here(programme, assignment, session, delivered)
        others = [o for o in scored if o.order[k] != g]
        clauses = list(rules)
        if not others:
            if not rules:
                clauses.append("ingen annen plass holder reglene for programmet")
            reasons[session] = sentence(clauses)
            continue
        other = others[0]
        place = other.order.index(g) + 1
        if abs(other.total - best.total) <= NO_DIFFERENCE and other.strength == best.strength:
            clauses.append(f"den kunne like gjerne vært samling {place}: det gir en like god rekkefølge")
            reasons[session] = sentence(clauses)
            continue
        mine = groups[g]
        if other.level < best.level - NO_DIFFERENCE:
            basic = [t for t in mine if programme.topic(t).level == "foundation"]
            advanced = [t for t in mine if programme.topic(t).level == "advanced"]
            if basic:
                clauses.append(f"{quoted(programme, basic)} er grunnleggende og hører hjemme tidlig")
            if advanced:
                clauses.append(f"{quoted(programme, advanced)} bygger videre og hører hjemme sent")
            if not basic and not advanced:
                before = [
                    t for j in best.order[:k] for t in groups[j] if programme.topic(t).level == "foundation"
                ]
                after = [
                    t
                    for j in best.order[k + 1 :]
                    for t in groups[j]
                    if programme.topic(t).level == "advanced"
                ]
                if before:
                    clauses.append(f"{quoted(programme, before)} er grunnleggende og kommer derfor før den")
                if after:
                    clauses.append(f"{quoted(programme, after)} bygger videre og kommer derfor etter den")
                if not before and not after:
                    clauses.append(
                        "slik kommer de grunnleggende temaene tidlig og de som bygger videre, sent"
                    )
        if other.neighbours < best.neighbours - NO_DIFFERENCE:
            link = neighbour_link(groups, best.order, k, pair)
            if link is not None:
                j, a, b = link
                clauses.append(
                    f"den ligger ved siden av samling {j} fordi {quoted(programme, [a])} og "
                    f"{quoted(programme, [b])} tas opp av flere av de samme lederne"
                )
            else:
                clauses.append("her henger den best sammen med samlingene før og etter")
        if other.stability < best.stability - NO_DIFFERENCE:
            clauses.append("samlingen står der den sto i forrige plan")
        if len(clauses) == len(rules):  # only the tie-break decided
            clauses.append(tie_break(best.strength, k))
        reasons[session] = sentence(clauses)
    return reasons


def tie_break(strength: tuple[float, ...], k: int) -> str:
    """Why gathering k + 1 sits where it does when nothing but the tie-break decided: true of the strengths
    (the summed value of each gathering's topics, in order) and no more."""
    strongest = strength[k] >= max(strength) - NO_DIFFERENCE
    descending = all(a >= b - NO_DIFFERENCE for a, b in zip(strength, strength[1:], strict=False))
    if k == 0 and strongest:
        return "rekkefølgen er ellers fri, og programmet åpner med samlingen der temaene samlet står sterkest"
    if descending:
        return "rekkefølgen er ellers fri, og samlingene står etter hvor sterkt temaene deres står samlet"
    return "rekkefølgen er ellers fri: samlingen kunne like gjerne stått et annet sted"


def neighbour_link(groups, order, k: int, pair) -> tuple[int, str, str] | None:
    """The strongest link from gathering k + 1 to a neighbouring gathering: (that gathering, a, b)."""
    best = None
    for j in (k - 1, k + 1):
        if not 0 <= j < len(order):
            continue
        for a in groups[order[k]]:
            for b in groups[order[j]]:
                w = pair.get((min(a, b), max(a, b)), 0.0)
                if w >= NOTABLE_AFFINITY and (best is None or w > best[0]):
                    best = (w, j + 1, a, b)
    return None if best is None else best[1:]


def sentence(clauses: list[str]) -> str:
    text = "; ".join(clauses)
    return text[:1].upper() + text[1:] + "."
