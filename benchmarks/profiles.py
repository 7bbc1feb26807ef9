"""Need profiles measured: on the sample (three planted profiles that overlap with roles, ground truth in
respondents.csv) the number chosen and the adjusted Rand index of the recovered profiles, beside plain
baselines run on the same answers; a null check (the same survey with every Likert column shuffled on its
own across respondents: profiles destroyed, marginals kept) that must give one profile; and the time for
100,000 respondents x 13 areas."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score
from sklearn.mixture import GaussianMixture

from benchmarks.child import run_in_child
from pipeline.config import load_programme
from pipeline.needs.profiles import choose_profiles, need_features
from pipeline.needs.scores import AreaMatrix, area_matrix
from pipeline.survey import read_codebook, read_export, tidy_survey

NULL_SHUFFLES = 10


def sample_likert(config: Path) -> pd.DataFrame:
    """The sample's Likert answers keyed by the survey tool's ids (as the ground truth is)."""
    programme = load_programme(config)
    inputs = programme.inputs
    book = read_codebook(inputs.codebook)
    id_column = book.loc[book["type"] == "respondent_id", "column"].iloc[0]
    export = read_export(inputs.survey, inputs.survey_sheet, id_column)
    return tidy_survey(export, book, inputs.survey).likert


def raw_answers(m: AreaMatrix) -> np.ndarray:
    """Importance and competence side by side, a missing answer at the item's mean: the plain input."""
    raw = np.hstack([m.importance, m.competence])
    return np.where(np.isnan(raw), np.nanmean(raw, axis=0), raw)


def shuffled(m: AreaMatrix, seed: int) -> AreaMatrix:
    """Every Likert item permuted on its own across respondents."""
    rng = np.random.default_rng(seed)
    imp = np.column_stack([rng.permutation(c) for c in m.importance.T])
    comp = np.column_stack([rng.permutation(c) for c in m.competence.T])
    return AreaMatrix(m.areas, m.respondent_ids, imp, comp)


def sample_benchmark(config: Path, truth_dir: Path) -> str:
    likert = sample_likert(config)
    m = area_matrix(likert)
    truth = pd.read_csv(truth_dir / "respondents.csv", dtype=str).set_index("respondent_id")
    planted = truth["profile"].reindex([str(r) for r in m.respondent_ids]).to_numpy()
    roles = truth["role"].reindex([str(r) for r in m.respondent_ids]).to_numpy()
    k_true = len(set(planted))
    features = need_features(m)
    fit = choose_profiles(features, min_cell=5)
    placed = features.placed
    raw = raw_answers(m)[placed]
    rows = [
        ("ours: Gaussian mixture, tendency removed, k chosen", fit.k, fit.labels),
        (
            f"ours with k = {k_true} given",
            k_true,
            GaussianMixture(k_true, covariance_type="diag", n_init=2, random_state=2021)
            .fit(features.values)
            .predict(features.values),
        ),
        (
            f"baseline: k-means on the raw answers, k = {k_true}",
            k_true,
            KMeans(k_true, n_init=10, random_state=2021).fit_predict(raw),
        ),
        (
            f"baseline: Gaussian mixture on the raw answers, k = {k_true}",
            k_true,
            GaussianMixture(k_true, covariance_type="diag", n_init=2, random_state=2021)
            .fit(raw)
            .predict(raw),
        ),
        ("baseline: the respondent's role as the profile", len(set(roles)), roles[placed]),
    ]
    lines = [
        f"Sample: {len(m.respondent_ids)} respondents ({placed.sum()} placed), {len(m.areas)} areas, "
        f"{k_true} planted profiles; the role alone has ARI {adjusted_rand_score(planted, roles):.3f} "
        "against them.",
        "",
        "| method | profiles | ARI against the planted profiles |",
        "|---|---:|---:|",
    ]
    for method, k, labels in rows:
        lines.append(f"| {method} | {k} | {adjusted_rand_score(planted[placed], labels):.3f} |")
    diagnostics = fit.diagnostics.round(3)
    lines += [
        "",
        "Candidates on the sample:",
        "",
        "| k | ICL gain over one profile | largest gain on shuffled data | bootstrap stability (ARI) | "
        "smallest | candidate | chosen |",
        "|---:|---:|---:|---:|---:|---|---|",
        *[
            f"| {r.k} | {r.icl_gain:.1f} | {r.null_gain:.1f} | {r.stability:.3f} | {r.smallest} | "
            f"{'yes' if r.candidate else 'no: ' + r.reason} | {'yes' if r.chosen else ''} |"
            for r in diagnostics.itertuples()
        ],
    ]
    chosen = []
    for s in range(NULL_SHUFFLES):
        chosen.append(choose_profiles(need_features(shuffled(m, 100 + s)), min_cell=5).k)
    ones = sum(k == 1 for k in chosen)
    lines += [
        "",
        f"Null check: {NULL_SHUFFLES} copies of the sample with every Likert item shuffled on its own across "
        f"respondents. One profile chosen in {ones} of {NULL_SHUFFLES} (numbers chosen: "
        f"{', '.join(map(str, chosen))}).",
    ]
    return "\n".join(lines)


# which catalogue topic each planted profile's free-text themes belong to (THEMES.md and the catalogue)
PLANTED_TOPICS = {
    "belastet": ("restitusjon",),
    "bygger": ("digital_transformasjon", "klimaomstilling"),
    "leder_av_ledere": ("politikk_administrasjon", "regionalt_samarbeid"),
}


def free_text_benchmark(config: Path, truth_dir: Path) -> str:
    """The sample's answers about a profile's themes go mostly to its members (`P.PROFILE_THEMES`): the
    catalogue topics the pipeline finds a profile raising clearly more than others, against those planted."""
    import tempfile
    from dataclasses import replace

    from pipeline.stages import STAGES
    from pipeline.store import Store

    programme = load_programme(config)
    programme = replace(programme, privacy=replace(programme.privacy, write_mapping=True))
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        for stage in ("ingest", "needs", "themes", "rank"):
            STAGES[stage](programme, store)
        evidence = store.read("profile_topics")
        assigned = store.read("respondent_profiles")
        ids = pd.read_csv(store.private / "respondent_ids.csv", dtype=str)
    truth = pd.read_csv(truth_dir / "respondents.csv", dtype=str).set_index("respondent_id")["profile"]
    survey_id = dict(zip(ids["project_id"], ids["survey_id"], strict=True))
    assigned = assigned.assign(planted=assigned["respondent_id"].map(survey_id).map(truth))
    # each recovered profile stands for the planted profile most of its members have
    majority = (
        assigned.loc[assigned["profile"] > 0].groupby("profile")["planted"].agg(lambda v: v.mode().iloc[0])
    )
    found = evidence.loc[(evidence["kind"] == "topic") & evidence["clear"]]
    pairs = {(majority[p], t) for p, t in zip(found["profile"], found["item_id"], strict=True)}
    planted = {(p, t) for p, topics in PLANTED_TOPICS.items() for t in topics}
    hits = pairs & planted
    tested = evidence.loc[evidence["kind"] == "topic"]
    return (
        f"Free text by profile: {len(tested)} profile x catalogue-topic comparisons, {len(found)} clear "
        f"(Fisher's exact test, Benjamini-Hochberg FDR 10 %). Planted pairs found: {len(hits)} of "
        f"{len(planted)} ({', '.join(sorted(f'{p}: {t}' for p, t in hits))}); clear pairs not planted: "
        f"{len(pairs - planted)} ({', '.join(sorted(f'{p}: {t}' for p, t in pairs - planted)) or 'none'}). "
        "The bootstrap intervals alone (90 %, without the correction) clear 1 for "
        f"{int((~tested['suppressed'] & (tested['lift_lo'] > 1)).sum())} comparisons."
    )


def scale_once(n: int | str) -> dict[str, float]:
    """n respondents x 13 areas from the sample's planted parameters through the profile model (run in a
    child process for its own peak memory)."""
    import resource

    from pipeline.sample import parameters as P
    from pipeline.sample import survey_export as S

    n = int(n)
    rng = np.random.default_rng(7)
    codes = S.draw_likert(rng, S.draw_respondents(rng, n))
    areas = [a[0] for a in P.AREAS]

    def dimension(dim: str) -> np.ndarray:
        values = np.column_stack([codes[(a, dim)] for a in areas]).astype(float)
        return np.where(values > 0, values, np.nan)

    m = AreaMatrix(
        pd.DataFrame({"area": areas, "area_label": areas, "scale_max": 5}),
        np.arange(n),
        dimension("importance"),
        dimension("competence"),
    )
    started = time.perf_counter()
    fit = choose_profiles(need_features(m), min_cell=5)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "k": fit.k, "peak_mb": peak}


def scale_benchmark(sizes: tuple[int, ...] = (1_000, 10_000, 100_000)) -> str:
    lines = [
        "Scale (respondents drawn from the sample's planted parameters, 13 areas, features and model choice; "
        "one process each):",
        "",
        "| respondents | seconds | profiles | peak MB |",
        "|---:|---:|---:|---:|",
    ]
    for n in sizes:
        r = run_in_child("benchmarks.profiles", "scale_once", str(n))
        lines.append(f"| {n:,} | {r['seconds']:.1f} | {r['k']} | {r['peak_mb']:.0f} |")
    return "\n".join(lines)


def run(config: Path, truth_dir: Path) -> str:
    return "\n\n".join(
        [sample_benchmark(config, truth_dir), free_text_benchmark(config, truth_dir), scale_benchmark()]
    )
