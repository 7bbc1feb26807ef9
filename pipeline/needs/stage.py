"""The needs stage as one pure function: the Likert answers and the respondents in; needs per area, by
segment, the programme questions' answers and the need profiles out. No I/O."""

from __future__ import annotations

import logging
from dataclasses import dataclass

import pandas as pd

from pipeline.config import Programme
from pipeline.errors import ConfigError
from pipeline.needs.areas import ipa_centre, score_needs, segment_needs
from pipeline.needs.preferences import median_answer, preferred_sessions, summarise_preferences
from pipeline.needs.profile_tables import need_profile_tables
from pipeline.needs.waves import needs_change, needs_change_by_segment
from pipeline.privacy import group_rare_columns
from pipeline.store import StageOutputs

log = logging.getLogger(__name__)


@dataclass
class NeedsOutputs(StageOutputs):
    needs: pd.DataFrame  # per leadership area: Borich MWDS with intervals, IPA, Locus for Focus, priority
    needs_segments: pd.DataFrame  # the same by role, municipality size and span of control
    preferences: pd.DataFrame  # the programme questions' answers (format, gatherings, willingness to pay)
    need_profiles: pd.DataFrame
    respondent_profiles: pd.DataFrame
    profile_segments: pd.DataFrame
    profile_diagnostics: dict
    needs_summary: dict
    counts: dict[str, int]  # for the run manifest
    needs_change: pd.DataFrame | None = None  # the change since a previous wave (`waves.needs_change`)
    needs_change_segments: pd.DataFrame | None = None  # the same by segment, small cells suppressed


def build(
    programme: Programme,
    likert: pd.DataFrame,
    respondents: pd.DataFrame,
    progress: bool = False,
    previous_likert: pd.DataFrame | None = None,
    wave_items: pd.DataFrame | None = None,
    previous_respondents: pd.DataFrame | None = None,
) -> NeedsOutputs:
    """Needs per area and by segment, the programme questions' answers and the need profiles. Rare
    answers of a segment read "Annet"; cells under the small-cell threshold are suppressed. With a
    previous wave (`previous_likert`, `previous_respondents` and `wave_items` from ingest): each comparable
    area's change, overall and by segment."""
    settings = programme.needs
    table = score_needs(likert, settings, progress=progress)
    known = set(table["area"])
    for topic in programme.topics:
        for area in topic.areas:
            if area not in known:
                log.warning(
                    "%s: topic '%s' links area '%s', which the survey does not measure.",
                    programme.path.name,
                    topic.id,
                    area,
                )
    segments = {"role": settings.role_item, "size_band": "size_band", "span": settings.span_item}
    for item in settings.segment_items:
        if item not in respondents:
            raise ConfigError(
                programme.path,
                "[needs].segment_items",
                f"'{item}' is not a category question of {programme.inputs.codebook.name}: give the item_id "
                "of a question with one answer per respondent, or remove it.",
            )
        segments[item] = item
    k = programme.privacy.min_cell
    grouped = group_rare_columns(respondents, segments.values(), k)  # rare answers read "Annet"
    by_segment = segment_needs(likert, grouped, segments, settings, k)
    preferences = summarise_preferences(
        respondents, [settings.format_item, settings.gatherings_item, settings.wtp_item]
    )
    profiles, assigned, composition, diagnostics = need_profile_tables(
        likert, grouped, segments, k, settings.confidence, settings.seed
    )
    log.info(
        "need profiles: %d chosen (%d respondents placed, %d not placed)",
        diagnostics["chosen"],
        diagnostics["placed"],
        diagnostics["not_placed"],
    )
    summary = {
        "respondents": len(respondents),
        "size_bands": respondents["size_band"].value_counts().sort_index().to_dict(),
        "median_wtp": median_answer(preferences, settings.wtp_item),
        "gatherings": preferred_sessions(preferences, settings.gatherings_item),
        "confidence": settings.confidence,
        "ipa_centre": ipa_centre(table, settings.quadrant_centre),
        "bootstrap": settings.bootstrap,
        "top_n": settings.top_n,
    }
    change = by_segment_change = None
    if previous_likert is not None and wave_items is not None:
        items = wave_items.loc[wave_items["compared"], "item_id"].tolist()
        change = needs_change(
            previous_likert, likert, items, settings.bootstrap, settings.seed, settings.confidence
        )
        summary["waves"] = {  # leaders who answered at least one compared item, per survey
            name: int(w.loc[w["item_id"].isin(items) & w["value"].notna(), "respondent_id"].nunique())
            for name, w in (("previous", previous_likert), ("current", likert))
        }
        if previous_respondents is not None:
            by_segment_change = needs_change_by_segment(
                previous_likert,
                likert,
                group_rare_columns(previous_respondents, segments.values(), k),
                grouped,
                items,
                segments,
                k,
                settings.bootstrap,
                settings.seed,
                settings.confidence,
            )
    return NeedsOutputs(
        needs_change=change,
        needs_change_segments=by_segment_change,
        needs=table,
        needs_segments=by_segment,
        preferences=preferences,
        need_profiles=profiles,
        respondent_profiles=assigned,
        profile_segments=composition,
        profile_diagnostics=diagnostics,
        needs_summary=summary,
        counts={
            "areas": len(table),
            "segment_rows": len(by_segment),
            "suppressed": int(by_segment["suppressed"].sum()),
            "profiles": int(diagnostics["chosen"]),
        },
    )
