"""Programme economics: at what fee, with how many participants, does the programme break even, what is
each party's share of a surplus, and how likely is a loss?

Demand. The survey asked what each municipality would pay per participant, in bands. A band is an interval
(the answer is interval-censored), so the share willing to pay at least a fee f is known exactly only at
the band edges. With the same disjoint bands for everyone, Turnbull's estimate of the distribution is the
band shares themselves, and it says nothing about where inside a band the mass lies. We state the
assumption that settles it: willingness is spread evenly within each band (linear interpolation of the
survival curve between the edges), and an open top band ("20 000 kr eller mer") reaches `open_band_factor`
times its start. A fee above every band's reach is refused. "Vet ikke" and blank answers are left out of
the shares and counted (they neither lower nor raise demand: missing at random, said in the report).
The Gabor-Granger logic (ask "would you buy at f?" for a ladder of prices and read demand off the answers)
is what the bands approximate at their edges; Van Westendorp needs four price questions the survey did not
ask, so it cannot be computed here (the report says so).

Uncertainty. Respondents are resampled (multinomial over the bands, seeded); per resample the uptake is
drawn evenly in `uptake_range`, and the number who sign up out of the eligible leaders is binomial with
probability uptake x share willing. Revenue, costs and the surplus follow per resample, so P(loss) holds
the uncertainty of demand, of uptake and of who actually signs up.

Money. Costs per gathering (venue, each contributor's fee), per participant, per participant and
gathering (catering, material) and one-off (development, marketing). The surplus after all costs is split
by `split` (default 50/50 Smart Innovation Norway / Osloregionen); a loss is carried by `loss_carried_by`.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.config import EconomicsSettings, Programme
from pipeline.errors import PipelineError
from pipeline.store import StageOutputs
from pipeline.text import is_dont_know

log = logging.getLogger(__name__)

NUMBER = re.compile(r"\d[\d\s\u202f\u00a0.]*")
OPEN_TOP = ("eller mer", "eller mere", "og mer", "og over", "eller over", "over", "mer enn", "minst")
OPEN_BOTTOM = ("under", "mindre enn", "inntil", "opp til", "maks", "høyst")
QUANTILES = (0.05, 0.95)


class EconomicsError(PipelineError):
    """A band that is no interval, or a fee no band reaches."""


@dataclass(frozen=True)
class Band:
    label: str
    lo: float
    hi: float  # exclusive; inf for an open top band


def amounts(label: str) -> list[float]:
    return [float(re.sub(r"[\s\u202f\u00a0.]", "", m)) for m in NUMBER.findall(label)]


def parse_bands(labels: list[str]) -> list[Band]:
    """The answer labels as intervals, in order: 'Under 5 000 kr' [0, 5000), '5 000–9 999 kr' [5000, 10000),
    '20 000 kr eller mer' [20000, inf). A closed band ends where the next starts (9 999 is 'below 10 000')."""
    bands = []
    for label in labels:
        text = label.lower()
        numbers = amounts(label)
        if len(numbers) == 2 and numbers[0] < numbers[1]:
            bands.append(Band(label, numbers[0], numbers[1] + 1))
        elif len(numbers) == 1 and any(w in text for w in OPEN_BOTTOM):
            bands.append(Band(label, 0.0, numbers[0]))
        elif len(numbers) == 1 and any(w in text for w in OPEN_TOP):
            bands.append(Band(label, numbers[0], math.inf))
        else:
            raise EconomicsError(
                f"willingness-to-pay band '{label}' cannot be read as an interval of kroner. Use answers "
                "like 'Under 5 000 kr', '5 000–9 999 kr' or '20 000 kr eller mer' (or mark it as missing in "
                "the codebook)."
            )
    bands.sort(key=lambda b: b.lo)
    out = []
    for i, b in enumerate(bands):  # a closed band ends where the next one starts ('9 999' + 1 = 10 000)
        nxt = bands[i + 1].lo if i + 1 < len(bands) else None
        if nxt is not None and b.hi != math.inf and abs(b.hi - nxt) <= 1:
            b = Band(b.label, b.lo, nxt)
        if out and b.lo < out[-1].hi - 1:
            raise EconomicsError(f"willingness-to-pay bands '{out[-1].label}' and '{b.label}' overlap.")
        out.append(b)
    return out


def reach(bands: list[Band], factor: float) -> list[Band]:
    """The open top band closed at `factor` times its start (the stated assumption)."""
    return [Band(b.label, b.lo, b.lo * factor if b.hi == math.inf else b.hi) for b in bands]


def survival_weights(bands: list[Band], fees: np.ndarray) -> np.ndarray:
    """bands x fees: the share of a band's respondents willing to pay at least the fee, with willingness
    spread evenly within the band."""
    lo = np.array([b.lo for b in bands])[:, None]
    hi = np.array([b.hi for b in bands])[:, None]
    return np.clip((hi - fees[None, :]) / (hi - lo), 0.0, 1.0)


def check_fees(bands: list[Band], fees: np.ndarray) -> None:
    """A fee above every band's reach has no demand the survey can speak to: refused."""
    top = max(b.hi for b in bands)
    outside = fees[fees > top]
    if len(outside):
        raise EconomicsError(
            f"[economics].fees: {format_kroner(outside[0])} is above every willingness-to-pay band (the top "
            f"band reaches {format_kroner(top)}). Lower the fees, or raise [economics].open_band_factor if "
            "the top band is open."
        )


def format_kroner(value: float) -> str:
    return f"{value:,.0f} kr".replace(",", " ")


def fixed_and_variable(settings: EconomicsSettings, n_sessions: int) -> tuple[float, float]:
    """(costs that do not depend on the participants, cost per participant) for `n_sessions` gatherings."""
    fixed = sum(
        c.amount * (n_sessions if c.kind == "per_gathering" else 1)
        for c in settings.costs
        if c.kind in ("per_gathering", "one_off")
    )
    variable = sum(
        c.amount * (n_sessions if c.kind == "per_participant_gathering" else 1)
        for c in settings.costs
        if c.kind in ("per_participant", "per_participant_gathering")
    )
    return fixed, variable


def break_even(fee: float, fixed: float, variable: float) -> float:
    """Participants needed for revenue to cover the costs; inf when the fee does not cover the variable
    cost per participant."""
    margin = fee - variable
    return math.ceil(fixed / margin - 1e-9) if margin > 0 else math.inf


def split_surplus(surplus: np.ndarray, split: dict[str, float], loser: str) -> dict[str, np.ndarray]:
    """Each party's share per resample: a surplus by `split`, a loss all to `loser`."""
    parties = sorted(set(split) | {loser})
    return {
        p: np.where(surplus >= 0, surplus * split.get(p, 0.0), surplus if p == loser else 0.0)
        for p in parties
    }


def resample_shares(counts: np.ndarray, resamples: int, rng: np.random.Generator) -> np.ndarray:
    """resamples x bands: band shares of respondents drawn with replacement."""
    n = int(counts.sum())
    return rng.multinomial(n, counts / n, size=resamples) / n


def simulate(
    settings: EconomicsSettings,
    shares: np.ndarray,
    weights: np.ndarray,
    fees: np.ndarray,
    n_sessions: int,
    rng: np.random.Generator,
    uptake: tuple[float, float] | None = None,
) -> pd.DataFrame:
    """One row per fee: share willing, participants, revenue, costs, surplus (mean and 90 % band), P(loss),
    break-even participants and each party's expected share. `shares`: resamples x bands; `uptake`: the
    range to draw it from (default the programme file's)."""
    low, high = uptake or (settings.uptake_low, settings.uptake_high)
    b = shares.shape[0]
    willing = shares @ weights  # resamples x fees
    take = rng.uniform(low, high, size=(b, 1)) if high > low else np.full((b, 1), low)
    signed = rng.binomial(settings.eligible, np.clip(take * willing, 0, 1))
    if settings.capacity is not None:
        signed = np.minimum(signed, settings.capacity)
    fixed, variable = fixed_and_variable(settings, n_sessions)
    revenue = signed * fees[None, :]
    costs = fixed + variable * signed
    surplus = revenue - costs
    split = dict(settings.split)
    parties = split_surplus(surplus, split, settings.loss_carried_by)
    q = QUANTILES
    out = pd.DataFrame(
        {
            "n_sessions": n_sessions,
            "fee": fees,
            "share_willing": willing.mean(axis=0),
            "share_willing_lo": np.quantile(willing, q[0], axis=0),
            "share_willing_hi": np.quantile(willing, q[1], axis=0),
            "participants": signed.mean(axis=0),
            "participants_lo": np.quantile(signed, q[0], axis=0),
            "participants_hi": np.quantile(signed, q[1], axis=0),
            "revenue": revenue.mean(axis=0),
            "costs": costs.mean(axis=0),
            "surplus": surplus.mean(axis=0),
            "surplus_lo": np.quantile(surplus, q[0], axis=0),
            "surplus_hi": np.quantile(surplus, q[1], axis=0),
            "p_loss": (surplus < 0).mean(axis=0),
            "break_even": [break_even(f, fixed, variable) for f in fees],
        }
    )
    for party, values in parties.items():
        out[f"share_{party}"] = values.mean(axis=0)
    return out


def recommend(table: pd.DataFrame, max_loss: float) -> dict:
    """The fee with the highest expected surplus among those with P(loss) <= `max_loss` (ties: the lower
    fee), beside the fee with the highest expected revenue; None when no fee keeps the risk that low."""
    safe = table.loc[table["p_loss"] <= max_loss]
    best = safe.sort_values(["surplus", "fee"], ascending=[False, True], kind="stable").head(1)
    revenue = table.sort_values(["revenue", "fee"], ascending=[False, True], kind="stable").iloc[0]
    lowest = table.sort_values(["p_loss", "fee"], kind="stable").iloc[0]
    return {
        "fee": None if best.empty else float(best["fee"].iloc[0]),
        "revenue_fee": float(revenue["fee"]),
        "lowest_risk_fee": float(lowest["fee"]),
        "lowest_risk": float(lowest["p_loss"]),
    }


def demand_by_segment(
    answers: pd.DataFrame, column: str, bands: list[Band], fee: float, min_cell: int, segment: str
) -> pd.DataFrame:
    """Share willing to pay at least `fee` per group of `segment` (role, size band), with small groups
    suppressed (the value withheld, `suppressed` True)."""
    from pipeline.privacy import suppress_small_cells

    weight = {b.label: float(survival_weights([b], np.array([fee]))[0, 0]) for b in bands}
    part = answers.dropna(subset=[column, segment])
    part = part.loc[part[column].isin(weight)]
    rows = [
        {
            "segment_type": segment,
            "segment": str(g),
            "n": len(d),
            "share_willing": d[column].map(weight).mean(),
        }
        for g, d in part.groupby(segment, sort=True)
    ]
    frame = pd.DataFrame(rows, columns=["segment_type", "segment", "n", "share_willing"])
    return suppress_small_cells(frame, "n", min_cell, ["share_willing"], ["segment_type"])


def economics_tables(
    settings: EconomicsSettings,
    answers: pd.Series,
    chosen_sessions: int,
) -> tuple[pd.DataFrame, dict, list[Band]]:
    """(fee x gatherings table for 3 and 4 gatherings; the summary: recommendation per count, uptake
    sensitivity, answers left out; the bands as read). `answers`: one willingness-to-pay answer per
    respondent (missing for no answer)."""
    given = answers.dropna().astype(str)
    unsure = given.map(is_dont_know)
    bands = reach(parse_bands(sorted(set(given[~unsure]))), settings.open_band_factor)
    fees = np.array(settings.fees, dtype=float)
    check_fees(bands, fees)
    counts = given[~unsure].value_counts().reindex([b.label for b in bands]).fillna(0).to_numpy()
    rng = np.random.default_rng(settings.seed)
    shares = resample_shares(counts, settings.resamples, rng)
    weights = survival_weights(bands, fees)
    tables = [simulate(settings, shares, weights, fees, n, rng) for n in (3, 4)]
    table = pd.concat(tables, ignore_index=True)
    summary: dict = {
        "configured": True,
        "chosen_sessions": chosen_sessions,
        "respondents": int(len(answers)),
        "answered": int((~unsure).sum()),
        "dont_know": int(unsure.sum()),
        "no_answer": int(answers.isna().sum()),
        "bands": [
            {"label": b.label, "from": b.lo, "to": b.hi, "n": int(c)}
            for b, c in zip(bands, counts, strict=True)
        ],
        "max_loss_probability": settings.max_loss_probability,
        "by_sessions": {},
        "uptake_sensitivity": [],
    }
    parties = sorted(set(dict(settings.split)) | {settings.loss_carried_by})
    for t in tables:
        n = int(t["n_sessions"].iloc[0])
        pick = recommend(t, settings.max_loss_probability)
        row = t.loc[t["fee"] == (pick["fee"] if pick["fee"] is not None else pick["lowest_risk_fee"])].iloc[0]
        fixed, variable = fixed_and_variable(settings, n)
        summary["by_sessions"][str(n)] = {
            **pick,
            "participants": float(row["participants"]),
            "participants_lo": float(row["participants_lo"]),
            "participants_hi": float(row["participants_hi"]),
            "surplus": float(row["surplus"]),
            "surplus_lo": float(row["surplus_lo"]),
            "surplus_hi": float(row["surplus_hi"]),
            "p_loss": float(row["p_loss"]),
            "break_even": float(row["break_even"]),
            "fixed_costs": fixed,
            "cost_per_participant": variable,
            "shares": {p: float(row[f"share_{p}"]) for p in parties},
        }
    # the plan the economics support (the chosen count when a fee keeps the risk low enough, else the other
    # when one does there, else the chosen), so the table beside the recommendation shows that plan
    by = summary["by_sessions"]
    main_n = next(
        (n for n in (chosen_sessions, 7 - chosen_sessions) if by.get(str(n), {}).get("fee") is not None),
        chosen_sessions,
    )
    main = by[str(main_n)]
    main_fee = main["fee"] if main["fee"] is not None else main["lowest_risk_fee"]
    levels = (("lav", settings.uptake_low), ("forventet", settings.uptake), ("høy", settings.uptake_high))
    for level, uptake in levels:  # the main fee under a fixed uptake, and the fee that uptake would favour
        t = simulate(settings, shares, weights, fees, main_n, rng, (uptake, uptake))
        row = t.loc[t["fee"] == main_fee].iloc[0]
        summary["uptake_sensitivity"].append(
            {
                "level": level,
                "n_sessions": main_n,
                "uptake": uptake,
                "fee": main_fee,
                "participants": float(row["participants"]),
                "surplus": float(row["surplus"]),
                "p_loss": float(row["p_loss"]),
                "best_fee": recommend(t, settings.max_loss_probability)["fee"],
            }
        )
    return table, summary, bands


@dataclass
class EconomicsOutputs(StageOutputs):
    economics: pd.DataFrame  # per gathering count and fee: demand, revenue, costs, surplus, risk of a loss
    economics_segments: pd.DataFrame  # willingness to pay the recommended fee, by role and size
    economics_summary: dict
    counts: dict[str, int]  # for the run manifest


def build(programme: Programme, respondents: pd.DataFrame) -> EconomicsOutputs:
    """The economics stage as one pure function: the willingness-to-pay answers and the programme file's
    `[economics]` in; demand, revenue, costs, surplus and the risk of a loss per fee for 3 and 4
    gatherings, with each party's share, out (empty outputs without `[economics]`)."""
    settings = programme.economics
    if settings is None:
        return EconomicsOutputs(
            pd.DataFrame(columns=["n_sessions", "fee"]),
            pd.DataFrame(columns=["segment_type", "segment", "n"]),
            {"configured": False},
            {"fees": 0},
        )
    item = programme.needs.wtp_item
    if item not in respondents:
        raise PipelineError(
            f"[economics] needs the willingness-to-pay question '{item}' ([needs].wtp_item), which the "
            "survey export does not have. Map it in the codebook, or remove [economics]."
        )
    table, summary, bands = economics_tables(settings, respondents[item], programme.sessions.count)
    chosen = summary["by_sessions"][str(programme.sessions.count)]
    fee = chosen["fee"] if chosen["fee"] is not None else chosen["lowest_risk_fee"]
    segments = [
        demand_by_segment(respondents, item, bands, fee, programme.privacy.min_cell, column)
        for column in (programme.needs.role_item, "size_band")
        if column in respondents
    ]
    log.info(
        "economics: fee %s kr with %.0f participants, surplus %.0f kr, P(loss) %.2f",
        fee,
        chosen["participants"],
        chosen["surplus"],
        chosen["p_loss"],
    )
    return EconomicsOutputs(
        table,
        pd.concat(segments, ignore_index=True),
        summary,
        {"fees": len(settings.fees), "resamples": settings.resamples},
    )
