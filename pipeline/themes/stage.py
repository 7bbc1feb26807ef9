"""The themes stage as one pure function: free text, interview turns and respondents in; themes, the
documents' themes and catalogue topics, the coding sheet, prevalence, effects and diagnostics out.

Reading the analyst's review sheet and the embedding cache are I/O, so they come in as functions: `review`
gets the documents and returns the reviewed rows; `embed` gets the texts and returns their `Meaning`. From
a notebook, leave both out: no review, and the encoder runs without a cache."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pipeline.config import Programme
from pipeline.errors import PipelineError
from pipeline.privacy import group_rare_columns
from pipeline.store import StageOutputs
from pipeline.themes import review as coding
from pipeline.themes.discover import discover_themes, held_out_kappa, topic_text
from pipeline.themes.documents import collect_documents
from pipeline.themes.embedding_cache import Meaning, embed_corpus
from pipeline.themes.guided import doc_topics
from pipeline.themes.model import MIN_DOCUMENTS, fit_rows
from pipeline.themes.prevalence import attribute_effects, prevalence_table, respondent_theme_matrix
from pipeline.themes.waves import current_themes_then, themes_over_time

log = logging.getLogger(__name__)

Reviewed = tuple[np.ndarray, np.ndarray]  # (which documents a person reviewed, their topics)
ReviewReader = Callable[[pd.DataFrame], Reviewed | None]
Embedder = Callable[[list[str], list[str], np.ndarray], Meaning]


@dataclass
class ThemeOutputs(StageOutputs):
    themes: pd.DataFrame
    doc_themes: pd.DataFrame
    doc_topics: pd.DataFrame
    seed_terms: pd.DataFrame
    coding: pd.DataFrame
    review_agreement: pd.DataFrame
    theme_prevalence: pd.DataFrame
    theme_effects: pd.DataFrame
    theme_diagnostics: dict
    counts: dict[str, int]  # for the run manifest
    theme_change: pd.DataFrame | None = None  # with a previous wave: themes of both waves, share per wave
    topic_change: pd.DataFrame | None = None  # ... and the catalogue topics' free-text evidence per wave
    term_change: pd.DataFrame | None = None  # ... and the words used clearly more or less than before
    current_theme_change: pd.DataFrame | None = None  # this run's themes: their share in each survey


def build(
    programme: Programme,
    free_text: pd.DataFrame,
    turns: pd.DataFrame,
    respondents: pd.DataFrame,
    review: ReviewReader | None = None,
    embed: Embedder | None = None,
    progress: bool = False,
    previous_free_text: pd.DataFrame | None = None,
) -> ThemeOutputs:
    """Themes of the free text and the informants' passages, mapped onto the catalogue. With a previous
    wave's free text: themes of both waves' answers together and their share per wave (`waves`)."""
    settings = programme.themes
    docs, non_answers = collect_documents(free_text, turns)
    if len(docs) < MIN_DOCUMENTS:
        raise PipelineError(
            f"only {len(docs)} substantive free-text answers and informant passages; theme "
            f"discovery needs at least {MIN_DOCUMENTS}. Check the codebook's free_text items."
        )
    topic_ids = [t.id for t in programme.topics]
    reviewed = review(docs) if review is not None else None
    texts = docs["text"].tolist()
    rows = fit_rows(len(docs), seed=settings.seed)  # a large corpus: the fitted subset only
    topic_texts = [topic_text(t) for t in programme.topics]

    def meaning_of(texts: list[str], rows: np.ndarray) -> Meaning:
        if embed is not None:
            return embed(texts, topic_texts, rows)
        return embed_corpus(settings.embeddings, programme.path, texts, topic_texts, rows=rows)

    meaning = meaning_of(texts, rows)
    found = discover_themes(
        docs,
        programme.topics,
        settings,
        int(respondents["respondent_id"].isin(docs["respondent_id"].dropna()).sum()),  # who wrote: the base
        progress=progress,
        review=reviewed,
        embeddings=meaning.documents,
        topic_embeddings=meaning.topics,
    )
    model, doc_themes, table, mapping = found.model, found.doc_themes, found.table, found.mapping
    segments = {"role": programme.needs.role_item, "size_band": "size_band"}
    writers = group_rare_columns(  # rare answers read "Annet" in every breakdown
        respondents.loc[respondents["respondent_id"].isin(docs["respondent_id"].dropna())],
        segments.values(),
        programme.privacy.min_cell,
    )
    theme_ids = table["theme_id"].tolist()
    matrix = respondent_theme_matrix(doc_themes, writers["respondent_id"].tolist(), theme_ids)
    prevalence = prevalence_table(
        matrix,
        writers,
        theme_ids,
        segments,
        doc_themes.loc[doc_themes["source"] == "interview"],
        programme.privacy.min_cell,
        seed=settings.seed,
    )
    effects = attribute_effects(
        matrix, writers, theme_ids, list(segments.values()), programme.privacy.min_cell, seed=settings.seed
    )
    machine = mapping.machine if mapping.machine is not None else mapping.assigned
    agreement = (
        coding.agreement(machine[mapping.reviewed], mapping.assigned[mapping.reviewed], topic_ids)
        if mapping.reviewed is not None
        else coding.agreement(
            np.zeros((0, len(topic_ids)), bool), np.zeros((0, len(topic_ids)), bool), topic_ids
        )
    )
    diagnostics = {
        "n_themes": model.n_themes_,
        "chosen_by": "programme file ([themes].n_themes)" if settings.n_themes else "diagnostics",
        "k_range": [settings.k_min, settings.k_max],
        "n_neighbors": model.n_neighbors_,
        "representation": meaning.describe(),
        "candidates": model.diagnostics_.round(4).to_dict(orient="records"),
        "documents": len(docs),
        "survey_documents": int((docs["source"] == "survey").sum()),
        "interview_passages": int((docs["source"] == "interview").sum()),
        "non_answers": len(non_answers),
        "documents_with_seed_terms": int(mapping.seeds.any(axis=1).sum()),
        "related_terms": {True: "shipped list", False: "none"}.get(
            settings.related_terms, str(settings.related_terms)
        ),
        "related_terms_added": int((mapping.seed_terms["source"] == "related").sum()),
        "reviewed_documents": int(mapping.reviewed.sum()) if mapping.reviewed is not None else 0,
        "review_model": held_out_kappa(
            model, texts, programme.topics, settings.related_terms, reviewed, meaning.topics, settings.seed
        )
        if reviewed is not None
        else None,
        "unsupported_topics": list(found.unsupported),
    }
    waves = (
        compare_waves(programme, docs, previous_free_text, table, model.labels_, meaning_of)
        if previous_free_text is not None
        else {}
    )
    if waves:
        diagnostics["waves"] = waves.pop("diagnostics")
    return ThemeOutputs(
        **waves,
        themes=table,
        doc_themes=doc_themes,
        doc_topics=doc_topics(docs, topic_ids, mapping.scores, mapping.assigned),
        seed_terms=mapping.seed_terms,
        coding=coding.coding_sheet(docs, machine, mapping.scores, mapping.seeds, topic_ids),
        review_agreement=agreement,
        theme_prevalence=prevalence,
        theme_effects=effects,
        theme_diagnostics=diagnostics,
        counts={
            "documents": len(docs),
            "non_answers": len(non_answers),
            "themes": model.n_themes_,
            "emerging": int(table["emerging"].sum()),
        },
    )


def compare_waves(
    programme: Programme,
    docs: pd.DataFrame,
    previous_free_text: pd.DataFrame,
    table: pd.DataFrame,
    labels: np.ndarray,
    meaning_of: Callable[[list[str], np.ndarray], Meaning],
) -> dict:
    """The previous survey's answers beside this one's (`waves`): one theme model on both (theme and topic
    shares per survey, changed words), and whether each of this run's themes (`table`, the documents'
    `labels`) is new since then. The tables by their `ThemeOutputs` field, and "diagnostics"."""
    settings = programme.themes
    earlier, _ = collect_documents(
        previous_free_text, pd.DataFrame(columns=["interview_id", "turn", "role", "text"])
    )
    survey = docs["source"].to_numpy() == "survey"
    both = pd.concat([earlier, docs.loc[survey]], ignore_index=True)
    both["doc_id"] = [f"w{i:06d}" for i in range(len(both))]
    wave = np.array(["previous"] * len(earlier) + ["current"] * int(survey.sum()))
    joint = meaning_of(both["text"].tolist(), fit_rows(len(both), seed=settings.seed))
    over_time = themes_over_time(
        both,
        wave,
        programme.topics,
        settings,
        resamples=programme.needs.bootstrap,
        confidence=programme.needs.confidence,
        embeddings=joint.documents,
        topic_embeddings=joint.topics,
    )
    then = current_themes_then(
        table,
        np.asarray(table["theme_id"])[labels[survey]],
        over_time.features,
        wave,
        over_time.fitted,
        over_time.neighbours,
        permutations=1000,
        seed=settings.seed,
        confidence=programme.needs.confidence,
    )
    log.info(
        "themes over two waves: %d themes, %d clear changes; %d of this run's new needs new since then",
        len(over_time.themes),
        int(over_time.themes["clear"].sum()),
        int(then["new_since_previous"].sum()),
    )
    return {
        "theme_change": over_time.themes,
        "topic_change": over_time.topics,
        "term_change": over_time.terms,
        "current_theme_change": then,
        "diagnostics": {"writers": over_time.writers, "themes": len(over_time.themes)},
    }
