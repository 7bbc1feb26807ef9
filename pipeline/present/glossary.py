"""The terms the reports use, explained in plain Norwegian (one list for every page and the landing page)."""

from __future__ import annotations

import html

from pipeline.present.base import HTML

TERMS = (
    (
        "Borich-skår",
        "Et mål på behov for opplæring: hvor viktig lederne sier et område er, ganget med hvor stort gapet "
        "er mellom viktighet og hvor godt rustet de føler seg. Høyere skår betyr større behov.",
    ),
    (
        "Intervall",
        "Området et tall sannsynligvis ligger innenfor. Vi trekker svarene på nytt mange ganger "
        "(omtrekninger) og ser hvor mye tallet varierer; et 90 %-intervall rommer 90 % av omtrekningene.",
    ),
    (
        "Omtrekninger",
        "Samme analyse gjentatt mange ganger på et nytt utvalg av de samme svarene. Slik ser vi hvor sikre "
        "tallene er.",
    ),
    (
        "Skår for et tema",
        "Et samlet mål på belegget for et tema: behov i undersøkelsen, hvor ofte lederne nevner det i "
        "fritekst og i intervjuene. 0 er snittet for katalogen; en negativ skår betyr under snittet, ikke "
        "at ingen trenger temaet.",
    ),
    (
        "Sannsynlighet for å være med",
        "Hvor ofte temaet kommer med i programmet når vi lar vektene mellom undersøkelse, fritekst og "
        "intervjuer variere litt rundt de valgte.",
    ),
    (
        "Locus for Focus",
        "En måte å sortere områdene på: de som er viktige og har stort gap, bør prioriteres først.",
    ),
    (
        "Nytt behov",
        "Et tema lederne tar opp som ingen av temaene i katalogen dekker.",
    ),
    (
        "Svakt belegg",
        "Et tema med skår under gulvet i programfilen: få ledere har bedt om det.",
    ),
)


def glossary_items() -> list[tuple[str, str]]:
    return list(TERMS)


def glossary() -> HTML:
    """The glossary as a definition list, for the end of every partner report."""
    return HTML(
        "<dl>"
        + "".join(f"<dt><strong>{html.escape(t)}</strong></dt><dd>{html.escape(d)}</dd>" for t, d in TERMS)
        + "</dl>"
    )
