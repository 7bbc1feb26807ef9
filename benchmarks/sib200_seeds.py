"""Seed terms for measuring guided topic assignment on SIB-200 (Norwegian).

SIB-200 is a topic classification benchmark built from FLORES-200 sentences (news, travel-guide
and encyclopaedic text), labelled with seven categories. This module holds one seed-term list per
category for the Norwegian split.

The terms were written *without seeing the data*: no sentence, label distribution or vocabulary
statistic from SIB-200 was consulted. They are what a programme designer would plausibly write as a
topic's seed terms, based only on what a news or travel-guide sentence in each category typically
contains. This keeps the benchmark an honest measure of guided assignment rather than of seed
tuning on the evaluation set.

Conventions:
    * lower-case Norwegian, mainly bokmål, with a few nynorsk forms where they differ
      (e.g. "mesterskap" / "meisterskap");
    * nouns in base form; the matcher stems terms and also finds them inside compounds, so
      "forskning" matches "forskningsprosjekt";
    * no proper names, no stop words, each term at least four letters;
    * no term appears in more than one category.
"""

SIB_SEEDS: dict[str, list[str]] = {
    "science/technology": [
        "forskning",
        "forsking",
        "vitenskap",
        "teknologi",
        "datamaskin",
        "romfart",
    ],
    "travel": [
        "turist",
        "hotell",
        "flyplass",
        "visum",
        "severdighet",
        "reisemål",
    ],
    "politics": [
        "regjering",
        "valg",
        "president",
        "parlament",
        "politiker",
        "politikar",
    ],
    "sports": [
        "mesterskap",
        "meisterskap",
        "spiller",
        "turnering",
        "fotball",
        "landslag",
    ],
    "health": [
        "sykdom",
        "sjukdom",
        "pasient",
        "vaksine",
        "sykehus",
        "smitte",
    ],
    "entertainment": [
        "film",
        "musikk",
        "festival",
        "fjernsyn",
        "artist",
        "konsert",
    ],
    "geography": [
        "landskap",
        "klima",
        "fjell",
        "vassdrag",
        "kontinent",
        "øygruppe",
    ],
}
