"""Theme discovery in one call, for the theme stage and for the analysts' what-ifs (`pipeline.explore`): fit
the theme model, give every document its themes, map documents and themes to the topic catalogue through
the seed terms (widened by the related terms), and describe every theme."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.preprocessing import normalize

from pipeline.config import ThemeSettings, Topic
from pipeline.themes.describe import assign_documents, describe_themes
from pipeline.themes.emerging import judge_new_needs, unsupported_topics
from pipeline.themes.guided import (
    assign,
    assign_with_meaning,
    guided_scores,
    match_themes,
    meant_seeds,
    semantic_scores,
)
from pipeline.themes.model import ThemeModel
from pipeline.themes.seeds import (
    expand_catalogue,
    load_related_terms,
    seed_term,
    seed_term_table,
    term_matrix,
    topic_matrix,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CatalogueMapping:
    seeds: np.ndarray  # documents x topics: the document uses a seed or related term of the topic (and,
    # with an encoder, means it: the match is kept only where the document is close to the topic in meaning)
    scores: np.ndarray  # documents x topics, after spreading the seeds
    assigned: np.ndarray  # documents x topics: the topics each document carries
    seed_terms: pd.DataFrame  # one row per topic and seed or related term: how many documents use it
    reviewed: np.ndarray | None = None  # documents an analyst reviewed (their labels override the machine)
    machine: np.ndarray | None = None  # documents x topics: the machine's coding without the review
    matched: np.ndarray | None = None  # documents x topics: every seed-term match, meant or not
    meaning: np.ndarray | None = None  # documents x topics: standardised semantic similarity (encoder)


@dataclass(frozen=True)
class Discovery:
    model: ThemeModel
    doc_themes: pd.DataFrame  # one row per document and theme it carries
    mapping: CatalogueMapping
    table: pd.DataFrame  # one row per theme: label, size, sources, quotes, matched topics, emerging
    unsupported: tuple[str, ...] = ()  # catalogue topics no document's terms reach and no theme matches


def map_to_catalogue(
    model: ThemeModel,
    texts: list[str],
    topics: Sequence[Topic],
    related_terms: bool | Path,
    review: tuple[np.ndarray, np.ndarray] | None = None,
    topic_embeddings: np.ndarray | None = None,
) -> CatalogueMapping:
    """The documents of a fitted model related to the catalogue topics: seed terms widened by the related
    terms (`[themes].related_terms`), matched, and spread over the model's graph. `review` (documents
    reviewed, their labels): reviewed documents take the analyst's topics, and spread them instead of their
    seed terms; the machine's own coding is kept beside it for the agreement. `topic_embeddings` (one row
    per topic, from `topic_text`), with a model fitted with embeddings: meaning joins the words
    (`guided.assign_with_meaning`)."""
    related = load_related_terms(related_terms)
    for topic in topics:
        for term in topic.seed_terms:
            if seed_term(term) is None:
                log.warning(
                    "topic '%s': the seed term '%s' has no word of three letters or more that is not a stop "
                    "word, so it matches nothing; write it out (e.g. 'kunstig intelligens' for 'KI').",
                    topic.id,
                    term,
                )
    catalogue = {t.id: t.seed_terms for t in topics}
    seed_terms = expand_catalogue(catalogue, related)
    terms = sorted({term for own in seed_terms.values() for term in own})
    hits = term_matrix(texts, terms)
    matched = topic_matrix(hits, terms, list(seed_terms.values()))
    used = seed_term_table(catalogue, seed_terms, dict(zip(terms, hits.sum(axis=0).tolist(), strict=True)))
    meaning = None
    if topic_embeddings is not None and model.embeddings_ is not None:
        meaning = semantic_scores(model.embeddings_, topic_embeddings, model.embedding_mean_)
    seeds = matched if meaning is None else meant_seeds(matched, meaning)

    def coded(taught: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        scores = guided_scores(model.features_matrix_, taught, model.fit_index_)
        return scores, (
            assign(scores, taught) if meaning is None else assign_with_meaning(scores, taught, meaning)
        )

    scores, machine = coded(seeds)
    if review is None or not review[0].any():
        return CatalogueMapping(seeds, scores, machine, used, matched=matched, meaning=meaning)
    reviewed, labels = review
    scores, assigned = coded(np.where(reviewed[:, None], labels, seeds))
    assigned = np.where(reviewed[:, None], labels, assigned)
    return CatalogueMapping(seeds, scores, assigned, used, reviewed, machine, matched, meaning)


MIN_REVIEWED_FOR_SCORE = 50  # reviewed rows before the model's held-out score is shown
SCORE_FOLDS = 5


def held_out_kappa(
    model: ThemeModel,
    texts: list[str],
    topics: Sequence[Topic],
    related_terms: bool | Path,
    review: tuple[np.ndarray, np.ndarray],
    topic_embeddings: np.ndarray | None = None,
    seed: int = 2021,
) -> dict[str, float] | None:
    """The model's score as coding tools show it: Cohen's kappa of the machine against the reviewer on
    reviewed rows the model did not learn from (5-fold: each fifth of the reviewed rows is coded from the
    other four fifths). None below `MIN_REVIEWED_FOR_SCORE` reviewed rows."""
    from pipeline.themes.review import agreement

    reviewed, labels = review
    rows = np.flatnonzero(reviewed)
    if len(rows) < MIN_REVIEWED_FOR_SCORE:
        return None
    order = np.random.default_rng(seed).permutation(rows)
    machine, reviewer = [], []
    for fold in range(SCORE_FOLDS):
        held = order[fold::SCORE_FOLDS]
        taught = reviewed.copy()
        taught[held] = False
        coded = map_to_catalogue(model, texts, topics, related_terms, (taught, labels), topic_embeddings)
        machine.append(coded.assigned[held])
        reviewer.append(labels[held])
    table = agreement(np.vstack(machine), np.vstack(reviewer), [t.id for t in topics])
    overall = table.loc[table["topic_id"] == "alle"].iloc[0]
    return {"kappa": float(overall["kappa"]), "rows": int(len(rows)), "folds": SCORE_FOLDS}


def topic_text(topic: Topic) -> str:
    """What a topic means, for the encoder: its title, description and seed terms."""
    parts = [topic.title.strip(), (topic.description or "").strip(), ", ".join(topic.seed_terms)]
    return ". ".join(p.rstrip(".") for p in parts if p)


def word_vectors(model: ThemeModel):
    """Each document's unit vector on the words alone (the leaders' own words): a new need must be coherent
    in what its documents say, not only close in an encoder's space."""
    features = model.features_matrix_
    if model.embeddings_ is not None:
        features = features[:, : -model.embeddings_.shape[1]]
    return normalize(features)


def discover_themes(
    docs: pd.DataFrame,
    topics: Sequence[Topic],
    settings: ThemeSettings,
    n_respondents: int,
    n_themes: int | None = None,
    progress: bool = False,
    review: tuple[np.ndarray, np.ndarray] | None = None,
    embeddings: np.ndarray | None = None,
    topic_embeddings: np.ndarray | None = None,
) -> Discovery:
    """Themes of `docs` (from `collect_documents`); `n_respondents`: the respondents who wrote an answer among
    `docs`, the base of every theme's share; `n_themes` overrides the programme file's setting;
    `review` as in `map_to_catalogue`; `embeddings` (one row per document) and `topic_embeddings` (one per
    topic) from the sentence encoder, or None for words alone."""
    if n_themes is not None:
        settings = replace(settings, n_themes=n_themes)
    texts = docs["text"].tolist()
    model = ThemeModel(
        n_themes=settings.n_themes, k_range=(settings.k_min, settings.k_max), random_state=settings.seed
    ).fit(texts, progress=progress, embeddings=embeddings)
    mapping = map_to_catalogue(model, texts, topics, settings.related_terms, review, topic_embeddings)
    matches = match_themes(model.labels_, mapping.assigned, [t.id for t in topics], model.n_themes_)
    doc_themes = assign_documents(docs, model)
    table = describe_themes(model, docs, doc_themes, matches, n_respondents, {t.id: t.title for t in topics})
    table = judge_new_needs(
        table,
        texts,
        model.labels_,
        word_vectors(model),
        settings.new_need_min_respondents,
        settings.new_need_min_interviews,
    )
    return Discovery(
        model, doc_themes, mapping, table, tuple(unsupported_topics(mapping.seed_terms, matches))
    )
