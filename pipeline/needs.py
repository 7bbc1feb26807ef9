"""Needs from the Likert battery: Borich mean weighted discrepancy score per leadership area.

MWDS_k = mean_i(I_ik - C_ik) * mean_i(I_ik), over respondents i who answered both the importance and the
competence item of area k ("Vet ikke" and blanks are missing and leave the respondent out of that area).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

NEEDS_COLUMNS = [
    "area",
    "area_label",
    "n",
    "importance",
    "competence",
    "discrepancy",
    "mwds",
    "rank",
    "quadrant",
]


def paired_answers(likert: pd.DataFrame) -> pd.DataFrame:
    """Long Likert answers -> one row per respondent and area with both `importance` and `competence`
    answered (pairs with a missing side are left out)."""
    wide = likert.pivot_table(
        index=["respondent_id", "area", "area_label"],
        columns="dimension",
        values="value",
        aggfunc="first",
        observed=True,
    )
    for dim in ("importance", "competence"):
        if dim not in wide:
            wide[dim] = np.nan
    return wide.dropna(subset=["importance", "competence"]).reset_index()[
        ["respondent_id", "area", "area_label", "importance", "competence"]
    ]


def score_needs(likert: pd.DataFrame) -> pd.DataFrame:
    """Per area: n, mean importance, mean competence, mean discrepancy, Borich MWDS, its rank and the
    importance-performance quadrant (crosshairs at the means of the areas)."""
    pairs = paired_answers(likert)
    pairs = pairs.assign(discrepancy=pairs["importance"] - pairs["competence"])
    grouped = pairs.groupby(["area", "area_label"], sort=True, observed=True)
    out = grouped.agg(
        n=("respondent_id", "size"),
        importance=("importance", "mean"),
        competence=("competence", "mean"),
        discrepancy=("discrepancy", "mean"),
    ).reset_index()
    out["mwds"] = out["discrepancy"] * out["importance"]
    out = out.sort_values(["mwds", "area"], ascending=[False, True], kind="stable", ignore_index=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out["quadrant"] = ipa_quadrants(out["importance"], out["competence"])
    return out[NEEDS_COLUMNS]


def ipa_quadrants(
    importance: pd.Series, competence: pd.Series, centre: tuple[float, float] | None = None
) -> list[str]:
    """Importance-performance quadrant names (Norwegian, for reports); crosshairs at the means by default."""
    ci, cc = centre if centre is not None else (importance.mean(), competence.mean())
    names = {
        (True, False): "Konsentrer innsatsen her",
        (True, True): "Fortsett det gode arbeidet",
        (False, False): "Lav prioritet",
        (False, True): "Mulig overinnsats",
    }
    return [names[(bool(i >= ci), bool(c >= cc))] for i, c in zip(importance, competence, strict=True)]
