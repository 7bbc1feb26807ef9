from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.config import load_programme
from pipeline.errors import ConfigError
from pipeline.manifest import input_hashes
from tests.conftest import PROGRAMME, write_project


def test_loads_and_resolves_paths_relative_to_the_file(project: Path) -> None:
    programme = load_programme(project)
    assert programme.inputs.survey == project.parent / "survey.csv"
    assert programme.sessions.slots == (2, 2, 2)
    assert programme.sessions.slots_for(4) == (2, 2, 2, 2)
    assert [t.id for t in programme.topics][:4] == ["rekruttering", "digital", "prestasjon", "restitusjon"]
    assert programme.privacy.min_cell == 2
    assert len(programme.sha256) == 64


@pytest.mark.parametrize(
    ("old", "new", "match"),
    [
        ("count = 3", "count = 5", r"sessions\.count: must be 3 or 4"),
        ("slots = 2", "slots = [2, 2]", r"sessions\.slots: must be one integer or a list of 3"),
        ('survey = "survey.csv"', 'survey = "nope.csv"', r"inputs\.survey: file .*nope\.csv does not exist"),
        (
            'contributors = ["olt"]\n',
            'contributors = ["xyz"]\n',
            r"topics\[2\]\.contributors: unknown contributor",
        ),
        ("min_cell = 2", "min_cell = 0", r"privacy\.min_cell: must be at least 1"),
        ("survey = 0.5", "survey = -1", r"weights: weights must be non-negative"),
        ("survey = 0.5", "survey = 0.5\nbogus = 1", r"weights\.bogus: unknown key"),
        ("k_min = 2", "k_min = 9", r"themes\.k_min: need 2 <= k_min <= k_max"),
        (
            "k_min = 2",
            'k_min = 2\nrelated_terms = "egne_ord.txt"',
            r"themes\.related_terms: file .*egne_ord\.txt does not exist",
        ),
        ("k_min = 2", "k_min = 2\nrelated_terms = 1", r"themes\.related_terms: must be"),
        ('id = "digital"', 'id = "rekruttering"', r"topics\[1\]\.id: duplicate topic id"),
        ('seed_terms = ["stress", "restitusjon"]', "seed_terms = []", r"topics\[3\]\.seed_terms"),
        ("[sessions]\ncount = 3", "[sessions]\ncount = true", r"sessions\.count: must be a number"),
        ('title = "Restitusjon"', 'title = "Restitusjon"\nrequires = ["ukjent"]', r"topics\[3\]\.requires"),
    ],
)
def test_invalid_values_name_the_key(tmp_path: Path, old: str, new: str, match: str) -> None:
    assert old in PROGRAMME
    path = write_project(tmp_path, PROGRAMME.replace(old, new, 1))
    with pytest.raises(ConfigError, match=match):
        load_programme(path)


def test_missing_required_table_is_named(tmp_path: Path) -> None:
    text = PROGRAMME.replace("[sessions]\ncount = 3\nslots = 2\n", "")
    with pytest.raises(ConfigError, match=r"sessions: is required but missing"):
        load_programme(write_project(tmp_path, text))


def test_toml_syntax_error_says_so(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_programme(write_project(tmp_path, PROGRAMME + "\n[[topics]\n"))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="programme file not found"):
        load_programme(tmp_path / "nothing.toml")


def test_related_terms_setting(tmp_path: Path) -> None:
    assert load_programme(write_project(tmp_path, PROGRAMME)).themes.related_terms is True
    off = PROGRAMME.replace("k_min = 2", "k_min = 2\nrelated_terms = false", 1)
    assert load_programme(write_project(tmp_path, off)).themes.related_terms is False
    (tmp_path / "ord.txt").write_text("rekruttering = bemanning\n", encoding="utf-8")
    own = PROGRAMME.replace("k_min = 2", 'k_min = 2\nrelated_terms = "ord.txt"', 1)
    programme = load_programme(write_project(tmp_path, own))
    assert programme.themes.related_terms == tmp_path / "ord.txt"
    assert "ord.txt" in input_hashes(programme)  # the manifest records the list the run used
