"""Themes in free-text answers and informant turns, measured against labels in `make bench`.

- `documents`: substantive answers and informant passages; non-answers counted, not clustered.
- `features`: word (stem + bigram) and sub-word (character n-gram) TF-IDF.
- `model`: `ThemeModel`, spectral clustering of a nearest-neighbour graph; k chosen by coherence,
  exclusivity and stability.
- `describe`: labels, quotes, sources; document-theme assignment (more than one theme allowed).
- `seeds`: which documents use a topic's seed terms; seed terms widened by the shipped related terms.
- `guided`: seed terms of the topic catalogue spread over the graph; theme-topic matches; emerging needs.
- `discover`: the steps above in one call (`discover_themes`), for the stage and for `pipeline.explore`.
- `prevalence`: shares by segment and source with bootstrap intervals; attribute effects.
- `emerging`: which themes no catalogue topic covers are new needs, judged against chance.
- `review`: the analyst's coding sheet, its reviewed rows and the agreement with the machine.
- `stage`: the stage as one pure function (`build(programme, free_text, turns, respondents) ->
  ThemeOutputs`).
"""

from pipeline.themes.describe import assign_documents, describe_themes, theme_label
from pipeline.themes.discover import (
    CatalogueMapping,
    Discovery,
    discover_themes,
    held_out_kappa,
    map_to_catalogue,
    topic_text,
)
from pipeline.themes.documents import collect_documents, split_passages
from pipeline.themes.embedding_cache import Meaning, embed_corpus
from pipeline.themes.features import TextFeatures
from pipeline.themes.guided import assign, doc_topics, guided_scores, match_themes
from pipeline.themes.model import MIN_DOCUMENTS, ThemeModel, fit_rows, theme_id
from pipeline.themes.prevalence import attribute_effects, prevalence_table, respondent_theme_matrix
from pipeline.themes.seeds import expand_catalogue, expand_seed_terms, load_related_terms, seed_matrix
from pipeline.themes.stage import ThemeOutputs, build

__all__ = [
    "ThemeOutputs",
    "build",
    "CatalogueMapping",
    "Discovery",
    "Meaning",
    "embed_corpus",
    "fit_rows",
    "held_out_kappa",
    "topic_text",
    "discover_themes",
    "MIN_DOCUMENTS",
    "TextFeatures",
    "ThemeModel",
    "assign",
    "assign_documents",
    "attribute_effects",
    "collect_documents",
    "describe_themes",
    "doc_topics",
    "expand_catalogue",
    "expand_seed_terms",
    "guided_scores",
    "load_related_terms",
    "map_to_catalogue",
    "match_themes",
    "prevalence_table",
    "respondent_theme_matrix",
    "seed_matrix",
    "split_passages",
    "theme_id",
    "theme_label",
]
