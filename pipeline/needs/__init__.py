"""Needs from the Likert battery: what leaders need most, with honest uncertainty.

- `scores`: Borich MWDS, importance-performance quadrants, Locus for Focus, combined priority.
- `bootstrap`: seeded, vectorised resampling for intervals of MWDS and rank, and P(top n).
- `segments`: size band from the shipped 2021 population table; breakdowns by role, size and span.
- `preferences`: the programme questions (format, number of gatherings, willingness to pay).
- `profiles`: need profiles (kinds of leaders) from a Gaussian mixture, the number chosen by ICL against
  shuffled data, bootstrap stability and the small-cell threshold; `profile_tables` describes them;
  `profile_text` says what each raises in free text (lift) and which profile each topic serves.
- `stage`: the stage as one pure function (`build(programme, likert, respondents) -> NeedsOutputs`).
"""

from __future__ import annotations

from pipeline.needs.areas import (
    NEEDS_COLUMNS,
    SEGMENT_COLUMNS,
    ipa_centre,
    point_estimates,
    score_needs,
    segment_needs,
)
from pipeline.needs.bootstrap import bootstrap_mwds, ranks, summarise
from pipeline.needs.preferences import median_answer, preferred_sessions, summarise_preferences
from pipeline.needs.scores import (
    PRIORITY_NAMES,
    AreaMatrix,
    area_matrix,
    combined_priority,
    ipa_quadrants,
    locus_for_focus,
    weighted_mwds,
)
from pipeline.needs.segments import UNKNOWN_SIZE, add_size_band, load_municipalities, size_band

# the profiles need scikit-learn and scipy.stats (about 0.8 s to import): loaded when first asked for, so
# a stage that only bands municipalities by size does not pay for them
LAZY = {
    "build": "pipeline.needs.stage",
    "NeedsOutputs": "pipeline.needs.stage",
    "need_profile_tables": "pipeline.needs.profile_tables",
    "profile_evidence": "pipeline.needs.profile_text",
    "topics_served": "pipeline.needs.profile_text",
}


def __getattr__(name: str):
    if name in LAZY:
        import importlib

        return getattr(importlib.import_module(LAZY[name]), name)
    raise AttributeError(f"module 'pipeline.needs' has no attribute {name!r}")


__all__ = [
    "NEEDS_COLUMNS",
    "SEGMENT_COLUMNS",
    "point_estimates",
    "ranks",
    "summarise",
    "PRIORITY_NAMES",
    "combined_priority",
    "ipa_quadrants",
    "locus_for_focus",
    "weighted_mwds",
    "AreaMatrix",
    "UNKNOWN_SIZE",
    "add_size_band",
    "area_matrix",
    "ipa_centre",
    "bootstrap_mwds",
    "load_municipalities",
    "median_answer",
    "need_profile_tables",
    "profile_evidence",
    "topics_served",
    "preferred_sessions",
    "score_needs",
    "segment_needs",
    "size_band",
    "summarise_preferences",
]
