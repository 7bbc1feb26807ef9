"""Theme names from the leaders' own phrases, never built on a generic word."""

from __future__ import annotations

from pipeline.themes.naming import distinctive, is_generic, theme_name


def test_generic_words_and_word_families_are_left_out() -> None:
    assert is_generic("samtidig") and is_generic("gjøre") and not is_generic("sykepleiere")
    terms = ["samtidig", "digitalisering", "digitale", "digitalt", "velferdsteknologi", "gjøre"]
    assert distinctive(terms) == ["digitalisering", "velferdsteknologi"]


def test_the_name_is_the_most_shared_phrase_in_its_written_form() -> None:
    texts = [
        "Rekruttering av sykepleiere er det vanskeligste vi har.",
        "Vi sliter med rekruttering av sykepleiere og fagfolk.",
        "Rekruttering av sykepleiere, samtidig som budsjettet kuttes.",
        "Mangel på fagfolk i helse.",
    ]
    assert theme_name(texts, ["sykepleiere", "rekruttering", "fagfolk", "samtidig"]) == (
        "Rekruttering av sykepleiere"
    )


def test_without_a_shared_phrase_two_terms_are_joined_and_proper_nouns_keep_their_capital() -> None:
    texts = ["Vi kan lære mye av Olympiatoppen.", "Tilbakemelding er viktig.", "Mer om Olympiatoppen."]
    assert theme_name(texts, ["tilbakemelding", "olympiatoppen"]) == "Tilbakemelding og Olympiatoppen"


def test_a_word_capitalised_once_inside_a_list_is_no_proper_noun() -> None:
    texts = [
        "Sykefravær er stort.",
        "Hvordan si nei Sykepleiermangel Omdømme",
        "Sykefravær og turnover.",
        "Vi har høyt sykefravær.",
    ]
    assert theme_name(texts, ["sykefravær", "sykepleiermangel"]) == "Sykefravær og sykepleiermangel"
