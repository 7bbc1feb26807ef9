"""Need profiles: kinds of leaders with different needs, clustered from the Likert battery.

Features per respondent and area: importance, and the gap between importance and competence (the two parts of
the Borich score), each on a 0–1 scale. Each respondent's own mean over the areas is subtracted from both (a
leader who rates everything 5, or rates their own competence low everywhere, is a tendency, not a profile);
an area the respondent left blank or answered "Vet ikke" takes the respondent's own mean, i.e. no deviation,
so nobody is dropped for a missing answer. A respondent who answered fewer than `MIN_AREAS` areas cannot be
placed and is listed with the reason.

Model: Gaussian mixtures (diagonal covariances, scikit-learn) for 1..k_max profiles on the standardised
features, compared by ICL (BIC plus the entropy of the memberships: it counts groups, where BIC counts mixture
components and keeps adding them as the survey grows). A number of profiles k > 1 is a candidate only when
- its ICL is lower than one profile's, by more than the largest gain on `null_runs` copies of the data with
  every column shuffled on its own (profiles destroyed, marginals kept): discrete Likert answers let a mixture
  win even where there are no groups, and the shuffles measure how much;
- it is stable: refitted on bootstrap resamples, the profiles agree with the full fit (mean adjusted Rand
  index >= `min_stability`);
- its smallest profile has at least `min_cell` respondents (the privacy threshold).
The most stable candidate is chosen (stability-based validation, Lange et al. 2004: a number of profiles that
the data support is the one that comes back when the data are redrawn), ties to the lowest ICL; with no
candidate the answer is one profile ("no distinct profiles" is a finding). Large surveys are fitted on a
seeded subsample of `max_fit` respondents, and every respondent is then placed with its probability.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture

from pipeline.needs.scores import AreaMatrix

MIN_AREAS = 3  # areas a respondent must have rated to be placed in a profile
K_MAX = 6
NULL_RUNS = 5
BOOTSTRAP_RUNS = 10
MIN_STABILITY = 0.6
MAX_FIT = 4000
N_INIT = 2
UNPLACED = "for få svar på lederområdene"


@dataclass(frozen=True)
class ProfileFeatures:
    """Standardised need features of the respondents who can be placed."""

    respondent_ids: np.ndarray  # all respondents, in the matrix's order
    placed: np.ndarray  # bool per respondent
    values: np.ndarray  # placed respondents x (importance areas, gap areas), standardised
    n_areas: int


def need_features(m: AreaMatrix, min_areas: int = MIN_AREAS) -> ProfileFeatures:
    """Importance and importance-minus-competence per area on 0–1, each respondent's own mean removed,
    missing answers at the respondent's mean, columns standardised."""
    span = (m.areas["scale_max"].to_numpy(dtype=float) - 1)[None, :]
    importance = (m.importance - 1) / span
    gap = (m.importance - m.competence) / span
    placed = (~np.isnan(importance)).sum(axis=1) >= min_areas
    parts = []
    for values in (importance[placed], gap[placed]):
        answered = ~np.isnan(values)
        count = answered.sum(axis=1, keepdims=True)
        own = np.divide(
            np.where(answered, values, 0).sum(axis=1, keepdims=True),
            count,
            out=np.zeros((len(values), 1)),
            where=count > 0,
        )
        parts.append(np.where(answered, values - own, 0.0))
    features = np.hstack(parts)
    if len(features):
        sd = features.std(axis=0)
        features = (features - features.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    return ProfileFeatures(m.respondent_ids, placed, features, m.importance.shape[1])


def _fit(values: np.ndarray, k: int, seed: int) -> GaussianMixture:
    return GaussianMixture(
        k, covariance_type="diag", n_init=N_INIT, random_state=seed, reg_covar=1e-3, max_iter=200
    ).fit(values)


def icl(model: GaussianMixture, values: np.ndarray) -> float:
    """Integrated completed likelihood (Biernacki, Celeux and Govaert 2000): BIC plus twice the entropy of
    the memberships. Unlike BIC it counts groups, not mixture components: a profile whose answers are not
    Gaussian is not split in two, and profiles that overlap cost what their uncertainty costs."""
    proba = model.predict_proba(values)
    entropy = -float(np.sum(proba * np.log(np.clip(proba, 1e-300, 1.0))))
    return float(model.bic(values)) + 2.0 * entropy


def _shuffled(values: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.column_stack([rng.permutation(values[:, j]) for j in range(values.shape[1])])


def _canonical(labels: np.ndarray, k: int) -> np.ndarray:
    """Relabel profiles by size, largest first (ties by first member), so ids do not depend on the fit."""
    sizes = np.bincount(labels, minlength=k)
    first = np.array([np.argmax(labels == c) if sizes[c] else len(labels) for c in range(k)])
    order = np.lexsort((first, -sizes))
    new = np.empty(k, dtype=int)
    new[order] = np.arange(k)
    return new[labels]


@dataclass(frozen=True)
class ProfileFit:
    labels: np.ndarray  # profile index per placed respondent (0 = largest)
    probability: np.ndarray  # the probability of that profile per placed respondent
    diagnostics: pd.DataFrame  # one row per candidate k
    k: int


def choose_profiles(
    features: ProfileFeatures,
    min_cell: int,
    seed: int = 2021,
    k_max: int = K_MAX,
    null_runs: int = NULL_RUNS,
    bootstrap_runs: int = BOOTSTRAP_RUNS,
    min_stability: float = MIN_STABILITY,
    max_fit: int = MAX_FIT,
) -> ProfileFit:
    """Fit 1..k_max profiles, choose by the measured criteria of the module docstring, place everyone."""
    values = features.values
    n = len(values)
    if n < 2 * max(min_cell, 2):  # too few to split into two profiles of at least min_cell each
        diagnostics = pd.DataFrame(
            [
                {
                    "k": 1,
                    "icl": float("nan"),
                    "bic": float("nan"),
                    "icl_gain": 0.0,
                    "null_gain": 0.0,
                    "stability": 1.0,
                    "smallest": n,
                    "candidate": True,
                    "reason": f"for få respondenter til to profiler med minst {min_cell} personer",
                    "chosen": True,
                }
            ]
        )
        return ProfileFit(np.zeros(n, dtype=int), np.ones(n), diagnostics, 1)
    rng = np.random.default_rng(seed)
    fit_rows = np.sort(rng.choice(n, size=max_fit, replace=False)) if n > max_fit else np.arange(n)
    fitted = values[fit_rows]
    k_max = max(1, min(k_max, len(fitted) // max(min_cell, 2)))
    models = {k: _fit(fitted, k, seed) for k in range(1, k_max + 1)}
    score = {k: icl(models[k], fitted) for k in models}
    null_gain = {k: -np.inf for k in models}
    for run in range(null_runs if k_max > 1 else 0):
        shuffled = _shuffled(fitted, np.random.default_rng([seed, run]))
        base = icl(_fit(shuffled, 1, seed), shuffled)
        for k in range(2, k_max + 1):
            null_gain[k] = max(null_gain[k], base - icl(_fit(shuffled, k, seed), shuffled))
    rows = []
    for k, model in models.items():
        labels = model.predict(values)
        smallest = int(np.bincount(labels, minlength=k).min())
        stability = 1.0
        if k > 1:
            scores = []
            for run in range(bootstrap_runs):
                pick = np.random.default_rng([seed, 1000 + run]).choice(len(fitted), len(fitted))
                scores.append(adjusted_rand_score(labels, _fit(fitted[pick], k, seed).predict(values)))
            stability = float(np.mean(scores))
        gain = score[1] - score[k]
        reasons = []
        if k > 1 and gain <= 0:
            reasons.append("modellen er ikke bedre enn med én profil (ICL)")
        elif k > 1 and gain <= null_gain[k]:
            reasons.append("gevinsten er ikke større enn i stokkede data")
        if stability < min_stability:
            reasons.append("ustabil ved gjentatte trekk")
        if smallest < min_cell:
            reasons.append(f"minste profil har under {min_cell} personer")
        rows.append(
            {
                "k": k,
                "icl": float(score[k]),
                "bic": float(models[k].bic(fitted)),
                "icl_gain": float(gain),
                "null_gain": float(null_gain[k]) if k > 1 else 0.0,
                "stability": stability,
                "smallest": smallest,
                "candidate": not reasons,
                "reason": "; ".join(reasons),
            }
        )
    diagnostics = pd.DataFrame(rows)
    candidates = diagnostics[diagnostics["candidate"] & (diagnostics["k"] > 1)]
    # the most stable candidate (stability-based choice of k; Lange et al. 2004), then the lowest ICL
    ranked = candidates.assign(_stable=candidates["stability"].round(2)).sort_values(
        ["_stable", "icl", "k"], ascending=[False, True, True]
    )
    k = int(ranked.iloc[0]["k"]) if len(ranked) else 1
    diagnostics["chosen"] = diagnostics["k"] == k
    proba = models[k].predict_proba(values)
    raw = proba.argmax(axis=1)
    labels = _canonical(raw, k)
    return ProfileFit(labels, proba[np.arange(n), raw], diagnostics, k)
