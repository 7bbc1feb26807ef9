"""Two survey waves: which items can be compared, and the change in each area's need with an interval that
finds a planted change and rarely flags one that is not there."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.needs.waves import match_items, needs_change


def codebook(areas: dict[str, str], scale: str = "1-5", labels: dict[str, str] | None = None) -> pd.DataFrame:
    rows = [{"column": "ID", "item_id": "respondent_id", "type": "respondent_id"}]
    for area, label in areas.items():
        for dim in ("importance", "competence"):
            item = f"{dim[:3]}_{area}"
            rows.append(
                {
                    "column": item,
                    "item_id": item,
                    "type": "likert",
                    "area": area,
                    "dimension": dim,
                    "scale": scale,
                    "label": (labels or {}).get(item, f"{label} ({dim})"),
                }
            )
    return pd.DataFrame(rows).fillna("")


def test_items_in_one_wave_or_changed_are_left_out_with_the_reason() -> None:
    before = codebook({"digital": "Digitalisering", "endring": "Endring", "klima": "Klima"})
    after = codebook(
        {"digital": "Digitalisering", "endring": "Endring", "ki": "Kunstig intelligens"},
        labels={"com_endring": "Hvor godt rustet er du til å lede omstilling?"},  # reworded
    )
    kept, left_out = match_items(before, after)
    assert kept == ["com_digital", "imp_digital"]
    reasons = dict(zip(left_out["item_id"], left_out["reason"], strict=True))
    assert reasons["imp_klima"] == "only in the previous wave"
    assert reasons["com_ki"] == "only in the current wave"
    assert reasons["com_endring"].startswith("changed between the waves: label")
    assert reasons["imp_endring"] == "its area's other item is not comparable"  # never half an area
    assert set(kept).isdisjoint(reasons)


def test_another_scale_is_not_compared() -> None:
    kept, left_out = match_items(codebook({"digital": "D"}, "1-5"), codebook({"digital": "D"}, "1-7"))
    assert kept == [] and left_out["reason"].str.contains("scale '1-5' -> '1-7'").all()


def wave(n: int, rng: np.random.Generator, competence_shift: dict[str, float] | None = None) -> pd.DataFrame:
    """Likert answers on ten areas, 1–5, importance around 4 and competence around 3."""
    rows = []
    for r in range(n):
        for k in range(10):
            area = f"a{k}"
            imp = np.clip(np.round(rng.normal(4.0, 0.8)), 1, 5)
            comp = np.clip(np.round(rng.normal(3.0 + (competence_shift or {}).get(area, 0.0), 0.8)), 1, 5)
            for dim, value in (("importance", imp), ("competence", comp)):
                rows.append(
                    {
                        "respondent_id": f"R{r:04d}",
                        "item_id": f"{dim[:3]}_{area}",
                        "area": area,
                        "area_label": area.upper(),
                        "dimension": dim,
                        "value": value,
                        "scale_max": 5,
                    }
                )
    return pd.DataFrame(rows)


ITEMS = [f"{d}_a{k}" for k in range(10) for d in ("imp", "com")]


def test_a_planted_change_is_found_and_its_direction_told() -> None:
    rng = np.random.default_rng(1)
    before, after = wave(250, rng), wave(250, rng, {"a3": -0.6, "a7": 0.6})  # a3 grows, a7 falls
    out = needs_change(before, after, ITEMS, resamples=400, seed=2).set_index("area")
    assert out.loc["a3", "clear"] and out.loc["a3", "mwds_change_lo"] > 0
    assert out.loc["a7", "clear"] and out.loc["a7", "mwds_change_hi"] < 0
    assert out.loc["a3", "rank_current"] == 1 and out.loc["a3", "rank_change"] > 0
    assert np.allclose(out["mwds_change"], out["mwds_current"] - out["mwds_previous"])
    assert (out["mwds_change_lo"] <= out["mwds_change_hi"]).all()


def test_waves_without_a_change_rarely_show_one() -> None:
    """A 90 % interval flags about one area in ten by chance: across null waves, far fewer than half."""
    flagged = []
    for seed in range(6):
        rng = np.random.default_rng(100 + seed)
        out = needs_change(wave(200, rng), wave(200, rng), ITEMS, resamples=300, seed=seed)
        flagged.append(out["clear"].mean())
    assert np.mean(flagged) <= 0.2


# a previous wave beside the tiny project of tests/conftest.py: the same questions, asked a year earlier


def previous_project(tmp_path: Path, codebook_text: str | None = None, same: bool = False) -> Path:
    from tests.conftest import CODEBOOK, PROGRAMME, export_csv, write_project

    inputs = 'previous_survey = "forrige.csv"\n' + (
        'previous_codebook = "forrige_kodebok.csv"\n' if codebook_text else ""
    )
    config = write_project(
        tmp_path / "project",
        PROGRAMME.replace('interviews = "interviews"\n', f'interviews = "interviews"\n{inputs}', 1),
    )
    earlier = export_csv(9).replace(".06.2021", ".05.2020").replace(";3;", ";4;")  # better rustet last year
    (config.parent / "forrige.csv").write_text(export_csv() if same else earlier, encoding="utf-8")
    if codebook_text:
        (config.parent / "forrige_kodebok.csv").write_text(codebook_text, encoding="utf-8")
    assert CODEBOOK
    return config


def test_a_previous_wave_is_read_by_the_same_rules_and_compared(tmp_path: Path) -> None:
    from pipeline.cli import main
    from pipeline.store import Store

    config = previous_project(tmp_path)
    workdir = tmp_path / "w"
    for stage in ("ingest", "needs"):
        assert main([stage, "--config", str(config), "--workdir", str(workdir), "-q"]) == 0
    store = Store(workdir)
    previous = store.read("previous_respondents")
    assert len(previous) == 9 and previous["respondent_id"].str.startswith("F").all()  # never R0001 again
    assert store.read("previous_likert")["respondent_id"].isin(previous["respondent_id"]).all()
    assert store.read_json("ingest_report")["previous_survey"]["items_compared"] == 4
    change = store.read("needs_change").set_index("area")
    assert set(change.index) == {"rekr", "dig"}
    assert np.allclose(
        change["mwds_change"], change["mwds_current"] - change["mwds_previous"], equal_nan=True
    )
    names = " ".join(store.read("previous_free_text")["text"])
    assert "Gunnhild" not in names and "Bakkerud" not in names  # the same privacy rules
    again = tmp_path / "again"
    for stage in ("ingest", "needs"):
        assert main([stage, "--config", str(config), "--workdir", str(again), "-q"]) == 0
    for name in ("previous_likert", "wave_items", "needs_change"):  # deterministic, byte for byte
        assert Store(again).path(name).read_bytes() == store.path(name).read_bytes(), name


def one_line_error(config: Path, tmp_path: Path, capsys) -> str:
    from pipeline.cli import main

    assert main(["ingest", "--config", str(config), "--workdir", str(tmp_path / "w"), "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


def test_two_waves_with_the_same_export_are_refused(tmp_path: Path, capsys) -> None:
    err = one_line_error(previous_project(tmp_path, same=True), tmp_path, capsys)
    assert "previous_survey" in err and "same export as survey (survey.csv)" in err


def test_a_previous_codebook_with_other_item_ids_is_refused_by_name(tmp_path: Path, capsys) -> None:
    from tests.conftest import CODEBOOK

    other = CODEBOOK.replace("imp_rekr", "viktig_rekr").replace("imp_dig", "viktig_dig")
    err = one_line_error(previous_project(tmp_path, other), tmp_path, capsys)
    assert "forrige_kodebok.csv" in err and "no leadership area can be compared" in err
    assert "only in the previous wave" in err


def test_a_previous_wave_with_another_scale_is_refused_when_nothing_compares(tmp_path: Path, capsys) -> None:
    from tests.conftest import CODEBOOK, IMP

    seven = IMP.replace("5=Svært viktig", "5=Svært viktig|6=Helt avgjørende|7=Det viktigste")
    err = one_line_error(previous_project(tmp_path, CODEBOOK.replace(IMP, seven)), tmp_path, capsys)
    assert "forrige_kodebok.csv" in err and "changed between the waves: scale" in err


def test_previous_wave_settings_without_the_export_are_refused(tmp_path: Path, capsys) -> None:
    from tests.conftest import PROGRAMME, write_project

    config = write_project(
        tmp_path / "project",
        PROGRAMME.replace(
            'interviews = "interviews"\n', 'interviews = "interviews"\nprevious_survey_sheet = 1\n', 1
        ),
    )
    err = one_line_error(config, tmp_path, capsys)
    assert "previous_survey_sheet" in err and "set previous_survey" in err


def roles(n: int, prefix: str = "R") -> pd.DataFrame:
    """Respondents in four roles: 'leder' 40 %, 'stab' 36 %, 'fag' the rest but four, who are 'direktør'."""
    lead, staff = int(n * 0.4), int(n * 0.36)
    role = ["leder"] * lead + ["stab"] * staff + ["fag"] * (n - lead - staff - 4) + ["direktør"] * 4
    return pd.DataFrame({"respondent_id": [f"{prefix}{r:04d}" for r in range(n)], "role": role})


def test_a_change_in_one_role_only_is_found_there_and_small_cells_stay_hidden() -> None:
    from pipeline.needs.waves import needs_change_by_segment

    rng = np.random.default_rng(5)
    n = 300
    before, after = wave(n, rng), wave(n, rng)
    stab = roles(n).query("role == 'stab'")["respondent_id"]
    grows = after["respondent_id"].isin(stab) & (after["item_id"] == "com_a2")
    after.loc[grows, "value"] = np.clip(
        after.loc[grows, "value"] - 1.5, 1, 5
    )  # 'stab' feels less rustet in a2
    out = needs_change_by_segment(
        before, after, roles(n), roles(n), ITEMS, {"role": "role"}, 5, resamples=300, seed=1
    )
    cell = out.set_index(["segment", "area"])
    assert cell.loc[("stab", "a2"), "clear"] and cell.loc[("stab", "a2"), "mwds_change_lo"] > 0
    assert not cell.loc[("leder", "a2"), "clear"]  # the other role did not change
    hidden = out.loc[out["segment"].isin(["direktør", "fag"])]
    assert hidden["suppressed"].all() and hidden["mwds_change"].isna().all() and not hidden["clear"].any()
    # one hidden role per area could be recovered from the total: the next smallest ('fag') is hidden too
    assert out.groupby("area")["suppressed"].sum().eq(2).all()
    assert (out.loc[~out["suppressed"], "n_min"] >= 5).all()


def test_a_segment_only_one_wave_asks_about_is_not_compared() -> None:
    from pipeline.needs.waves import needs_change_by_segment

    rng = np.random.default_rng(6)
    current = roles(60).assign(took_part=["Ja", "Nei"] * 30)
    out = needs_change_by_segment(
        wave(60, rng), wave(60, rng), roles(60), current, ITEMS, {"took_part": "took_part"}, 5, 200, 1
    )
    assert out.empty


def test_benjamini_hochberg_agrees_with_scipy() -> None:
    from scipy.stats import false_discovery_control

    from pipeline.needs.waves import benjamini_hochberg

    p = np.random.default_rng(3).uniform(size=40) ** 2
    assert np.allclose(benjamini_hochberg(p), false_discovery_control(p))


def test_segment_breakdowns_of_null_waves_flag_almost_nothing() -> None:
    """Four roles times ten areas: 40 cells; at a 10 % false discovery rate a null wave flags few or none,
    where per-cell 90 % intervals alone would flag about four."""
    from pipeline.needs.waves import needs_change_by_segment

    flagged, by_interval = [], []
    for seed in range(3):
        rng = np.random.default_rng(200 + seed)
        out = needs_change_by_segment(
            wave(300, rng), wave(300, rng), roles(300), roles(300), ITEMS, {"role": "role"}, 5, 300, seed
        )
        flagged.append(int(out["clear"].sum()))
        by_interval.append(int(out["interval_clear"].sum()))
    assert sum(flagged) <= 2 and sum(flagged) < sum(by_interval)


def test_a_segment_question_the_codebook_lacks_is_refused_by_key(tmp_path: Path, capsys) -> None:
    from pipeline.cli import main
    from tests.conftest import PROGRAMME, write_project

    config = write_project(tmp_path / "project", PROGRAMME + '\n[needs]\nsegment_items = ["deltatt"]\n')
    workdir = str(tmp_path / "w")
    assert main(["ingest", "--config", str(config), "--workdir", workdir, "-q"]) == 0
    capsys.readouterr()
    assert main(["needs", "--config", str(config), "--workdir", workdir, "-q"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert "segment_items" in err and "'deltatt' is not a category question of codebook.csv" in err


def test_a_segment_question_that_is_already_a_breakdown_is_refused(tmp_path: Path, capsys) -> None:
    from tests.conftest import PROGRAMME, write_project

    config = write_project(tmp_path / "project", PROGRAMME + '\n[needs]\nsegment_items = ["role"]\n')
    err = one_line_error(config, tmp_path, capsys)
    assert "segment_items" in err and "already a breakdown" in err


def test_a_change_and_its_interval_keep_the_side_of_zero_they_are_on() -> None:
    from pipeline.present.waves import change_interval, signed

    assert change_interval(-1.94, -0.04) == "−1,9 til −0,04"  # not "−0,0": the bound's sign is the claim
    assert signed(-0.01) == "0,0" and signed(2.96) == "+3,0" and signed(-0.4) == "−0,4"


def test_resampling_each_area_by_its_answer_pairs_matches_resampling_respondents() -> None:
    """`area_bootstrap` draws counts of answer pairs instead of respondents: the same distribution."""
    from pipeline.needs.bootstrap import area_bootstrap, bootstrap_mwds
    from pipeline.needs.scores import area_matrix

    frame = wave(300, np.random.default_rng(9))
    frame.loc[frame.index % 17 == 0, "value"] = np.nan  # some leave an item blank
    m = area_matrix(frame)
    by_pairs, by_people = area_bootstrap(m, 4000, seed=1), bootstrap_mwds(m, 4000, seed=2)
    assert np.allclose(by_pairs.mean(axis=0), by_people.mean(axis=0), atol=0.05)
    assert np.allclose(by_pairs.std(axis=0), by_people.std(axis=0), rtol=0.08)


def test_a_theme_share_that_grew_is_clear_and_equal_shares_are_not() -> None:
    from pipeline.themes.waves import share_change

    rng = np.random.default_rng(4)
    before = (rng.uniform(size=(240, 3)) < [0.10, 0.20, 0.15]).astype(float)
    after = (rng.uniform(size=(120, 3)) < [0.30, 0.20, 0.02]).astype(float)
    out = share_change([before, after], 2000, seed=1, confidence=0.9)
    assert out.loc[0, "clear"] and out.loc[0, "change_lo"] > 0  # grew
    assert out.loc[2, "clear"] and out.loc[2, "change_hi"] < 0  # faded
    assert np.allclose(out["change"], out["share_current"] - out["share_previous"])
    assert (out["n_previous"] == before.sum(axis=0)).all() and (out["n_current"] == after.sum(axis=0)).all()


def test_words_used_only_in_the_new_survey_are_found_and_steady_words_are_not() -> None:
    from pipeline.themes.waves import changed_terms

    rng = np.random.default_rng(8)
    steady = [
        "rekruttering av sykepleiere",
        "digitalisering av tjenestene",
        "omstilling og kutt i budsjettet",
    ]
    old = [steady[i % 3] for i in range(300)]
    new = [steady[i % 3] for i in range(150)] + ["bosetting av flyktninger og norskopplæring"] * 20
    wave = np.array(["previous"] * len(old) + ["current"] * len(new))
    found = changed_terms(old + new, wave, fdr=0.1)
    assert {"flyktninger", "bosetting"} <= set(found.loc[found["direction"] == "more", "term"])
    assert not found["term"].str.contains("sykepleier|digitalisering|omstilling").any()
    shuffled = rng.permutation(wave)  # the same answers, waves at random: nothing stands out
    assert changed_terms(old + new, shuffled, fdr=0.1).empty


def test_a_theme_surrounded_by_this_surveys_answers_is_new_and_a_shared_one_is_not() -> None:
    """Three groups of answers in a plane: one in both surveys, one in both, one only in the new survey."""
    from sklearn.preprocessing import normalize

    from pipeline.themes.waves import current_themes_then

    rng = np.random.default_rng(12)
    centres = {"A": (1.0, 0.0, 0.0), "B": (0.0, 1.0, 0.0), "C": (0.0, 0.0, 1.0)}

    def answers(centre: str, n: int) -> np.ndarray:
        return np.array(centres[centre]) + rng.normal(0, 0.25, size=(n, 3))

    old = np.vstack([answers("A", 80), answers("B", 80)])
    new = np.vstack([answers("A", 40), answers("B", 40), answers("C", 25)])
    features = normalize(np.vstack([old, new]))
    wave = np.array(["previous"] * len(old) + ["current"] * len(new))
    table = pd.DataFrame(
        {
            "theme_id": ["T01", "T02", "T03"],
            "name": ["a", "b", "c"],
            "label": ["a", "b", "c"],
            "emerging": [True, True, True],
            "emerging_reason": ["", "", ""],
        }
    )
    theme_of_current = np.array(["T01"] * 40 + ["T02"] * 40 + ["T03"] * 25)
    out = current_themes_then(
        table, theme_of_current, features, wave, np.arange(len(wave)), 10, 500, seed=1, confidence=0.9
    ).set_index("theme_id")
    assert out.loc["T03", "new_since_previous"] and out.loc["T03", "neighbours_current"] > 0.8
    assert not out.loc["T01", "new_since_previous"] and not out.loc["T02", "new_since_previous"]
    assert np.isclose(out["base_current"].iloc[0], len(new) / len(wave))
