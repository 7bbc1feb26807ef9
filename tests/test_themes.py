from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.metrics import normalized_mutual_info_score

from pipeline.config import Topic
from pipeline.themes import (
    ThemeModel,
    assign,
    attribute_effects,
    collect_documents,
    map_to_catalogue,
    match_themes,
    prevalence_table,
    seed_matrix,
    split_passages,
)
from pipeline.themes.describe import pick_quotes, theme_label
from pipeline.themes.features import TextFeatures

TOPICS = {
    "rekruttering": [
        "Vi får ikke tak i sykepleiere",
        "Rekruttering av sykepleiere og lærere er vanskelig",
        "Sykepleiermangel i hjemmetjenesten",
        "For få søkere til ledige stillinger, særlig sykepleiere",
        "Konkurransen om sykepleiere med Oslo",
        "Rekruttere og beholde lærere og sykepleiere",
        "Mangel på søkere til sykepleierstillinger",
        "Vanskelig å rekruttere fagfolk og sykepleiere",
        "Ingen søkere på stillingene for lærere",
        "Rekrutteringen av sykepleiere svikter",
    ],
    "digital": [
        "Digitalisering av tjenestene",
        "Ny teknologi og digitalisering i kommunen",
        "Velferdsteknologi og digitale løsninger",
        "Digitale systemer som ikke snakker sammen",
        "Digital kompetanse og ny teknologi",
        "Teknologi og digitalisering av skolen",
        "Digitaliseringen går for sakte",
        "Bruk av ny teknologi og digitale verktøy",
        "Digitale tjenester til innbyggerne",
        "Teknologi, data og digitalisering",
    ],
    "klima": [
        "Klimaomstilling og grønt skifte",
        "Klima og miljø i arealplanene",
        "Klimamål og utslipp fra transport",
        "Bærekraft, klima og natur",
        "Det grønne skiftet og klimabudsjett",
        "Klimatilpasning og flom",
        "Miljø og klima i all planlegging",
        "Utslippskutt og klimaomstilling",
        "Klima og transport i regionen",
        "Grønn omstilling og klima",
    ],
}


@pytest.fixture(scope="module")
def corpus() -> tuple[list[str], np.ndarray]:
    texts = [t for docs in TOPICS.values() for t in docs]
    labels = np.repeat(np.arange(len(TOPICS)), 10)
    return texts, labels


def test_split_passages_cuts_at_sentence_ends() -> None:
    text = " ".join(f"Setning nummer {i} har akkurat syv ord." for i in range(40))  # 280 words
    parts = split_passages(text, max_words=120, target=80)
    assert len(parts) == 4 and all(p.endswith(".") for p in parts)
    assert " ".join(parts) == text and all(len(p.split()) <= 120 for p in parts)
    assert split_passages("Kort svar.") == ["Kort svar."]


def test_collect_documents_counts_non_answers_and_skips_interviewers() -> None:
    free_text = pd.DataFrame(
        {
            "respondent_id": ["1", "2", "3"],
            "question": ["q", "q", "q"],
            "question_label": ["Q"] * 3,
            "text": ["Rekruttering er vanskelig", "Nei", "-"],
        }
    )
    long_turn = " ".join(["Dette er en lang setning om rekruttering av sykepleiere."] * 30)
    turns = pd.DataFrame(
        {
            "interview_id": ["i1", "i1"],
            "turn": [1, 2],
            "speaker": ["Intervjuer 1", "Informant 1"],
            "role": ["interviewer", "informant"],
            "start_s": [0.0, 1.0],
            "end_s": [1.0, 2.0],
            "text": ["Hva er viktigst?", long_turn],
            "n_words": [3, 270],
        }
    )
    docs, non = collect_documents(free_text, turns)
    assert len(non) == 2 and set(non["text"]) == {"Nei", "-"}
    assert (docs["source"] == "survey").sum() == 1
    interview = docs[docs["source"] == "interview"]
    assert len(interview) > 1 and list(interview["passage"]) == list(range(1, len(interview) + 1))
    assert "Hva er viktigst?" not in docs["text"].tolist()


def test_theme_model_recovers_clear_topics_and_is_deterministic(corpus) -> None:
    texts, labels = corpus
    model = ThemeModel(n_themes=3, random_state=1).fit(texts)
    assert normalized_mutual_info_score(labels, model.labels_) > 0.8
    again = ThemeModel(n_themes=3, random_state=1).fit(texts)
    np.testing.assert_array_equal(model.labels_, again.labels_)
    assert (
        model.similarity_.shape == (30, 3)
        and (model.transform(texts).argmax(1) == model.predict(texts)).all()
    )
    sizes = np.bincount(model.labels_)
    assert list(sizes) == sorted(sizes, reverse=True)  # T01 is the largest


def test_features_carry_content_not_the_style_of_speech(corpus) -> None:
    """Interview talk around the same content words (fillers, function words) must not change a document's
    features: otherwise passages group by genre instead of by what is said."""
    texts, _labels = corpus
    features = TextFeatures().fit(texts)
    plain = features.transform(["Sykepleiermangel i hjemmetjenesten"])
    spoken = features.transform(
        ["Ja, altså, det er jo sånn at, ehm, det er vel sykepleiermangel i hjemmetjenesten da, liksom."]
    )
    np.testing.assert_allclose(plain.toarray(), spoken.toarray(), atol=1e-6)
    assert plain.nnz > 0


def test_number_of_themes_is_chosen_in_range_and_reported(corpus) -> None:
    texts, _labels = corpus
    model = ThemeModel(k_range=(2, 6), random_state=1).fit(texts)
    d = model.diagnostics_
    assert list(d["k"]) == [2, 3, 4, 5, 6] and d["chosen"].sum() == 1
    assert model.n_themes_ == int(d.loc[d["chosen"], "k"].iloc[0])
    assert {"coherence", "exclusivity", "stability"} <= set(d.columns)
    stable = d.loc[d["stability"] >= 0.9, "k"]
    assert model.n_themes_ == (stable.max() if len(stable) else d.sort_values("stability")["k"].iloc[-1])


def test_estimator_contract() -> None:
    model = ThemeModel(n_themes=4, k_range=(3, 8))
    assert clone(model).get_params() == model.get_params()
    assert not hasattr(model, "labels_")
    with pytest.raises(ValueError, match="at least"):
        ThemeModel().fit(["a", "b"])


def test_seed_terms_match_stems_compounds_and_phrases() -> None:
    texts = [
        "Sykepleiermangelen er stor",
        "Vi sitter i siloer",
        "Samarbeid på tvers av sektorer",
        "Ingenting her",
    ]
    seeds = seed_matrix(texts, [["mangel"], ["på tvers", "silo"]])
    assert seeds.tolist() == [[True, False], [False, True], [False, True], [False, False]]


def test_assign_keeps_seeds_and_spreads_to_the_rest() -> None:
    scores = np.array([[0.9, 0.8], [0.2, 0.6], [0.0, 0.0]])
    seeds = np.array([[True, False], [False, False], [False, False]])
    assert assign(scores, seeds).tolist() == [[True, False], [False, True], [False, False]]


def test_theme_without_topic_is_emerging() -> None:
    labels = np.array([0, 0, 0, 1, 1, 1])
    assigned = np.array([[1, 0], [1, 0], [0, 0], [0, 0], [0, 1], [0, 1]], dtype=bool)
    matches = match_themes(labels, assigned, ["a", "b"], 2)
    matched = matches[matches["matched"]]
    assert matched[["theme_id", "topic_id"]].values.tolist() == [["T01", "a"], ["T02", "b"]]
    assert match_themes(labels, np.zeros((6, 2), bool), ["a", "b"], 2)["matched"].sum() == 0


def test_prevalence_suppresses_small_segments_and_effects_recover_a_difference() -> None:
    rng = np.random.default_rng(0)
    role = np.array(["A"] * 120 + ["B"] * 120 + ["C"] * 2 + ["D"] * 1)  # two small: no second cell hidden
    has = np.where(role == "B", rng.uniform(size=243) < 0.6, rng.uniform(size=243) < 0.2).astype(float)
    matrix = np.column_stack([has, rng.uniform(size=243) < 0.3]).astype(float)
    respondents = pd.DataFrame({"respondent_id": [str(i) for i in range(243)], "role": role})
    table = prevalence_table(
        matrix, respondents, ["T01", "T02"], {"role": "role"}, pd.DataFrame(), min_cell=5, resamples=300
    )
    by = table.set_index(["segment_type", "segment", "theme_id"])
    assert by.loc[("role", "C", "T01"), "suppressed"] and np.isnan(by.loc[("role", "C", "T01"), "share"])
    assert by.loc[("role", "B", "T01"), "share_lo"] > by.loc[("role", "A", "T01"), "share_hi"]
    effects = attribute_effects(matrix, respondents, ["T01", "T02"], ["role"], min_cell=5, resamples=300)
    b = effects.set_index(["theme_id", "level"]).loc[("T01", "B")]
    assert b["reference"] in ("A", "B") and b["effect_lo"] > 0.2


def test_interview_prevalence_counts_passages_not_passage_theme_pairs() -> None:
    # three passages; the first carries two themes
    interview = pd.DataFrame({"doc_id": ["i1", "i1", "i2", "i3"], "theme_id": ["T01", "T02", "T01", "T02"]})
    respondents = pd.DataFrame({"respondent_id": ["r1", "r2"]})
    table = prevalence_table(
        np.array([[1.0, 0.0], [0.0, 1.0]]), respondents, ["T01", "T02"], {}, interview, 1, resamples=50
    )
    rows = table.loc[table["segment"] == "interview"].set_index("theme_id")
    assert rows["n"].tolist() == [3, 3]
    assert rows["share"].round(3).tolist() == [0.667, 0.667]


def test_quotes_skip_near_duplicates_and_labels_skip_repeated_words() -> None:
    texts = [
        "Vi får ikke tak i sykepleiere til sykehjemmet",
        "Vi får ikke tak i sykepleiere til sykehjemmene",
        "Lærermangelen i skolen er et stort problem for oss",
    ]
    quotes = pick_quotes(texts, np.array([3.0, 2.0, 1.0]), n=2)
    assert quotes == [texts[0], texts[2]]
    assert (
        theme_label(["lære", "lære toppidretten", "prestasjonskultur", "mål"])
        == "lære toppidretten, prestasjonskultur, mål"
    )


def test_catalogue_mapping_uses_related_terms_and_warns_of_unmatchable_seeds(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    texts = [t for group in TOPICS.values() for t in group]
    model = ThemeModel(n_themes=3, random_state=1).fit(texts)
    own = tmp_path / "ord.txt"
    own.write_text("rekruttering = sykepleiere\n", encoding="utf-8")
    topics = [Topic("rek", "Rekruttering", "", ("rekruttering", "KI"), ())]
    with caplog.at_level("WARNING"):
        plain = map_to_catalogue(model, texts, topics, False)
        wider = map_to_catalogue(model, texts, topics, own)
    assert "'KI' has no word of three letters or more" in caplog.text
    assert wider.seeds[:, 0].sum() > plain.seeds[:, 0].sum()
    rows = wider.seed_terms.set_index("term")
    assert rows.loc["sykepleiere", "source"] == "related" and rows.loc["KI", "documents"] == 0
    assert rows.loc["rekruttering", "documents"] == plain.seeds[:, 0].sum()
