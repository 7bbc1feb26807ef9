from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.text import stop_words
from pipeline.themes.seeds import (
    expand_catalogue,
    expand_seed_terms,
    load_related_terms,
    parse_related_terms,
    seed_matrix,
    seed_term,
)


def test_expansion_matches_heads_by_stem_and_keeps_order_without_repeats() -> None:
    related = {"rekruttering": ("bemanning", "vakanse", "bemanning"), "klima": ("utslipp",)}
    # 'rekrutteringen' stems like the head 'rekruttering'; 'vakanse' is already a seed
    assert expand_seed_terms(["rekrutteringen", "vakanse"], related) == [
        "rekrutteringen",
        "vakanse",
        "bemanning",
    ]
    assert expand_seed_terms(["budsjett"], related) == ["budsjett"]
    assert expand_seed_terms(["budsjett"], {}) == ["budsjett"]


def test_expanded_terms_find_documents_the_seeds_miss() -> None:
    texts = ["Vi har stor turnover blant sykepleierne", "Budsjettet er stramt", "Rekrutteringen svikter"]
    related = parse_related_terms("rekruttering = turnover; vakante stillinger\n", "ord.txt")
    plain = seed_matrix(texts, [["rekruttering"]])[:, 0]
    wider = seed_matrix(texts, [expand_seed_terms(["rekruttering"], related)])[:, 0]
    assert plain.tolist() == [False, False, True]
    assert wider.tolist() == [True, False, True]


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("# ok\nrekruttering bemanning\n", r"ord\.txt, row 2: expected 'head = term"),
        ("rekruttering = \n", r"row 1: expected"),
        ("a = bemanning\n", r"row 1: the head 'a' has no content word"),
        ("klima = miljø\n\nklima = utslipp\n", r"row 3: 'klima' is listed twice"),
    ],
)
def test_malformed_related_terms_name_file_and_line(text: str, match: str) -> None:
    with pytest.raises(InputError, match=match):
        parse_related_terms(text, "ord.txt")


def test_own_list_replaces_the_shipped_one_and_false_turns_it_off(tmp_path: Path) -> None:
    own = tmp_path / "ord.txt"
    own.write_text("# mine\nrekruttering = bemanning; turnover\n", encoding="utf-8")
    assert load_related_terms(own) == {"rekruttering": ("bemanning", "turnover")}
    assert load_related_terms(False) == {}
    own.write_bytes("klima = milj\xf8\n".encode("latin-1"))
    with pytest.raises(InputError, match="Save it as UTF-8"):
        load_related_terms(own)


def test_shipped_related_terms_are_matchable_and_specific() -> None:
    related = load_related_terms(True)
    assert len(related) >= 100
    stop = stop_words()
    for head, terms in related.items():
        for term in terms:
            # every term keeps a content word; a single word is no stop word
            assert seed_term(term) is not None, (head, term)
            assert " " in term or term not in stop, (head, term)


def test_a_phrase_with_one_content_word_is_matched_whole() -> None:
    # 'skjære ned' keeps one content word; matched on 'skjære' alone it would find every 'skjære'
    texts = ["Vi må skjære ned på alt", "Skjære brød", "Vi skar ned i fjor", "Budsjettet skjæres ned"]
    assert seed_matrix(texts, [["skjære ned"]])[:, 0].tolist() == [True, False, False, True]
    assert seed_matrix(["Mangel på sykepleiere", "Sykepleiermangel", "Vi mangler folk"], [["mangel på"]])[
        :, 0
    ].tolist() == [True, False, False]


def test_a_related_term_that_is_another_topics_seed_stays_with_that_topic() -> None:
    related = {"team": ("samarbeid", "lagånd"), "tillit": ("ærlighet",)}
    catalogue = {"team": ["team", "tillit"], "samarbeid": ["samarbeidet", "region"], "dialog": ["tillit"]}
    assert expand_catalogue(catalogue, related) == {
        "team": ["team", "tillit", "lagånd", "ærlighet"],  # 'samarbeid' stems like the other topic's seed
        "samarbeid": ["samarbeidet", "region"],
        "dialog": ["tillit", "ærlighet"],  # a seed shared by two topics widens both
    }


def test_a_compound_counts_for_its_most_specific_term() -> None:
    texts = ["Klimaomstillingen krever mye", "Omstillingen er krevende", "Medarbeidersamtalene tar tid"]
    hits = seed_matrix(texts, [["omstilling"], ["klimaomstilling"], ["samtale"], ["medarbeidersamtale"]])
    assert hits.tolist() == [
        [False, True, False, False],
        [True, False, False, False],
        [False, False, False, True],
    ]
