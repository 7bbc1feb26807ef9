"""Why each topic sits in its gathering, from what decided it: the rules that bind it there (a pin, a
prerequisite, a contributor who must be present) and what moving it would cost in cohesion (the best
feasible move or swap to another gathering, evaluated on the finished plan)."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.config import Programme
from pipeline.text import genitive

NO_COST = (
    0.005  # a move that costs less than half a per cent of the plan's cohesion costs nothing worth saying
)


@dataclass(frozen=True)
class Placement:
    binding: tuple[str, ...]  # Norwegian clauses: the rules that hold the topic in its gathering
    best_other: int | None  # the gathering of the best feasible alternative, None when none is feasible
    cost: float  # share of the plan's cohesion lost by the best alternative (0 when it costs nothing)
    partner: str | None  # the topic in its gathering it shares most leaders with


def feasible(programme: Programme, assignment: dict[str, int], n_sessions: int) -> bool:
    """The plan's rules on a whole assignment: slots, every-session contributors, prerequisites, pins."""
    slots = programme.sessions.slots_for(n_sessions)
    counts = [0] * n_sessions
    for g in assignment.values():
        counts[g - 1] += 1
    if any(c > s for c, s in zip(counts, slots, strict=True)):
        return False
    for c in programme.contributors:
        if c.every_session:
            present = {g for t, g in assignment.items() if c.id in programme.topic(t).contributors}
            if len(present) < n_sessions:
                return False
    for t, g in assignment.items():
        topic = programme.topic(t)
        if topic.pinned_session is not None and topic.pinned_session != g:
            return False
        if any(req not in assignment or assignment[req] >= g for req in topic.requires):
            return False
    return True


def cohesion_of(assignment: dict[str, int], pair: dict[tuple[str, str], float]) -> float:
    placed = sorted(assignment)
    return sum(
        pair.get((a, b), 0.0)
        for i, a in enumerate(placed)
        for b in placed[i + 1 :]
        if assignment[a] == assignment[b]
    )


def placements(
    programme: Programme,
    assignment: dict[str, int],
    n_sessions: int,
    pair: dict[tuple[str, str], float],
    cohesion: float,
) -> dict[str, Placement]:
    """For every placed topic: what binds it, and the cost of its best feasible move or swap."""
    base = cohesion * cohesion_of(assignment, pair)
    out = {}
    for t, g in sorted(assignment.items()):
        topic = programme.topic(t)
        binding = []
        if g <= programme.sessions.delivered:
            binding.append("samlingen er allerede gjennomført")
        elif topic.pinned_session is not None:
            binding.append(f"programgruppen har lagt det til samling {g}")
        for req in topic.requires:
            if req in assignment:
                binding.append(f"det bygger på «{programme.topic(req).title}» i samling {assignment[req]}")
        later = sorted(o for o, og in assignment.items() if t in programme.topic(o).requires)
        for o in later:
            binding.append(f"det må komme før «{programme.topic(o).title}» i samling {assignment[o]}")
        alone = []
        for c in programme.contributors:
            if c.every_session and c.id in topic.contributors:
                theirs = [
                    o for o, og in assignment.items() if og == g and c.id in programme.topic(o).contributors
                ]
                if theirs == [t]:
                    alone.append(c.name)
        if alone:
            binding.append(f"det er {' og '.join(genitive(n) for n in alone)} tema på denne samlingen")
        best, best_g = None, None
        for other in range(1, n_sessions + 1):
            if other == g:
                continue
            options = [{**assignment, t: other}]
            options += [{**assignment, t: other, u: g} for u, ug in assignment.items() if ug == other]
            for option in options:
                if feasible(programme, option, n_sessions):
                    value = cohesion * cohesion_of(option, pair)
                    if best is None or value > best:
                        best, best_g = value, other
        here = [
            (pair.get(tuple(sorted((t, o))), 0.0), o) for o, og in assignment.items() if og == g and o != t
        ]
        partner = max(here)[1] if here and max(here)[0] > 0 else None
        cost = max(0.0, base - best) / base if best is not None and base > 0 else 0.0
        out[t] = Placement(tuple(binding), best_g, cost, partner)
    return out


def placement_sentence(programme: Programme, placement: Placement, session: int) -> str:
    """Why a topic is in its gathering, as a programme designer says it: the rules that hold it there, then
    the topic it shares leaders with when moving it would cost cohesion, or that its place is free."""
    parts = list(placement.binding)
    if placement.best_other is None:
        if not parts:
            parts.append("reglene for programmet gir det ingen annen plass")
    elif placement.cost > NO_COST:
        parts.append(
            f"mange av de samme lederne tar opp både det og «{programme.topic(placement.partner).title}»"
            if placement.partner
            else "det passer best sammen med de andre temaene her"
        )
    elif not parts:
        parts.append(f"det kunne like gjerne stått i samling {placement.best_other}")
    return " og ".join(parts) if len(parts) <= 2 else ", ".join(parts[:-1]) + " og " + parts[-1]
