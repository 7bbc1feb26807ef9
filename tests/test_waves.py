"""Two survey waves: which items can be compared, and the change in each area's need with an interval that
finds a planted change and rarely flags one that is not there."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.needs.waves import match_items, needs_change


def codebook(areas: dict[str, str], scale: str = "1-5", labels: dict[str, str] | None = None) -> pd.DataFrame:
    rows = [{"column": "ID", "item_id": "respondent_id", "type": "respondent_id"}]
    for area, label in areas.items():
        for dim in ("importance", "competence"):
            item = f"{dim[:3]}_{area}"
            rows.append(
                {
                    "column": item,
                    "item_id": item,
                    "type": "likert",
                    "area": area,
                    "dimension": dim,
                    "scale": scale,
                    "label": (labels or {}).get(item, f"{label} ({dim})"),
                }
            )
    return pd.DataFrame(rows).fillna("")


def test_items_in_one_wave_or_changed_are_left_out_with_the_reason() -> None:
    before = codebook({"digital": "Digitalisering", "endring": "Endring", "klima": "Klima"})
    after = codebook(
        {"digital": "Digitalisering", "endring": "Endring", "ki": "Kunstig intelligens"},
        labels={"com_endring": "Hvor godt rustet er du til å lede omstilling?"},  # reworded
    )
    kept, left_out = match_items(before, after)
    assert kept == ["com_digital", "imp_digital"]
    reasons = dict(zip(left_out["item_id"], left_out["reason"], strict=True))
    assert reasons["imp_klima"] == "only in the previous wave"
    assert reasons["com_ki"] == "only in the current wave"
    assert reasons["com_endring"].startswith("changed between the waves: label")
    assert reasons["imp_endring"] == "its area's other item is not comparable"  # never half an area
    assert set(kept).isdisjoint(reasons)


def test_another_scale_is_not_compared() -> None:
    kept, left_out = match_items(codebook({"digital": "D"}, "1-5"), codebook({"digital": "D"}, "1-7"))
    assert kept == [] and left_out["reason"].str.contains("scale '1-5' -> '1-7'").all()


def wave(n: int, rng: np.random.Generator, competence_shift: dict[str, float] | None = None) -> pd.DataFrame:
    """Likert answers on ten areas, 1–5, importance around 4 and competence around 3."""
    rows = []
    for r in range(n):
        for k in range(10):
            area = f"a{k}"
            imp = np.clip(np.round(rng.normal(4.0, 0.8)), 1, 5)
            comp = np.clip(np.round(rng.normal(3.0 + (competence_shift or {}).get(area, 0.0), 0.8)), 1, 5)
            for dim, value in (("importance", imp), ("competence", comp)):
                rows.append(
                    {
                        "respondent_id": f"R{r:04d}",
                        "item_id": f"{dim[:3]}_{area}",
                        "area": area,
                        "area_label": area.upper(),
                        "dimension": dim,
                        "value": value,
                        "scale_max": 5,
                    }
                )
    return pd.DataFrame(rows)


ITEMS = [f"{d}_a{k}" for k in range(10) for d in ("imp", "com")]


def test_a_planted_change_is_found_and_its_direction_told() -> None:
    rng = np.random.default_rng(1)
    before, after = wave(250, rng), wave(250, rng, {"a3": -0.6, "a7": 0.6})  # a3 grows, a7 falls
    out = needs_change(before, after, ITEMS, resamples=400, seed=2).set_index("area")
    assert out.loc["a3", "clear"] and out.loc["a3", "mwds_change_lo"] > 0
    assert out.loc["a7", "clear"] and out.loc["a7", "mwds_change_hi"] < 0
    assert out.loc["a3", "rank_current"] == 1 and out.loc["a3", "rank_change"] > 0
    assert np.allclose(out["mwds_change"], out["mwds_current"] - out["mwds_previous"])
    assert (out["mwds_change_lo"] <= out["mwds_change_hi"]).all()


def test_waves_without_a_change_rarely_show_one() -> None:
    """A 90 % interval flags about one area in ten by chance: across null waves, far fewer than half."""
    flagged = []
    for seed in range(6):
        rng = np.random.default_rng(100 + seed)
        out = needs_change(wave(200, rng), wave(200, rng), ITEMS, resamples=300, seed=seed)
        flagged.append(out["clear"].mean())
    assert np.mean(flagged) <= 0.2
