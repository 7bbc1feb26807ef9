"""The shipped sample (data/raw) and its ground truth (data/ground_truth): counts, realism checks, that every
ground-truth id is in the data, and that the generator reproduces the files byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from pipeline.config import DEFAULT_CONFIG, load_programme
from pipeline.interviews import build_turns, detect_interviewers, read_cues
from pipeline.privacy import is_valid_fnr
from pipeline.sample.generate import build_sample, fodselsnummer
from pipeline.survey import read_codebook, read_export, tidy_survey
from pipeline.text import is_non_answer

RAW = DEFAULT_CONFIG.parent
TRUTH = RAW.parent / "ground_truth"
EXPORT = RAW / "survey" / "medlemsundersokelse_2021.xlsx"


@pytest.fixture(scope="module")
def export() -> pd.DataFrame:
    return pd.read_excel(EXPORT, dtype=object)


@pytest.fixture(scope="module")
def tables():
    book = read_codebook(RAW / "survey" / "codebook.csv")
    return tidy_survey(read_export(EXPORT, id_column="Respondent-ID"), book, EXPORT)


@pytest.fixture(scope="module")
def truth() -> dict[str, pd.DataFrame]:
    return {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False) for p in TRUTH.glob("*.csv")}


def test_survey_counts(tables, export: pd.DataFrame) -> None:
    assert 240 <= tables.report["rows_kept"] <= 260
    municipalities = tables.respondents["municipality"].dropna()
    assert municipalities.nunique() >= 40
    assert (municipalities == municipalities.str.strip()).all()
    roles = set(tables.respondents["role"].dropna())
    assert roles == {"Kommunedirektør/rådmann", "Kommunalsjef", "Etatsleder", "Stabsleder", "Enhetsleder"}
    assert 10 <= tables.likert["area"].nunique() <= 14
    assert set(tables.likert["dimension"]) == {"importance", "competence"}
    assert (tables.likert["missing_reason"] == "vet ikke").sum() > 0
    assert (tables.likert["missing_reason"] == "blank").sum() > 0
    assert 1 <= tables.report["partial_completions"] <= 20
    assert tables.report["rows_quarantined"] >= 1  # the duplicate submission
    assert export.map(lambda v: isinstance(v, str) and v != v.strip()).to_numpy().any()  # stray whitespace


def test_free_text_is_varied_and_substantive(tables) -> None:
    text = tables.free_text
    substantive = text.loc[~text["text"].map(is_non_answer), "text"]
    assert len(substantive) >= 350
    assert substantive.nunique() / len(substantive) >= 0.95
    lengths = substantive.str.split().str.len()
    assert lengths.min() == 1 and lengths.max() >= 60
    assert (~text["text"].map(is_non_answer)).sum() < len(text)  # there are non-answers too
    assert set(text["question"]) == {"utfordringer", "tema", "annet"}


def test_answers_truth_matches_export(truth, tables) -> None:
    answers = truth["answers"]
    assert (answers["substantive"] == "True").sum() >= 350
    themes = {t for cell in answers["themes"] for t in cell.split(";") if t}
    assert 8 <= len(themes) <= 12
    cells = tables.free_text.set_index(["respondent_id", "question"])["text"]
    for rid, question in answers[["respondent_id", "question"]].itertuples(index=False):
        assert (rid, question) in cells.index, (rid, question)
    assert set(answers["lang"]) >= {"nb", "nn", "en"}


def test_interviews(truth) -> None:
    files = sorted(p for p in (RAW / "interviews").iterdir() if p.is_file())
    assert len(files) == 8
    suffixes = [p.suffix for p in files]
    assert {".vtt", ".docx", ".txt"} <= set(suffixes)
    vtts = [p.read_text(encoding="utf-8") for p in files if p.suffix == ".vtt"]
    assert any("<v " in v for v in vtts) and any(re.search(r"^\d+\n\d\d:", v, re.M) for v in vtts)
    turns = truth["interview_turns"].assign(
        n_words=lambda d: d["n_words"].astype(int), turn=lambda d: d["turn"].astype(int)
    )
    words = turns.groupby("interview_id")["n_words"].sum()
    assert words.between(1000, 2500).all(), words.to_dict()
    assert set(words.index) == {p.stem for p in files}
    for path in files:  # every ground-truth turn is a turn of the ingested transcript, with the same role
        cues = read_cues(path)
        parsed = build_turns(cues, path.stem, detect_interviewers(cues)[0])
        expected = turns[turns["interview_id"] == path.stem].sort_values("turn")
        assert len(parsed) == len(expected), path.name
        assert list(parsed["role"]) == list(expected["role"]), path.name
        informants = expected.loc[expected["role"] == "informant", "speaker"].nunique()
        assert parsed.loc[parsed["role"] == "informant", "speaker"].nunique() == informants, path.name


def test_every_planted_personal_datum_is_in_the_raw_files(truth) -> None:
    pii = truth["pii"]
    assert set(pii["kind"]) == {"name", "email", "phone", "fnr", "speaker"}
    fnrs = pii.loc[pii["kind"] == "fnr", "value"]
    assert len(fnrs) >= 2 and all(is_valid_fnr(v) for v in fnrs)
    raw_text = {}
    for file in set(pii["file"]):
        path = RAW / file
        if path.suffix == ".xlsx":
            raw_text[file] = pd.read_excel(path, dtype=str).fillna("").to_csv()
        elif path.suffix == ".docx":
            from docx import Document

            doc = Document(str(path))
            raw_text[file] = "\n".join(
                [p.text for p in doc.paragraphs]
                + [c.text for t in doc.tables for r in t.rows for c in r.cells]
            )
        else:
            raw_text[file] = path.read_text(encoding="utf-8")
    for kind, value, file in pii[["kind", "value", "file"]].itertuples(index=False):
        if kind == "speaker" and file.endswith(".txt"):
            continue  # plain-text transcripts use labels (I, IP, K1) instead of speaker names
        assert value in raw_text[file], (kind, value, file)


def test_planted_needs_and_segments(truth, tables) -> None:
    needs = truth["population_needs"]
    assert len(needs) == tables.likert["area"].nunique()
    assert set(needs["area"]) == set(tables.likert["area"])
    means = truth["likert_means"]
    assert {"all", "role", "size_band"} <= set(means["segment_type"])


def test_programme_files() -> None:
    programme = load_programme(DEFAULT_CONFIG)
    assert programme.sessions.count == 4 and len(programme.topics) >= 16
    assert {c.name for c in programme.contributors} == {
        "Olympiatoppen",
        "Smart Innovation Norway",
        "Osloregionen",
    }
    variant = load_programme(RAW / "programme_3_samlinger.toml")
    assert variant.sessions.count == 3 and variant.topics == programme.topics
    # the designer's catalogue with exactly as many topics as slots (weak slots get flagged in its plan)
    replan = load_programme(RAW / "programme_replan.toml")  # replanning after the first gathering
    assert replan.sessions.delivered == 1 and replan.topics == programme.topics
    assert replan.inputs.previous_plan.is_file() and replan.inputs.evaluation.is_file()
    twelve = load_programme(RAW / "programme_12_temaer.toml")
    assert len(twelve.topics) == sum(twelve.sessions.slots) == 12
    assert set(twelve.topics) <= set(programme.topics)
    # the planted emerging needs (crisis management; ethics and whistleblowing) have no catalogue topic
    terms = {t for topic in programme.topics for t in topic.seed_terms}
    assert not terms & {"beredskap", "krise", "krisehåndtering", "krisen"}
    assert not terms & {"etikk", "etisk", "habilitet", "varsling", "korrupsjon"}


def test_generator_reproduces_the_shipped_files_byte_for_byte() -> None:
    raw, truth = build_sample()
    for rel, data in raw.items():
        assert (RAW / rel).read_bytes() == data, rel
    for rel, data in truth.items():
        assert (TRUTH / rel).read_bytes() == data, rel


def test_generated_fodselsnumre_are_valid() -> None:
    import random

    assert all(is_valid_fnr(n) for n in fodselsnummer(random.Random(5), 20))


def test_scaled_survey_has_the_export_layout(tmp_path: Path) -> None:
    from pipeline.sample.generate import write_scaled

    path = write_scaled(600, tmp_path)
    book = read_codebook(tmp_path / "codebook.csv")
    scaled = tidy_survey(read_export(path, id_column="Respondent-ID"), book, path)
    assert scaled.report["rows_read"] == 600 and scaled.report["balanced"]
    assert len(scaled.free_text) > 600
