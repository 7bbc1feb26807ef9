"""Every stage's logic is one pure function in its package: called on in-memory tables, without a store,
it gives exactly what the stage saved."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from pipeline.config import load_programme
from pipeline.store import Store


def same(outputs, store: Store, tmp_path: Path) -> None:
    """Every table and JSON document of a stage's outputs, saved as the stage saves them, is byte for byte
    the file the stage wrote."""
    from pipeline.stages import save

    mine = Store(tmp_path / "mine")
    save(mine, outputs)
    for name in [*outputs.tables(), *outputs.jsons()]:
        assert mine.path(name).read_bytes() == store.path(name).read_bytes(), name


@pytest.fixture(scope="module")
def run(sample_run: Path) -> tuple:
    store = Store(sample_run)
    return load_programme(store.read_json("run_manifest")["programme_file"]), store


def test_ingest_builds_the_interim_tables_from_the_raw_files_alone(run: tuple, tmp_path: Path) -> None:
    from pipeline import ingest

    programme, store = run
    out = ingest.build(programme)
    same(out, store, tmp_path)
    assert out.ingest_report["survey"]["balanced"]


def test_needs_rank_plan_and_economics_build_from_tables_alone(run: tuple, tmp_path: Path) -> None:
    from pipeline import economics, needs, plan, rank

    programme, store = run
    same(needs.build(programme, store.read("likert"), store.read("respondents")), store, tmp_path)
    ranked = rank.build(
        programme,
        store.read("needs"),
        store.read("themes"),
        store.read("doc_themes"),
        store.read("doc_topics"),
        store.read("likert"),
        store.read("respondent_profiles"),
        store.read("need_profiles"),
    )
    same(ranked, store, tmp_path)
    planned = plan.build(programme, ranked.topic_ranking, store.read("doc_topics"), store.read("themes"))
    same(planned, store, tmp_path)
    assert set(planned.plan["topic_id"]) <= set(ranked.topic_ranking["topic_id"])
    same(economics.build(programme, store.read("respondents")), store, tmp_path)


def test_themes_build_runs_in_a_notebook_without_a_store(run: tuple) -> None:
    """No review sheet and no embedding cache: the words alone, on the interim tables in memory."""
    from pipeline import themes

    programme, store = run
    words_only = replace(programme, themes=replace(programme.themes, embeddings="none", review=None))
    out = themes.build(words_only, store.read("free_text"), store.read("turns"), store.read("respondents"))
    assert out.theme_diagnostics["representation"]["encoder"] is None
    assert out.counts["themes"] == len(out.themes) and out.counts["documents"] == len(out.coding)
    assert set(out.doc_themes["theme_id"]) <= set(out.themes["theme_id"])
    covered = out.themes.loc[~out.themes["emerging"], "topic_id"].dropna()
    assert set(covered) <= {t.id for t in programme.topics}
