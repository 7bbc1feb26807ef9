"""Needs analysis measured: ranking accuracy on the sample, coverage of the bootstrap intervals on simulated
surveys with known parameters, and the time of the bootstrap."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import kendalltau

from pipeline.config import NeedsSettings, load_programme
from pipeline.needs import bootstrap_mwds, score_needs
from pipeline.needs.scores import AreaMatrix
from pipeline.sample import survey_export as S
from pipeline.survey import read_codebook, read_export, tidy_survey


def sample_accuracy(config: Path, truth_dir: Path) -> str:
    programme = load_programme(config)
    inputs = programme.inputs
    book = read_codebook(inputs.codebook)
    id_column = book.loc[book["type"] == "respondent_id", "column"].iloc[0]
    export = read_export(inputs.survey, inputs.survey_sheet, id_column)
    likert = tidy_survey(export, book, inputs.survey).likert
    needs = score_needs(likert, programme.needs).set_index("area")
    planted = pd.read_csv(truth_dir / "population_needs.csv").set_index("area")
    areas = planted.index
    tau = kendalltau(planted.loc[areas, "rank"], needs.loc[areas, "rank"]).statistic
    top = planted.index[planted["rank"] <= 3]
    in_top = [a for a in top if needs.loc[a, "rank_hi"] <= 3]
    sure = [a for a in top if needs.loc[a, "p_top"] >= 0.9]
    return (
        f"Sample ({likert['respondent_id'].nunique()} respondents, {len(areas)} areas): Kendall's tau "
        f"between the computed and the planted MWDS ranking = {tau:.3f}; planted top 3 = {', '.join(top)}; "
        f"{len(in_top)} of 3 have a 90 % rank interval inside the top 3, {len(sure)} of 3 have "
        "P(top 3) >= 0.9."
    )


def coverage(
    n_surveys: int = 200,
    n_respondents: int = 250,
    resamples: int = 2000,
    confidence: float = 0.9,
    seed: int = 11,
) -> str:
    """Surveys drawn from the sample's planted parameters: how often does the interval hold the population
    MWDS?"""
    _means, population = S.population_needs()
    truth = population.set_index("area")["mwds"]
    rng = np.random.default_rng(seed)
    hits, widths = [], []
    for s in range(n_surveys):
        respondents = S.draw_respondents(rng, n_respondents)
        codes = S.draw_likert(rng, respondents)
        rows = []
        for (area, dim), values in codes.items():
            v = values.astype(float)
            v[values <= 0] = np.nan
            rows.append(
                pd.DataFrame(
                    {
                        "respondent_id": respondents["respondent_id"].astype(str),
                        "area": area,
                        "dimension": dim,
                        "value": v,
                        "area_label": area,
                        "scale_max": 5,
                    }
                )
            )
        settings = NeedsSettings(bootstrap=resamples, confidence=confidence, seed=seed + s)
        needs = score_needs(pd.concat(rows, ignore_index=True), settings).set_index("area")
        t = truth.loc[needs.index]
        hits.append(((needs["mwds_lo"] <= t) & (t <= needs["mwds_hi"])).to_numpy())
        widths.append((needs["mwds_hi"] - needs["mwds_lo"]).to_numpy())
    hits, widths = np.array(hits), np.array(widths)
    per_area = hits.mean(axis=0)
    return (
        f"Coverage of the {confidence:.0%} percentile intervals over {n_surveys} simulated surveys of "
        f"{n_respondents} respondents ({resamples} resamples each): {hits.mean():.1%} over all areas "
        f"(per area {per_area.min():.1%}–{per_area.max():.1%}); mean interval width {widths.mean():.2f}."
    )


def bootstrap_time(
    n_respondents: int = 250, n_areas: int = 14, resamples: int = 2000, repeat: int = 5
) -> str:
    rng = np.random.default_rng(0)
    imp = rng.integers(1, 6, size=(n_respondents, n_areas)).astype(float)
    comp = rng.integers(1, 6, size=(n_respondents, n_areas)).astype(float)
    imp[rng.uniform(size=imp.shape) < 0.03] = np.nan
    m = AreaMatrix(
        pd.DataFrame({"area": [f"a{i}" for i in range(n_areas)]}), np.arange(n_respondents), imp, comp
    )
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        bootstrap_mwds(m, resamples, seed=1)
        times.append(time.perf_counter() - t)
    return (
        f"Bootstrap time, {resamples} resamples on {n_respondents} respondents x {n_areas} areas: "
        f"median {np.median(times) * 1000:.0f} ms ({repeat} runs)."
    )


def run(config: Path, truth_dir: Path) -> str:
    parts = [bootstrap_time()]
    if truth_dir.is_dir():
        parts.insert(0, sample_accuracy(config, truth_dir))
    parts.append(coverage())
    return "\n\n".join(parts)
