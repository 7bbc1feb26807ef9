"""Theme discovery in one call, for the theme stage and for the analysts' what-ifs (`pipeline.explore`): fit
the theme model, give every document its themes, map documents and themes to the topic catalogue through
the seed terms, and describe every theme."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from pipeline.config import ThemeSettings, Topic
from pipeline.themes.describe import assign_documents, describe_themes
from pipeline.themes.guided import assign, guided_scores, match_themes
from pipeline.themes.model import ThemeModel


@dataclass(frozen=True)
class Discovery:
    model: ThemeModel
    doc_themes: pd.DataFrame  # one row per document and theme it carries
    scores: np.ndarray  # documents x topics, after spreading the seeds
    seeds: np.ndarray  # documents x topics: the document uses a seed term of the topic
    assigned: np.ndarray  # documents x topics: the topics each document carries
    table: pd.DataFrame  # one row per theme: label, size, sources, quotes, matched topics, emerging


def discover_themes(
    docs: pd.DataFrame,
    topics: Sequence[Topic],
    settings: ThemeSettings,
    n_respondents: int,
    n_themes: int | None = None,
    progress: bool = False,
) -> Discovery:
    """Themes of `docs` (from `collect_documents`); `n_themes` overrides the programme file's setting."""
    if n_themes is not None:
        settings = replace(settings, n_themes=n_themes)
    texts = docs["text"].tolist()
    model = ThemeModel(
        n_themes=settings.n_themes, k_range=(settings.k_min, settings.k_max), random_state=settings.seed
    ).fit(texts, progress=progress)
    scores, seeds = guided_scores(
        model.features_matrix_, texts, [list(t.seed_terms) for t in topics], model.fit_index_
    )
    assigned = assign(scores, seeds)
    matches = match_themes(model.labels_, assigned, [t.id for t in topics], model.n_themes_)
    doc_themes = assign_documents(docs, model)
    table = describe_themes(model, docs, doc_themes, matches, n_respondents, {t.id: t.title for t in topics})
    return Discovery(model, doc_themes, scores, seeds, assigned, table)
