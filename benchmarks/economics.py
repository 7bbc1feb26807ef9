"""The economics stage measured on the sample: 2,000 resamples x 50 fees, the vectorised simulation beside a
plain per-fee loop (the obvious way to write it), and the whole stage's computation (3 and 4 gatherings plus
the uptake sensitivity)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import numpy as np

from pipeline import economics as E
from pipeline.config import load_programme
from pipeline.stages import run_stage
from pipeline.store import Store


def per_fee_loop(settings, shares, weights, fees, n_sessions, rng) -> np.ndarray:
    """Baseline: the same model, one fee at a time."""
    fixed, variable = E.fixed_and_variable(settings, n_sessions)
    p_loss = []
    for k, fee in enumerate(fees):
        willing = shares @ weights[:, k]
        take = rng.uniform(settings.uptake_low, settings.uptake_high, size=len(willing))
        signed = rng.binomial(settings.eligible, np.clip(take * willing, 0, 1))
        if settings.capacity is not None:
            signed = np.minimum(signed, settings.capacity)
        p_loss.append(float(((fee - variable) * signed - fixed < 0).mean()))
    return np.array(p_loss)


def best_of(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def run(config) -> str:
    programme = load_programme(config)
    settings = programme.economics
    if settings is None:
        return "The programme file has no [economics]: nothing measured."
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        run_stage("ingest", programme, store)
        answers = store.read("respondents")[programme.needs.wtp_item]
    given = answers.dropna().astype(str)
    bands = E.reach(E.parse_bands(sorted(set(given))), settings.open_band_factor)
    fees = np.array(settings.fees)
    counts = given.value_counts().reindex([b.label for b in bands]).fillna(0).to_numpy()
    shares = E.resample_shares(counts, settings.resamples, np.random.default_rng(1))
    weights = E.survival_weights(bands, fees)
    n = programme.sessions.count
    vectorised = best_of(lambda: E.simulate(settings, shares, weights, fees, n, np.random.default_rng(1)))
    loop = best_of(lambda: per_fee_loop(settings, shares, weights, fees, n, np.random.default_rng(1)))
    whole = best_of(lambda: E.economics_tables(settings, answers, n), repeat=3)
    table = E.simulate(settings, shares, weights, fees, n, np.random.default_rng(1))
    baseline = per_fee_loop(settings, shares, weights, fees, n, np.random.default_rng(2))
    agree = float(np.abs(table["p_loss"].to_numpy() - baseline).max())
    lines = [
        f"{settings.resamples} resamples x {len(fees)} fees, {n} gatherings, best of 5 runs:",
        "",
        "| method | seconds |",
        "|---|---:|",
        f"| vectorised simulation (`economics.simulate`, today's method) | {vectorised:.3f} |",
        f"| plain per-fee loop (baseline) | {loop:.3f} |",
        f"| whole stage computation (3 and 4 gatherings, uptake sensitivity; best of 3) | {whole:.3f} |",
        "",
        f"Largest difference in P(loss) between the two methods (different random draws): {agree:.3f}.",
    ]
    return "\n".join(lines)
