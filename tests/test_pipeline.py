"""Whole runs: the tiny project and the shipped sample, each into a temp work dir."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.config import DEFAULT_CONFIG, load_programme
from pipeline.deliver.chromium import HIDE_VARIABLE, find_chromium
from pipeline.errors import ConfigError, InputError
from pipeline.privacy import shipped_names
from pipeline.stages import run_stage
from pipeline.store import DATASETS, WITH_PREVIOUS_WAVE, Store
from pipeline.survey import read_codebook, read_export, tidy_survey
from tests.conftest import CHDIR_CALLS, START_DIR

CONTRACT_FILES = [
    f"{folder}/{file}" for name, (folder, file) in DATASETS.items() if name not in WITH_PREVIOUS_WAVE
] + [
    "data/interim/ingest_report.json",
    "data/processed/plan.csv",
    "data/processed/run_manifest.json",
    "reports/index.html",
    "reports/om_kjoringen.html",
    "reports/styresak.docx",
    "reports/programplan.xlsx",
    "data/processed/economics_summary.json",
]
PDFS = [f"reports/pdf/{name}.pdf" for name in ("oversikt", "behov", "temaer", "programplan", "okonomi")]
HAS_CHROMIUM = find_chromium() is not None  # also False with PIPELINE_NO_CHROMIUM set
needs_chromium = pytest.mark.skipif(
    not HAS_CHROMIUM,
    reason="Chromium is not installed (apt-get install -y chromium) or is hidden by PIPELINE_NO_CHROMIUM: "
    "the PDF path is not tested",
)


def expected_files() -> set[str]:
    """The output contract of a whole run on this machine: the PDFs only where Chromium is."""
    return set(CONTRACT_FILES) | (set(PDFS) if HAS_CHROMIUM else set())


def test_run_never_changes_the_working_directory(sample_run: Path) -> None:
    # the process's working directory is shared by the threads that render reports: a change of directory in
    # one (papermill's `cwd`) could leave the process in a deleted temp folder
    assert os.getcwd() == START_DIR
    assert set(CHDIR_CALLS) <= {os.getcwd()}  # papermill re-enters the current directory around file I/O


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_sample_run_writes_the_output_contract(sample_run: Path) -> None:
    written = files_under(sample_run)
    assert expected_files() <= written
    if not HAS_CHROMIUM:
        assert not any(f.startswith("reports/pdf/") for f in written)
    assert any(
        f.startswith("reports/") and f.endswith(".html") and f != "reports/index.html" for f in written
    )


def test_doc_themes_contract(sample_run: Path) -> None:
    dt = pd.read_parquet(sample_run / "data/processed/doc_themes.parquet")
    assert {"source", "respondent_id", "question", "interview_id", "turn", "theme_id", "weight"} <= set(
        dt.columns
    )
    survey, interview = dt[dt["source"] == "survey"], dt[dt["source"] == "interview"]
    assert survey["respondent_id"].notna().all() and survey["question"].notna().all()
    assert interview["interview_id"].notna().all() and interview["turn"].notna().all()
    stems = {p.stem for p in (DEFAULT_CONFIG.parent / "interviews").iterdir()}
    assert set(interview["interview_id"]) <= stems


def test_themes_report_names_sources_in_norwegian_and_counts_passages(sample_run: Path) -> None:
    partner = (sample_run / "reports/temaer.html").read_text(encoding="utf-8")
    passages = pd.read_parquet(sample_run / "data/processed/doc_themes.parquet").query(
        "source == 'interview'"
    )
    assert f"Intervjuer, utsnitt (n={passages['doc_id'].nunique()})" in partner
    assert "interview (n=" not in partner and "survey (n=" not in partner


def test_seed_terms_show_which_catalogue_and_related_terms_carried_the_mapping(sample_run: Path) -> None:
    terms = pd.read_parquet(sample_run / "data/processed/seed_terms.parquet")
    programme = load_programme(DEFAULT_CONFIG)
    catalogue = terms.loc[terms["source"] == "catalogue"]
    assert set(zip(catalogue["topic_id"], catalogue["term"], strict=True)) == {
        (t.id, s) for t in programme.topics for s in t.seed_terms
    }
    related = terms.loc[terms["source"] == "related"]
    assert len(related) > len(catalogue) and (related["documents"] > 0).sum() >= 20
    # every document that uses a topic's term is a seed document of that topic, so no term is counted for
    # more documents than carry the topic
    topics = pd.read_parquet(sample_run / "data/processed/doc_topics.parquet").groupby("topic_id").size()
    assert (terms["documents"] <= terms["topic_id"].map(topics).fillna(0)).all()


def test_manifest_accounts_for_inputs_and_stages(sample_run: Path) -> None:
    manifest = json.loads((sample_run / "data/processed/run_manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["stages"]) == {"ingest", "needs", "themes", "rank", "plan", "economics", "reports"}
    assert all(s["rows"] for s in manifest["stages"].values())
    timings = json.loads((sample_run / "data/processed/run_timings.json").read_text(encoding="utf-8"))
    assert set(timings["stages"]) == set(manifest["stages"]) and min(timings["stages"].values()) >= 0
    programme = load_programme(DEFAULT_CONFIG)
    assert manifest["config_sha256"] == programme.sha256
    assert "survey/codebook.csv" in manifest["inputs"]
    report = json.loads((sample_run / "data/interim/ingest_report.json").read_text(encoding="utf-8"))[
        "survey"
    ]
    assert report["rows_read"] == report["rows_kept"] + report["rows_quarantined"]
    assert manifest["stages"]["ingest"]["rows"]["respondents"] == report["rows_kept"]


REPORT_SECTIONS = {
    "oversikt": ("Kort oppsummert", "Roller", "Kommunestørrelse", "Dybdeintervjuer"),
    "behov": (
        "Kort oppsummert",
        "Behov per lederområde",
        "Locus for Focus",
        "Behov i ulike grupper",
        "Ønsker for programmet",
    ),
    "temaer": (
        "Kort oppsummert",
        "Emnene",
        "Nye behov",
        "Hvordan svarene er koblet til katalogen",
        "Hvor utbredt er emnene",
        "Sitater",
    ),
    "programplan": (
        "Kort oppsummert",
        "Samlingene",
        "Tre eller fire samlinger",
        "Høyt rangerte temaer som ikke er med",
    ),
    "okonomi": ("Betalingsvilje", "Overskudd etter avgift", "Tre eller fire samlinger", "Forutsetninger"),
}


@pytest.mark.parametrize("name", sorted(REPORT_SECTIONS))
def test_partner_reports_have_their_sections_and_no_code(sample_run: Path, name: str) -> None:
    partner = (sample_run / f"reports/{name}.html").read_text(encoding="utf-8")
    analyst = (sample_run / f"reports/{name}_analytiker.html").read_text(encoding="utf-8")
    assert "load_run" not in partner and "load_run" in analyst
    assert '<html lang="nb">' in partner and "No description has been provided" not in partner
    for heading in REPORT_SECTIONS[name]:
        assert f">{heading}<" in partner, heading
    assert "Traceback" not in partner and 'data-mime-type="application/vnd.jupyter.stderr"' not in partner
    index = (sample_run / "reports/index.html").read_text(encoding="utf-8")
    assert f"href='{name}.html'" in index and f"href='{name}_analytiker.html'" in index


def test_no_planted_personal_data_in_outputs(sample_run: Path) -> None:
    """Every planted name, e-mail, phone number and fødselsnummer of the sample's ground truth: zero hits in
    any file under data/ and reports/. Names are matched as whole words (so 'Trond' does not hit
    'Trondheim'); a single first name that is also an ordinary word ('Per', 'Liv') is checked in the turn or
    answer where it was planted, since the word may rightly occur elsewhere."""
    pii = pd.read_csv(
        DEFAULT_CONFIG.parent.parent / "ground_truth" / "pii.csv", dtype=str, keep_default_na=False
    )
    assert len(pii) >= 50 and set(pii["kind"]) >= {"name", "email", "phone", "fnr", "speaker"}
    _first, _surnames, ambiguous = shipped_names()
    outputs = {}
    for path in [*(sample_run / "data").rglob("*"), *(sample_run / "reports").rglob("*")]:
        if path.is_file():
            if path.suffix == ".parquet":
                outputs[path] = pd.read_parquet(path).astype(str).to_csv()
            elif path.suffix == ".xlsx":
                outputs[path] = pd.read_excel(path, dtype=str).to_csv()
            else:
                outputs[path] = path.read_text(encoding="utf-8", errors="ignore")
    turns = pd.read_parquet(sample_run / "data/interim/turns.parquet").set_index(["interview_id", "turn"])[
        "text"
    ]
    # the ground truth knows the survey tool's ids; the outputs know project ids: join them on the export row
    programme = load_programme(DEFAULT_CONFIG)
    book = read_codebook(programme.inputs.codebook)
    id_column = book.loc[book["type"] == "respondent_id", "column"].iloc[0]
    raw = read_export(programme.inputs.survey, programme.inputs.survey_sheet, id_column)
    original = tidy_survey(raw, book, programme.inputs.survey).respondents[["respondent_id", "source_row"]]
    project = pd.read_parquet(sample_run / "data/interim/respondents.parquet")[
        ["respondent_id", "source_row"]
    ]
    to_project = dict(
        original.merge(project, on="source_row", suffixes=("", "_project")).iloc[:, [0, 2]].values
    )
    answers = pd.read_parquet(sample_run / "data/interim/free_text.parquet").set_index(
        ["respondent_id", "question"]
    )
    leaks = []
    for row in pii.itertuples(index=False):
        pattern = re.compile(rf"(?<![\w@.-]){re.escape(row.value)}(?![\w-])")
        if row.value in ambiguous:
            located = (
                turns[(row.interview_id, int(row.turn))]
                if row.interview_id
                else answers.loc[(to_project[row.respondent_id], row.question), "text"]
            )
            leaks += [(row.kind, row.value, "located")] if pattern.search(located) else []
        else:
            # the plain substring test (case-sensitive, like the pattern) skips most of the ~5 MB quickly
            leaks += [
                (row.kind, row.value, p.name)
                for p, text in outputs.items()
                if row.value in text and pattern.search(text)
            ]
    assert leaks == []


def test_run_writes_only_under_workdir(project: Path, tmp_path: Path) -> None:
    before = files_under(project.parent)
    workdir = tmp_path / "elsewhere"
    assert main(["run", "--config", str(project), "--workdir", str(workdir), "-q"]) == 0
    assert files_under(project.parent) == before
    assert expected_files() <= files_under(workdir)


def test_runs_are_deterministic(project: Path, tmp_path: Path) -> None:
    programme = load_programme(project)
    outputs = []
    for name in ("a", "b"):
        store = Store(tmp_path / name)
        for stage in ("ingest", "needs", "themes", "rank", "plan", "economics"):
            run_stage(stage, programme, store)
        outputs.append({n: store.read(n) for n in DATASETS if n not in WITH_PREVIOUS_WAVE})
    for n in sorted(set(DATASETS) - WITH_PREVIOUS_WAVE):
        pd.testing.assert_frame_equal(outputs[0][n], outputs[1][n])


def test_pseudonym_mapping_only_on_request_and_never_beside_outputs(project: Path, tmp_path: Path) -> None:
    text = project.read_text(encoding="utf-8")
    store = Store(tmp_path / "w")
    run_stage("ingest", load_programme(project), store)
    assert not store.private.exists()
    project.write_text(text.replace("min_cell = 2", "min_cell = 2\nwrite_mapping = true"), encoding="utf-8")
    run_stage("ingest", load_programme(project), store)
    mapping = pd.read_csv(store.private / "pseudonym_mapping.csv")
    assert "Gunnhild Bakkerud" in set(mapping["original"])
    assert not any(
        p.name == "pseudonym_mapping.csv" for p in (tmp_path / "w").rglob("*") if p.parent != store.private
    )


def test_unreadable_transcript_stops_or_is_skipped_and_reported(project: Path, tmp_path: Path) -> None:
    (project.parent / "interviews" / "int09.docx").write_bytes(b"not a zip")
    with pytest.raises(InputError, match=r"int09\.docx: is not a readable Word document"):
        run_stage("ingest", load_programme(project), Store(tmp_path / "a"))
    text = project.read_text(encoding="utf-8")
    project.write_text(
        text.replace('interviews = "interviews"', 'interviews = "interviews"\n')
        + "\n[interviews]\nskip_unreadable = true\n",
        encoding="utf-8",
    )
    store = Store(tmp_path / "b")
    run_stage("ingest", load_programme(project), store)
    report = store.read_json("ingest_report")["interviews"]
    assert [r["file"] for r in report if "skipped" in r] == ["int09.docx"]
    assert set(store.read("turns")["interview_id"]) == {"int01"}


def test_municipality_names_are_replaced_unless_the_programme_file_keeps_them(
    project: Path, tmp_path: Path
) -> None:
    survey = project.parent / "survey.csv"
    survey.write_text(
        survey.read_text(encoding="utf-8")
        .replace("Rolle;", "Kommune;", 1)
        .replace(";Kommunalsjef;", ";Hurdal;"),
        encoding="utf-8",
    )
    book = project.parent / "codebook.csv"
    book.write_text(
        book.read_text(encoding="utf-8").replace("Rolle,role,", "Kommune,municipality,"), encoding="utf-8"
    )
    survey.write_text(
        survey.read_text(encoding="utf-8").replace("vi får ingen søkere", "i Hurdal får vi ingen søkere"),
        encoding="utf-8",
    )
    store = Store(tmp_path / "w")
    run_stage("ingest", load_programme(project), store)
    answers = " ".join(store.read("free_text")["text"])
    assert "Hurdal" not in answers and "[KOMMUNE]" in answers
    assert "Hurdal" in set(store.read("respondents")["municipality"])  # interim keeps it for breakdowns
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("min_cell = 2", "min_cell = 2\nplaces = false"), encoding="utf-8")
    run_stage("ingest", load_programme(project), store)
    assert "i Hurdal får vi" in " ".join(store.read("free_text")["text"])
    project.write_text(text.replace("min_cell = 2", "min_cell = 2\nmunicipalities = true"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"privacy\.municipalities.*replaced by \[privacy\]\.places"):
        load_programme(project)


def test_exploration_reranks_and_replans_without_touching_the_run(sample_run: Path) -> None:
    from pipeline import explore

    before = {p: p.stat().st_mtime_ns for p in (sample_run / "data").rglob("*") if p.is_file()}
    programme, store = explore.load(sample_run)
    reranked = explore.rerank(programme, store, {"survey": 0.0, "free_text": 1.0, "interviews": 0.0})
    by_text = reranked.sort_values("free_text_prevalence", ascending=False)["topic_id"].iloc[0]
    assert reranked.iloc[0]["topic_id"] == by_text
    three = explore.replan(programme, store, n_sessions=3)
    assert sorted(three["session"].unique()) == [1, 2, 3]
    assert before == {p: p.stat().st_mtime_ns for p in (sample_run / "data").rglob("*") if p.is_file()}


def test_annet_answers_e_mail_ids_and_quarantined_values_are_pseudonymised(
    project: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A category answer typed into 'Annet: …', respondent ids that are e-mail addresses and the values of
    quarantined rows never reach interim or processed tables; rare categories read 'Annet' in breakdowns."""
    survey = project.parent / "survey.csv"
    lines = survey.read_text(encoding="utf-8").splitlines()
    rows = [lines[0] + ";Format"]
    book = project.parent / "codebook.csv"
    book.write_text(
        book.read_text(encoding="utf-8") + "Format,format,multi_choice,,,Fysisk|Digitalt,,Format\n",
        encoding="utf-8",
    )
    for i, line in enumerate(lines[1:]):
        cells = line.split(";")
        cells[0] = f"leder{i}@kommune{i}.no"
        if i == 7:
            cells[2] = "Annet: assistent for Bożena Wiśniewska, tlf 412 34 567"
        cells.append('"Fysisk; Annet: leder Tesfay Gebremedhin"' if i == 3 else "Fysisk")
        rows.append(";".join(cells))
    rows.append(rows[-1].replace(";04.06", ";05.06"))  # a second submission of the last id: quarantined
    survey.write_text("\n".join(rows) + "\n", encoding="utf-8")
    text = project.read_text(encoding="utf-8")
    project.write_text(text.replace("min_cell = 2", "min_cell = 2\nwrite_mapping = true"), encoding="utf-8")
    store = Store(tmp_path / "w")
    with caplog.at_level("WARNING"):
        for stage in ("ingest", "needs", "themes"):
            run_stage(stage, load_programme(project), store)
    assert "respondent ids are e-mail addresses" in caplog.text
    respondents = store.read("respondents")
    assert respondents["respondent_id"].str.fullmatch(r"R\d{4}").all()
    written = "".join(
        pd.read_parquet(p).astype(str).to_csv() for p in (tmp_path / "w" / "data").rglob("*.parquet")
    ) + (tmp_path / "w" / "data" / "interim" / "ingest_report.json").read_text(encoding="utf-8")
    for secret in ("@kommune", "Bożena", "Wiśniewska", "412 34 567", "Tesfay"):
        assert secret not in written, secret
    assert store.read("choices")["option"].str.startswith("Annet: leder [PERSON-").any()
    assert respondents["role"].str.startswith("Annet: assistent for [PERSON-").any()
    segments = store.read("needs_segments")
    assert not segments["segment"].astype(str).str.contains("assistent").any()  # grouped as "Annet"
    ids = pd.read_csv(store.private / "respondent_ids.csv")
    assert ids["survey_id"].str.contains("@").all() and ids["project_id"].iloc[0] == "R0001"
    summary = store.read_json("ingest_report")["privacy"]
    assert summary["categories"]["name_context"] >= 1 and summary["categories"]["phone"] == 1
    assert summary["respondent_ids"]["contact_like"] == 8


def test_draft_codebook_and_csv_outputs_are_safe_against_injection(tmp_path: Path) -> None:
    from pipeline.store import write_csv
    from pipeline.survey import draft_codebook, write_codebook

    export = tmp_path / "export.csv"
    export.write_text(
        'ID;=1+2;"Tittel med\rlinjeskift";@SUM(1);+47 lønn\n1;a;b;c;x\n2;a;b;c;x\n3;d;e;f;y\n',
        encoding="utf-8",
    )
    book = draft_codebook(read_export(export))
    out = write_codebook(book, tmp_path / "codebook.csv")
    cells = [c for line in out.read_text(encoding="utf-8").split("\r\n") for c in line.split(",")]
    assert not any(c.lstrip('"').startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    assert set(read_codebook(out)["column"]) >= {"=1+2", "@SUM(1)", "+47 lønn"}  # read back as exported
    csv = write_csv(pd.DataFrame({"Tema": ["Ledelse\rog\nmer", "-1"], "n": [1, 2]}), tmp_path / "plan.csv")
    assert csv.read_bytes().decode() == 'Tema,n\r\n"Ledelse\rog\nmer",1\r\n\'-1,2\r\n'


def test_partner_reports_load_no_third_party_script(sample_run: Path) -> None:
    for page in (sample_run / "reports").glob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script src=" not in html and "mathjax" not in html.lower(), page.name


def test_privacy_summary_in_the_manifest_and_the_report(sample_run: Path) -> None:
    manifest = json.loads((sample_run / "data/processed/run_manifest.json").read_text(encoding="utf-8"))
    privacy = manifest["privacy"]
    assert set(privacy) == {"free_text", "interviews", "categories", "respondent_ids"}
    assert privacy["free_text"]["name_list"] > 0 and privacy["interviews"]["place"] >= 0
    assert all(
        isinstance(v, int) for counts in privacy.values() for v in counts.values()
    )  # counts, no values
    report = (sample_run / "reports/oversikt.html").read_text(encoding="utf-8")
    assert "Personvern" in report and "Andre navn, funnet ut fra sammenheng og form" in report


def test_quotes_are_evidence_without_places_self_descriptions_or_sources(sample_run: Path) -> None:
    from pipeline.privacy import is_quotable, shipped_places

    themes = pd.read_parquet(sample_run / "data/processed/themes.parquet")
    ranking = pd.read_parquet(sample_run / "data/processed/topic_ranking.parquet")
    quotes = [q for qs in [*themes["quotes"], *ranking["quotes"]] for q in qs]
    assert len(quotes) >= 20
    places = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, shipped_places())) + r")(?![\w])")
    stems = {p.stem for p in (DEFAULT_CONFIG.parent / "interviews").iterdir()}
    for quote in quotes:
        assert is_quotable(quote), quote
        assert not places.search(quote), quote
        assert len(quote.split()) <= 61, quote
    for page in ("temaer.html", "programplan.html", "behov.html", "oversikt.html"):
        text = (sample_run / "reports" / page).read_text(encoding="utf-8")
        assert not any(re.search(rf"\b{re.escape(stem)}\b", text) for stem in stems), page


def test_a_transcript_file_name_with_a_name_is_warned_about(
    project: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (project.parent / "interviews" / "int01.txt").rename(
        project.parent / "interviews" / "gunnhild_bakkerud.txt"
    )
    with caplog.at_level("WARNING"):
        run_stage("ingest", load_programme(project), Store(tmp_path / "w"))
    assert "['gunnhild_bakkerud'] look like they carry a name or a place" in caplog.text


def test_a_second_run_of_the_sample_writes_the_same_bytes(sample_run: Path, tmp_path: Path) -> None:
    """Every output file of two runs of the same inputs is byte-identical, in another work dir too; only
    run_timings.json (wall times) may differ."""
    second = tmp_path / "again"
    assert main(["run", "--workdir", str(second), "-q"]) == 0

    def outputs(root: Path) -> dict[str, bytes]:
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file() and p.name not in ("run_timings.json", ".pipeline.lock")
        }

    first, again = outputs(sample_run), outputs(second)
    assert set(first) == set(again)
    assert len(first) >= 38
    assert [name for name in first if first[name] != again[name]] == []


# ---- deliverables ------------------------------------------------------------------------------------


def placed_titles(sample_run: Path) -> list[str]:
    plan = pd.read_parquet(sample_run / "data/processed/plan.parquet")
    return plan.loc[plan["chosen"], "title"].drop_duplicates().tolist()


def test_board_paper_is_a_saksframlegg_in_a4_norwegian(sample_run: Path) -> None:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm

    doc = Document(str(sample_run / "reports/styresak.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    for heading in (
        "Bakgrunn",
        "Kunnskapsgrunnlag",
        "Forslag til program",
        "Vurdering",
        "Økonomiske konsekvenser",
        "Forslag til vedtak",
    ):
        assert heading in headings, heading
    assert headings[-1] == "Vedlegg" and headings[-2] == "Forslag til vedtak"
    header = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert [label for label, _ in header] == ["Saksnr.", "Utvalg", "Møtedato", "Saksbehandler"]
    decisions = [p.text for p in doc.paragraphs if p.style.name == "List Number"]
    assert len(decisions) >= 3 and all(d.startswith(("Styret ", "Sekretariatet ")) for d in decisions)
    assert not any("slik det er skissert" in d for d in decisions)
    section = doc.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    lang = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    assert lang.find(qn("w:lang")).get(qn("w:val")) == "nb-NO"
    assert "PAGE" in section.footer._element.xml  # page numbers
    text = "\n".join(p.text for p in doc.paragraphs)
    for title in placed_titles(sample_run):
        assert title in text, title
    assert all(
        not run.bold and run.font.size is None for p in doc.paragraphs for run in p.runs
    )  # styles only
    words = len(text.split())
    assert 500 <= words <= 2000, words  # two to four pages


@needs_chromium
def test_every_partner_report_has_a_pdf_with_pages_and_the_plan_as_text(sample_run: Path) -> None:
    from pypdf import PdfReader

    for name in ("oversikt", "behov", "temaer", "programplan"):
        reader = PdfReader(sample_run / f"reports/pdf/{name}.pdf")
        assert len(reader.pages) >= 1, name
    plan = PdfReader(sample_run / "reports/pdf/programplan.pdf")
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in plan.pages)
    for title in placed_titles(sample_run):
        assert " ".join(title.split()[:2]) in text, title
    assert "Side 1 av" in text  # page numbers


def test_designer_workbook_has_its_sheets_formats_and_no_ids_in_partner_columns(sample_run: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(sample_run / "reports/programplan.xlsx")
    for sheet in ("Program", "Rangering", "Utelatt", "Nye behov", "Tre eller fire samlinger", "Behov"):
        assert sheet in wb.sheetnames
    ranking = wb["Rangering"]
    assert ranking.freeze_panes == "A2" and ranking["A1"].font.bold
    assert ranking.column_dimensions["B"].width >= 40 and ranking["B2"].alignment.wrap_text
    header = [c.value for c in ranking[1]]
    share = ranking.cell(row=2, column=header.index("Nevnt i fritekst") + 1)
    assert share.number_format == "0 %" and 0 <= share.value <= 1
    program = wb["Program"]
    first = [c.value for c in program["A"] if c.value]
    assert first[1].startswith("Programmet har ")  # the plan's facts first
    assert any(str(v).startswith("Samling 1: ") for v in first)  # then one block per gathering
    ids = set(pd.read_parquet(sample_run / "data/processed/plan.parquet")["topic_id"])
    for sheet in wb.sheetnames[:-1]:  # the last sheet is the flat plan a later run reads back
        cells = {str(c.value) for row in wb[sheet].iter_rows() for c in row if c.value is not None}
        assert not cells & ids, sheet


def test_plan_csv_opens_in_norwegian_excel(sample_run: Path) -> None:
    raw = (sample_run / "data/processed/plan.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    header, first = raw.decode("utf-8-sig").split("\r\n")[:2]
    assert header.count(";") >= 5 and "," not in header
    score = first.split(";")[header.split(";").index("Skår")]
    assert re.fullmatch(r"-?\d+,\d+", score), score  # decimal comma


def test_landing_page_shows_findings_and_moves_the_run_details_to_their_own_page(sample_run: Path) -> None:
    index = (sample_run / "reports/index.html").read_text(encoding="utf-8")
    about = (sample_run / "reports/om_kjoringen.html").read_text(encoding="utf-8")
    for heading in ("De største behovene", "Programmet", "Nye behov", "Hva er usikkert", "Ord og begreper"):
        assert heading in index
    assert index.index("De største behovene") < index.index("Rapporter og dokumenter")
    for link in ("programplan.html", "styresak.docx", "programplan.xlsx"):
        assert f"href='{link}'" in index
    assert ("href='pdf/programplan.pdf'" in index) == HAS_CHROMIUM  # a link only to a PDF that was printed
    assert "SHA-256" not in index and "survey_rows_read" not in index and "ingest" not in index
    assert "Kontrollsum" in about and "rader lest i eksporten" in about
    assert "<script" not in index and "<script" not in about


def test_deliverables_are_byte_identical_run_to_run(sample_run: Path, tmp_path: Path) -> None:
    from pipeline.deliver import write_deliverables
    from pipeline.report import REPORTS

    kept = ["reports/styresak.docx", "reports/programplan.xlsx", "reports/index.html"]
    before = {p: (sample_run / p).read_bytes() for p in kept + (PDFS[:1] if HAS_CHROMIUM else [])}
    write_deliverables(Store(sample_run), [(s.name, s.title) for s in REPORTS])
    for path, data in before.items():
        assert (sample_run / path).read_bytes() == data, path


def test_without_chromium_everything_else_is_written_and_the_log_says_how_to_install_it(
    sample_run: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import shutil

    from pipeline.deliver import chromium, write_deliverables
    from pipeline.report import REPORTS

    work = tmp_path / "copy"
    shutil.copytree(sample_run, work)
    # a PDF from an earlier run with Chromium would no longer match the pages: it must go
    (work / "reports/pdf").mkdir(parents=True, exist_ok=True)
    (work / "reports/pdf/oversikt.pdf").write_bytes(b"%PDF-1.4 from an earlier run")
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(HIDE_VARIABLE, raising=False)
        patch.setattr(chromium.shutil, "which", lambda name: None)  # a machine without the browser
        written = write_deliverables(Store(work), [(s.name, s.title) for s in REPORTS])
    assert {p.name for p in written} >= {"styresak.docx", "programplan.xlsx", "index.html"}
    assert "apt-get install -y chromium" in caplog.text
    assert "pdf/" not in (work / "reports/index.html").read_text(encoding="utf-8")
    assert not (work / "reports/pdf/oversikt.pdf").exists()


def test_the_environment_variable_hides_chromium_from_the_pipeline(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from pipeline.deliver import chromium, pdf
    from pipeline.errors import PipelineError

    monkeypatch.setattr(chromium.shutil, "which", lambda name: f"/usr/bin/{name}")  # as if installed
    monkeypatch.setenv(HIDE_VARIABLE, "0")
    assert chromium.find_chromium() == "/usr/bin/chromium"
    monkeypatch.setenv(HIDE_VARIABLE, "1")
    assert chromium.find_chromium() is None
    with pytest.raises(PipelineError, match=HIDE_VARIABLE):
        chromium.require_chromium()
    page = tmp_path / "side.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    assert pdf.write_pdfs([page], tmp_path / "pdf") == []
    assert HIDE_VARIABLE in caplog.text


def test_economics_reach_the_report_the_workbook_and_the_board_paper(sample_run: Path) -> None:
    from docx import Document
    from openpyxl import load_workbook

    summary = json.loads((sample_run / "data/processed/economics_summary.json").read_text(encoding="utf-8"))
    assert summary["configured"] and set(summary["by_sessions"]) == {"3", "4"}
    table = pd.read_parquet(sample_run / "data/processed/economics.parquet")
    assert len(table) == 2 * 50 and table["p_loss"].between(0, 1).all()
    assert table.groupby("n_sessions")["share_willing"].apply(lambda s: s.is_monotonic_decreasing).all()
    partner = (sample_run / "reports/okonomi.html").read_text(encoding="utf-8")
    assert "Anbefaling:" in partner and partner.index("Anbefaling:") < partner.index("Betalingsvilje")
    assert "Økonomi" in load_workbook(sample_run / "reports/programplan.xlsx").sheetnames
    doc = Document(str(sample_run / "reports/styresak.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    economics = headings.index("Økonomiske konsekvenser")
    assert economics < headings.index("Forslag til vedtak")
    following = doc.paragraphs[[p.text for p in doc.paragraphs].index("Økonomiske konsekvenser") + 1].text
    assert following.startswith("Anbefaling:")


def test_pdf_element_ids_are_renumbered_so_two_prints_match() -> None:
    from pipeline.deliver.chromium import stable_node_ids

    first = b"/ID (node00000074) /K [(node00000080)] /Names [(node00000074) 3 0 R]"
    second = first.replace(b"74", b"75").replace(b"80", b"81")  # the DOM counter shifted by one
    assert stable_node_ids(first) == stable_node_ids(second)
    assert stable_node_ids(first) == b"/ID (node00000001) /K [(node00000002)] /Names [(node00000001) 3 0 R]"
