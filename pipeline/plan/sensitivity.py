"""How the programme changes when the weights move: weights are drawn around the configured ones
(Dirichlet with mean at the configured shares), scores recomputed from the same evidence, and the plan
solved again; each topic's probability of being in the programme is the share of draws that place it.
Only the selection step is solved per draw: cohesion changes where topics go, not which are in."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.config import Programme
from pipeline.plan.model import solve_plan, topic_values
from pipeline.rank import combine, component_columns


def weight_sensitivity(
    programme: Programme,
    ranking: pd.DataFrame,
    n_sessions: int,
    samples: int,
    concentration: float,
    seed: int,
    floor: float | None = None,
) -> tuple[pd.DataFrame, dict]:
    """(per topic: p_in_programme and p_top3 over the draws; a summary of how much the top moved)."""
    rng = np.random.default_rng(seed)
    keys = list(programme.weights)
    base = np.array([programme.weights[k] for k in keys], dtype=float)
    base = base / base.sum()
    topic_ids = ranking["topic_id"].tolist()
    columns = component_columns(programme.weights).values()
    components = {col: ranking[col].to_numpy(dtype=float) for col in columns}
    base_top = set(ranking.sort_values("rank")["topic_id"].head(3))
    placed = np.zeros(len(topic_ids))
    top3 = np.zeros(len(topic_ids))
    same_top = 0
    for _ in range(samples):
        draw = rng.dirichlet(np.maximum(base * concentration, 1e-3))
        score = combine(components, dict(zip(keys, draw, strict=True)))
        order = np.argsort(-score, kind="stable")
        top3[order[:3]] += 1
        same_top += set(np.asarray(topic_ids)[order[:3]]) == base_top
        values = topic_values(pd.Series(score, index=topic_ids), floor)
        assignment = solve_plan(programme, values, n_sessions, select_only=True).assignment
        placed += [t in assignment for t in topic_ids]
    table = pd.DataFrame(
        {"topic_id": topic_ids, "p_in_programme": placed / samples, "p_top3": top3 / samples}
    )
    return table, {"samples": samples, "concentration": concentration, "same_top3_share": same_top / samples}
