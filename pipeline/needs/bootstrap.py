"""Bootstrap uncertainty of MWDS and of each area's rank: respondents are resampled with replacement
(multinomial counts, so each resample is one matrix product), seeded, in chunks to bound memory."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from pipeline.needs.scores import AreaMatrix, weighted_mwds

CHUNK = 250


def resample_counts(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
    """size x n: how often each of n units is drawn in each of `size` resamples with replacement (as
    floats; no columns when n = 0)."""
    if not n:
        return np.zeros((size, 0))
    return rng.multinomial(n, np.full(n, 1.0 / n), size=size).astype(float)


def bootstrap_mwds(m: AreaMatrix, n_resamples: int, seed: int, progress: bool = False) -> np.ndarray:
    """B x K MWDS values over `n_resamples` resamples of the respondents."""
    rng = np.random.default_rng(seed)
    n = len(m.respondent_ids)
    out = np.empty((n_resamples, len(m.areas)))
    starts = range(0, n_resamples, CHUNK)
    if progress:
        from tqdm.auto import tqdm

        starts = tqdm(starts, desc="bootstrap", unit="chunk", leave=False, delay=2)
    for start in starts:
        size = min(CHUNK, n_resamples - start)
        out[start : start + size] = weighted_mwds(m, resample_counts(rng, n, size))["mwds"]
    return out


def ranks(values: np.ndarray) -> np.ndarray:
    """Rank 1 = highest, per row; missing values rank last."""
    filled = np.where(np.isnan(values), -np.inf, values)
    order = np.argsort(-filled, axis=-1, kind="stable")
    out = np.empty_like(order)
    np.put_along_axis(
        out, order, np.arange(1, values.shape[-1] + 1)[None, :].repeat(values.shape[0], 0), axis=-1
    )
    return out


def summarise(boot: np.ndarray, confidence: float, top_n: int) -> pd.DataFrame:
    """Percentile interval of MWDS and of the rank, and the probability of being in the top n."""
    alpha = (1 - confidence) / 2
    r = ranks(boot)
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an area nobody in a small segment answered: NaN
        return pd.DataFrame(
            {
                "mwds_lo": np.nanquantile(boot, alpha, axis=0),
                "mwds_hi": np.nanquantile(boot, 1 - alpha, axis=0),
                "rank_lo": np.quantile(r, alpha, axis=0, method="lower"),
                "rank_hi": np.quantile(r, 1 - alpha, axis=0, method="higher"),
                "p_top": (r <= top_n).mean(axis=0),
            }
        )


def area_bootstrap(m: AreaMatrix, n_resamples: int, seed: int) -> np.ndarray:
    """B x K MWDS, each area resampled on its own. Drawing the n respondents with replacement, for one
    area's statistic, is drawing counts of its few distinct (importance, competence) answer pairs, plus one
    cell for those who did not answer both: a multinomial over those cells has the same distribution as
    resampling the respondents, and costs the same at 250 respondents as at 100,000. What it does not keep
    is the joint draw across areas (ranks within a resample): use `bootstrap_mwds` for those."""
    rng = np.random.default_rng(seed)
    n = len(m.respondent_ids)
    out = np.full((n_resamples, len(m.areas)), np.nan)
    if not n:
        return out
    paired = m.paired
    for k in range(len(m.areas)):
        pairs = np.column_stack([m.importance[paired[:, k], k], m.competence[paired[:, k], k]])
        values, counts = np.unique(pairs, axis=0, return_counts=True)
        if not len(values):
            continue
        draws = rng.multinomial(n, np.append(counts, n - counts.sum()) / n, size=n_resamples)[:, :-1]
        answered = draws.sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean_i = draws @ values[:, 0] / answered
            mean_c = draws @ values[:, 1] / answered
        out[:, k] = (mean_i - mean_c) * mean_i
    return out
