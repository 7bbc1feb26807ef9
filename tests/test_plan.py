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
    # named before solving: the contributor and what to change
    with pytest.raises(
        PlanInfeasibleError,
        match=r"no plan with 4 gatherings: contributor 'olt' must be in every gathering but has 3 topics\. "
        r"Set every_session = false",
    ):
        solve_plan(programme, VALUES, 4)


def test_impossible_pins_are_named_before_solving(programme) -> None:
    def pinned(**pins: int):
        topics = tuple(replace(t, pinned_session=pins.get(t.id, t.pinned_session)) for t in programme.topics)
        return replace(free(programme), topics=topics, sessions=Sessions(3, (1, 1, 1)))

    with pytest.raises(
        PlanInfeasibleError, match=r"2 topics are pinned to gathering 2 \(digital, team\), which has 1"
    ):
        solve_plan(pinned(digital=2, team=2), VALUES, 3)
    needs = replace(programme.topic("data"), requires=("digital",), pinned_session=2)
    topics = tuple(
        needs if t.id == "data" else replace(t, pinned_session=3 if t.id == "digital" else None)
        for t in programme.topics
    )
    with pytest.raises(
        PlanInfeasibleError,
        match=r"topic 'data' is pinned to gathering 2 but requires 'digital', pinned to gathering 3",
    ):
        solve_plan(replace(free(programme), topics=topics), VALUES, 3)
    first = tuple(replace(needs, pinned_session=1) if t.id == "data" else t for t in programme.topics)
    with pytest.raises(
        PlanInfeasibleError, match=r"pinned to gathering 1 but requires 'digital', which must come earlier"
    ):
        solve_plan(replace(free(programme), topics=first), VALUES, 3)


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
    assert table["rationale"].str.match(r"Med som nr\. \d av 6 i rangeringen").all()
    assert not table["rationale"].str.contains(r"\[|\(\w+ skal|samhørighet|gulvet").any()  # no engine words
    with_interval = ranking().assign(rank_lo=1, rank_hi=2)
    at_80 = plan_table(
        replace(p, needs=replace(p.needs, confidence=0.8)), with_interval, result, True, affinity
    )
    assert at_80["rationale"].str.contains("trolig mellom nr. 1 og 2", regex=False).all()
    sure = plan_table(p, ranking().assign(rank_lo=3, rank_hi=3), result, True, affinity)
    assert not sure["rationale"].str.contains("trolig", regex=False).any()  # a certain rank needs no range
    missing = left_out(p, ranking(), result, VALUES)
    assert missing["topic_id"].iloc[0] == "restitusjon"
    assert "svakere grunnlag" in missing["reason"].iloc[0] and "«" in missing["reason"].iloc[0]
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


def test_the_evidence_floor_leaves_slots_open_unless_a_rule_forces_a_weak_topic(programme) -> None:
    from pipeline.plan import topic_values

    scores = pd.Series(
        {
            "rekruttering": 1.2,
            "digital": 0.9,
            "prestasjon": 0.1,
            "restitusjon": -0.8,
            "team": -1.0,
            "data": -1.1,
        }
    )
    plan = free(programme)
    filled = solve_plan(plan, topic_values(scores), 3)
    assert len(filled.assignment) == 6  # every slot filled, weak topics too
    open_ = solve_plan(plan, topic_values(scores, floor=-0.5), 3)
    assert set(open_.assignment) == {"rekruttering", "digital", "prestasjon"}
    # with every contributor in every gathering, olt's weak topics are still needed: placed, not dropped
    forced = solve_plan(programme, topic_values(scores, floor=-0.5), 3)
    assert {"restitusjon", "team"} <= set(forced.assignment)


def test_weak_topics_are_flagged_and_new_needs_proposed(programme) -> None:
    from pipeline.plan import mark_weak, new_need_candidates

    table = pd.DataFrame({"score": [0.4, -0.9], "rationale": ["Rangert nr. 1.", "Rangert nr. 6."]})
    marked = mark_weak(table, -0.5)
    assert marked["weak"].tolist() == [False, True]
    assert (
        "samlet lav skår" in marked["rationale"].iloc[1]
        and "nye behovene" not in marked["rationale"].iloc[1]  # none were found: none are offered
        and marked["rationale"].iloc[0] == "Rangert nr. 1."
    )
    assert "et av de nye behovene" in mark_weak(table, -0.5, new_needs=True)["rationale"].iloc[1]
    themes = pd.DataFrame(
        {
            "theme_id": ["T01", "T02", "T03"],
            "name": ["Rekruttering", "Beredskap", "Etikk"],
            "suggested_title": ["", "Beredskap og krise", "Etikk og habilitet"],
            "emerging": [False, True, True],
            "n_respondents": [40, 12, 30],
            "share_respondents": [0.4, 0.12, 0.3],
            "interviews": [["int01"], ["int01", "int02"], []],
            "quotes": [["a"], ["Planer for kriser."], []],
        }
    )
    candidates = new_need_candidates(themes)
    assert [c["title"] for c in candidates] == [
        "Etikk og habilitet",
        "Beredskap og krise",
    ]  # most raised first
    assert candidates[1]["interviews"] == 2 and candidates[1]["quote"] == "Planer for kriser."


def test_interchangeable_gatherings_are_numbered_strongest_first(programme) -> None:
    from pipeline.plan.order import OrderTerms, order_gatherings

    plan = replace(free(programme), sessions=Sessions(3, (2, 2, 2)))
    assignment = {"data": 1, "team": 1, "rekruttering": 2, "digital": 3, "prestasjon": 3, "restitusjon": 2}
    ordered = order_gatherings(plan, assignment, 3, OrderTerms(), {}, VALUES)
    assert ordered["rekruttering"] == 1 and ordered["data"] == 3
    pinned = replace(
        plan, topics=tuple(replace(t, pinned_session=1) if t.id == "data" else t for t in plan.topics)
    )
    assert order_gatherings(pinned, assignment, 3, OrderTerms(), {}, VALUES)["data"] == 1  # a pin holds


def test_the_overview_has_a_title_purpose_evidence_and_quotes_per_gathering(programme) -> None:
    from pipeline.plan import gathering_overview

    ranking = pd.DataFrame(
        {
            "topic_id": ["rekruttering", "digital", "prestasjon"],
            "title": [
                "Rekruttere, utvikle og beholde kompetanse",
                "Digital transformasjon i kommunen",
                "Prestasjonskultur",
            ],
            "rank": [1, 2, 3],
            "survey_need": [7.5, 3.9, np.nan],
            "free_text_prevalence": [0.34, 0.26, 0.0],
            "interview_emphasis": [0.2, 0.0, 0.1],
            "quotes": [["Sykepleiere."], ["Fagsystemene."], []],
        }
    )
    plan = pd.DataFrame(
        {
            "n_sessions": 3,
            "chosen": True,
            "session": [1, 1, 2],
            "topic_id": ["digital", "rekruttering", "prestasjon"],
            "title": [
                "Digital transformasjon i kommunen",
                "Rekruttere, utvikle og beholde kompetanse",
                "Prestasjonskultur",
            ],
            "rank": [2, 1, 3],
            "score": [0.8, 1.5, -0.9],  # the plan table's own score (PLAN_COLUMNS)
            "weak": [False, False, True],
        }
    )
    out = gathering_overview(programme, plan, ranking)
    first = out.iloc[0]
    assert first["title"] == "Rekruttere, utvikle og beholde kompetanse"  # the strongest topic, whole
    assert first["topics"] == [
        "Rekruttere, utvikle og beholde kompetanse",
        "Digital transformasjon i kommunen",
    ]
    assert (
        first["evidence"][0]
        == "Rangert nr. 1; Borich-skår 7,5, 34\u202f% i fritekst, 20\u202f% av intervjuutsnittene"
    )
    assert first["purpose"].startswith("To programtemaer, rangert som nr. 1 og 2 av 3.")
    assert "«Rekruttere, utvikle og beholde kompetanse» (skår 1,50;" in first["purpose"]
    assert first["quotes"] == ["Sykepleiere.", "Fagsystemene."]
    assert "«Prestasjonskultur» har svakt grunnlag" in out.iloc[1]["purpose"]
    titled = replace(
        programme, sessions=replace(programme.sessions, count=3, titles=("Å lede", "Data", "Kultur"))
    )
    assert gathering_overview(titled, plan, ranking)["title"].tolist() == ["Å lede", "Data"]


def test_a_thread_topic_runs_through_every_gathering(project: Path, tmp_path: Path) -> None:
    from pipeline.cli import main

    text = project.read_text(encoding="utf-8").replace(
        'seed_terms = ["digitalisering", "teknologi"]',
        'seed_terms = ["digitalisering", "teknologi"]\nthread = true',
    )
    project.write_text(text, encoding="utf-8")
    programme = load_programme(project)
    assert programme.topic("digital").thread
    workdir = tmp_path / "w"
    for stage in ("ingest", "needs", "themes", "rank", "plan"):
        assert main([stage, "--config", str(project), "--workdir", str(workdir), "-q"]) == 0
    plan = pd.read_parquet(workdir / "data/processed/plan.parquet").loc[lambda d: d["chosen"]]
    digital = plan.loc[plan["topic_id"] == "digital"]
    assert sorted(digital["session"]) == [1, 2, 3]
    assert digital["rationale"].str.startswith("Rød tråd").all()
    others = plan.loc[plan["topic_id"] != "digital"].groupby("session").size()
    assert (others <= 2).all()  # the thread takes no topic slot (2 per gathering here)
    overview = pd.read_parquet(workdir / "data/processed/plan_overview.parquet").loc[lambda d: d["chosen"]]
    assert all(t[-1] == "Digitalisering" for t in overview["topics"])  # listed last, not in the title
    assert not overview["title"].str.contains("Digitalisering").any()


def test_a_thread_topic_cannot_be_pinned(project: Path) -> None:
    from pipeline.errors import ConfigError

    text = project.read_text(encoding="utf-8").replace(
        'seed_terms = ["digitalisering", "teknologi"]',
        'seed_terms = ["digitalisering", "teknologi"]\nthread = true\npinned_session = 1',
    )
    project.write_text(text, encoding="utf-8")
    with pytest.raises(
        ConfigError, match=r"topics\[1\]\.thread: a thread topic runs through every gathering"
    ):
        load_programme(project)


def test_placement_reasons_come_from_what_decided_the_placement(programme) -> None:
    from pipeline.plan.placement import placement_sentence, placements

    plan = replace(free(programme), sessions=Sessions(3, (2, 2, 2)))
    topics = tuple(
        replace(t, pinned_session=1)
        if t.id == "rekruttering"
        else replace(t, requires=("rekruttering",))
        if t.id == "data"
        else t
        for t in plan.topics
    )
    plan = replace(plan, topics=topics)
    assignment = {"rekruttering": 1, "prestasjon": 1, "digital": 2, "data": 2, "restitusjon": 3, "team": 3}
    pair = {("data", "digital"): 0.4}  # keys sorted, as topic_affinity writes them
    out = placements(plan, assignment, 3, pair, cohesion=1.0)
    pinned = placement_sentence(plan, out["rekruttering"], 1)
    assert (
        pinned.startswith("programgruppen har lagt det til samling 1")
        and "det må komme før «Datadrevet ledelse» i samling 2" in pinned
    )
    assert "annen plass" not in pinned  # the pin itself says why it cannot move
    assert "bygger på «Rekruttering» i samling 1" in placement_sentence(plan, out["data"], 2)
    digital = placement_sentence(plan, out["digital"], 2)
    # moving Digitalisering away loses the plan's only shared pair: all of its cohesion
    assert digital == "mange av de samme lederne tar opp både det og «Datadrevet ledelse»"
    free_move = placement_sentence(plan, out["prestasjon"], 1)
    assert free_move.startswith("det kunne like gjerne stått i samling")


def with_levels(programme, levels: dict[str, str]):
    return replace(programme, topics=tuple(replace(t, level=levels.get(t.id, "")) for t in programme.topics))


def test_foundation_topics_open_and_advanced_topics_close_the_programme(programme) -> None:
    plan = replace(free(programme), sessions=Sessions(3, (2, 2, 2)))
    # the weakest topics are the foundation and the strongest is advanced: without levels the order is
    # strongest first, with levels the foundation gathering opens and the advanced one closes
    plain = solve_plan(plan, VALUES, 3)
    assert plain.assignment["rekruttering"] == 1
    levelled = with_levels(plan, {"data": "foundation", "team": "foundation", "rekruttering": "advanced"})
    result = solve_plan(levelled, VALUES, 3)
    assert result.assignment["data"] == 1 and result.assignment["team"] == 1
    assert result.assignment["rekruttering"] == 3
    assert result.order == pytest.approx(2 * 0.5 + 0.5)  # two foundations first, one advanced last
    off = replace(levelled, plan=replace(levelled.plan, foundation_weight=0.0))
    assert solve_plan(off, VALUES, 3).assignment["rekruttering"] == 1  # weight 0: levels ignored


def test_related_gatherings_are_neighbours(programme) -> None:
    from pipeline.plan.order import OrderTerms, order_gatherings

    plan = replace(free(programme), sessions=Sessions(3, (1, 1, 1)))
    assignment = {"rekruttering": 1, "digital": 2, "prestasjon": 3}
    pair = {("prestasjon", "rekruttering"): 0.4}  # the strongest and the weakest belong together
    ordered = order_gatherings(plan, assignment, 3, OrderTerms(neighbour_weight=1.0), pair, VALUES)
    assert abs(ordered["rekruttering"] - ordered["prestasjon"]) == 1
    assert ordered["rekruttering"] == 1  # among the orders that keep them together, strongest first
    unrelated = order_gatherings(plan, assignment, 3, OrderTerms(), pair, VALUES)
    assert unrelated == assignment  # without the term, strongest first


def test_order_reasons_name_what_decided_each_place(programme) -> None:
    from pipeline.plan.order import OrderTerms, order_reasons

    plan = replace(free(programme), sessions=Sessions(3, (2, 2, 2)))
    plan = with_levels(plan, {"data": "foundation"})
    plan = replace(
        plan, topics=tuple(replace(t, requires=("data",)) if t.id == "digital" else t for t in plan.topics)
    )
    assignment = {"data": 1, "team": 1, "rekruttering": 2, "restitusjon": 2, "digital": 3, "prestasjon": 3}
    reasons = order_reasons(plan, assignment, 3, OrderTerms(foundation_weight=0.5), {}, VALUES)
    assert "«Datadrevet ledelse» er grunnleggende" in reasons[1]
    assert "«Digitalisering» bygger på «Datadrevet ledelse» fra samling 1" in reasons[3]
    assert len(set(reasons.values())) == 3  # specific to each gathering
    # two gatherings that could swap without loss say so, as a tie
    tied = {"data": 1, "team": 1, "rekruttering": 2, "prestasjon": 2, "digital": 3, "restitusjon": 3}
    equal = VALUES.copy()
    equal[:] = 1.0
    free_plan = replace(free(programme), sessions=Sessions(3, (2, 2, 2)))
    said = order_reasons(free_plan, tied, 3, OrderTerms(), {}, equal)
    assert all("like god rekkefølge" in s for s in said.values())


def test_a_topic_level_must_be_known(project: Path) -> None:
    from pipeline.errors import ConfigError

    text = project.read_text(encoding="utf-8").replace('id = "data"', 'id = "data"\nlevel = "basic"', 1)
    project.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"topics\[5\]\.level.*foundation, advanced"):
        load_programme(project)


def test_three_or_four_gatherings_said_as_a_tie_when_within_chance() -> None:
    from pipeline.present.plan import gatherings_wish

    assert gatherings_wish({"share_3": 99 / 243, "share_4": 98 / 243}, 243).startswith("Omtrent like mange")
    assert gatherings_wish({"share_3": 0.25, "share_4": 0.55}, 243).startswith("Flere ønsket fire samlinger")
