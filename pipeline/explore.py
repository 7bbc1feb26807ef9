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
    result = plan.solve_plan(programme, plan.topic_values(ranking), count, affinity=affinity, cohesion=weight)
    table = plan.plan_table(programme, ranking, result, True, affinity)
    return table[["session", "title", "rank", "score", "rationale"]]


def rethemes(programme: Programme, store: Store, n_themes: int) -> pd.DataFrame:
    """Themes with another number of themes: label, size and the nearest catalogue topic share."""
    docs, _non = themes.collect_documents(store.read("free_text"), store.read("turns"))
    texts = docs["text"].tolist()
    model = themes.ThemeModel(n_themes=n_themes, random_state=programme.themes.seed).fit(texts)
    scores, seeds = themes.guided_scores(
        model.features_matrix_,
        texts,
        [list(t.seed_terms) for t in programme.topics],
        model.fit_index_,
        10,
    )
    matches = themes.match_themes(
        model.labels_, themes.assign(scores, seeds), [t.id for t in programme.topics], model.n_themes_
    )
    table = themes.describe_themes(
        model,
        docs,
        themes.assign_documents(docs, model),
        matches,
        1,
        {t.id: t.title for t in programme.topics},
    )
    return table[["theme_id", "label", "n_docs", "topic_title", "emerging"]]
