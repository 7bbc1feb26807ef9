from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.needs import ipa_quadrants, score_needs


def long(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["respondent_id", "area", "dimension", "value"]).assign(
        area_label=lambda d: d["area"].str.upper()
    )


def test_mwds_by_hand() -> None:
    # area a: pairs (5,2), (4,3), (3,3) -> mean discrepancy (3+1+0)/3 = 4/3; mean importance 4 -> MWDS 16/3
    # area b: pairs (2,2), (4,1); respondent 3 answered 'Vet ikke' on competence -> left out
    #         mean discrepancy (0+3)/2 = 1.5, mean importance 3 -> MWDS 4.5
    rows = [
        ("1", "a", "importance", 5),
        ("1", "a", "competence", 2),
        ("2", "a", "importance", 4),
        ("2", "a", "competence", 3),
        ("3", "a", "importance", 3),
        ("3", "a", "competence", 3),
        ("1", "b", "importance", 2),
        ("1", "b", "competence", 2),
        ("2", "b", "importance", 4),
        ("2", "b", "competence", 1),
        ("3", "b", "importance", 5),
        ("3", "b", "competence", np.nan),
    ]
    needs = score_needs(long(rows)).set_index("area")
    assert needs.loc["a", "mwds"] == pytest.approx(16 / 3)
    assert needs.loc["b", "mwds"] == pytest.approx(4.5)
    assert needs.loc["b", "n"] == 2 and needs.loc["b", "importance"] == pytest.approx(3.0)
    assert list(needs.sort_values("rank").index) == ["a", "b"]


def test_ipa_quadrants_at_means() -> None:
    imp, comp = pd.Series([4.5, 4.5, 3.0, 3.0]), pd.Series([2.0, 4.0, 2.0, 4.0])
    assert ipa_quadrants(imp, comp) == [
        "Konsentrer innsatsen her",
        "Fortsett det gode arbeidet",
        "Lav prioritet",
        "Mulig overinnsats",
    ]
