"""`[economics]` of the programme file: who could take part, the fee candidates, the costs and who carries
them, and how a surplus is split. Validated like the rest: every problem names its key."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.config.reader import Reader

COST_KINDS = ("per_gathering", "per_participant", "per_participant_gathering", "one_off")


@dataclass(frozen=True)
class Cost:
    name: str
    kind: str  # one of COST_KINDS
    amount: float  # NOK
    carried_by: str  # contributor id: who pays it first


@dataclass(frozen=True)
class EconomicsSettings:
    eligible: int  # leaders who could take part
    uptake: float  # share of those willing to pay the fee who actually sign up
    uptake_low: float
    uptake_high: float
    fees: tuple[float, ...]  # candidate fees per participant (NOK)
    costs: tuple[Cost, ...]
    split: tuple[tuple[str, float], ...]  # contributor id -> share of a surplus (sums to 1)
    loss_carried_by: str  # contributor id that carries a loss
    max_loss_probability: float = 0.10
    capacity: int | None = None  # most participants the programme can take (venue, groups)
    open_band_factor: float = 1.5  # an open top band ("20 000 kr eller mer") reaches this times its start
    resamples: int = 2000
    seed: int = 2021


def economics_settings(root: Reader, contributors: set[str]) -> EconomicsSettings | None:
    """The `[economics]` table, or None when the programme file has none."""
    if "economics" not in root.table:
        return None
    r = root.table_of("economics")
    known = {
        "eligible",
        "eligible_per_municipality",
        "member_municipalities",
        "uptake",
        "uptake_range",
        "fees",
        "costs",
        "split",
        "loss_carried_by",
        "max_loss_probability",
        "capacity",
        "open_band_factor",
        "resamples",
        "seed",
    }
    r.refuse_unknown(known)
    if "eligible" in r.table:
        eligible = r.get("eligible", int)
    elif {"eligible_per_municipality", "member_municipalities"} <= set(r.table):
        eligible = round(r.get("eligible_per_municipality", float) * r.get("member_municipalities", int))
    else:
        raise r.fail(
            "eligible",
            "is missing: give the number of leaders who could take part, or eligible_per_municipality and "
            "member_municipalities.",
        )
    if eligible < 1:
        raise r.fail("eligible", f"must be at least 1, not {eligible}.")
    uptake = r.get("uptake", float)
    low, high = r.get("uptake_range", list, [uptake, uptake])
    if not (
        isinstance(low, (int, float)) and isinstance(high, (int, float)) and 0 < low <= uptake <= high <= 1
    ):
        raise r.fail("uptake_range", f"must be [low, high] with 0 < low <= uptake ({uptake}) <= high <= 1.")
    fees = fee_list(r)
    costs = []
    for i, item in enumerate(r.get("costs", list)):
        c = Reader(r.path, item if isinstance(item, dict) else {}, f"{r.key('costs')}[{i}]")
        if not isinstance(item, dict):
            raise c.fail("", "must be a table ([[economics.costs]]).")
        c.refuse_unknown({"name", "kind", "amount", "carried_by"})
        kind = c.text("kind")
        if kind not in COST_KINDS:
            raise c.fail("kind", f"must be one of {', '.join(COST_KINDS)}, not '{kind}'.")
        amount = c.get("amount", float)
        if amount < 0:
            raise c.fail("amount", f"must be 0 or more (a cost, in kroner), not {amount:g}.")
        who = c.text("carried_by")
        if who not in contributors:
            raise c.fail(
                "carried_by", f"unknown contributor '{who}'; known: {', '.join(sorted(contributors))}."
            )
        costs.append(Cost(c.text("name"), kind, amount, who))
    split = r.get("split", dict)
    unknown = sorted(set(split) - contributors)
    if unknown:
        raise r.fail("split", f"unknown contributor {unknown}; known: {', '.join(sorted(contributors))}.")
    if any(isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0 for v in split.values()):
        raise r.fail("split", "every share must be a number of 0 or more.")
    if abs(sum(split.values()) - 1) > 1e-9:
        raise r.fail("split", f"the shares must sum to 1, not {sum(split.values()):g}.")
    loser = r.text("loss_carried_by")
    if loser not in contributors:
        raise r.fail("loss_carried_by", f"unknown contributor '{loser}'.")
    max_loss = r.get("max_loss_probability", float, 0.10)
    if not 0 < max_loss < 1:
        raise r.fail("max_loss_probability", "must be between 0 and 1, e.g. 0.1.")
    capacity = r.get("capacity", int, None)
    if capacity is not None and capacity < 1:
        raise r.fail("capacity", "must be at least 1 (or left out: no limit).")
    factor = r.get("open_band_factor", float, 1.5)
    if factor <= 1:
        raise r.fail("open_band_factor", "must be more than 1 (an open band reaches beyond its start).")
    resamples = r.get("resamples", int, 2000)
    if resamples < 100:
        raise r.fail("resamples", "must be at least 100.")
    return EconomicsSettings(
        eligible,
        uptake,
        float(low),
        float(high),
        fees,
        tuple(costs),
        tuple(sorted((k, float(v)) for k, v in split.items())),
        loser,
        max_loss,
        capacity,
        factor,
        resamples,
        r.get("seed", int, 2021),
    )


def fee_list(r: Reader) -> tuple[float, ...]:
    """`fees = [4000, 6000]` or `fees = {from = 2000, to = 30000, step = 500}`."""
    value = r.get("fees", (list, dict))
    if isinstance(value, dict):
        f = Reader(r.path, value, r.key("fees"))
        f.refuse_unknown({"from", "to", "step"})
        start, stop, step = f.get("from", float), f.get("to", float), f.get("step", float)
        if step <= 0 or stop < start:
            raise r.fail("fees", "needs from <= to and a positive step.")
        n = int(round((stop - start) / step)) + 1
        value = [start + i * step for i in range(n)]
    if not value or any(isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0 for v in value):
        raise r.fail("fees", "must be positive amounts in kroner.")
    return tuple(sorted(float(v) for v in value))
