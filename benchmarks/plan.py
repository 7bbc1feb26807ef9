"""The plan's solver measured: time as the catalogue grows to 60 topics and 6 gatherings, and the gap
between the optimal plan and a greedy plan (best topic first, contributors present) on the same instance;
each instance once with cohesion only (the model before the order terms) and once with the order terms
(a third of the topics foundation or advanced, related topics in neighbouring gatherings, two
prerequisites)."""

from __future__ import annotations

import time
from dataclasses import replace
from itertools import combinations

import numpy as np
import pandas as pd

from pipeline.config import Contributor, Programme, Sessions, Topic, load_programme
from pipeline.plan import greedy_plan, solve_plan


def instance(
    base: Programme, n_topics: int, n_sessions: int, seed: int, order: bool = False
) -> tuple[Programme, pd.Series, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    contributors = (
        Contributor("olt", "Olympiatoppen", max_topics=None),
        Contributor("sin", "Smart Innovation Norway", max_topics=None),
        Contributor("osr", "Osloregionen", max_topics=None),
    )
    topics = tuple(
        Topic(
            id=f"t{i:02d}",
            title=f"Tema {i}",
            description="",
            seed_terms=("x",),
            contributors=(contributors[i % 3].id,),
        )
        for i in range(n_topics)
    )
    values = pd.Series(rng.gamma(2.0, 0.5, size=n_topics) + 0.1, index=[t.id for t in topics])
    pairs = [
        (a.id, b.id, float(rng.uniform(0, 0.3))) for a, b in combinations(topics, 2) if rng.uniform() < 0.15
    ]
    affinity = pd.DataFrame(pairs, columns=["topic_a", "topic_b", "affinity"])
    plan = replace(base.plan, foundation_weight=0.0, neighbour_weight=0.0)
    if order:
        levels = rng.choice(["", "", "", "", "foundation", "advanced"], size=n_topics)
        topics = tuple(replace(t, level=str(level)) for t, level in zip(topics, levels, strict=True))
        best = list(values.sort_values(ascending=False).index)
        needs = {best[1]: (best[4],), best[2]: (best[5],)}  # two strong topics build on others
        topics = tuple(replace(t, requires=needs.get(t.id, ())) for t in topics)
        plan = replace(base.plan, foundation_weight=0.5, neighbour_weight=0.5)
    programme = replace(
        base,
        contributors=contributors,
        topics=topics,
        sessions=Sessions(n_sessions, tuple([3] * n_sessions)),
        plan=plan,
    )
    return programme, values, affinity


def run(config) -> str:
    base = load_programme(config)
    lines = [
        "| topics | gatherings | model | solver s | optimal value | greedy value | value gap | "
        "optimal objective | greedy objective | objective gap |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    cases = [
        (n, s, order) for n, s in ((18, 3), (18, 4), (30, 4), (45, 5), (60, 6)) for order in (False, True)
    ]
    for n_topics, n_sessions, order in cases:
        programme, values, affinity = instance(base, n_topics, n_sessions, n_topics + n_sessions, order)
        started = time.perf_counter()
        optimal = solve_plan(programme, values, n_sessions, affinity=affinity, cohesion=1.0)
        seconds = time.perf_counter() - started
        greedy = greedy_plan(programme, values, n_sessions, affinity, 1.0)
        model = "with order terms" if order else "cohesion only"
        lines.append(
            f"| {n_topics} | {n_sessions} | {model} | {seconds:.2f} | {optimal.value:.2f} | "
            f"{greedy.value:.2f} | "
            f"{(optimal.value - greedy.value) / optimal.value:.1%} | {optimal.objective:.2f} | "
            f"{greedy.objective:.2f} | {(optimal.objective - greedy.objective) / optimal.objective:.1%} |"
        )
    return "\n".join(lines)
