"""A replanning sample: the plan a designer published before the programme started, and the participants'
evaluation of its first gathering (one row per participant and topic, usefulness 1-5, a comment on the
participant's first row), in the Norwegian Excel dialect a survey tool exports (`;`, UTF-8 with BOM)."""

from __future__ import annotations

import numpy as np

# the published plan: gathering -> topic ids (the catalogue's), foundation topics first
PUBLISHED = {
    1: ("prestasjonskultur", "teamutvikling", "kompetanse_rekruttering"),
    2: ("endringsledelse", "digital_transformasjon", "restitusjon"),
    3: ("hybrid_ledelse", "regionalt_samarbeid", "innovasjon"),
    4: ("datadrevet", "klimaomstilling", "politikk_administrasjon"),
}
TITLES = {
    "prestasjonskultur": "Prestasjonskultur i kommunen",
    "teamutvikling": "Teamutvikling og ledergrupper",
    "kompetanse_rekruttering": "Rekruttere, utvikle og beholde kompetanse",
    "endringsledelse": "Endringsledelse og omstilling med strammere rammer",
    "digital_transformasjon": "Digital transformasjon i kommunen",
    "restitusjon": "Belastning, restitusjon og bærekraftig lederskap",
    "hybrid_ledelse": "Ledelse på avstand og hybride arbeidsformer",
    "regionalt_samarbeid": "Samarbeid på tvers av kommuner og sektorer",
    "innovasjon": "Innovasjon og tjenesteutvikling",
    "datadrevet": "Datadrevet ledelse og styring",
    "klimaomstilling": "Klimaomstilling i kommunen",
    "politikk_administrasjon": "Samspillet mellom politikk og administrasjon",
}
PARTICIPANTS = 42
# mean usefulness per evaluated topic (1-5): the sample's truth
USEFULNESS = {"prestasjonskultur": 4.1, "teamutvikling": 3.6, "kompetanse_rekruttering": 4.4}
# comments, and the catalogue topic each raises ("" for none): citizens' dialogue and the political
# interface are asked for, and neither is in the published plan
COMMENTS = (
    (
        "Vi trenger mer om hvordan vi kommuniserer med innbyggerne når vi må kutte i tilbudet.",
        "innbyggerdialog",
    ),
    ("Savner noe om dialog med innbyggere og medvirkning i store saker.", "innbyggerdialog"),
    ("Håndtering av sosiale medier og pressen når det stormer, takk.", "innbyggerdialog"),
    ("Hvordan bygge tillit hos innbyggerne etter en vanskelig sak?", "innbyggerdialog"),
    ("Rolleforståelsen mellom oss og de folkevalgte burde få en egen økt.", "politikk_administrasjon"),
    ("Skulle gjerne hørt mer om å gi faglige råd når politikerne vil noe annet.", "politikk_administrasjon"),
    ("Det politiske presset i kommunestyret er det vi sliter mest med.", "politikk_administrasjon"),
    ("Veldig bra samling, gode foredrag og nyttige samtaler i gruppene.", ""),
    ("Fint å møte ledere fra andre kommuner. Mer tid til erfaringsutveksling.", ""),
    ("Lokalet var trangt, og dagen ble lang.", ""),
    ("Toppidrettens tenkning om mestring kan brukes rett inn i min hverdag.", "prestasjonskultur"),
    ("Mer om rekruttering av sykepleiere, det er der skoen trykker.", "kompetanse_rekruttering"),
)
COMMENT_SHARE = 0.6


def published_plan_csv() -> bytes:
    lines = ["Samling;Tema-id;Tema"]
    for session, topics in PUBLISHED.items():
        lines += [f"{session};{t};{TITLES[t]}" for t in topics]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def evaluation_csv(rng: np.random.Generator) -> bytes:
    """The first gathering's evaluation; some participants skip a rating (blank) or say 'Vet ikke'."""
    lines = ["Deltaker;Samling;Tema;Nytte;Kommentar"]
    for p in range(1, PARTICIPANTS + 1):
        comment = ""
        if rng.uniform() < COMMENT_SHARE:
            comment = COMMENTS[int(rng.integers(len(COMMENTS)))][0]
        for k, topic in enumerate(PUBLISHED[1]):
            score = int(np.clip(np.rint(rng.normal(USEFULNESS[topic], 0.8)), 1, 5))
            cell = str(score)
            draw = rng.uniform()
            if draw < 0.04:
                cell = ""
            elif draw < 0.07:
                cell = "Vet ikke"
            text = comment if k == 0 else ""
            lines.append(
                f'D{p:02d};1;{TITLES[topic]};{cell};"{text}"'
                if text
                else f"D{p:02d};1;{TITLES[topic]};{cell};"
            )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")
