"""Needs per leadership area and per segment: Borich MWDS with bootstrap intervals, IPA and Locus for
Focus quadrants, the combined priority (`score_needs`, `segment_needs`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.config import NeedsSettings
from pipeline.needs.bootstrap import bootstrap_mwds, ranks, summarise
from pipeline.needs.scores import (
    PRIORITY_NAMES,
    AreaMatrix,
    area_matrix,
    combined_priority,
    ipa_quadrants,
    locus_for_focus,
    weighted_mwds,
)
from pipeline.privacy import suppress_small_cells

NEEDS_COLUMNS = [
    "area",
    "area_label",
    "n",
    "scale_max",
    "importance",
    "competence",
    "discrepancy",
    "mwds",
    "mwds_lo",
    "mwds_hi",
    "rank",
    "rank_lo",
    "rank_hi",
    "p_top",
    "ipa_quadrant",
    "lff_quadrant",
    "lff_focus",
    "priority",
    "priority_label",
]
SEGMENT_COLUMNS = [
    "segment_type",
    "segment",
    "area",
    "area_label",
    "n",
    "importance",
    "competence",
    "mwds",
    "mwds_lo",
    "mwds_hi",
    "suppressed",
]


def point_estimates(m: AreaMatrix) -> pd.DataFrame:
    stats = weighted_mwds(m, np.ones(len(m.respondent_ids)))
    return m.areas.assign(**{k: v for k, v in stats.items()}).assign(n=lambda d: d["n"].astype(int))


def ipa_centre(table: pd.DataFrame, quadrant_centre: str) -> tuple[float, float] | None:
    """(importance, competence) of the IPA crosshairs: the scale midpoint, or None for the areas' means."""
    if quadrant_centre != "midpoint":
        return None
    mid = (float(table["scale_max"].max()) + 1) / 2
    return (mid, mid)


def score_needs(
    likert: pd.DataFrame, settings: NeedsSettings | None = None, progress: bool = False
) -> pd.DataFrame:
    """One row per area: means, Borich MWDS with its bootstrap interval, rank with its interval, P(top n),
    IPA and Locus-for-Focus quadrants and the combined priority; sorted by MWDS (ties by area id)."""
    settings = settings or NeedsSettings()
    m = area_matrix(likert)
    out = point_estimates(m)
    boot = bootstrap_mwds(m, settings.bootstrap, settings.seed, progress=progress)
    out = pd.concat([out, summarise(boot, settings.confidence, settings.top_n)], axis=1)
    out["rank"] = ranks(out["mwds"].to_numpy()[None, :])[0]
    out["ipa_quadrant"] = ipa_quadrants(
        out["importance"], out["competence"], ipa_centre(out, settings.quadrant_centre)
    )
    out["lff_quadrant"], out["lff_focus"] = locus_for_focus(out["importance"], out["discrepancy"])
    out["priority"] = combined_priority(out["lff_focus"].to_numpy(), out["rank"].to_numpy(), settings.top_n)
    out["priority_label"] = out["priority"].map(PRIORITY_NAMES)
    return out.sort_values(["rank", "area"], kind="stable", ignore_index=True)[NEEDS_COLUMNS]


def segment_needs(
    likert: pd.DataFrame,
    respondents: pd.DataFrame,
    segments: dict[str, str],
    settings: NeedsSettings,
    min_cell: int,
) -> pd.DataFrame:
    """MWDS per area within each segment (e.g. {'role': 'role', 'size_band': 'size_band'}), with bootstrap
    intervals, through the small-cell helper: segments with fewer than `min_cell` respondents are suppressed,
    and a second one when a single suppressed cell could be recovered from the total."""
    m = area_matrix(likert)
    by_id = respondents.set_index("respondent_id")
    rows = []
    for segment_type, column in segments.items():
        if column not in by_id:
            continue
        values = by_id[column].reindex(m.respondent_ids)
        for value in sorted(values.dropna().unique(), key=str):
            mask = (values == value).to_numpy()
            sub = m.subset(mask)
            point = point_estimates(sub)
            boot = bootstrap_mwds(sub, settings.bootstrap, settings.seed)
            interval = summarise(boot, settings.confidence, settings.top_n)
            rows.append(
                point.assign(
                    segment_type=segment_type,
                    segment=str(value),
                    n=int(mask.sum()),
                    mwds_lo=interval["mwds_lo"],
                    mwds_hi=interval["mwds_hi"],
                )
            )
    if not rows:
        return pd.DataFrame(columns=SEGMENT_COLUMNS)
    table = pd.concat(rows, ignore_index=True)
    table = suppress_small_cells(
        table,
        "n",
        min_cell,
        ["importance", "competence", "mwds", "mwds_lo", "mwds_hi"],
        group_by=["segment_type", "area"],
    )
    return table[SEGMENT_COLUMNS]
