"""The terms the reports use, explained in plain Norwegian (one list for every page and the landing page)."""

from __future__ import annotations

import html

from pipeline.present.base import HTML

TERMS = (
    (
        "Borich-skår",
        "Viser hvor stort behovet for opplæring er på et område. Skåren blir høy når lederne sier at området "
        "er viktig og samtidig at de ikke er godt nok rustet til det. Jo høyere skår, desto større behov.",
    ),
    (
        "Intervall",
        "Området tallet med stor sannsynlighet ligger innenfor. Vi regner tallet ut på nytt mange ganger, "
        "hver gang med et tilfeldig utvalg av de samme svarene, og ser hvor mye det varierer. Et "
        "90\u202f%-intervall rommer 90\u202f% av disse utregningene.",
    ),
    (
        "Skår for et programtema",
        "Et samlet mål på hvor mye lederne etterspør et programtema: behovet i undersøkelsen, hvor ofte de "
        "nevner det i fritekst og hvor mye det vektlegges i intervjuene. Snittet for katalogen er 0. En "
        "negativ skår betyr under snittet, ikke at ingen trenger temaet.",
    ),
    (
        "Sannsynlighet for å være med",
        "Hvor ofte programtemaet kommer med når vi lar vektene mellom undersøkelse, fritekst og intervjuer "
        "variere litt rundt de valgte.",
    ),
    (
        "Locus for Focus",
        "En måte å sortere områdene på: de som er viktige og har stort gap, bør prioriteres først.",
    ),
    (
        "Programtema",
        "Et tema i katalogen som programgruppen har satt opp, og som kan bli en del av programmet.",
    ),
    (
        "Emne",
        "Noe lederne selv skriver eller sier om, funnet ved å gruppere svarene og intervjuutsnittene etter "
        "hva de handler om. Et emne kan dekkes av ett eller flere programtemaer, eller av ingen.",
    ),
    (
        "Nytt behov",
        "Et emne mange ledere tar opp, som ingen av programtemaene i katalogen dekker.",
    ),
    (
        "Svakt grunnlag",
        "Et programtema med skår under grensen programgruppen har satt: få ledere har bedt om det.",
    ),
)


def glossary_items() -> list[tuple[str, str]]:
    return list(TERMS)


def glossary() -> HTML:
    """The glossary as a two-column table, for the end of every partner report: a table keeps each term
    beside its explanation when print breaks it across pages (a definition list does not)."""
    rows = "".join(
        f"<tr><th scope='row'>{html.escape(t)}</th><td>{html.escape(d)}</td></tr>" for t, d in TERMS
    )
    return HTML(f"<table class='ordliste'>{rows}</table>")
