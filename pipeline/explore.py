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
    ranking = rerank(programme, store, weights).merge(
        store.read("topic_ranking")[["topic_id", "rank_lo", "rank_hi"]], on="topic_id"
    )
    count = n_sessions or programme.sessions.count
    programme = replace(
        programme,
        sessions=replace(programme.sessions, count=count, slots=programme.sessions.slots_for(count)),
    )
    affinity = plan.topic_affinity(
        store.read("doc_topics"), store.read("themes"), [t.id for t in programme.topics]
    )
    weight = programme.plan.cohesion if cohesion is None else cohesion
    result = plan.solve_plan(
        programme,
        plan.topic_values(ranking.set_index("topic_id")["score"]),
        count,
        affinity=affinity,
        cohesion=weight,
    )
    table = plan.plan_table(programme, ranking, result, True, affinity)
    return table[["session", "title", "rank", "score", "rationale"]]


def rethemes(programme: Programme, store: Store, n_themes: int) -> pd.DataFrame:
    """Themes with another number of themes: label, size and the nearest catalogue topic share."""
    docs, _non = themes.collect_documents(store.read("free_text"), store.read("turns"))
    meaning = themes.embed_corpus(  # from the run's cache: nothing is embedded twice
        programme.themes.embeddings,
        programme.path,
        docs["text"].tolist(),
        [themes.topic_text(t) for t in programme.topics],
        store,
        rows=themes.fit_rows(len(docs), seed=programme.themes.seed),
    )
    found = themes.discover_themes(
        docs,
        programme.topics,
        programme.themes,
        int(docs["respondent_id"].dropna().nunique()),  # the respondents who wrote: every share's base
        n_themes=n_themes,
        embeddings=meaning.documents,
        topic_embeddings=meaning.topics,
    )
    return found.table[["theme_id", "label", "n_docs", "topic_title", "emerging"]]
