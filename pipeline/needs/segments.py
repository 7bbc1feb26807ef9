"""Segments for breakdowns: municipality size band (from a shipped table of 2021 populations, or from a
survey question), role and span of control."""

from __future__ import annotations

import csv
import logging
from functools import lru_cache
from importlib.resources import files

import pandas as pd

log = logging.getLogger(__name__)

SIZE_BANDS: list[tuple[str, int]] = [  # (label, lower bound of population), smallest first
    ("Under 10 000", 0),
    ("10 000–29 999", 10_000),
    ("30 000–99 999", 30_000),
    ("100 000 og flere", 100_000),
]
UNKNOWN_SIZE = "Ukjent størrelse"


def segment_order(values: list[str]) -> list[str]:
    """Segments in reading order: size bands smallest first, anything else alphabetically, unknown last."""
    bands = [label for label, _lower in SIZE_BANDS]

    def key(value: str) -> tuple[int, int, str]:
        return (value == UNKNOWN_SIZE, bands.index(value) if value in bands else len(bands), value)

    return sorted(values, key=key)


def size_band(population: int) -> str:
    return [label for label, lower in SIZE_BANDS if population >= lower][-1]


@lru_cache(maxsize=1)
def load_municipalities() -> tuple[tuple[str, str, int], ...]:
    """(municipality, region, population 1 Jan 2021) from `pipeline/resources/municipalities_2021.csv`."""
    text = files("pipeline.resources").joinpath("municipalities_2021.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return tuple((r["municipality"], r["region"], int(r["population"])) for r in rows)


def add_size_band(
    respondents: pd.DataFrame, municipality_item: str = "municipality", size_item: str = ""
) -> pd.DataFrame:
    """A copy with `size_band`: from the survey's own size question when `size_item` is given, else from the
    municipality's 2021 population. Municipalities not in the table get 'Ukjent størrelse' (and a warning
    naming them), never a guess."""
    if size_item and size_item in respondents:
        return respondents.assign(size_band=respondents[size_item].fillna(UNKNOWN_SIZE))
    if municipality_item not in respondents:
        return respondents.assign(size_band=UNKNOWN_SIZE)
    population = {name.casefold(): pop for name, _region, pop in load_municipalities()}
    names = respondents[municipality_item].fillna("").astype(str).str.strip()
    bands = [
        size_band(population[n.casefold()]) if n.casefold() in population else UNKNOWN_SIZE for n in names
    ]
    unknown = sorted({n for n, b in zip(names, bands, strict=True) if b == UNKNOWN_SIZE and n})
    if unknown:
        log.warning(
            "no 2021 population for %s; size band 'Ukjent størrelse'. Add them to "
            "pipeline/resources/municipalities_2021.csv or give [needs].size_item.",
            ", ".join(unknown),
        )
    return respondents.assign(size_band=bands)
