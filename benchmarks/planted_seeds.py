"""Seed terms for the sample's planted themes, written from `pipeline/sample/texts/THEMES.md` the way a
programme designer writes seed terms for catalogue topics (before looking at any answer). Used only to measure
guided assignment; the pipeline itself uses the seed terms of the programme file's catalogue."""

PLANTED_SEEDS: dict[str, list[str]] = {
    "rekruttering": ["rekruttering", "rekruttere", "kompetansemangel", "sykepleiermangel", "søkere", "arbeidskraft",
                     "beholde", "mangel på", "kvalifisert", "lærermangel"],
    "omstilling": ["omstilling", "kutt", "effektivisering", "budsjett", "økonomi", "nedskjæring", "prioritering",
                   "strammere", "innsparing"],
    "digital": ["digitalisering", "digital", "teknologi", "velferdsteknologi", "data", "automatisering", "systemer",
                "ikt"],
    "samarbeid": ["samarbeid", "interkommunalt", "på tvers", "silo", "region", "nabokommune", "samhandling",
                  "frivillighet", "næringsliv"],
    "prestasjon": ["prestasjon", "mål", "tilbakemelding", "oppfølging", "ambisjon", "toppidrett", "mestring",
                   "resultat", "ansvar"],
    "belastning": ["belastning", "stress", "sykefravær", "slitne", "utbrent", "restitusjon", "hvile", "arbeidspress",
                   "alltid på"],
    "hybrid": ["hjemmekontor", "hybrid", "avstand", "digitale møter", "teams", "tilhørighet", "fjernledelse"],
    "innbygger": ["innbygger", "kommunikasjon", "dialog", "sosiale medier", "medvirkning", "tillit", "forventninger"],
    "klima": ["klima", "miljø", "grønt skifte", "bærekraft", "areal", "transport", "utslipp", "natur", "pendling"],
    "politikk": ["politiker", "politisk", "folkevalgt", "rolleforståelse", "kommunestyre", "ordfører", "politikk"],
    "beredskap": ["beredskap", "krise", "krisehåndtering", "pandemi", "korona", "flom", "dataangrep", "usikkerhet"],
}
