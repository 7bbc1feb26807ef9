"""Planted parameters of the sample: municipalities, segments, leadership areas and their population means,
and the answer distributions of the programme questions. Changing a number here changes the sample (and its
ground truth) on the next `python -m pipeline.sample`."""

from __future__ import annotations

from pipeline.needs.segments import SIZE_BANDS, load_municipalities, size_band  # noqa: F401

# Osloregionen members used in the sample, with population 1 Jan 2021: the shipped table the pipeline uses
MUNICIPALITIES: list[tuple[str, str, int]] = list(load_municipalities())


# roles as the export writes them, with their share among respondents
# (kommunedirektør: at most one per municipality)
ROLES: list[tuple[str, float]] = [
    ("Kommunedirektør/rådmann", 0.10),
    ("Kommunalsjef", 0.22),
    ("Etatsleder", 0.18),
    ("Stabsleder", 0.14),
    ("Enhetsleder", 0.36),
]
SPAN_BANDS = ["Ingen", "1–9", "10–49", "50–199", "200 eller flere"]
# typical span band index per role (the band is drawn around it)
SPAN_BY_ROLE = {
    "Kommunedirektør/rådmann": 4,
    "Kommunalsjef": 3,
    "Etatsleder": 3,
    "Stabsleder": 1,
    "Enhetsleder": 2,
}

# leadership areas: (id, label as in the battery); importance and competence latent means (1-5 scale)
AREAS: list[tuple[str, str, float, float]] = [
    ("strategi", "Strategisk ledelse og langsiktig planlegging", 4.25, 3.70),
    ("endring", "Endringsledelse og omstilling", 4.45, 3.05),
    ("okonomi", "Økonomistyring og prioritering", 4.40, 3.45),
    ("rekruttering", "Rekruttering og kompetanseutvikling", 4.55, 2.85),
    ("digital", "Digitalisering og ny teknologi", 4.35, 2.90),
    ("innovasjon", "Innovasjon og tjenesteutvikling", 3.90, 3.00),
    ("samarbeid", "Samarbeid på tvers av sektorer og kommuner", 4.00, 3.35),
    ("prestasjon", "Mål, resultatoppfølging og tilbakemelding", 3.80, 3.35),
    ("arbeidsmiljo", "Arbeidsmiljø, nærvær og medarbeiderskap", 4.30, 3.50),
    ("kommunikasjon", "Kommunikasjon og innbyggerdialog", 3.70, 3.40),
    ("klima", "Klima, miljø og bærekraft", 3.75, 2.85),
    ("selvledelse", "Egen belastning og restitusjon", 4.05, 2.95),
    ("politikk", "Samspill med politisk ledelse", 3.95, 3.55),
]
# segment shifts of the latent means: (segment column, segment value, area, dimension, shift)
SHIFTS: list[tuple[str, str, str, str, float]] = [
    ("role", "Kommunedirektør/rådmann", "politikk", "importance", 0.45),
    ("role", "Kommunedirektør/rådmann", "strategi", "importance", 0.30),
    ("role", "Kommunedirektør/rådmann", "strategi", "competence", 0.35),
    ("role", "Kommunedirektør/rådmann", "okonomi", "competence", 0.30),
    ("role", "Kommunalsjef", "endring", "importance", 0.15),
    ("role", "Enhetsleder", "arbeidsmiljo", "importance", 0.30),
    ("role", "Enhetsleder", "selvledelse", "importance", 0.30),
    ("role", "Enhetsleder", "politikk", "importance", -0.60),
    ("role", "Enhetsleder", "strategi", "competence", -0.35),
    ("role", "Stabsleder", "digital", "competence", 0.35),
    ("role", "Stabsleder", "kommunikasjon", "importance", 0.25),
    ("size_band", "Under 10 000", "rekruttering", "importance", 0.20),
    ("size_band", "Under 10 000", "rekruttering", "competence", -0.25),
    ("size_band", "Under 10 000", "digital", "competence", -0.30),
    ("size_band", "Under 10 000", "samarbeid", "importance", 0.35),
    ("size_band", "100 000 og flere", "digital", "competence", 0.30),
    ("size_band", "100 000 og flere", "klima", "importance", 0.25),
]
# need profiles: kinds of leaders whose needs differ across roles (ground truth: respondents.csv, `profile`).
# A profile rates its own areas more important and itself less competent there, and the other profiles'
# areas less important and itself more competent there.
PROFILE_AREAS: dict[str, tuple[str, ...]] = {
    "belastet": ("selvledelse", "arbeidsmiljo", "okonomi"),
    "bygger": ("digital", "innovasjon", "klima"),
    "leder_av_ledere": ("strategi", "politikk", "samarbeid"),
}
PROFILE_OWN = {"importance": 0.7, "competence": -0.9}
PROFILE_OTHERS = {"importance": -0.6, "competence": 0.4}
# (profile, area, dimension, shift of the latent mean)
PROFILE_SHIFTS: list[tuple[str, str, str, float]] = [
    (profile, area, dim, (PROFILE_OWN if owner == profile else PROFILE_OTHERS)[dim])
    for profile in PROFILE_AREAS
    for owner, areas in PROFILE_AREAS.items()
    for area in areas
    for dim in ("importance", "competence")
]
# the chance of each profile within a role: profiles overlap with roles but are not the same
PROFILE_BY_ROLE: dict[str, dict[str, float]] = {
    "Kommunedirektør/rådmann": {"belastet": 0.25, "bygger": 0.25, "leder_av_ledere": 0.50},
    "Kommunalsjef": {"belastet": 0.30, "bygger": 0.25, "leder_av_ledere": 0.45},
    "Etatsleder": {"belastet": 0.30, "bygger": 0.40, "leder_av_ledere": 0.30},
    "Stabsleder": {"belastet": 0.15, "bygger": 0.65, "leder_av_ledere": 0.20},
    "Enhetsleder": {"belastet": 0.60, "bygger": 0.20, "leder_av_ledere": 0.20},
}
# what the profiles write about: an answer with one of these planted themes goes, with this chance, to a
# respondent of the profile (the rest go to anyone), so free text and profiles agree as they would
PROFILE_THEMES: dict[str, tuple[str, ...]] = {
    "belastet": ("belastning",),
    "bygger": ("digital", "klima"),
    "leder_av_ledere": ("politikk", "samarbeid"),
}
P_PROFILE_MATCH = 0.7
RESPONDENT_SD = 0.30  # a respondent's general tendency (shared by all items)
ITEM_SD = 0.75  # item-level noise of the latent answer
P_DONT_KNOW = {"importance": 0.025, "competence": 0.05}
P_BLANK = 0.01

IMPORTANCE_LABELS = ["Ikke viktig", "Lite viktig", "Middels viktig", "Viktig", "Svært viktig"]
COMPETENCE_LABELS = [
    "Svært dårlig rustet",
    "Dårlig rustet",
    "Middels rustet",
    "Godt rustet",
    "Svært godt rustet",
]
DONT_KNOW = "Vet ikke"

# programme and context questions: (item id, question, [(answer, probability)])
CATEGORY_QUESTIONS: list[tuple[str, str, list[tuple[str, float]]]] = [
    (
        "knows_osr",
        "Hvor godt kjenner du til Osloregionens arbeid?",
        [("Svært godt", 0.22), ("Godt", 0.48), ("Litt", 0.24), ("Ikke i det hele tatt", 0.06)],
    ),
    (
        "covid_impact",
        "I hvilken grad har covid-19-pandemien påvirket din kommune?",
        [("I svært stor grad", 0.49), ("I stor grad", 0.33), ("I noen grad", 0.15), ("I liten grad", 0.03)],
    ),
    (
        "digital_after",
        "Hvordan tror du kommunens digitale kapasitet vil være etter pandemien?",
        [("Mye sterkere", 0.50), ("Noe sterkere", 0.38), ("Som før", 0.11), ("Svakere", 0.01)],
    ),
    (
        "economy_outlook",
        "Hvordan forventer du at kommunens økonomiske handlingsrom utvikler seg de neste årene?",
        [("Svakere", 0.55), ("Som i dag", 0.33), ("Bedre", 0.07), ("Vet ikke", 0.05)],
    ),
    (
        "format",
        "Hvilket format foretrekker du for samlingene?",
        [
            ("Fysiske samlinger", 0.45),
            ("En blanding av fysisk og digitalt", 0.42),
            ("Digitale samlinger", 0.13),
        ],
    ),
    (
        "gatherings",
        "Hvor mange samlinger passer best for et slikt program?",
        [("2 samlinger", 0.10), ("3 samlinger", 0.38), ("4 samlinger", 0.40), ("5 eller flere", 0.12)],
    ),
    (
        "wtp",
        "Hva vil din kommune være villig til å betale per deltaker for hele programmet?",
        [
            ("Under 5 000 kr", 0.20),
            ("5 000–9 999 kr", 0.40),
            ("10 000–19 999 kr", 0.30),
            ("20 000 kr eller mer", 0.10),
        ],
    ),
]

# a multi-select question, exported in one cell with "; " between the chosen options
MULTI_QUESTION = (
    "speakers",
    "Hvilke bidragsytere vil du helst høre fra i programmet? (flere svar mulig)",
    "Ønskede bidragsytere",
)
MULTI_OPTIONS: list[tuple[str, float]] = [
    ("Olympiatoppen", 0.62),
    ("Smart Innovation Norway", 0.41),
    ("Osloregionen", 0.33),
    ("Ledere fra andre kommuner", 0.57),
    ("Forskere", 0.28),
    ("Næringslivsledere", 0.22),
]
MULTI_SEPARATOR = "; "

QUESTION_IMPORTANCE = "Hvor viktige vil disse lederområdene være for deg de neste 2–3 årene?"
QUESTION_COMPETENCE = "Hvor godt rustet føler du deg i dag innenfor disse lederområdene?"
OPEN_QUESTIONS = [
    (
        "utfordringer",
        "Hva ser du som de største lederutfordringene i din kommune de neste 2–3 årene?",
        "Største lederutfordringer",
    ),
    ("tema", "Hvilke temaer bør et lederutviklingsprogram for kommunale ledere dekke?", "Ønskede temaer"),
    ("annet", "Har du andre innspill til programmet?", "Andre innspill"),
]
NON_ANSWERS = [
    "Nei",
    "-",
    "nei",
    "Vet ikke",
    "Ingen kommentar",
    "Nei takk",
    "Nei.",
    "ingen",
    "Ingen innspill",
    "vet ikke",
    "--",
    "Ikke nå",
    "Nei, ikke nå",
    "x",
    "Ingen flere innspill",
]
N_NON_ANSWERS = {"utfordringer": 8, "tema": 16, "annet": 34}

N_RESPONDENTS = 252
N_PARTIAL = 9
SURVEY_START = "2021-05-10 08:00"
SURVEY_DAYS = 39

# ------------------------------------------------------------------ the second wave (spring 2023)
# Other leaders answer the same questions two years later, plus one new question. Planted changes of the
# latent means: (segment column, or "" for everyone; its value; area; dimension; shift).
WAVE2_EXPORT = "medlemsundersokelse_2023.xlsx"
WAVE2_NULL_EXPORT = "medlemsundersokelse_2023_uten_endring.xlsx"  # the same population: no change
WAVE2_CODEBOOK = "codebook_2023.csv"
WAVE2_START = "2023-05-08 08:00"
WAVE2_FIRST_ID = 517803  # the survey tool's ids of the new survey (never the 2021 ids)
WAVE2_SHIFTS: list[tuple[str, str, str, str, float]] = [
    ("", "", "okonomi", "importance", 0.30),  # a need that grows: prices, rates and tighter budgets
    ("", "", "okonomi", "competence", -0.45),
    ("", "", "digital", "competence", 0.55),  # a need that falls: two years of digital work since 2021
    ("role", "Stabsleder", "kommunikasjon", "importance", 0.60),  # one role only
    ("role", "Stabsleder", "kommunikasjon", "competence", -0.70),
]
WAVE2_PLANTED = {  # area -> what was planted (ground truth)
    "okonomi": "grows",
    "digital": "falls",
    "kommunikasjon": "grows for Stabsleder only",
}
WAVE2_THEMES = {"beredskap": "fades", "bosetting": "appears"}  # planted in the hand-written 2023 answers
# the new question: (item id, question, label, [(answer, probability)])
WAVE2_QUESTION = (
    "deltatt",
    "Har du deltatt i Osloregionens lederprogram?",
    "Deltatt i lederprogrammet",
    [("Ja", 0.18), ("Nei", 0.82)],
)
WAVE2_N_NON_ANSWERS = {"utfordringer": 6, "tema": 14, "annet": 30}
