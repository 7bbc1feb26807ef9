"""Need profiles as tables a reader can use: each profile's needs per area beside the whole group's, its size
with an interval, its composition by segment (through the small-cell helper), and each respondent's profile
with its probability. The model and its choice of the number of profiles live in `profiles`."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

from pipeline.needs.profiles import UNPLACED, ProfileFit, choose_profiles, need_features
from pipeline.needs.scores import AreaMatrix, area_matrix, weighted_mwds
from pipeline.privacy import suppress_small_cells

ALL = "Alle"
TOP_AREAS = 3

PROFILE_COLUMNS = [
    "profile",
    "profile_name",
    "n",
    "share",
    "share_lo",
    "share_hi",
    "area",
    "area_label",
    "importance",
    "competence",
    "mwds",
    "mwds_all",
    "difference",
    "rank_in_profile",
    "top",
]
RESPONDENT_COLUMNS = ["respondent_id", "profile", "profile_name", "probability", "reason"]
SEGMENT_COLUMNS = ["profile", "profile_name", "segment_type", "segment", "n", "share", "suppressed"]


def wilson(count: int, total: int, confidence: float) -> tuple[float, float]:
    """Wilson score interval of a share."""
    if total == 0:
        return (np.nan, np.nan)
    z = float(norm.ppf(0.5 + confidence / 2))
    p = count / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * np.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return (max(0.0, centre - half), min(1.0, centre + half))


def short_area(label: str) -> str:
    """The head of an area label: 'Arbeidsmiljø, nærvær og medarbeiderskap' -> 'Arbeidsmiljø'."""
    return re.split(r",| og ", label, maxsplit=1)[0].strip()


def profile_name(labels: list[str]) -> str:
    """A short Norwegian name from a profile's top areas: 'Digitalisering og innovasjon'."""
    heads = [short_area(label) for label in labels[:2]]
    if len(heads) < 2:
        return heads[0] if heads else ALL
    second = heads[1] if heads[1][:2].isupper() else heads[1][0].lower() + heads[1][1:]
    return f"{heads[0]} og {second}"


def profile_needs(m: AreaMatrix, labels: np.ndarray, k: int, confidence: float) -> pd.DataFrame:
    """profile x area: means, Borich MWDS within the profile and for all, and the profile's top areas (the
    largest MWDS above the whole group's; with one profile, the largest MWDS)."""
    overall = weighted_mwds(m, np.ones(len(m.respondent_ids)))
    rows = []
    for p in range(k):
        members = labels == p
        stats = weighted_mwds(m, members.astype(float))
        low, high = wilson(int(members.sum()), len(labels), confidence)
        part = m.areas[["area", "area_label"]].assign(
            profile=p + 1,
            n=int(members.sum()),
            share=members.mean() if len(labels) else np.nan,
            share_lo=low,
            share_hi=high,
            importance=stats["importance"],
            competence=stats["competence"],
            mwds=stats["mwds"],
            mwds_all=overall["mwds"],
        )
        part["difference"] = part["mwds"] - part["mwds_all"] if k > 1 else part["mwds"]
        order = part.sort_values(["difference", "area"], ascending=[False, True], kind="stable").index
        part.loc[order, "rank_in_profile"] = np.arange(1, len(part) + 1)
        part["top"] = part["rank_in_profile"] <= TOP_AREAS
        tops = part.loc[order, "area_label"].tolist()
        part["profile_name"] = profile_name(tops) if k > 1 else ALL
        rows.append(part)
    table = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=PROFILE_COLUMNS)
    table["rank_in_profile"] = table["rank_in_profile"].astype(int)
    return table[PROFILE_COLUMNS]


def profile_segments(
    assigned: pd.DataFrame, respondents: pd.DataFrame, segments: dict[str, str], min_cell: int
) -> pd.DataFrame:
    """profile x segment: members of the profile in each segment and their share of the profile; small
    counts suppressed (and a second cell where one could be recovered from the profile's total)."""
    placed = assigned.loc[assigned["profile"] > 0]
    by_id = respondents.set_index("respondent_id")
    rows = []
    for segment_type, column in segments.items():
        if column not in by_id:
            continue
        values = by_id[column].reindex(placed["respondent_id"]).fillna("Ukjent").astype(str).to_numpy()
        for (profile, name), part in placed.assign(segment=values).groupby(["profile", "profile_name"]):
            counts = part["segment"].value_counts()
            for segment in sorted(set(values), key=str):
                n = int(counts.get(segment, 0))
                rows.append((profile, name, segment_type, segment, n, n / len(part)))
    table = pd.DataFrame(rows, columns=SEGMENT_COLUMNS[:-1])
    if table.empty:
        return pd.DataFrame(columns=SEGMENT_COLUMNS)
    table = suppress_small_cells(  # the segments' totals are published too (the overview): both ways
        table,
        "n",
        min_cell,
        ["share"],
        group_by=["profile", "segment_type"],
        also_by=["segment_type", "segment"],
    )
    return table[SEGMENT_COLUMNS]


def need_profile_tables(
    likert: pd.DataFrame,
    respondents: pd.DataFrame,
    segments: dict[str, str],
    min_cell: int,
    confidence: float,
    seed: int,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """(need_profiles, respondent_profiles, profile_segments, diagnostics) from the long Likert answers.
    Every respondent of `respondents` is listed in respondent_profiles: placed, or with the reason not."""
    m = area_matrix(likert)
    features = need_features(m)
    fit: ProfileFit = choose_profiles(features, min_cell, seed)
    placed_ids = m.respondent_ids[features.placed]
    needs = profile_needs(m.subset(features.placed), fit.labels, fit.k, confidence)
    names = needs.drop_duplicates("profile").set_index("profile")["profile_name"]
    placed = pd.DataFrame(
        {
            "respondent_id": placed_ids,
            "profile": fit.labels + 1,
            "profile_name": names.reindex(fit.labels + 1).to_numpy(),
            "probability": fit.probability.round(6),
            "reason": "",
        }
    )
    everyone = pd.DataFrame({"respondent_id": sorted(respondents["respondent_id"].unique())})
    assigned = everyone.merge(placed, on="respondent_id", how="left")
    assigned["profile"] = assigned["profile"].fillna(0).astype(int)
    assigned["profile_name"] = assigned["profile_name"].fillna("")
    assigned["reason"] = assigned["reason"].fillna(UNPLACED)
    composition = profile_segments(assigned, respondents, segments, min_cell)
    diagnostics = {
        "chosen": fit.k,
        "placed": int(features.placed.sum()),
        "not_placed": int((assigned["profile"] == 0).sum()),
        "candidates": [
            {key: (None if isinstance(v, float) and np.isnan(v) else v) for key, v in row.items()}
            for row in fit.diagnostics.round(6).to_dict(orient="records")
        ],
    }
    return needs, assigned[RESPONDENT_COLUMNS], composition, diagnostics
