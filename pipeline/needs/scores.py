"""Training-needs scores per leadership area from paired importance and competence answers.

Borich: MWDS_k = mean_i(I_ik - C_ik) * mean_i(I_ik), over the respondents i who answered both items of area k
('Vet ikke' and blanks are missing and leave the respondent out of that area only). Importance-performance
analysis (IPA) places areas by mean importance and mean competence; Locus for Focus by mean importance and
mean discrepancy, its high-high quadrant being the focus. The combined priority: first when an area is in the
Locus-for-Focus focus quadrant and in the top n by MWDS, second when it is in one of the two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

IPA_NAMES = {
    (True, False): "Konsentrer innsatsen her",
    (True, True): "Fortsett det gode arbeidet",
    (False, False): "Lav prioritet",
    (False, True): "Mulig overinnsats",
}
LFF_NAMES = {
    (True, True): "Høy viktighet, stort gap",
    (True, False): "Høy viktighet, lite gap",
    (False, True): "Lav viktighet, stort gap",
    (False, False): "Lav viktighet, lite gap",
}
PRIORITY_NAMES = {1: "Første prioritet", 2: "Andre prioritet", 3: "Lavere prioritet"}


@dataclass(frozen=True)
class AreaMatrix:
    """Importance and competence answers as respondent x area matrices (NaN where missing)."""

    areas: pd.DataFrame  # area, area_label, scale_max; row order = matrix column order
    respondent_ids: np.ndarray
    importance: np.ndarray
    competence: np.ndarray

    @property
    def paired(self) -> np.ndarray:
        return ~np.isnan(self.importance) & ~np.isnan(self.competence)

    def subset(self, mask: np.ndarray) -> AreaMatrix:
        return AreaMatrix(self.areas, self.respondent_ids[mask], self.importance[mask], self.competence[mask])


def area_matrix(likert: pd.DataFrame) -> AreaMatrix:
    """Long Likert answers -> matrices over the areas that have both an importance and a competence item."""
    dims = likert.groupby("area")["dimension"].agg(lambda d: set(d))
    areas = sorted(a for a, d in dims.items() if {"importance", "competence"} <= d)
    wide = likert.loc[likert["area"].isin(areas)].pivot_table(
        index="respondent_id", columns=["dimension", "area"], values="value", aggfunc="first", dropna=False
    )
    ids = np.asarray(sorted(likert["respondent_id"].unique()))
    wide = wide.reindex(ids)

    def matrix(dim: str) -> np.ndarray:
        return (
            np.column_stack(
                [
                    wide[(dim, a)].to_numpy(dtype=float) if (dim, a) in wide else np.full(len(ids), np.nan)
                    for a in areas
                ]
            )
            if areas
            else np.empty((len(ids), 0))
        )

    info = likert.drop_duplicates("area").set_index("area").reindex(areas)
    area_table = pd.DataFrame(
        {
            "area": areas,
            "area_label": info["area_label"].to_numpy(),
            "scale_max": info["scale_max"].to_numpy(),
        }
    )
    return AreaMatrix(area_table, ids, matrix("importance"), matrix("competence"))


def weighted_mwds(m: AreaMatrix, weights: np.ndarray) -> dict[str, np.ndarray]:
    """Per-area statistics for one or many weightings of the respondents (`weights`: n, or B x n; bootstrap
    resamples are multinomial counts). Returns arrays of shape (K,) or (B, K)."""
    valid = m.paired.astype(float)
    imp = np.where(m.paired, m.importance, 0.0)
    disc = np.where(m.paired, m.importance - m.competence, 0.0)
    comp = np.where(m.paired, m.competence, 0.0)
    n = weights @ valid
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_i = (weights @ imp) / n
        mean_c = (weights @ comp) / n
        mean_d = (weights @ disc) / n
    return {
        "n": n,
        "importance": mean_i,
        "competence": mean_c,
        "discrepancy": mean_d,
        "mwds": mean_d * mean_i,
    }


def ipa_quadrants(
    importance: pd.Series, competence: pd.Series, centre: tuple[float, float] | None = None
) -> list[str]:
    """Importance-performance quadrant names; crosshairs at the means of the areas unless `centre`."""
    ci, cc = centre if centre is not None else (importance.mean(), competence.mean())
    return [IPA_NAMES[(bool(i >= ci), bool(c >= cc))] for i, c in zip(importance, competence, strict=True)]


def locus_for_focus(importance: pd.Series, discrepancy: pd.Series) -> tuple[list[str], np.ndarray]:
    """Locus for Focus quadrant names (crosshairs at the means) and whether each area is in the focus."""
    hi_i, hi_d = importance >= importance.mean(), discrepancy >= discrepancy.mean()
    names = [LFF_NAMES[(bool(i), bool(d))] for i, d in zip(hi_i, hi_d, strict=True)]
    return names, (hi_i & hi_d).to_numpy()


def combined_priority(in_focus: np.ndarray, rank: np.ndarray, top_n: int) -> np.ndarray:
    """1 when in the Locus-for-Focus focus and in the top n by MWDS, 2 when one of the two, else 3."""
    top = rank <= top_n
    return np.where(in_focus & top, 1, np.where(in_focus | top, 2, 3))
