from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.config import NeedsSettings
from pipeline.needs import add_size_band, score_needs, segment_needs, summarise_preferences
from pipeline.needs.bootstrap import bootstrap_mwds, ranks, summarise
from pipeline.needs.preferences import median_answer, preferred_sessions
from pipeline.needs.scores import area_matrix, combined_priority, ipa_quadrants, locus_for_focus

SETTINGS = NeedsSettings(bootstrap=400, seed=7)


def long(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["respondent_id", "area", "dimension", "value"]).assign(
        area_label=lambda d: d["area"].str.upper(), scale_max=5
    )


HAND = [  # area a: pairs (5,2), (4,3), (3,3) -> mean discrepancy 4/3, mean importance 4 -> MWDS 16/3
    ("1", "a", "importance", 5),
    ("1", "a", "competence", 2),
    ("2", "a", "importance", 4),
    ("2", "a", "competence", 3),
    ("3", "a", "importance", 3),
    ("3", "a", "competence", 3),
    # area b: pairs (2,2), (4,1); respondent 3 answered 'Vet ikke' (NaN) on competence -> left out of b only;
    # mean discrepancy 3/2, mean importance (over pairs) 3 -> MWDS 4.5
    ("1", "b", "importance", 2),
    ("1", "b", "competence", 2),
    ("2", "b", "importance", 4),
    ("2", "b", "competence", 1),
    ("3", "b", "importance", 5),
    ("3", "b", "competence", np.nan),
]


def test_mwds_by_hand() -> None:
    needs = score_needs(long(HAND), SETTINGS).set_index("area")
    assert needs.loc["a", "mwds"] == pytest.approx(16 / 3)
    assert needs.loc["b", "mwds"] == pytest.approx(4.5)
    assert needs.loc["b", "n"] == 2 and needs.loc["b", "importance"] == pytest.approx(3.0)
    assert needs.loc["b", "competence"] == pytest.approx(1.5) and needs.loc[
        "b", "discrepancy"
    ] == pytest.approx(1.5)
    assert list(needs.sort_values("rank").index) == ["a", "b"]


def test_area_without_competence_item_is_left_out() -> None:
    rows = [*HAND, ("1", "c", "importance", 5), ("2", "c", "importance", 4)]
    assert "c" not in set(score_needs(long(rows), SETTINGS)["area"])


def test_ipa_chart_crosshairs_where_the_quadrants_were_drawn(monkeypatch) -> None:
    from pipeline import figures
    from pipeline.needs import ipa_centre

    table = pd.DataFrame(
        {
            "area_label": ["A", "B"],
            "importance": [4.5, 4.0],
            "competence": [3.5, 3.9],
            "scale_max": [5, 5],
            "ipa_quadrant": ["Fortsett det gode arbeidet"] * 2,
        }
    )
    assert ipa_centre(table, "mean") is None and ipa_centre(table, "midpoint") == (3.0, 3.0)
    drawn = []
    real = figures._scatter

    def spy(*args, **kwargs):
        fig = real(*args, **kwargs)
        drawn.append((fig.axes[0].lines[0].get_xdata()[0], fig.axes[0].lines[1].get_ydata()[0]))
        return fig

    monkeypatch.setattr(figures, "_scatter", spy)
    figures.ipa_chart(table, centre=(4.0, 3.0))  # (importance, competence)
    figures.ipa_chart(table)
    assert drawn[0] == (3.0, 4.0)  # x = competence, y = importance
    assert drawn[1] == pytest.approx((3.7, 4.25))  # the means


def test_norwegian_number_format() -> None:
    from pipeline.text import THIN_SPACE, format_number

    assert format_number(12345.678, 1) == f"12{THIN_SPACE}345,7"
    assert format_number(-0.004, 2) == "0,00"  # no "-0,00"
    assert format_number(float("nan")) == "–" and format_number(None) == "–"


def test_ipa_quadrants_at_means_and_midpoint() -> None:
    imp, comp = pd.Series([4.5, 4.5, 3.0, 3.0]), pd.Series([2.0, 4.0, 2.0, 4.0])
    assert ipa_quadrants(imp, comp) == [
        "Konsentrer innsatsen her",
        "Fortsett det gode arbeidet",
        "Lav prioritet",
        "Mulig overinnsats",
    ]
    # midpoint crosshairs (3, 3): 3.0 counts as high
    assert ipa_quadrants(pd.Series([2.9, 3.0]), pd.Series([2.0, 2.0]), (3.0, 3.0)) == [
        "Lav prioritet",
        "Konsentrer innsatsen her",
    ]


def test_locus_for_focus_and_combined_priority() -> None:
    imp, disc = pd.Series([4.5, 4.5, 3.0, 3.0]), pd.Series([1.5, 0.2, 1.5, 0.2])
    names, focus = locus_for_focus(imp, disc)
    assert list(focus) == [True, False, False, False]
    assert names[0] == "Høy viktighet, stort gap"
    rank = np.array([1, 2, 3, 4])
    assert list(combined_priority(focus, rank, top_n=2)) == [1, 2, 3, 3]
    assert list(combined_priority(np.array([False, True]), np.array([5, 9]), top_n=3)) == [3, 2]


def test_bootstrap_reproducible_and_brackets_point() -> None:
    rng = np.random.default_rng(1)
    rows = []
    for r in range(60):
        for area, (mi, mc) in {"a": (4.5, 2.5), "b": (4.0, 3.5), "c": (3.0, 3.0)}.items():
            rows += [
                (str(r), area, "importance", float(np.clip(round(rng.normal(mi, 0.7)), 1, 5))),
                (str(r), area, "competence", float(np.clip(round(rng.normal(mc, 0.7)), 1, 5))),
            ]
    m = area_matrix(long(rows))
    a, b = bootstrap_mwds(m, 500, 3), bootstrap_mwds(m, 500, 3)
    np.testing.assert_array_equal(a, b)
    needs = score_needs(long(rows), SETTINGS).set_index("area")
    assert (needs["mwds_lo"] <= needs["mwds"]).all() and (needs["mwds"] <= needs["mwds_hi"]).all()
    assert needs.loc["a", "rank"] == 1 and needs.loc["a", "p_top"] > 0.9 and needs.loc["a", "rank_hi"] == 1


def test_ranks_and_summary() -> None:
    boot = np.array([[3.0, 1.0, 2.0], [1.0, 3.0, 2.0], [3.0, 2.0, np.nan]])
    np.testing.assert_array_equal(ranks(boot), [[1, 3, 2], [3, 1, 2], [1, 2, 3]])
    s = summarise(boot, 0.9, top_n=1)
    assert list(s["p_top"].round(3)) == [pytest.approx(2 / 3, abs=1e-3), pytest.approx(1 / 3, abs=1e-3), 0.0]


def test_size_band_from_the_shipped_table_and_unknown(caplog: pytest.LogCaptureFixture) -> None:
    df = pd.DataFrame({"respondent_id": ["1", "2", "3"], "municipality": ["Oslo", " hurdal", "Atlantis"]})
    with caplog.at_level("WARNING"):
        out = add_size_band(df)
    assert list(out["size_band"]) == ["100 000 og flere", "Under 10 000", "Ukjent størrelse"]
    assert "Atlantis" in caplog.text


def test_segments_are_suppressed_below_min_cell() -> None:
    rows = [
        (str(r), area, dim, v)
        for r in range(12)
        for area in ("a", "b")
        for dim, v in (("importance", 5.0), ("competence", 2.0 + (r % 3)))
    ]
    respondents = pd.DataFrame(
        {"respondent_id": [str(r) for r in range(12)], "role": ["Leder"] * 8 + ["Sjef"] * 3 + ["Direktør"]}
    )
    table = segment_needs(long(rows), respondents, {"role": "role"}, SETTINGS, min_cell=5)
    shown = table.set_index(["segment", "area"])
    assert not shown.loc[("Leder", "a"), "suppressed"] and shown.loc[("Sjef", "a"), "suppressed"]
    assert shown.loc[("Direktør", "a"), "suppressed"] and np.isnan(shown.loc[("Direktør", "a"), "mwds"])


def test_preferences_ordered_bands_and_median() -> None:
    df = pd.DataFrame(
        {
            "wtp": ["5 000–9 999 kr"] * 3 + ["Under 5 000 kr"] * 2 + ["20 000 kr eller mer"],
            "gatherings": ["3 samlinger"] * 2 + ["4 samlinger"] * 3 + ["5 eller flere"],
        }
    )
    prefs = summarise_preferences(df, ["wtp", "gatherings", "missing"])
    assert list(prefs.loc[prefs["item_id"] == "wtp", "answer"]) == [
        "Under 5 000 kr",
        "5 000–9 999 kr",
        "20 000 kr eller mer",
    ]
    assert median_answer(prefs, "wtp") == "5 000–9 999 kr"
    assert preferred_sessions(prefs, "gatherings") == {"share_3": 2 / 6, "share_4": 3 / 6, "preferred": 4}


def test_dont_know_goes_last_in_ordered_and_unordered_answers() -> None:
    from pipeline.needs.preferences import median_answer, summarise_preferences

    answers = pd.DataFrame(
        {
            "wtp": ["Vet ikke"] * 50
            + ["Under 5 000 kr"] * 3
            + ["20 000 kr eller mer"] * 4
            + ["5 000–9 999 kr"] * 9,
            "format": ["Vet ikke"] * 40 + ["Fysisk"] * 20 + ["Digitalt"] * 6,
        }
    )
    out = summarise_preferences(answers, ["wtp", "format"])
    wtp = out.loc[out["item_id"] == "wtp", "answer"].tolist()
    assert wtp == ["Under 5 000 kr", "5 000–9 999 kr", "20 000 kr eller mer", "Vet ikke"]  # natural order
    assert out.loc[out["item_id"] == "format", "answer"].tolist() == ["Fysisk", "Digitalt", "Vet ikke"]
    assert median_answer(out, "wtp") == "5 000–9 999 kr"  # the middle of those who answered on the scale
