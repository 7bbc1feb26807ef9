from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from pipeline.config import Contributor, Sessions, load_programme
from pipeline.errors import PlanInfeasibleError
from pipeline.plan import designer_view, excel_safe, plan_table, solve_plan


@pytest.fixture
def programme(project: Path):
    return load_programme(project)


VALUES = pd.Series({"rekruttering": 4.0, "digital": 3.0, "prestasjon": 2.0, "restitusjon": 1.0})


def test_optimum_known_by_hand(programme) -> None:
    # 3 gatherings x 1 slot; olt and sin must each appear in every gathering -> impossible with 1 slot, so
    # relax presence: then the best three topics are placed, objective 4 + 3 + 2 = 9.
    p = replace(
        programme,
        sessions=Sessions(3, (1, 1, 1)),
        contributors=tuple(replace(c, every_session=False) for c in programme.contributors),
    )
    result = solve_plan(p, VALUES, 3)
    assert result.objective == pytest.approx(9.0)
    assert set(result.assignment) == {"rekruttering", "digital", "prestasjon"}


def test_contributor_presence_beats_value(programme) -> None:
    # each gathering needs an olt and a sin topic; the catalogue has 3 of each, so 3 gatherings work and
    # 4 cannot, and the message names the presence constraint as the one to relax
    assert len(solve_plan(programme, VALUES, 3).assignment) == 6
    with pytest.raises(PlanInfeasibleError, match=r"no plan with 4 gatherings.*every contributor in every"):
        solve_plan(programme, VALUES, 4)


def test_presence_with_enough_topics(programme) -> None:
    p = replace(programme, sessions=Sessions(3, (2, 2, 2)))
    result = solve_plan(p, VALUES, 2)
    by_session: dict[int, set[str]] = {}
    for topic, s in result.assignment.items():
        by_session.setdefault(s, set()).update(p.topic(topic).contributors)
    assert all(c == {"olt", "sin"} for c in by_session.values()) and len(by_session) == 2


def test_max_topics_per_contributor(programme) -> None:
    contributors = (
        replace(programme.contributors[0], every_session=False),
        Contributor("sin", "SIN", every_session=False, max_topics=1),
    )
    p = replace(programme, contributors=contributors)
    result = solve_plan(p, VALUES, 3)
    assert sum("sin" in p.topic(t).contributors for t in result.assignment) == 1
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
    p = replace(
        programme,
        topics=topics,
        sessions=Sessions(3, (2, 2, 2)),
        contributors=tuple(replace(c, every_session=False) for c in programme.contributors),
    )
    result = solve_plan(p, VALUES, 3)
    assert result.assignment["prestasjon"] == 3
    assert result.assignment["restitusjon"] < result.assignment["rekruttering"]


def test_excluded_topic_is_never_placed(programme) -> None:
    topics = tuple(replace(t, excluded=t.id == "rekruttering") for t in programme.topics)
    p = replace(
        programme,
        topics=topics,
        contributors=tuple(replace(c, every_session=False) for c in programme.contributors),
    )
    assert "rekruttering" not in solve_plan(p, VALUES, 3).assignment


def test_deterministic(programme) -> None:
    p = replace(
        programme, contributors=tuple(replace(c, every_session=False) for c in programme.contributors)
    )
    assert solve_plan(p, VALUES, 3) == solve_plan(p, VALUES, 3)


def test_designer_view_is_norwegian_and_formula_safe(programme) -> None:
    p = replace(
        programme, contributors=tuple(replace(c, every_session=False) for c in programme.contributors)
    )
    ranking = pd.DataFrame({"topic_id": VALUES.index, "score": VALUES.to_numpy(), "rank": [1, 2, 3, 4]})
    table = plan_table(p, ranking, solve_plan(p, VALUES, 3), chosen=True)
    view = designer_view(table, {"olt": "Olympiatoppen", "sin": "Smart Innovation Norway"})
    assert list(view.columns)[:3] == ["Antall samlinger", "Samling", "Tema"]
    assert excel_safe(pd.DataFrame({"a": ["=SUM(A1)", "ok", "-1"]}))["a"].tolist() == [
        "'=SUM(A1)",
        "ok",
        "'-1",
    ]
