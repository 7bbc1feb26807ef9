"""Programme economics: bands as intervals, the share willing to pay, break-even, the split, P(loss), and
each bad setting or band as a one-line error naming it."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline import economics as E
from pipeline.config import Cost, EconomicsSettings, load_programme
from pipeline.errors import ConfigError
from tests.conftest import PROGRAMME, write_project

LABELS = ["Under 5 000 kr", "5 000–9 999 kr", "10 000–19 999 kr", "20 000 kr eller mer"]


def settings(**change) -> EconomicsSettings:
    base = EconomicsSettings(
        eligible=100,
        uptake=0.5,
        uptake_low=0.5,
        uptake_high=0.5,
        fees=(7500.0,),
        costs=(Cost("Lokaler", "per_gathering", 50_000, "sin"), Cost("Mat", "per_participant", 1_000, "sin")),
        split=(("osr", 0.5), ("sin", 0.5)),
        loss_carried_by="sin",
    )
    return replace(base, **change)


def test_bands_are_read_as_intervals_that_meet() -> None:
    bands = E.reach(E.parse_bands(list(reversed(LABELS))), 1.5)
    assert [(b.lo, b.hi) for b in bands] == [(0, 5000), (5000, 10000), (10000, 20000), (20000, 30000)]
    with pytest.raises(E.EconomicsError, match="band 'Gratis' cannot be read as an interval"):
        E.parse_bands(["Gratis", "5 000–9 999 kr"])
    with pytest.raises(E.EconomicsError, match="overlap"):
        E.parse_bands(["5 000–9 999 kr", "8 000–12 000 kr"])


def test_share_willing_from_bands_by_hand() -> None:
    bands = E.reach(E.parse_bands(LABELS), 1.5)
    weights = E.survival_weights(bands, np.array([5000.0, 7500.0, 25000.0]))
    shares = np.array([0.2, 0.4, 0.3, 0.1])
    # at a band edge the share is exact; inside a band half of its respondents pay 7 500 or more
    assert shares @ weights == pytest.approx([0.8, 0.4 * 0.5 + 0.3 + 0.1, 0.1 * 0.5])


def test_break_even_and_costs_by_hand() -> None:
    s = settings(costs=(*settings().costs, Cost("Utvikling", "one_off", 20_000, "sin")))
    fixed, variable = E.fixed_and_variable(s, 4)
    assert (fixed, variable) == (4 * 50_000 + 20_000, 1_000)
    assert E.break_even(12_000, fixed, variable) == 20  # 220 000 / 11 000 exactly
    assert E.break_even(12_001, fixed, variable) == 20 and E.break_even(11_999, fixed, variable) == 21
    assert E.break_even(1_000, fixed, variable) == float("inf")  # the fee does not cover the food


def test_surplus_is_split_and_a_loss_carried_by_one_party() -> None:
    shares = E.split_surplus(np.array([100.0, -50.0]), {"sin": 0.5, "osr": 0.5}, "sin")
    assert shares["sin"].tolist() == [50.0, -50.0] and shares["osr"].tolist() == [50.0, 0.0]


def test_probability_of_a_loss_on_a_tiny_example() -> None:
    # two eligible leaders, all willing; fee 100, fixed cost 150: a loss unless both sign up
    s = settings(eligible=2, fees=(100.0,), costs=(Cost("Lokaler", "one_off", 150, "sin"),))
    weights = np.ones((1, 1))
    shares = np.ones((4000, 1))
    sure = E.simulate(
        replace(s, uptake=1.0, uptake_low=1.0, uptake_high=1.0),
        shares,
        weights,
        np.array([100.0]),
        3,
        np.random.default_rng(1),
    )
    assert sure["p_loss"].iloc[0] == 0.0 and sure["surplus"].iloc[0] == pytest.approx(50.0)
    half = E.simulate(s, shares, weights, np.array([100.0]), 3, np.random.default_rng(1))
    assert half["p_loss"].iloc[0] == pytest.approx(0.75, abs=0.03)  # P(fewer than 2 of 2 at 1/2) = 3/4


def test_recommendation_keeps_the_risk_under_the_limit() -> None:
    table = pd.DataFrame(
        {
            "fee": [1000.0, 2000.0, 3000.0],
            "surplus": [10.0, 30.0, 50.0],
            "revenue": [5.0, 9.0, 7.0],
            "p_loss": [0.02, 0.08, 0.3],
        }
    )
    pick = E.recommend(table, 0.10)
    assert pick["fee"] == 2000.0 and pick["revenue_fee"] == 2000.0  # 3 000 earns more but risks 30 %
    assert E.recommend(table, 0.01)["fee"] is None and E.recommend(table, 0.01)["lowest_risk_fee"] == 1000.0


def test_dont_know_is_left_out_and_counted_and_runs_are_reproducible() -> None:
    answers = pd.Series(["Under 5 000 kr"] * 10 + ["5 000–9 999 kr"] * 20 + ["Vet ikke"] * 5 + [None] * 3)
    s = settings(fees=(2500.0, 7500.0), resamples=500)
    table, summary, bands = E.economics_tables(s, answers, 4)
    assert summary["answered"] == 30 and summary["dont_know"] == 5 and summary["no_answer"] == 3
    assert [b.label for b in bands] == ["Under 5 000 kr", "5 000–9 999 kr"]
    again, _, _ = E.economics_tables(s, answers, 4)
    pd.testing.assert_frame_equal(table, again)
    with pytest.raises(E.EconomicsError, match="12 000 kr is above every willingness-to-pay band"):
        E.economics_tables(replace(s, fees=(12_000.0,)), answers, 4)


ECONOMICS = """
[economics]
eligible = 200
uptake = 0.3
fees = [5000, 10000]
loss_carried_by = "sin"
split = { sin = 0.5, olt = 0.5 }

[[economics.costs]]
name = "Lokaler"
kind = "per_gathering"
amount = 20000
carried_by = "sin"
"""


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("amount = 20000", "amount = -5", r"economics\.costs\[0\]\.amount: must be 0 or more"),
        ("sin = 0.5, olt = 0.5", "sin = 0.5, olt = 0.4", r"economics\.split: the shares must sum to 1"),
        ("sin = 0.5, olt = 0.5", "sin = 0.5, nav = 0.5", r"economics\.split: unknown contributor \['nav'\]"),
        ('kind = "per_gathering"', 'kind = "per_day"', r"economics\.costs\[0\]\.kind: must be one of"),
        ("fees = [5000, 10000]", "fees = [5000, -1]", r"economics\.fees: must be positive"),
        ("uptake = 0.3", "uptake = 0.3\nuptake_range = [0.4, 0.5]", r"economics\.uptake_range"),
        ("eligible = 200", "eligble = 200", r"economics\.eligble: unknown key\. Did you mean 'eligible'"),
    ],
)
def test_bad_economics_settings_name_their_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    path = write_project(tmp_path / "p", PROGRAMME + ECONOMICS.replace(old, new))
    with pytest.raises(ConfigError, match=key):
        load_programme(path)


def test_economics_settings_load(tmp_path: Path) -> None:
    e = load_programme(write_project(tmp_path / "p", PROGRAMME + ECONOMICS)).economics
    assert e.eligible == 200 and e.fees == (5000.0, 10000.0) and dict(e.split) == {"olt": 0.5, "sin": 0.5}
    assert (e.uptake_low, e.uptake_high) == (0.3, 0.3) and e.max_loss_probability == 0.10
