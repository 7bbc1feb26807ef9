"""Replanning while the programme runs: delivered gatherings frozen, the stability term, the changes and
their reasons, the evaluation input and the errors of each input."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline import evaluation
from pipeline.config import Sessions, load_programme
from pipeline.errors import ConfigError, InputError
from pipeline.plan import changes, freeze, read_previous_plan, solve_plan
from pipeline.stages import run_stage
from pipeline.store import Store
from tests.conftest import PROGRAMME, write_project

VALUES = pd.Series(
    {"rekruttering": 4.0, "digital": 3.0, "prestasjon": 2.0, "restitusjon": 1.0, "team": 0.5, "data": 0.4}
)
PREVIOUS = {"rekruttering": 1, "restitusjon": 2, "team": 3}


def one_slot(programme, delivered: int = 1, stability: float = 0.5):
    """3 gatherings x 1 slot, no presence rule, `delivered` held."""
    free = tuple(replace(c, every_session=False) for c in programme.contributors)
    return replace(
        programme,
        contributors=free,
        sessions=Sessions(3, (1, 1, 1), delivered),
        plan=replace(programme.plan, stability=stability),
    )


@pytest.fixture
def programme(project: Path):
    return load_programme(project)


def test_delivered_gatherings_are_frozen_and_stability_keeps_the_rest(programme) -> None:
    plan = freeze(one_slot(programme), PREVIOUS)
    # without stability the best remaining topics win: digital (3) and prestasjon (2)
    free = solve_plan(replace(plan, plan=replace(plan.plan, stability=0.0)), VALUES, 3, previous=PREVIOUS)
    assert free.assignment["rekruttering"] == 1 and set(free.assignment) == {
        "rekruttering",
        "digital",
        "prestasjon",
    }
    # the selection weighs value + stability for a topic of the previous plan: with 2.5, restitusjon
    # (1 + 2.5) beats digital (3) and team (0.5 + 2.5) beats prestasjon (2); both stay where they were
    kept = solve_plan(replace(plan, plan=replace(plan.plan, stability=2.5)), VALUES, 3, previous=PREVIOUS)
    assert kept.assignment == PREVIOUS
    # with 1.2 only restitusjon (2.2) beats prestasjon (2); team (1.7) does not, and digital (3) comes in
    some = solve_plan(replace(plan, plan=replace(plan.plan, stability=1.2)), VALUES, 3, previous=PREVIOUS)
    assert set(some.assignment) == {"rekruttering", "digital", "restitusjon"}
    assert some.assignment["restitusjon"] == 2  # and it stays in its gathering


def test_a_delivered_gathering_keeps_its_topics_even_if_excluded_since(programme) -> None:
    excluded = replace(
        programme, topics=tuple(replace(t, excluded=t.id == "rekruttering") for t in programme.topics)
    )
    plan = freeze(one_slot(excluded), PREVIOUS)
    result = solve_plan(plan, VALUES, 3, previous=PREVIOUS)
    assert result.assignment["rekruttering"] == 1
    assert plan.sessions.slots == (1, 1, 1) and plan.topic("rekruttering").pinned_session == 1


def test_a_pin_to_a_delivered_gathering_is_refused(programme) -> None:
    pinned = replace(
        programme,
        topics=tuple(replace(t, pinned_session=1) if t.id == "data" else t for t in programme.topics),
    )
    with pytest.raises(
        ConfigError, match=r"topics\[5\]\.pinned_session: topic 'data' is pinned to gathering 1, which is"
    ):
        freeze(one_slot(pinned), PREVIOUS)


def test_changes_say_what_moved_and_why(programme) -> None:
    plan = one_slot(programme)
    ranking = pd.DataFrame({"topic_id": VALUES.index, "rank": range(1, 7)})
    new = {"rekruttering": 1, "digital": 2, "restitusjon": 3}
    out = changes(plan, PREVIOUS, new, ranking, {"restitusjon": 0.012}).set_index("topic_id")
    assert (
        out.loc["rekruttering", "change"] == "uendret" and "gjennomført" in out.loc["rekruttering", "reason"]
    )
    assert out.loc["digital", "change"] == "ny" and "rangert nr. 2 av 6" in out.loc["digital", "reason"]
    assert out.loc["restitusjon", "change"] == "flyttet"
    assert (
        "fra samling 2 til 3" in out.loc["restitusjon", "reason"]
        and "1,2\u202f%" in out.loc["restitusjon", "reason"]
    )
    assert out.loc["team", "change"] == "tatt ut" and "«Digitalisering»" in out.loc["team", "reason"]
    assert set(out.index) == set(PREVIOUS) | set(new)  # every topic of either plan, once


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8-sig")
    return path


def test_previous_plan_is_read_from_our_own_export_and_errors_name_row_and_column(
    programme, tmp_path: Path
) -> None:
    path = write(tmp_path / "plan.csv", "Samling;Tema-id;Tema\n1;rekruttering;Rekruttering\n2;digital;X\n")
    assert read_previous_plan(path, programme) == {"rekruttering": 1, "digital": 2}
    by_title = write(tmp_path / "t.csv", "Samling,Tema\n1,Rekruttering\n3,Teamutvikling\n")
    assert read_previous_plan(by_title, programme) == {"rekruttering": 1, "team": 3}
    unknown = write(tmp_path / "u.csv", "Samling;Tema-id\n1;rekruttering\n2;ledelse\n")
    with pytest.raises(InputError, match=r"row 3, column 'Tema-id': 'ledelse' is no topic"):
        read_previous_plan(unknown, programme)
    bad = write(tmp_path / "b.csv", "Samling;Tema-id\nfem;rekruttering\n")
    with pytest.raises(InputError, match=r"row 2, column 'Samling': 'fem' is not a gathering from 1 to 3"):
        read_previous_plan(bad, programme)
    with pytest.raises(InputError, match="'Samling' and 'Tema-id'"):
        read_previous_plan(write(tmp_path / "c.csv", "Uke;Tema\n1;Rekruttering\n"), programme)


EVALUATION = """Deltaker;Samling;Tema;Nytte;Kommentar
D1;1;Rekruttering;5;"Mer om digitalisering og teknologi, takk"
D2;1;Rekruttering;4;Bra
D3;1;Rekruttering;Vet ikke;
D4;1;rekruttering;2;"Vi trenger teknologi"
D4;1;Rekruttering;;"og mer om stress"
"""


def test_evaluation_gives_usefulness_and_the_share_raising_each_topic(programme, tmp_path: Path) -> None:
    path = write(tmp_path / "ev.csv", EVALUATION)
    rows = evaluation.read_evaluation(path, programme, {"rekruttering": 1})
    assert len(rows) == 5 and rows["usefulness"].isna().sum() == 2  # 'Vet ikke' and blank: no answer
    rated = evaluation.usefulness(rows, min_cell=2).iloc[0]
    assert rated["answers"] == 3 and rated["mean"] == pytest.approx(11 / 3)
    assert rated["share_useful"] == pytest.approx(2 / 3)
    assert evaluation.usefulness(rows, min_cell=4).iloc[0]["suppressed"]  # 3 answers < 4: withheld
    share, commented = evaluation.mentions(rows, programme)
    assert commented == 3  # D1, D2, D4 (D4's two comments count once)
    assert share["digital"] == pytest.approx(2 / 3) and share["restitusjon"] == pytest.approx(1 / 3)
    assert share["team"] == 0.0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("D9;1;Rekruttering;7;", r"row 7, column 'Nytte': usefulness '7' is not a whole number from 1 to 5"),
        ("D9;1;Ledelse;4;", r"row 7, column 'Tema': 'Ledelse' is no topic of the catalogue"),
        ("D9;1;Digitalisering;4;", r"row 7, column 'Tema': 'Digitalisering' was not taught in a delivered"),
        ("D9;2;Rekruttering;4;", r"row 7, column 'Samling': says gathering 2"),
    ],
)
def test_evaluation_errors_name_row_and_column(programme, tmp_path: Path, line: str, message: str) -> None:
    path = write(tmp_path / "ev.csv", EVALUATION + line + "\n")
    with pytest.raises(InputError, match=message):
        evaluation.read_evaluation(path, programme, {"rekruttering": 1})


REPLAN = PROGRAMME.replace(
    'interviews = "interviews"\n', 'interviews = "interviews"\nprevious_plan = "plan.csv"\n'
)


@pytest.mark.parametrize(
    ("programme_text", "key"),
    [
        (
            REPLAN.replace("slots = 2", "slots = 2\ndelivered = 3"),
            "sessions.delivered: must be between 0 and 2",
        ),
        (
            PROGRAMME.replace("slots = 2", "slots = 2\ndelivered = 1"),
            "sessions.delivered: 1 gatherings are held",
        ),
        (
            REPLAN.replace('previous_plan = "plan.csv"', 'previous_plan = "plan.csv"\nevaluation = "ev.csv"'),
            "inputs.evaluation: an evaluation is of delivered gatherings",
        ),
        (
            REPLAN.replace("interviews = 0.2", "interviews = 0.2\nevaluation = 0.3"),
            "weights.evaluation: weighs an",
        ),
        (REPLAN.replace("[privacy]", "[plan]\nstability = -1\n\n[privacy]"), "plan.stability: must be 0"),
    ],
)
def test_replanning_settings_are_checked_at_load(tmp_path: Path, programme_text: str, key: str) -> None:
    path = write_project(tmp_path / "p", programme_text)
    (path.parent / "plan.csv").write_text("Samling;Tema-id\n1;rekruttering\n", encoding="utf-8")
    (path.parent / "ev.csv").write_text(EVALUATION, encoding="utf-8")
    with pytest.raises(ConfigError, match=key.replace(".", r"\.", 1)):
        load_programme(path)


def test_replanning_end_to_end_after_the_first_gathering(tmp_path: Path) -> None:
    text = REPLAN.replace('previous_plan = "plan.csv"', 'previous_plan = "plan.csv"\nevaluation = "ev.csv"')
    text = text.replace("slots = 2", "slots = 2\ndelivered = 1")
    path = write_project(tmp_path / "p", text)
    published = "Samling;Tema-id\n1;rekruttering\n1;prestasjon\n2;team\n2;data\n3;restitusjon\n3;digital\n"
    (path.parent / "plan.csv").write_text(published, encoding="utf-8")
    (path.parent / "ev.csv").write_text(
        EVALUATION.replace(";1;Rekruttering", ";1;Prestasjonskultur", 1), encoding="utf-8"
    )
    programme, store = load_programme(path), Store(tmp_path / "w")
    for stage in ("ingest", "needs", "themes", "rank", "plan"):
        run_stage(stage, programme, store)
    plan = store.read("plan").loc[lambda d: d["chosen"]]
    held = set(plan.loc[plan["session"] == 1, "topic_id"])
    assert held == {"rekruttering", "prestasjon"}  # the delivered gathering as it was
    assert set(store.read("plan")["n_sessions"]) == {3}  # no 4-gathering alternative once under way
    moves = store.read("plan_changes")
    assert set(moves["topic_id"]) >= {"rekruttering", "prestasjon", "team", "data", "restitusjon", "digital"}
    assert moves["reason"].str.len().gt(0).all()
    assert store.read("evaluation")["topic_id"].tolist() == ["prestasjon", "rekruttering"]
    ranking = store.read("topic_ranking").set_index("topic_id")
    assert ranking.loc["digital", "evaluation_mentions"] > 0  # comments asked for it
    summary = store.read_json("plan_summary")
    assert summary["replan"]["delivered"] == 1 and summary["variants"]["4"]["feasible"] is False
    assert np.isclose(summary["replan"]["stability"], 0.5)
