from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

from pipeline.needs import need_profile_tables
from pipeline.needs.profile_tables import profile_name, short_area, wilson
from pipeline.needs.profile_text import benjamini_hochberg
from pipeline.needs.profiles import UNPLACED, choose_profiles, need_features
from pipeline.needs.scores import AreaMatrix, area_matrix

AREAS = [f"a{i:02d}" for i in range(10)]


def matrix(importance: np.ndarray, competence: np.ndarray) -> AreaMatrix:
    areas = pd.DataFrame({"area": AREAS[: importance.shape[1]], "area_label": "x", "scale_max": 5})
    return AreaMatrix(areas, np.array([f"R{i:04d}" for i in range(len(importance))]), importance, competence)


def answers(latent: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.clip(np.rint(latent + rng.normal(0, 0.6, latent.shape)), 1, 5).astype(float)


def planted(n: int, k: int, seed: int, shift: float = 1.2) -> tuple[AreaMatrix, np.ndarray]:
    """n respondents in k groups; group g rates areas 2g and 2g+1 more important and itself less competent
    there; every respondent also has a general tendency to answer high or low."""
    rng = np.random.default_rng(seed)
    groups = rng.integers(0, k, size=n)
    tendency = rng.normal(0, 0.6, size=(n, 1))
    imp = np.full((n, len(AREAS)), 3.6) + tendency
    comp = np.full((n, len(AREAS)), 3.2) + tendency
    for g in range(k):
        imp[groups == g, 2 * g : 2 * g + 2] += shift
        comp[groups == g, 2 * g : 2 * g + 2] -= shift
    return matrix(answers(imp, rng), answers(comp, rng)), groups


def test_a_general_tendency_is_not_a_profile() -> None:
    base = np.array([[4, 3, 5, 2, 4, 3, 4, 5, 3, 4]], dtype=float)
    comp = np.array([[3, 3, 2, 2, 4, 3, 3, 2, 3, 3]], dtype=float)
    shifted = matrix(np.vstack([base, base - 1, np.full((1, 10), 5.0)]), np.vstack([comp, comp - 1, comp]))
    raw = need_features(shifted, min_areas=3)
    # before standardisation: the same answers one step lower give the same features; all-5 gives none
    span = 4.0
    imp = shifted.importance / span
    centred = imp - imp.mean(axis=1, keepdims=True)
    assert np.allclose(centred[0], centred[1])
    assert np.allclose(centred[2], 0)
    assert np.allclose(raw.values[0], raw.values[1])


def test_missing_answers_keep_the_respondent_and_too_few_are_listed() -> None:
    m, _groups = planted(60, 1, seed=3)
    imp, comp = m.importance.copy(), m.competence.copy()
    imp[0, :4] = np.nan  # 'Vet ikke' and blanks on four areas: still placed
    comp[1, :] = np.nan  # stopped after the importance battery: still placed
    imp[2, 2:] = np.nan  # two areas answered: too few
    features = need_features(matrix(imp, comp))
    assert features.placed[0] and features.placed[1] and not features.placed[2]
    assert not np.isnan(features.values).any()
    assert len(features.values) == 59


def test_structureless_answers_give_one_profile() -> None:
    rng = np.random.default_rng(11)
    n = 250
    imp = rng.integers(1, 6, size=(n, 10)).astype(float)
    comp = rng.integers(1, 6, size=(n, 10)).astype(float)
    fit = choose_profiles(need_features(matrix(imp, comp)), min_cell=5, seed=1)
    assert fit.k == 1
    assert (fit.labels == 0).all()
    assert fit.diagnostics.loc[fit.diagnostics["k"] > 1, "candidate"].eq(False).all()


def test_planted_profiles_are_recovered_and_the_run_is_deterministic() -> None:
    m, groups = planted(300, 3, seed=5)
    first = choose_profiles(need_features(m), min_cell=5, seed=2021)
    second = choose_profiles(need_features(m), min_cell=5, seed=2021)
    assert first.k == 3
    assert adjusted_rand_score(groups, first.labels) >= 0.9
    assert np.array_equal(first.labels, second.labels)
    assert np.array_equal(first.probability, second.probability)
    sizes = np.bincount(first.labels)
    assert (np.diff(sizes) <= 0).all()  # profile 1 is the largest


def test_a_profile_smaller_than_the_threshold_is_refused() -> None:
    m, _ = planted(200, 1, seed=8)
    imp, comp = m.importance.copy(), m.competence.copy()
    imp[:4, 8:] = 5  # four leaders with a distinct need: fewer than min_cell
    comp[:4, 8:] = 1
    fit = choose_profiles(need_features(matrix(imp, comp)), min_cell=5, seed=2021)
    chosen = fit.diagnostics.loc[fit.diagnostics["chosen"]].iloc[0]
    assert chosen["smallest"] >= 5 or fit.k == 1
    small = fit.diagnostics.loc[fit.diagnostics["smallest"] < 5]
    assert not small["candidate"].any()


def test_tables_list_every_respondent_and_hide_small_counts() -> None:
    m, groups = planted(240, 2, seed=9)
    rows = []
    for i, rid in enumerate(m.respondent_ids):
        for j, area in enumerate(AREAS):
            for dim, values in (("importance", m.importance), ("competence", m.competence)):
                rows.append((rid, area, f"Område {j}", dim, values[i, j], 5))
    likert = pd.DataFrame(
        rows, columns=["respondent_id", "area", "area_label", "dimension", "value", "scale_max"]
    )
    roles = np.where(
        np.arange(240) < 3, "Sjelden rolle", np.where(groups == 0, "Enhetsleder", "Kommunalsjef")
    )
    respondents = pd.DataFrame(
        {"respondent_id": [*m.respondent_ids, "R9999"], "role": [*roles, "Enhetsleder"]}
    )
    needs, assigned, composition, diagnostics = need_profile_tables(
        likert, respondents, {"role": "role"}, min_cell=5, confidence=0.9, seed=2021
    )
    assert diagnostics["chosen"] == 2
    assert len(assigned) == 241  # the one without Likert answers is listed, with the reason
    assert assigned.set_index("respondent_id").loc["R9999", "reason"] == UNPLACED
    assert set(needs.groupby("profile")["top"].sum()) == {3}
    rare = composition.loc[composition["segment"] == "Sjelden rolle"]
    assert rare["suppressed"].all() and rare["share"].isna().all()
    assert (needs["share_lo"] <= needs["share"]).all() and (needs["share"] <= needs["share_hi"]).all()
    assert area_matrix(likert).importance.shape == (240, 10)


def test_names_and_intervals() -> None:
    assert short_area("Arbeidsmiljø, nærvær og medarbeiderskap") == "Arbeidsmiljø"
    assert profile_name(["Digitalisering og ny teknologi", "Innovasjon og tjenesteutvikling"]) == (
        "Digitalisering og innovasjon"
    )
    low, high = wilson(30, 100, 0.9)
    assert 0.2 < low < 0.3 < high < 0.4


def test_false_discovery_rate_by_hand() -> None:
    # p = 0.01, 0.04, 0.03, 0.5 -> sorted 0.01, 0.03, 0.04, 0.5; q = min over later of p * 4 / rank
    q = benjamini_hochberg(np.array([0.01, 0.04, 0.03, 0.5]))
    assert np.allclose(q, [0.04, 0.04 * 4 / 3, 0.04 * 4 / 3, 0.5])
    assert benjamini_hochberg(np.array([])).size == 0
