"""Two survey waves side by side (issue 29, first part): which Likert items can be compared, and how each
leadership area's need changed between the waves.

- Items are matched by `item_id`. An item in one wave only, or one whose scale, area, dimension or wording
  changed, is listed with the reason and left out; an area is compared only when both its importance and
  its competence item are comparable. Nothing is compared silently.
- The waves are independent samples (other respondents, other survey-tool ids): each wave is resampled on
  its own, with the same number of resamples, and the difference of each resample pair gives the interval
  of the change. No attempt is made to link people across waves.

Pure functions: the codebooks and Likert tables in, tables out."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from pipeline.needs.bootstrap import ranks, resample_counts
from pipeline.needs.scores import area_matrix, weighted_mwds

COMPARED = ("area", "dimension", "scale", "label")  # what must be the same for an item to be compared
CHANGE_COLUMNS = [
    "area",
    "area_label",
    "n_previous",
    "n_current",
    "importance_previous",
    "importance_current",
    "competence_previous",
    "competence_current",
    "mwds_previous",
    "mwds_current",
    "mwds_change",
    "mwds_change_lo",
    "mwds_change_hi",
    "clear",
    "rank_previous",
    "rank_current",
    "rank_change",
]


def likert_items(book: pd.DataFrame) -> pd.DataFrame:
    """The codebook's Likert rows, one per item id, with what must match across waves."""
    rows = book.loc[book["type"] == "likert"].drop_duplicates("item_id")
    return rows.set_index("item_id")[list(COMPARED)].fillna("").astype(str)


def match_items(previous: pd.DataFrame, current: pd.DataFrame) -> tuple[list[str], pd.DataFrame]:
    """(the Likert item ids both waves share unchanged, the items left out with the reason): `previous` and
    `current` are the two codebooks (`survey.read_codebook`). An area whose importance or competence item
    is left out is left out whole, and its other item is listed too."""
    old, new = likert_items(previous), likert_items(current)
    left_out = []
    for item in sorted(set(old.index) - set(new.index)):
        left_out.append((item, old.loc[item, "area"], "only in the previous wave"))
    for item in sorted(set(new.index) - set(old.index)):
        left_out.append((item, new.loc[item, "area"], "only in the current wave"))
    for item in sorted(set(old.index) & set(new.index)):
        changed = [c for c in COMPARED if old.loc[item, c] != new.loc[item, c]]
        if changed:
            said = "; ".join(f"{c} '{old.loc[item, c]}' -> '{new.loc[item, c]}'" for c in changed)
            left_out.append((item, new.loc[item, "area"], f"changed between the waves: {said}"))
    dropped = {item for item, _, _ in left_out}
    kept = [i for i in sorted(set(old.index) & set(new.index)) if i not in dropped]
    by_area = new.loc[kept].groupby("area")["dimension"].agg(set)
    whole = {a for a, dims in by_area.items() if {"importance", "competence"} <= dims}
    for item in kept:
        if new.loc[item, "area"] not in whole:
            left_out.append((item, new.loc[item, "area"], "its area's other item is not comparable"))
    kept = [i for i in kept if new.loc[i, "area"] in whole]
    table = pd.DataFrame(left_out, columns=["item_id", "area", "reason"])
    return kept, table.sort_values(["area", "item_id"], kind="stable", ignore_index=True)


def needs_change(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    items: list[str],
    resamples: int,
    seed: int,
    confidence: float = 0.9,
) -> pd.DataFrame:
    """Per comparable area: importance, competence and Borich MWDS in each wave, the change in MWDS with a
    percentile interval from independent resamples of the two waves, whether the interval excludes zero
    (`clear`), and the rank in each wave (1 = largest need). `previous` and `current` are the waves' tidy
    Likert answers; `items` the comparable item ids (`match_items`)."""
    waves = [area_matrix(w.loc[w["item_id"].isin(items)]) for w in (previous, current)]
    areas = waves[1].areas["area"].tolist()
    if waves[0].areas["area"].tolist() != areas:
        raise ValueError("the two waves' comparable items cover different areas")
    rng = np.random.default_rng(seed)
    point = [weighted_mwds(m, np.ones(len(m.respondent_ids))) for m in waves]
    boot = [weighted_mwds(m, resample_counts(rng, len(m.respondent_ids), resamples))["mwds"] for m in waves]
    change = boot[1] - boot[0]
    alpha = (1 - confidence) / 2
    with warnings.catch_warnings():  # an area no one answered in a wave has no interval: NaN, not a warning
        warnings.simplefilter("ignore", RuntimeWarning)
        lo, hi = np.nanquantile(change, alpha, axis=0), np.nanquantile(change, 1 - alpha, axis=0)
    rank = [ranks(p["mwds"][None, :])[0] for p in point]
    out = pd.DataFrame(
        {
            "area": areas,
            "area_label": waves[1].areas["area_label"].to_numpy(),
            "n_previous": point[0]["n"].astype(int),
            "n_current": point[1]["n"].astype(int),
            "importance_previous": point[0]["importance"],
            "importance_current": point[1]["importance"],
            "competence_previous": point[0]["competence"],
            "competence_current": point[1]["competence"],
            "mwds_previous": point[0]["mwds"],
            "mwds_current": point[1]["mwds"],
            "mwds_change": point[1]["mwds"] - point[0]["mwds"],
            "mwds_change_lo": lo,
            "mwds_change_hi": hi,
            "clear": (lo > 0) | (hi < 0),
            "rank_previous": rank[0],
            "rank_current": rank[1],
            "rank_change": rank[0] - rank[1],  # positive: the need moved up
        }
    )
    return out.sort_values(["rank_current", "area"], kind="stable", ignore_index=True)[CHANGE_COLUMNS]
