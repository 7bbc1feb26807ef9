"""For analysts: what changes if ... ? Load a finished run and try other weights, another number of
gatherings or another number of themes, without touching the run's files (`notebooks/utforsk.ipynb`)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from pipeline import plan, rank, themes
from pipeline.config import PROJ_ROOT, Programme, load_programme
from pipeline.store import Store


def load(workdir: str | Path = "") -> tuple[Programme, Store]:
    """The programme and outputs of a finished run (empty `workdir`: the project root)."""
    store = Store(Path(workdir) if workdir else PROJ_ROOT)
    return load_programme(store.read_json("run_manifest")["programme_file"]), store


def rerank(programme: Programme, store: Store, weights: dict[str, float] | None = None) -> pd.DataFrame:
    """The topic ranking with other weights (the same evidence), best first, beside the run's rank."""
    ranking = store.read("topic_ranking")
    evidence = ranking[
        [
            "topic_id",
            "title",
            "contributors",
            *rank.COMPONENTS.values(),
            "areas",
            "themes",
            "quotes",
            "interviews",
        ]
    ]
    new = rank.rank_topics(evidence, {**programme.weights, **(weights or {})})
    return new.merge(ranking[["topic_id", "rank"]].rename(columns={"rank": "rank_in_run"}), on="topic_id")[
        ["rank", "rank_in_run", "topic_id", "title", "score", *rank.COMPONENTS.values()]
    ]


def replan(
    programme: Programme,
    store: Store,
    n_sessions: int | None = None,
    weights: dict[str, float] | None = None,
    cohesion: float | None = None,
) -> pd.DataFrame:
    """The plan for another number of gatherings and/or other weights; one row per placed topic."""
    run = store.read("topic_ranking")
    ranking = (  # the run's evidence trail, with the score and rank of these weights
        run.drop(columns=["rank", "score"])
        .merge(rerank(programme, store, weights)[["topic_id", "rank", "score"]], on="topic_id")
        .sort_values("rank", kind="stable", ignore_index=True)
    )
    count = n_sessions or programme.sessions.count
    weight = programme.plan.cohesion if cohesion is None else cohesion
    programme = replace(
        programme,
        sessions=replace(programme.sessions, count=count, slots=programme.sessions.slots_for(count)),
        plan=replace(programme.plan, cohesion=weight, sensitivity_samples=0),  # a what-if: no resampling
    )
    out = plan.build(programme, ranking, store.read("doc_topics"), store.read("themes"), counts=(count,))
    return out.plan[["session", "title", "rank", "score", "rationale"]]


def rethemes(programme: Programme, store: Store, n_themes: int) -> pd.DataFrame:
    """Themes with another number of themes: label, size and the nearest catalogue topic share."""
    settings = replace(programme.themes, n_themes=n_themes, review=None)

    def embed(texts: list[str], topic_texts: list[str], rows):  # from the run's cache: nothing twice
        return themes.embed_corpus(settings.embeddings, programme.path, texts, topic_texts, store, rows=rows)

    out = themes.build(
        replace(programme, themes=settings),
        store.read("free_text"),
        store.read("turns"),
        store.read("respondents"),
        embed=embed,
    )
    return out.themes[["theme_id", "label", "n_docs", "topic_title", "emerging"]]
