"""From the ranking to a programme: topics assigned to 3 or 4 gatherings by optimisation.

- `model`: the mixed-integer programme (`solve_plan`), infeasibility diagnosis, a greedy plan to compare.
- `explain`: topic affinity, a rationale per placed topic, strong topics left out and why.
- `sensitivity`: the probability of each topic being in the programme as the weights move.
- `output`: the designers' view for CSV and Excel.
- `order`: the order of the gatherings (level, neighbours, stability) and the reason for each place.
- `replan`: replanning while the programme runs (previous plan, delivered gatherings frozen, changes).
- `overview`: the programme on one page (title, purpose, evidence and quotes per gathering).
- `stage`: the stage as one pure function (`build(programme, ranking, doc_topics, themes) -> PlanOutputs`).
"""

from pipeline.plan.explain import (
    LEFT_OUT_COLUMNS,
    PLAN_COLUMNS,
    left_out,
    mark_weak,
    new_need_candidates,
    plan_table,
    split_threads,
    thread_rows,
    topic_affinity,
)
from pipeline.plan.model import GROUPS, PlanResult, affinity_pairs, greedy_plan, solve_plan, topic_values
from pipeline.plan.order import order_reasons, order_terms
from pipeline.plan.output import designer_view
from pipeline.plan.overview import OVERVIEW_COLUMNS, gathering_overview
from pipeline.plan.replan import CHANGE_COLUMNS, changes, cost_of_staying, freeze, read_previous_plan
from pipeline.plan.sensitivity import weight_sensitivity
from pipeline.plan.stage import PlanOutputs, build

__all__ = [
    "PlanOutputs",
    "build",
    "CHANGE_COLUMNS",
    "GROUPS",
    "LEFT_OUT_COLUMNS",
    "PLAN_COLUMNS",
    "PlanResult",
    "OVERVIEW_COLUMNS",
    "affinity_pairs",
    "changes",
    "cost_of_staying",
    "designer_view",
    "freeze",
    "gathering_overview",
    "greedy_plan",
    "left_out",
    "mark_weak",
    "new_need_candidates",
    "order_reasons",
    "order_terms",
    "plan_table",
    "read_previous_plan",
    "split_threads",
    "thread_rows",
    "solve_plan",
    "topic_affinity",
    "topic_values",
    "weight_sensitivity",
]
