"""Two survey waves side by side (issue 29, first part): which Likert items can be compared, and how each
leadership area's need changed between the waves.

- Items are matched by `item_id`. An item in one wave only, or one whose scale, area, dimension or wording
  changed, is listed with the reason and left out; an area is compared only when both its importance and
  its competence item are comparable. Nothing is compared silently.
- The waves are independent samples (other respondents, other survey-tool ids): each wave is resampled on
  its own, with the same number of resamples, and the difference of each resample pair gives the interval
  of the change. No attempt is made to link people across waves. Each area is resampled on its own
  (`bootstrap.area_bootstrap`): the intervals are per area, and it takes milliseconds at 100,000.

Pure functions: the codebooks and Likert tables in, tables out."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from pipeline.needs.bootstrap import area_bootstrap, ranks
from pipeline.needs.scores import area_matrix, weighted_mwds
from pipeline.privacy import suppress_small_cells

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
    "mwds_previous_lo",
    "mwds_previous_hi",
    "mwds_current",
    "mwds_current_lo",
    "mwds_current_hi",
    "mwds_change",
    "mwds_change_lo",
    "mwds_change_hi",
    "clear",
    "p_value",
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
    point = [weighted_mwds(m, np.ones(len(m.respondent_ids))) for m in waves]
    boot = [area_bootstrap(m, resamples, seed + i) for i, m in enumerate(waves)]  # each wave on its own
    change = boot[1] - boot[0]
    alpha = (1 - confidence) / 2
    with warnings.catch_warnings():  # an area no one answered in a wave has no interval: NaN, not a warning
        warnings.simplefilter("ignore", RuntimeWarning)
        lo, hi = np.nanquantile(change, alpha, axis=0), np.nanquantile(change, 1 - alpha, axis=0)
        each = [(np.nanquantile(b, alpha, axis=0), np.nanquantile(b, 1 - alpha, axis=0)) for b in boot]
    rank = [ranks(p["mwds"][None, :])[0] for p in point]
    p_value = np.minimum(1.0, 2 * np.minimum((change <= 0).mean(axis=0), (change >= 0).mean(axis=0)))
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
            "mwds_previous_lo": each[0][0],
            "mwds_previous_hi": each[0][1],
            "mwds_current": point[1]["mwds"],
            "mwds_current_lo": each[1][0],
            "mwds_current_hi": each[1][1],
            "mwds_change": point[1]["mwds"] - point[0]["mwds"],
            "mwds_change_lo": lo,
            "mwds_change_hi": hi,
            "clear": (lo > 0) | (hi < 0),
            "p_value": p_value,  # two-sided, from the same resamples
            "rank_previous": rank[0],
            "rank_current": rank[1],
            "rank_change": rank[0] - rank[1],  # positive: the need moved up
        }
    )
    return out.sort_values(["rank_current", "area"], kind="stable", ignore_index=True)[CHANGE_COLUMNS]


SEGMENT_CHANGE_COLUMNS = [
    "segment_type",
    "segment",
    "n_min",
    *CHANGE_COLUMNS,
    "interval_clear",
    "q_value",
    "suppressed",
]
SEGMENT_VALUES = [c for c in CHANGE_COLUMNS if c not in ("area", "area_label", "clear")]


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg q-values of the p-values `p` (the false discovery rate at which each is found)."""
    p = np.asarray(p, dtype=float)
    order = np.argsort(p, kind="stable")
    scaled = p[order] * len(p) / np.arange(1, len(p) + 1)
    q = np.minimum.accumulate(scaled[::-1])[::-1]
    out = np.empty_like(p)
    out[order] = np.minimum(q, 1.0)
    return out


def needs_change_by_segment(
    previous: pd.DataFrame,
    current: pd.DataFrame,
    previous_respondents: pd.DataFrame,
    current_respondents: pd.DataFrame,
    items: list[str],
    segments: dict[str, str],
    min_cell: int,
    resamples: int,
    seed: int,
    confidence: float = 0.9,
) -> pd.DataFrame:
    """`needs_change` within each segment both waves have (e.g. {'role': 'role', 'size_band': 'size_band'};
    a segment type only one wave asks about is skipped). The small-cell rule holds in both waves: a cell is
    suppressed when either wave has fewer than `min_cell` leaders who answered the area (`n_min`), and a
    second cell of the same breakdown and area when one alone could be recovered from the total. The
    respondents' rare answers should already read "Annet" (`privacy.group_rare_columns`).

    Many segments times many areas find some changes by chance: a cell's change is `clear` only when it
    holds at a false discovery rate of 1 - `confidence` over all shown cells (Benjamini–Hochberg on the
    resampling p-values); `interval_clear` says whether its own interval excludes zero."""
    rows = []
    for segment_type, column in segments.items():
        if column not in previous_respondents or column not in current_respondents:
            continue
        ids = [r.set_index("respondent_id")[column] for r in (previous_respondents, current_respondents)]
        shared = sorted(set(ids[0].dropna().astype(str)) & set(ids[1].dropna().astype(str)))
        for value in shared:
            waves = []
            for wave, by_id in zip((previous, current), ids, strict=True):
                members = set(by_id.index[by_id.astype(str) == value])
                waves.append(wave.loc[wave["respondent_id"].isin(members)])
            if min(w["respondent_id"].nunique() for w in waves) == 0:
                continue
            table = needs_change(*waves, items, resamples, seed, confidence)
            # the leaders who answered this area in the smaller of the two waves: the cell's size
            n_min = np.minimum(table["n_previous"], table["n_current"])
            rows.append(table.assign(segment_type=segment_type, segment=value, n_min=n_min))
    if not rows:
        return pd.DataFrame(columns=SEGMENT_CHANGE_COLUMNS)
    table = pd.concat(rows, ignore_index=True)
    table = suppress_small_cells(table, "n_min", min_cell, SEGMENT_VALUES, group_by=["segment_type", "area"])
    table["interval_clear"] = table["clear"] & ~table["suppressed"]
    shown = (~table["suppressed"] & table["p_value"].notna()).to_numpy()
    q = np.full(len(table), np.nan)
    q[shown] = benjamini_hochberg(table.loc[shown, "p_value"].to_numpy())
    table["q_value"] = q
    table["clear"] = shown & (np.nan_to_num(q, nan=1.0) <= 1 - confidence)
    return table[SEGMENT_CHANGE_COLUMNS]
