from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.config import Contributor, Sessions, load_programme
from pipeline.errors import PlanInfeasibleError
from pipeline.plan import (
    designer_view,
    greedy_plan,
    left_out,
    plan_table,
    solve_plan,
    topic_affinity,
    weight_sensitivity,
)
from pipeline.store import spreadsheet_safe

VALUES = pd.Series(
    {"rekruttering": 4.0, "digital": 3.0, "prestasjon": 2.0, "restitusjon": 1.0, "team": 0.5, "data": 0.4}
)


@pytest.fixture
def programme(project: Path):
    return load_programme(project)


def free(programme):
    """The programme without the 'every contributor in every gathering' rule."""
    return replace(
        programme, contributors=tuple(replace(c, every_session=False) for c in programme.contributors)
    )


def ranking(values: pd.Series = VALUES) -> pd.DataFrame:
    order = values.sort_values(ascending=False)
    return pd.DataFrame(
        {
            "topic_id": order.index,
            "title": order.index,
            "score": order.to_numpy(),
            "rank": np.arange(1, len(order) + 1),
            "survey_need": 1.0,
            "free_text_prevalence": 0.2,
            "interview_emphasis": 0.1,
        }
    )


def test_optimum_known_by_hand(programme) -> None:
    # 3 gatherings x 1 slot, no presence rule: the best three topics, objective 4 + 3 + 2 = 9
    result = solve_plan(replace(free(programme), sessions=Sessions(3, (1, 1, 1))), VALUES, 3)
    assert result.objective == pytest.approx(9.0)
    assert set(result.assignment) == {"rekruttering", "digital", "prestasjon"}


def test_contributor_presence_and_infeasibility_message(programme) -> None:
    # each gathering needs an olt and a sin topic; the catalogue has 3 of each: 3 gatherings work, 4 cannot
    result = solve_plan(programme, VALUES, 3)
    for s in (1, 2, 3):
        present = {c for t, g in result.assignment.items() if g == s for c in programme.topic(t).contributors}
        assert present == {"olt", "sin"}
    with pytest.raises(PlanInfeasibleError, match=r"no plan with 4 gatherings.*every contributor in every"):
        solve_plan(programme, VALUES, 4)


def test_max_topics_per_contributor(programme) -> None:
    contributors = (
        replace(programme.contributors[0], every_session=False),
        Contributor("sin", "SIN", every_session=False, max_topics=1),
    )
    result = solve_plan(replace(programme, contributors=contributors), VALUES, 3)
    assert sum("sin" in programme.topic(t).contributors for t in result.assignment) == 1
    assert "rekruttering" in result.assignment and "digital" not in result.assignment


def test_prerequisite_and_pin(programme) -> None:
    topics = tuple(
        replace(t, requires=("restitusjon",))
        if t.id == "rekruttering"
        else replace(t, pinned_session=3)
        if t.id == "prestasjon"
        else t
        for t in programme.topics
    )
    result = solve_plan(replace(free(programme), topics=topics), VALUES, 3)
    assert result.assignment["prestasjon"] == 3
    assert result.assignment["restitusjon"] < result.assignment["rekruttering"]


def test_excluded_topic_is_never_placed(programme) -> None:
    p = free(programme)
    p = replace(p, topics=tuple(replace(t, excluded=t.id == "rekruttering") for t in p.topics))
    assert "rekruttering" not in solve_plan(p, VALUES, 3).assignment


def test_forcing_a_topic_in(programme) -> None:
    p = replace(free(programme), sessions=Sessions(3, (1, 1, 1)))
    assert "data" in solve_plan(p, VALUES, 3, force=("data",)).assignment


def test_cohesion_keeps_related_topics_together(programme) -> None:
    p = replace(free(programme), sessions=Sessions(2, (2, 2)))
    values = pd.Series(
        {"rekruttering": 1.0, "digital": 1.0, "prestasjon": 1.0, "restitusjon": 1.0, "team": 0.1, "data": 0.1}
    )
    affinity = pd.DataFrame(
        {
            "topic_a": ["digital", "prestasjon"],
            "topic_b": ["restitusjon", "rekruttering"],
            "affinity": [0.5, 0.5],
        }
    )
    result = solve_plan(p, values, 2, affinity=affinity, cohesion=1.0)
    a = result.assignment
    assert a["digital"] == a["restitusjon"] and a["prestasjon"] == a["rekruttering"]
    assert result.cohesion == pytest.approx(1.0) and result.value == pytest.approx(4.0)


def test_deterministic(programme) -> None:
    assert solve_plan(free(programme), VALUES, 3) == solve_plan(free(programme), VALUES, 3)


def test_greedy_is_feasible_and_not_better(programme) -> None:
    greedy = greedy_plan(programme, VALUES, 3)
    optimal = solve_plan(programme, VALUES, 3)
    assert greedy.value <= optimal.value + 1e-9
    for s in (1, 2, 3):
        assert {
            c for t, g in greedy.assignment.items() if g == s for c in programme.topic(t).contributors
        } == {"olt", "sin"}


def test_rationale_left_out_and_designer_view(programme) -> None:
    p = replace(free(programme), sessions=Sessions(3, (1, 1, 1)))
    affinity = pd.DataFrame(columns=["topic_a", "topic_b", "affinity"])
    result = solve_plan(p, VALUES, 3)
    table = plan_table(p, ranking(), result, True, affinity)
    assert table["rationale"].str.startswith("Rangert nr.").all()
    with_interval = ranking().assign(rank_lo=1, rank_hi=2)
    at_80 = plan_table(
        replace(p, needs=replace(p.needs, confidence=0.8)), with_interval, result, True, affinity
    )
    assert at_80["rationale"].str.contains("(80 %-intervall 1–2)", regex=False).all()
    missing = left_out(p, ranking(), result, VALUES)
    assert missing["topic_id"].iloc[0] == "restitusjon" and "verdi" in missing["reason"].iloc[0]
    view = designer_view(table, {"olt": "Olympiatoppen", "sin": "Smart Innovation Norway"})
    assert list(view.columns)[:3] == ["Antall samlinger", "Samling", "Tema"]
    assert spreadsheet_safe(pd.DataFrame({"a": ["=SUM(A1)", "ok", "-1"]}))["a"].tolist() == [
        "'=SUM(A1)",
        "ok",
        "'-1",
    ]


def test_weight_sensitivity_probabilities(programme) -> None:
    table, summary = weight_sensitivity(free(programme), ranking(), 3, samples=20, concentration=50, seed=1)
    assert table["p_in_programme"].between(0, 1).all() and summary["samples"] == 20
    assert table.set_index("topic_id").loc["rekruttering", "p_in_programme"] == 1.0


def test_topic_affinity_from_shared_respondents() -> None:
    doc_topics = pd.DataFrame(
        {
            "source": ["survey"] * 4,
            "respondent_id": ["1", "1", "2", "3"],
            "doc_id": ["d1", "d1", "d2", "d3"],
            "topic_id": ["a", "b", "a", "c"],
        }
    )
    themes = pd.DataFrame({"matched_topics": [["a", "b"]]})
    aff = topic_affinity(doc_topics, themes, ["a", "b", "c"]).set_index(["topic_a", "topic_b"])
    assert aff.loc[("a", "b"), "jaccard"] == pytest.approx(0.5) and aff.loc[("a", "b"), "shared_themes"] == 1
    assert aff.loc[("a", "c"), "affinity"] == 0.0
