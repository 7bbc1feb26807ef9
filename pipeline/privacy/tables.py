"""Privacy applied to the ingest tables: the run's `Pseudonymiser` built from the programme file and the
transcripts' speakers, and every text that leaves ingest passed through it, with project respondent ids and
a count of the replacements per source."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from pipeline import survey
from pipeline.config import Programme
from pipeline.privacy.ids import contact_like_ids, project_ids, replace_ids
from pipeline.privacy.pseudonymiser import Pseudonymiser, pseudonymise_column


def build_pseudonymiser(programme: Programme, respondents: pd.DataFrame, speakers: set[str]) -> Pseudonymiser:
    """The names of the programme file and of the transcripts' speakers; the respondents' municipalities as
    places besides the shipped ones (unless `[privacy].places = false`); the contributors' names and
    `[privacy].keep` as proper nouns that stay."""
    settings = programme.privacy
    municipality = programme.needs.municipality_item
    extra = (
        respondents[municipality].dropna().astype(str).unique().tolist()
        if settings.places and municipality in respondents
        else []
    )
    return Pseudonymiser(
        [*settings.names, *sorted(speakers)],
        places=settings.places,
        extra_places=extra,
        keep=[*settings.keep, *(c.name for c in programme.contributors)],
    )


def pseudonymise_survey(
    tables: survey.SurveyTables,
    turns: pd.DataFrame,
    book: pd.DataFrame,
    pseudonymiser: Pseudonymiser,
    municipality_item: str,
) -> tuple[survey.SurveyTables, pd.DataFrame, dict[str, str], dict[str, dict[str, int]]]:
    """Every text that leaves ingest, pseudonymised: free-text answers, interview turns, category answers
    and multi-choice options (free-typed 'Annet: …'), the values quoted in the quarantine list; respondent
    ids replaced by project ids. Returns the tables, the turns, the id mapping and the replacements per
    source and kind."""
    categories = [
        c
        for c in book.loc[book["type"] == "category", "item_id"]
        if c in tables.respondents and c != municipality_item
    ]
    pseudonymiser.learn([*tables.free_text["text"], *turns["text"]])
    summary: dict[str, dict[str, int]] = {}

    def counted(source: str, work: Callable[[], object]) -> object:
        before = pseudonymiser.summary()
        out = work()
        after = pseudonymiser.summary()
        summary[source] = {k: after[k] - before[k] for k in after}
        return out

    free_text = counted("free_text", lambda: pseudonymise_column(tables.free_text, "text", pseudonymiser))
    turns = counted("interviews", lambda: pseudonymise_column(turns, "text", pseudonymiser))
    respondents, choices = counted(
        "categories",
        lambda: (
            tables.respondents.assign(
                **{c: tables.respondents[c].map(pseudonymiser, na_action="ignore") for c in categories}
            ),
            # an option typed beside the listed ones ('Annet: …') is kept as chosen: pseudonymised too
            pseudonymise_column(tables.choices, "option", pseudonymiser),
        ),
    )
    ids = project_ids(respondents)
    summary["respondent_ids"] = {
        "id": len(ids),
        "contact_like": contact_like_ids(respondents["respondent_id"]),
    }
    quarantined = [
        {**q, "value": ids.get(str(q["value"]), pseudonymiser(str(q["value"]))) if q["value"] != "" else ""}
        for q in tables.report["quarantined"]
    ]
    tables = survey.SurveyTables(
        replace_ids(respondents, ids),
        replace_ids(tables.likert, ids),
        replace_ids(choices, ids),
        replace_ids(free_text, ids),
        {**tables.report, "quarantined": quarantined},
    )
    return tables, turns, ids, summary


def identifying_file_names(stems: list[str], pseudonymiser: Pseudonymiser) -> list[str]:
    """Transcript file names (stems, which become interview ids) that carry a name or a place
    ('intervju_kari_nordmann', 'hurdal_2021'). `pseudonymiser` should be a fresh one: it is used up here."""
    flagged = []
    for stem in stems:
        words = " ".join(w.capitalize() for w in re.split(r"[_\-. ]+", stem) if w)
        if pseudonymiser(words) != words:
            flagged.append(stem)
    return flagged
