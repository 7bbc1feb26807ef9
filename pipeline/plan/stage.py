"""The plan stage as one pure function: the ranking and the themes in, the plans for three and four
gatherings out, with what each leaves out, how sure the choice is and what changed since a previous plan.
No I/O: callable from a notebook on in-memory tables."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pipeline.config import Programme
from pipeline.errors import PlanInfeasibleError
from pipeline.plan.explain import (
    LEFT_OUT_COLUMNS,
    left_out,
    mark_weak,
    new_need_candidates,
    plan_table,
    split_threads,
    thread_rows,
    topic_affinity,
)
from pipeline.plan.model import affinity_pairs, greedy_plan, solve_plan, topic_values
from pipeline.plan.order import order_reasons, order_terms
from pipeline.plan.output import designer_view
from pipeline.plan.overview import gathering_overview
from pipeline.plan.replan import CHANGE_COLUMNS, changes, cost_of_staying, freeze
from pipeline.plan.sensitivity import weight_sensitivity
from pipeline.rank import EVALUATION_COLUMN
from pipeline.store import StageOutputs

log = logging.getLogger(__name__)


@dataclass
class PlanOutputs(StageOutputs):
    plan: pd.DataFrame  # every placed topic of the plans with 3 and 4 gatherings (`chosen`: the configured)
    plan_overview: pd.DataFrame  # the chosen programme on one page, per gathering
    plan_left_out: pd.DataFrame  # strong topics not placed, and why
    plan_sensitivity: pd.DataFrame  # each topic's probability of being in the programme as weights move
    plan_changes: pd.DataFrame  # what changed since the previous plan (replanning)
    plan_summary: dict  # the variants, the sensitivity summary, the settings and the new-need candidates
    designers: pd.DataFrame  # the designers' view (plan.csv)
    solver_seconds: dict[str, float] = field(default_factory=dict)  # per gathering count

    @property
    def counts(self) -> dict[str, int]:  # for the run manifest
        return {"placed_topics": int(self.plan["chosen"].sum())}


def build(
    programme: Programme,
    ranking: pd.DataFrame,
    doc_topics: pd.DataFrame,
    themes: pd.DataFrame,
    previous: dict[str, int] | None = None,
    counts: tuple[int, ...] = (3, 4),
) -> PlanOutputs:
    """Plans for 3 and 4 gatherings (the configured count is the chosen one) from the topic ranking, the
    documents' topics and the themes; `previous`: the previous plan (topic id -> gathering) when
    replanning a programme under way; `counts`: the gathering counts to plan for (an analyst's what-if)."""
    settings = programme.plan
    held = programme.sessions.delivered
    full = freeze(programme, previous) if previous else programme
    programme, threads = split_threads(full)  # the solver plans the topics besides the red threads
    thread_ids = [t.id for t in threads]
    affinity = topic_affinity(doc_topics, themes, [t.id for t in programme.topics])
    floor = None if settings.fill_all_slots else settings.min_score
    values = topic_values(ranking.set_index("topic_id")["score"], floor)
    sensitivity, sensitivity_summary = (
        weight_sensitivity(
            programme,
            ranking,
            programme.sessions.count,
            settings.sensitivity_samples,
            settings.sensitivity_concentration,
            programme.needs.seed,
            floor,
        )
        if settings.sensitivity_samples
        else (pd.DataFrame({"topic_id": ranking["topic_id"], "p_in_programme": np.nan, "p_top3": np.nan}), {})
    )
    sensitivity.loc[sensitivity["topic_id"].isin(thread_ids), "p_in_programme"] = 1.0
    p_in = sensitivity.set_index("topic_id")["p_in_programme"]
    tables, missing, variants, reasons, seconds = [], [], {}, {}, {}
    candidates = new_need_candidates(themes)
    pair = affinity_pairs(affinity)
    terms = order_terms(programme, settings.cohesion)
    changed = pd.DataFrame(columns=CHANGE_COLUMNS)
    for count in counts:
        chosen = count == programme.sessions.count
        if held and not chosen:
            variants[str(count)] = {
                "feasible": False,
                "reason": f"under way: {held} of {programme.sessions.count} gatherings held",
            }
            continue
        try:
            result = solve_plan(
                programme,
                values,
                count,
                affinity=affinity,
                cohesion=settings.cohesion,
                previous=previous if chosen else None,
            )
        except PlanInfeasibleError as exc:
            if chosen:
                raise
            log.warning("no alternative plan with %d gatherings: %s", count, exc)
            variants[str(count)] = {"feasible": False, "reason": str(exc)}
            continue
        seconds[str(count)] = round(result.seconds, 3)
        greedy = greedy_plan(programme, values, count, affinity, settings.cohesion)
        table_n = plan_table(
            programme, ranking, result, chosen, affinity, p_in if chosen else None, settings.cohesion
        )
        table_n = mark_weak(table_n, settings.min_score, bool(candidates))
        table_n = pd.concat(
            [table_n, thread_rows(full, ranking, threads, count, chosen, p_in if chosen else None)],
            ignore_index=True,
        ).sort_values(["session", "rank"], kind="stable", ignore_index=True)
        tables.append(table_n)
        reasons[count] = order_reasons(
            programme, result.assignment, count, terms, pair, values, held if chosen else 0
        )
        if chosen and previous:
            changed = changes(
                full,
                previous,
                result.assignment,
                ranking,
                cost_of_staying(programme, values, result, previous, affinity, settings.cohesion),
                ranking.set_index("topic_id").get(EVALUATION_COLUMN),
            )
        missing.append(
            left_out(programme, ranking.loc[~ranking["topic_id"].isin(thread_ids)], result, values)
        )
        variants[str(count)] = {
            "feasible": True,
            "chosen": chosen,
            "topics": len(result.assignment) + len(threads),
            "threads": thread_ids,
            "objective": round(result.objective, 4),
            "value": round(result.value, 4),
            "cohesion": round(result.cohesion, 4),
            "order": round(result.order, 4),
            "greedy_objective": round(greedy.objective, 4),
            "slots": int(sum(programme.sessions.slots_for(count))),
            "open_slots": int(sum(programme.sessions.slots_for(count)) - len(result.assignment)),
            "weak_topics": table_n.loc[table_n["weak"], "topic_id"].tolist(),
        }
        log.info(
            "plan with %d gatherings: %d topics, objective %.3f (greedy %.3f), %.2f s",
            count,
            len(result.assignment),
            result.objective,
            greedy.objective,
            result.seconds,
        )
    table = pd.concat(tables, ignore_index=True)
    summary = {
        "variants": variants,
        "sensitivity": sensitivity_summary,
        "cohesion_weight": settings.cohesion,
        "min_score": settings.min_score,
        "fill_all_slots": settings.fill_all_slots,
        "candidates": candidates,
        "replan": {
            "previous_plan": bool(previous),
            "delivered": held,
            "stability": settings.stability,
            "changes": changed["change"].value_counts().sort_index().to_dict(),
        },
    }
    return PlanOutputs(
        plan=table,
        plan_overview=gathering_overview(programme, table, ranking, reasons),
        plan_left_out=pd.concat(missing, ignore_index=True)
        if missing
        else pd.DataFrame(columns=LEFT_OUT_COLUMNS),
        plan_sensitivity=sensitivity,
        plan_changes=changed,
        plan_summary=summary,
        designers=designer_view(table, {c.id: c.name for c in programme.contributors}),
        solver_seconds=seconds,
    )
