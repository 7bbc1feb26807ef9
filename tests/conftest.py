"""Shared fixtures: a tiny, complete project folder (programme file, codebook, CSV export, transcripts)
written into a temp folder, so tests never depend on the shipped sample's details."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from pipeline.cli import main

CHDIR_CALLS: list[str] = []  # directories the sample run changed into (reports render two at a time)
START_DIR = os.getcwd()


@pytest.fixture(scope="session")
def sample_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The whole pipeline on the shipped sample, once for the test session."""
    workdir = tmp_path_factory.mktemp("sample")
    real_chdir = os.chdir

    def chdir(path: str) -> None:
        CHDIR_CALLS.append(str(path))
        real_chdir(path)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "chdir", chdir)
        assert main(["run", "--workdir", str(workdir), "-q"]) == 0
    return workdir


PROGRAMME = """
[programme]
name = "Testprogram"

[inputs]
survey = "survey.csv"
codebook = "codebook.csv"
interviews = "interviews"

[sessions]
count = 3
slots = 2

[weights]
survey = 0.5
free_text = 0.3
interviews = 0.2

[privacy]
min_cell = 2
names = ["Gunnhild Bakkerud"]

[themes]
k_min = 2
k_max = 3
seed = 1

[[contributors]]
id = "olt"
name = "Olympiatoppen"

[[contributors]]
id = "sin"
name = "Smart Innovation Norway"

[[topics]]
id = "rekruttering"
title = "Rekruttering"
seed_terms = ["rekruttering", "sykepleier", "kompetanse"]
contributors = ["sin"]
areas = ["rekr"]

[[topics]]
id = "digital"
title = "Digitalisering"
seed_terms = ["digitalisering", "teknologi"]
contributors = ["sin"]
areas = ["dig"]

[[topics]]
id = "prestasjon"
title = "Prestasjonskultur"
seed_terms = ["prestasjon", "tilbakemelding"]
contributors = ["olt"]
areas = ["rekr"]

[[topics]]
id = "restitusjon"
title = "Restitusjon"
seed_terms = ["stress", "restitusjon"]
contributors = ["olt"]

[[topics]]
id = "team"
title = "Teamutvikling"
seed_terms = ["team", "ledergruppe"]
contributors = ["olt"]

[[topics]]
id = "data"
title = "Datadrevet ledelse"
seed_terms = ["data", "analyse"]
contributors = ["sin"]
"""

IMP = "1=Ikke viktig|2=Lite viktig|3=Middels viktig|4=Viktig|5=Svært viktig"
COMP = "1=Svært dårlig|2=Dårlig|3=Middels|4=Godt|5=Svært godt"
CODEBOOK = f"""column,item_id,type,area,dimension,scale,missing,label
ID,respondent_id,respondent_id,,,,,
Fullført,completed_at,timestamp,,,,,
Rolle,role,category,,,,,Rolle
Viktighet - Rekruttering,imp_rekr,likert,rekr,importance,{IMP},Vet ikke,Rekruttering
Viktighet - Digitalisering,imp_dig,likert,dig,importance,{IMP},Vet ikke,Digitalisering
Rustet - Rekruttering,comp_rekr,likert,rekr,competence,{COMP},Vet ikke,Rekruttering
Rustet - Digitalisering,comp_dig,likert,dig,competence,{COMP},Vet ikke,Digitalisering
Utfordringer,utfordringer,free_text,,,,,Utfordringer
"""

ANSWERS = [
    "Rekruttering av sykepleiere er vanskelig, vi får ingen søkere",
    "Digitalisering og ny teknologi i tjenestene",
    "Kompetanse og rekruttering av sykepleiere og lærere",
    "Velferdsteknologi og digitalisering av tjenester",
    "Mangel på sykepleiere, rekruttering er krevende",
    "Ny teknologi, digitalisering, automatisering",
    "Nei",
    "Ring Gunnhild Bakkerud på 412 34 567 om rekruttering av sykepleiere",
]


def export_csv(rows: int = 8) -> str:
    header = (
        "ID;Fullført;Rolle;Viktighet - Rekruttering;Viktighet - Digitalisering;Rustet - Rekruttering;"
        "Rustet - Digitalisering;Utfordringer"
    )
    lines = [header]
    for i in range(rows):
        imp = "5 - Svært viktig" if i % 2 == 0 else "4 - Viktig"
        lines.append(
            f"{100 + i};0{1 + i}.06.2021 10:00;{'Kommunalsjef' if i < 4 else 'Enhetsleder'};{imp};"
            f"Vet ikke;{2 + i % 2} - {'Dårlig' if i % 2 == 0 else 'Middels'};3;{ANSWERS[i % len(ANSWERS)]}"
        )
    return "\n".join(lines) + "\n"


TRANSCRIPT = textwrap.dedent("""\
    I: [00:00:05] Hva er de største utfordringene?
    Kommunalsjef: [00:00:12] Rekruttering av sykepleiere, og digitalisering. Snakk med kari@test.kommune.no.
    I: [00:01:00] Og ellers?
    Kommunalsjef: [00:01:08] Ny teknologi og velferdsteknologi i tjenestene.
    """)


def write_project(root: Path, programme: str = PROGRAMME, export: str | None = None) -> Path:
    """Write a complete tiny project into `root`; returns the programme file."""
    (root / "interviews").mkdir(parents=True, exist_ok=True)
    (root / "codebook.csv").write_text(CODEBOOK, encoding="utf-8")
    (root / "survey.csv").write_text(export if export is not None else export_csv(), encoding="utf-8")
    (root / "interviews" / "int01.txt").write_text(TRANSCRIPT, encoding="utf-8")
    path = root / "programme.toml"
    path.write_text(programme, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path / "project")
