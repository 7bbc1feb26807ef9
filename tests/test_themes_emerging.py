"""New needs that are real: substantive, not covered, raised by enough leaders."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pipeline.themes.emerging import is_programme_talk, judge_new_needs, suggested_title, unsupported_topics


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
    similarity = np.full((6, 4), 0.3)
    table = theme_table()
    out = judge_new_needs(table, texts, labels, similarity, min_respondents=5, min_interviews=2)
    assert out["emerging"].tolist() == [False, True, False, False]
    assert out.loc[0, "emerging_reason"].startswith("praktiske innspill")
    assert out.loc[2, "emerging_reason"] == "dekkes av katalogen"
    assert out.loc[3, "emerging_reason"].startswith("for få")
    assert out.loc[1, "suggested_title"] == "Pandemien, beredskap og krise"
    assert table["emerging"].tolist() == [True, True, False, True]  # input unchanged


def test_a_theme_of_leftovers_is_no_new_need() -> None:
    texts = ["Beredskap og krise.", "Kriser og beredskap.", "Ulike ting.", "Helt andre ting.", "x y", "z w"]
    labels = np.array([0, 0, 1, 1, 2, 3])
    similarity = np.full((6, 4), 0.4)
    similarity[[2, 3], 1] = 0.1  # theme 1's members are far from it
    table = theme_table(emerging=[True, True, False, False], label=["a, b", "c, d", "e", "f"])
    out = judge_new_needs(table, texts, labels, similarity, min_respondents=5, min_interviews=2)
    assert out["emerging"].tolist() == [True, False, False, False]
    assert out.loc[1, "emerging_reason"].startswith("for sammensatt")


def test_unsupported_catalogue_topics() -> None:
    seed_terms = pd.DataFrame({"topic_id": ["a", "a", "b", "c"], "documents": [0, 3, 0, 0]})
    matches = pd.DataFrame({"topic_id": ["b", "c"], "matched": [True, False]})
    assert unsupported_topics(seed_terms, matches) == ["c"]
