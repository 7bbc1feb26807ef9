"""The review loop: coding sheet written, filled, read back; reviews override and are never lost."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.config import load_programme
from pipeline.errors import InputError
from pipeline.stages import run_stage
from pipeline.store import Store
from pipeline.themes.review import COLUMNS, RETIRED, SHEET, agreement, read_sheet, write_coding_sheet


def fill(path: Path, reviews: dict[int, str]) -> None:
    """Write reviews into rows of the coding sheet (0-based data rows), keeping the other tabs."""
    tabs = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    for row, value in reviews.items():
        tabs[SHEET].loc[row, COLUMNS["reviewed"]] = value
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in tabs.items():
            frame.to_excel(writer, sheet_name=name, index=False)


@pytest.fixture
def themed(project: Path, tmp_path: Path) -> tuple[Path, Store]:
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("seed = 1", 'seed = 1\nreview = "koding.xlsx"'), encoding="utf-8")
    store = Store(tmp_path / "w")
    for stage in ("ingest", "themes"):
        run_stage(stage, load_programme(project), store)
    return project, store


def test_the_sheet_is_written_beside_the_programme_file_most_uncertain_first(themed) -> None:
    project, store = themed
    assert main(["review", "--config", str(project), "--workdir", str(store.workdir), "-q"]) == 0
    sheet = read_sheet(project.parent / "koding.xlsx")
    coding = store.read("coding")
    assert len(sheet) == len(coding) >= 6 and sheet[COLUMNS["key"]].is_unique
    assert sheet[COLUMNS["key"]].str.match(r"^(R\d{4}/utfordringer|int01/\d+/\d+)$").all()
    assert (sheet[COLUMNS["reviewed"]] == "").all()
    assert "Gunnhild" not in " ".join(sheet[COLUMNS["text"]])  # pseudonymised text only


def test_reviews_override_the_machine_and_are_kept_when_the_sheet_is_written_again(themed) -> None:
    project, store = themed
    path = write_coding_sheet(load_programme(project), store)
    sheet = read_sheet(path)
    fill(path, {0: "team", 1: "ingen", 2: "rekruttering; digital"})
    run_stage("themes", load_programme(project), store)
    topics = store.read("doc_topics")
    keys = sheet[COLUMNS["key"]].tolist()[:3]
    doc_keys = topics.assign(
        key=np.where(
            topics["source"] == "survey",
            topics["respondent_id"].astype(str) + "/" + topics["question"].astype(str),
            topics["interview_id"].astype(str)
            + "/"
            + topics["turn"].astype(str)
            + "/"
            + topics["passage"].astype(str),
        )
    )
    by_key = doc_keys.groupby("key")["topic_id"].apply(set)
    assert by_key.get(keys[0]) == {"team"}
    assert keys[1] not in by_key.index  # reviewed as no topic at all
    assert by_key.get(keys[2]) == {"rekruttering", "digital"}
    agree = store.read("review_agreement")
    assert agree.loc[agree["topic_id"] == "alle", "documents"].iloc[0] == 3
    assert store.read_json("theme_diagnostics")["reviewed_documents"] == 3
    # written again: the three reviews stay, first
    write_coding_sheet(load_programme(project), store)
    again = read_sheet(path)
    first = dict(zip(again[COLUMNS["key"]][:3], again[COLUMNS["reviewed"]][:3], strict=True))
    assert first == dict(zip(keys, ["team", "ingen", "rekruttering; digital"], strict=True))


def test_a_reviewed_row_whose_document_is_gone_is_an_error_then_retired(themed) -> None:
    project, store = themed
    path = write_coding_sheet(load_programme(project), store)
    tabs = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    tabs[SHEET].loc[0, COLUMNS["key"]] = "R9999/utfordringer"
    tabs[SHEET].loc[0, COLUMNS["reviewed"]] = "team"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in tabs.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    with pytest.raises(InputError, match=r"row 2, column 'Nøkkel': 'R9999/utfordringer' is no document"):
        run_stage("themes", load_programme(project), store)
    write_coding_sheet(load_programme(project), store)
    assert read_sheet(path, RETIRED)[COLUMNS["key"]].tolist() == ["R9999/utfordringer"]
    run_stage("themes", load_programme(project), store)  # the run goes on; the review is not lost


@pytest.mark.parametrize(
    ("value", "match"),
    [("lederskap", r"row 2, column 'Riktige temaer': unknown topic \['lederskap'\]")],
)
def test_bad_reviews_name_the_sheet_row(themed, value: str, match: str) -> None:
    project, store = themed
    path = write_coding_sheet(load_programme(project), store)
    fill(path, {0: value})
    with pytest.raises(InputError, match=match):
        run_stage("themes", load_programme(project), store)


def test_a_key_reviewed_twice_and_a_broken_file_are_errors(themed) -> None:
    project, store = themed
    path = write_coding_sheet(load_programme(project), store)
    tabs = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    tabs[SHEET].loc[1, COLUMNS["key"]] = tabs[SHEET].loc[0, COLUMNS["key"]]
    tabs[SHEET].loc[[0, 1], COLUMNS["reviewed"]] = "team"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        for name, frame in tabs.items():
            frame.to_excel(writer, sheet_name=name, index=False)
    with pytest.raises(InputError, match=r"row 3, column 'Nøkkel': .* is reviewed twice \(also row 2\)"):
        run_stage("themes", load_programme(project), store)
    with pytest.raises(InputError, match=r"reviewed twice"):
        write_coding_sheet(load_programme(project), store)
    path.write_bytes(b"not a workbook")
    with pytest.raises(InputError, match=r"cannot be read as a coding sheet"):
        run_stage("themes", load_programme(project), store)


def test_agreement_kappa_precision_recall() -> None:
    machine = np.array([[1, 0], [1, 0], [0, 1], [0, 0]], dtype=bool)
    reviewer = np.array([[1, 0], [0, 0], [0, 1], [0, 1]], dtype=bool)
    table = agreement(machine, reviewer, ["a", "b"]).set_index("topic_id")
    assert table.loc["a", "precision"] == 0.5 and table.loc["a", "recall"] == 1.0
    assert table.loc["b", "precision"] == 1.0 and table.loc["b", "recall"] == 0.5
    # kappa of topic a: observed 3/4, expected 0.5*0.25 + 0.5*0.75 = 0.5 -> 0.5
    assert table.loc["a", "kappa"] == pytest.approx(0.5)
    assert table.loc["alle", "documents"] == 4


def test_the_model_score_is_kappa_on_reviewed_rows_it_did_not_learn_from() -> None:
    from pipeline.config import Topic
    from pipeline.themes import ThemeModel, held_out_kappa

    rng = np.random.default_rng(0)
    recruit = ["sykepleiere", "søkere", "rekruttering", "lærere", "stillinger", "vikarer"]
    digital = ["digitalisering", "systemer", "velferdsteknologi", "data", "automatisering", "skyen"]
    texts, truth = [], []
    for i in range(80):
        words = recruit if i % 2 == 0 else digital
        texts.append(" ".join(rng.choice(words, size=5)) + f" svar {i}")
        truth.append([i % 2 == 0, i % 2 == 1])
    truth = np.array(truth)
    topics = [Topic("rekr", "Rekruttering", "", ("lærer",), ()), Topic("dig", "Digitalt", "", ("skyen",), ())]
    model = ThemeModel(n_themes=2, random_state=1).fit(texts)
    reviewed = np.zeros(len(texts), dtype=bool)
    reviewed[:49] = True
    assert held_out_kappa(model, texts, topics, False, (reviewed, truth)) is None  # fewer than 50 reviewed
    reviewed[:60] = True
    score = held_out_kappa(model, texts, topics, False, (reviewed, truth))
    assert score["rows"] == 60 and score["folds"] == 5 and score["kappa"] > 0.8
    shuffled = truth[rng.permutation(len(truth))]  # a reviewer who codes at random: no agreement to learn
    assert held_out_kappa(model, texts, topics, False, (reviewed, shuffled))["kappa"] < 0.3
