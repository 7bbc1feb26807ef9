"""The shipped second wave (programme_2023.toml) end to end: the planted changes are found with their sign,
every sentence about a change agrees with the table beside it, the workbook and the board paper carry the
same rows, and neither wave's personal data reaches the outputs."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.config import PROJ_ROOT
from pipeline.store import Store
from pipeline.text import format_number

TRUTH = PROJ_ROOT / "data" / "ground_truth"


@pytest.fixture(scope="module")
def wave_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from pipeline.cli import main

    workdir = tmp_path_factory.mktemp("wave_2023")
    config = PROJ_ROOT / "data" / "raw" / "programme_2023.toml"
    assert main(["run", "--config", str(config), "--workdir", str(workdir), "-q"]) == 0
    return workdir


def visible_text(path: Path) -> str:
    """A report's text as a reader sees it (tags and embedded images out, entities read)."""
    import html

    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    body = re.sub(r'src="data:[^"]*"', "", body)
    return re.sub(r"[ \t\r\n]+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def test_the_planted_changes_in_need_are_found_with_their_sign(wave_run: Path) -> None:
    truth = pd.read_csv(TRUTH / "wave_2023" / "needs_change.csv", keep_default_na=False)
    planted = truth.loc[(truth["segment_type"] == "all") & (truth["planted"].isin(["grows", "falls"]))]
    assert set(planted["planted"]) == {"grows", "falls"}
    found = Store(wave_run).read("needs_change").set_index("area")
    for row in planted.itertuples(index=False):
        assert found.loc[row.area, "clear"], row.area
        assert np.sign(found.loc[row.area, "mwds_change"]) == np.sign(row.change), row.area


def test_the_planted_role_change_shows_in_that_role_only(wave_run: Path) -> None:
    truth = pd.read_csv(TRUTH / "wave_2023" / "needs_change.csv", keep_default_na=False)
    only = truth.loc[truth["planted"].str.contains("only"), "area"].unique()  # planted in one role only
    role = truth.loc[
        (truth["segment_type"] == "role") & truth["area"].isin(only) & (truth["change"].abs() > 1e-9)
    ]
    assert len(only) == 1 and role["segment"].nunique() == 1
    cells = Store(wave_run).read("needs_change_segments").set_index(["segment_type", "segment", "area"])
    for row in role.itertuples(index=False):
        cell = cells.loc[("role", row.segment, row.area)]
        assert cell["interval_clear"] and np.sign(cell["mwds_change"]) == np.sign(row.change)
    same_area = cells.xs("role", level="segment_type").xs(role["area"].iloc[0], level="area")
    others = same_area.drop(index=role["segment"].iloc[0])
    assert not others["clear"].any()


def test_a_question_only_the_new_survey_asks_breaks_the_needs_down_in_the_report(wave_run: Path) -> None:
    """[needs].segment_items = ["deltatt"]: the needs by whether the leader took part, small cells hidden;
    not compared across the surveys, since 2021 did not ask."""
    store = Store(wave_run)
    segments = store.read("needs_segments")
    took_part = segments.loc[segments["segment_type"] == "deltatt"]
    assert set(took_part["segment"]) == set(store.read("respondents")["deltatt"].dropna())
    assert "deltatt" not in set(store.read("needs_change_segments")["segment_type"])
    page = (wave_run / "reports" / "behov.html").read_text(encoding="utf-8")
    assert 'alt="Varmekart over Borich-skår per lederområde og deltatt i lederprogrammet.' in page


def test_the_fading_theme_is_found_and_no_other_theme_changes(wave_run: Path) -> None:
    """The 2021 pandemic answers fade in 2023 (planted); no theme the sample kept steady is flagged."""
    change = Store(wave_run).read("theme_change")
    clear = change.loc[change["clear"]]
    assert len(clear) >= 1 and (clear["change"] < 0).all()
    assert clear["name"].str.contains("pandemi|krise", case=False).all()
    assert (change["current_doc_share"].between(0, 1)).all()


def test_the_needs_report_says_what_the_table_says(wave_run: Path) -> None:
    from pipeline.present import load_run, waves

    run = load_run(wave_run)
    text = visible_text(wave_run / "reports" / "behov.html")
    assert "Endringer siden forrige undersøkelse" in text
    change = run.tables["needs_change"]
    lines = waves.needs_lines(run)
    for row in change.itertuples(index=False):
        line = next((line for line in lines if line.startswith(f"{row.area_label}: ")), "")
        assert bool(line) == bool(row.clear), row.area_label  # the clear changes are said, the rest are not
        if row.clear:
            way = "økt" if row.mwds_change > 0 else "gått ned"
            assert f"behovet har {way} tydelig" in line
            said = (
                f"er {format_number(row.mwds_current, 1)} nå, mot {format_number(row.mwds_previous, 1)} sist"
            )
            assert said in line and f"nr. {int(row.rank_current)} av {len(change)}" in line
    rest = len(change) - int(change["clear"].sum())
    assert f"de andre {rest} lederområdene" in text
    for line in lines:
        assert line in text


def test_the_themes_report_and_the_workbook_carry_the_same_rows(wave_run: Path) -> None:
    from openpyxl import load_workbook

    from pipeline.present import load_run
    from pipeline.text import format_percent

    run = load_run(wave_run)
    text = visible_text(wave_run / "reports" / "temaer.html")
    change = run.tables["theme_change"]
    assert "Endringer siden forrige undersøkelse" in text
    for row in change.loc[change["clear"]].itertuples(index=False):
        said = f"fra {format_percent(row.share_previous)} til {format_percent(row.share_current)}"
        assert said in text
    then = run.tables["current_theme_change"]
    emerging = then.loc[then["emerging"] & (then["n_answers"] > 0)]
    assert len(emerging)  # the run's new needs are each checked against the previous survey
    for row in emerging.itertuples(index=False):
        said = f"er {format_percent(row.neighbours_current)} fra denne undersøkelsen, mot " + format_percent(
            row.base_current
        )
        assert said in text
        assert ("er nytt siden sist" in text) >= bool(row.new_since_previous)
    book = load_workbook(wave_run / "reports" / "programplan.xlsx")
    needs = list(book["Endringer i behov"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in needs] == run.tables["needs_change"]["area_label"].tolist()
    assert [r[8] == "Ja" for r in needs] == run.tables["needs_change"]["clear"].tolist()
    themes = list(book["Endringer i fritekst"].iter_rows(min_row=2, values_only=True))
    assert [r[6] == "Ja" for r in themes] == change["clear"].tolist()
    # the change in points is the same number in the workbook as on the page (as the shares are shown)
    from pipeline.present.waves import points, signed

    for r, row in zip(themes, change.itertuples(index=False), strict=True):
        said = points(row.share_previous, row.share_current)
        assert f"{signed(r[3], 0)} prosentpoeng" == said
        if row.clear:
            assert said in text


def test_the_board_paper_and_landing_page_tell_what_the_plan_does_with_a_change(wave_run: Path) -> None:
    from docx import Document

    from pipeline.deliver import findings
    from pipeline.deliver.board import asked_sessions
    from pipeline.present import load_run

    run = load_run(wave_run)
    lines = findings.changes_lines(run)
    asked = asked_sessions(run, int(run.tables["plan"].loc[lambda d: d["chosen"], "n_sessions"].iloc[0]))
    board_lines = findings.changes_lines(run, asked)
    change = run.tables["needs_change"]
    waves = run.needs_summary["waves"]
    assert waves["previous"] >= change["n_previous"].max() and waves["current"] >= change["n_current"].max()
    assert lines and f"I forrige medlemsundersøkelse svarte {waves['previous']} ledere" in lines[0]
    assert f"i denne {waves['current']}." in lines[0]
    paper = "\n".join(p.text for p in Document(wave_run / "reports" / "styresak.docx").paragraphs)
    landing = visible_text(wave_run / "reports" / "index.html")
    for line in lines:
        assert line in landing
    for line in board_lines:
        assert line in paper
    plan = run.tables["plan"]
    chosen = set(plan.loc[plan["chosen"], "title"])
    asked_titles = set(plan.loc[plan["n_sessions"] == asked, "title"]) if asked else chosen
    titles = {t.title for t in run.programme.topics}
    checked = 0
    for said, plan_titles in ((lines, chosen), (board_lines, asked_titles)):
        for sentence in (s for line in said for s in re.split(r"(?<=\.) ", line)):
            for title in re.findall(r"«([^»]+)»", sentence):
                if title not in titles:
                    continue  # a theme's name, not a programme topic
                if re.search(r"men er ikke med i forslaget( med \w+ samlinger)?\.$", sentence):
                    assert title not in plan_titles, title
                elif re.search(r"er med i forslaget( med \w+ samlinger)?\.$", sentence):
                    assert title in plan_titles, title
                checked += 1
    assert checked


def test_no_personal_data_of_either_wave_reaches_the_outputs(wave_run: Path) -> None:
    current = pd.read_csv(TRUTH / "wave_2023" / "pii.csv", dtype=str)
    previous = pd.read_csv(TRUTH / "pii.csv", dtype=str)
    values = set(current["value"]) | set(previous.loc[previous["file"].str.startswith("survey/"), "value"])
    assert len(values) >= 8
    seen = []
    for folder in ("data/processed", "reports"):
        for path in (wave_run / folder).rglob("*"):
            if path.suffix in (".parquet", ".json", ".html", ".csv"):
                data = (
                    pd.read_parquet(path).to_csv()
                    if path.suffix == ".parquet"
                    else path.read_text(errors="ignore")
                )
                seen += [(path.name, v) for v in values if v in data]
    assert not seen


def test_the_secretariats_assessment_names_the_grown_needs_the_proposal_does_not_build_on(
    wave_run: Path,
) -> None:
    from docx import Document

    from pipeline.deliver.board import asked_sessions
    from pipeline.deliver.findings import grown_needs_sentence
    from pipeline.present import load_run

    run = load_run(wave_run)
    plan = run.tables["plan"]
    asked = asked_sessions(run, int(plan.loc[plan["chosen"], "n_sessions"].iloc[0]))
    (sentence,) = grown_needs_sentence(run, asked)
    paper = "\n".join(p.text for p in Document(wave_run / "reports" / "styresak.docx").paragraphs)
    assert sentence in paper
    rows = plan.loc[plan["chosen"]] if asked is None else plan.loc[plan["n_sessions"] == asked]
    covered = {a for t in run.programme.topics if t.id in set(rows["topic_id"]) for a in t.areas}
    change = run.tables["needs_change"]
    for row in change.loc[change["clear"] & (change["mwds_change"] > 0)].itertuples(index=False):
        assert row.area_label.lower() in sentence
        outside = (
            "Ingen av programtemaene i forslaget bygger på" in sentence
            and row.area_label.lower()
            in (sentence.split("Ingen av programtemaene i forslaget bygger på")[-1])
        )
        assert outside == (row.area not in covered), row.area


def test_the_workbook_carries_the_group_changes_and_hides_small_cells(wave_run: Path) -> None:
    from openpyxl import load_workbook

    cells = Store(wave_run).read("needs_change_segments")
    rows = list(load_workbook(wave_run / "reports" / "programplan.xlsx")["Endringer i grupper"].values)
    header, body = rows[0], rows[1:]
    assert len(body) == len(cells)
    flag = header.index("Tydelig endring (nevnt i rapporten)")
    for row, cell in zip(body, cells.itertuples(index=False), strict=True):
        assert row[1] == cell.segment and row[2] == cell.area_label
        if cell.suppressed:  # a hidden cell shows no numbers at all
            assert all(v is None for v in row[3:flag]) and row[flag].startswith("skjult")
        else:
            assert row[3] == cell.n_previous and row[4] == cell.n_current
            assert row[3] >= 5 and row[4] >= 5
            assert row[flag] == ("Ja" if cell.clear else "Nei")
    assert any(cell.suppressed for cell in cells.itertuples(index=False))  # the sample has small cells
