"""New needs that are real: substantive, not covered, raised by enough leaders."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.themes.emerging import (
    cohesion_beyond_chance,
    is_programme_talk,
    judge_new_needs,
    suggested_title,
    unsupported_topics,
)


@pytest.mark.parametrize(
    ("text", "practical"),
    [
        ("Samlingene bør være fysiske, gjerne to dager med overnatting på hotell.", True),
        ("Ikke legg samlingene i januar, og helst ikke på fredag.", True),
        ("Vi mister sykepleiere til sykehuset fordi vi ikke kan tilby hele stillinger.", False),
        ("Beredskap og krisehåndtering etter pandemien må vi øve mer på.", False),
    ],
)
def test_practical_talk_about_the_programme(text: str, practical: bool) -> None:
    assert is_programme_talk(text) is practical


def test_suggested_title() -> None:
    assert (
        suggested_title("pandemien, beredskap, krisehåndtering") == "Pandemien, beredskap og krisehåndtering"
    )
    assert suggested_title("klima") == "Klima"


def theme_table(**changes: object) -> pd.DataFrame:
    base = {
        "theme_id": ["T01", "T02", "T03", "T04"],
        "label": ["samlingene, fysisk, dager", "pandemien, beredskap, krise", "a, b", "c, d"],
        "emerging": [True, True, False, True],
        "n_respondents": [30, 27, 40, 2],
        "interviews": [["i1"], ["i1", "i2"], ["i1"], ["i1"]],
    }
    return pd.DataFrame({**base, **changes})


def test_only_substantive_uncovered_and_frequent_themes_are_new_needs() -> None:
    texts = [
        "Samlingene bør være fysiske, to dager med overnatting.",
        "Helst ikke samlinger i januar eller på fredag.",
        "Beredskap og krisehåndtering må vi øve mer på etter pandemien.",
        "Vi trenger bedre planer for kriser og beredskap i kommunen.",
        "Rekruttering av sykepleiere er vanskelig.",
        "Et tema bare to nevner.",
    ]
    labels = np.array([0, 0, 1, 1, 2, 3])
    table = theme_table()
    out = judge_new_needs(
        table, texts, labels, one_word_per_theme(labels), min_respondents=5, min_interviews=2
    )
    assert out["emerging"].tolist() == [False, True, False, False]
    assert out.loc[0, "emerging_reason"].startswith("praktiske innspill")
    assert out.loc[2, "emerging_reason"] == "dekkes av katalogen"
    assert out.loc[3, "emerging_reason"].startswith("for få")
    assert out.loc[1, "suggested_title"] == "Pandemien, beredskap og krise"
    assert table["emerging"].tolist() == [True, True, False, True]  # input unchanged


def one_word_per_theme(labels: np.ndarray) -> np.ndarray:
    """Unit word vectors where the members of each theme use the same word, and no other theme does."""
    return np.eye(labels.max() + 1)[labels]


def test_a_theme_of_leftovers_is_no_new_need() -> None:
    texts = ["Beredskap og krise.", "Kriser og beredskap.", "Ulike ting.", "Helt andre ting.", "x y", "z w"]
    labels = np.array([0, 0, 1, 1, 2, 3])
    words = np.hstack([one_word_per_theme(labels), np.zeros((6, 1))])
    words[3] = np.eye(5)[4]  # theme 1's two answers share no word: leftovers of different things
    table = theme_table(emerging=[True, True, False, False], label=["a, b", "c, d", "e", "f"])
    out = judge_new_needs(table, texts, labels, words, min_respondents=5, min_interviews=2)
    assert out["emerging"].tolist() == [True, False, False, False]
    assert out.loc[1, "emerging_reason"].startswith("for sammensatt")
    assert out.loc[0, "cohesion_z"] > out.loc[1, "cohesion_z"]


def test_cohesion_is_judged_against_chance_not_against_the_other_themes() -> None:
    """Every theme of a run can be coherent (the old rule rejected half of any run), and random groups are
    not."""
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(4), 15)
    coherent = one_word_per_theme(labels) + 0.3 * rng.random((60, 4))
    coherent /= np.linalg.norm(coherent, axis=1, keepdims=True)
    _, z = cohesion_beyond_chance(coherent, labels, 4)
    assert (z > 5).all()
    noise = rng.random((60, 30)) ** 4
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    _, z = cohesion_beyond_chance(noise, labels, 4)
    assert (np.abs(z) < 3).all()


def test_a_theme_full_of_logistics_and_introductions_is_no_new_need_even_below_half() -> None:
    """Interview greetings, logistics and life stories gather in one theme: 9 of its 20 answers are such
    talk, against 1 of 40 elsewhere. Not a majority, but far above chance: no need."""
    need = "Vi må bli bedre på beredskap og krisehåndtering i kommunen."
    practical = "Samlingene bør være fysiske, to dager med overnatting."
    texts = [practical] * 9 + [need] * 11 + [practical] + [need] * 39
    labels = np.array([0] * 20 + [1] * 40)
    table = theme_table(
        theme_id=["T01", "T02"],
        label=["klokka, fjor", "beredskap, krise"],
        emerging=[True, True],
        n_respondents=[30, 30],
        interviews=[["i1"], ["i1"]],
    )
    out = judge_new_needs(
        table, texts, labels, one_word_per_theme(labels), min_respondents=5, min_interviews=2
    )
    assert out["talk_share"].round(3).tolist() == [0.45, 0.025]
    assert out["emerging"].tolist() == [False, True]
    assert out.loc[0, "emerging_reason"].startswith("mye praktisk prat")


def test_unsupported_catalogue_topics() -> None:
    seed_terms = pd.DataFrame({"topic_id": ["a", "a", "b", "c"], "documents": [0, 3, 0, 0]})
    matches = pd.DataFrame({"topic_id": ["b", "c"], "matched": [True, False]})
    assert unsupported_topics(seed_terms, matches) == ["c"]
