from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from pipeline.errors import InputError
from pipeline.interviews import build_turns, detect_interviewers, parse_prefixed, parse_subtitles, read_cues

TEAMS_VTT = """WEBVTT

3f2a9c1e-0000-4000-8000-000000000001/10-0
00:00:01.000 --> 00:00:04.000
<v Anne Viken>Hva er den største utfordringen?</v>

3f2a9c1e-0000-4000-8000-000000000001/11-0
0:0:5.5 --> 0:0:9.250
<v Ola Berg>Rekruttering, helt klart.

3f2a9c1e-0000-4000-8000-000000000001/12-0
00:00:09.300 --> 00:00:15.000
<v Ola Berg>Og økonomien.</v>
"""

ZOOM_VTT = """WEBVTT

1
00:00:01.000 --> 00:00:03.000
Anne Viken: Velkommen. Hva tenker du om digitalisering?

2
00:00:03.500 --> 00:00:08.000
Ola Berg: Vi må bli mye bedre på det, og vi mangler folk.
"""

SRT = """1
00:00:01,000 --> 00:00:03,000
Anne Viken: Hva bør programmet inneholde?

2
00:00:03,500 --> 00:00:08,000
Ola Berg: Prestasjonskultur og tilbakemeldinger.
"""


def test_teams_vtt_voice_tags_unpadded_times_and_missing_close_tag() -> None:
    cues = parse_subtitles(TEAMS_VTT)
    assert [c.speaker for c in cues] == ["Anne Viken", "Ola Berg", "Ola Berg"]
    assert cues[1].text == "Rekruttering, helt klart." and cues[1].start_s == 5.5 and cues[1].end_s == 9.25


def test_consecutive_cues_of_one_speaker_merge_into_a_turn() -> None:
    turns = build_turns(parse_subtitles(TEAMS_VTT), "int01", {"Anne Viken"})
    assert len(turns) == 2
    assert turns.loc[1, "text"] == "Rekruttering, helt klart. Og økonomien."
    assert (turns.loc[1, "start_s"], turns.loc[1, "end_s"]) == (5.5, 15.0)
    assert list(turns["role"]) == ["interviewer", "informant"]
    assert list(turns["speaker"]) == ["Intervjuer 1", "Informant 1"]
    assert turns.loc[1, "n_words"] == 5


@pytest.mark.parametrize("text", [ZOOM_VTT, SRT])
def test_zoom_vtt_and_srt_inline_names(text: str) -> None:
    cues = parse_subtitles(text)
    assert [c.speaker for c in cues] == ["Anne Viken", "Ola Berg"]
    assert cues[0].start_s == 1.0


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le", "utf-16-be"])
def test_text_transcripts_in_any_encoding_and_line_ending(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "intervju.srt"  # utf-16-le and -be are written without a byte order mark
    path.write_bytes(
        SRT.replace("\n", "\r\n").replace("inneholde", "inneholde for små kommuner").encode(encoding)
    )
    cues = read_cues(path)
    assert [c.speaker for c in cues] == ["Anne Viken", "Ola Berg"]
    assert cues[0].text == "Hva bør programmet inneholde for små kommuner?"


def test_prefixed_text_with_timestamps_and_continuation_lines() -> None:
    cues = parse_prefixed(
        [
            "Intervju med leder",
            "",
            "I: [00:00:05] Hva?",
            "K1: [00:01:02] Mye å si.",
            "Og enda mer her.",
            "[00:02:00] I: Takk.",
        ]
    )
    assert [(c.speaker, c.start_s) for c in cues] == [("I", 5.0), ("K1", 62.0), ("I", 120.0)]
    assert cues[1].text == "Mye å si. Og enda mer her."


def test_docx_paragraphs_and_table(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("Intervjuer: Hva er viktigst?")
    doc.add_paragraph("Informant: Rekruttering.")
    table = doc.add_table(rows=1, cols=3)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = "0:01:23", "Informant"
    table.rows[0].cells[2].text = "Og digitalisering."
    path = tmp_path / "int02.docx"
    doc.save(str(path))
    cues = read_cues(path)
    assert [c.speaker for c in cues] == ["Intervjuer", "Informant", "Informant"]


def test_interviewer_detection_order() -> None:
    cues = parse_subtitles(ZOOM_VTT)
    assert detect_interviewers(cues, ("ola berg",)) == ({"Ola Berg"}, "programme file")
    assert detect_interviewers(cues)[0] == {"Anne Viken"}
    labelled = parse_prefixed(["I: Hei?", "K1: Hei."])
    assert detect_interviewers(labelled) == ({"I"}, "speaker label")


@pytest.mark.parametrize(
    ("name", "content", "match"),
    [
        ("empty.vtt", b"", "the transcript is empty"),
        ("notes.txt", b"just some notes without speakers", "no speaker turns found"),
        ("audio.mp3", b"ID3", "unsupported transcript type"),
        ("broken.docx", b"not a zip", "not a readable Word document"),
        ("bytes.txt", b"I: \x81\x8d\x8f", "unreadable encoding.*save it again as .docx or as UTF-8 .txt"),
    ],
)
def test_bad_transcripts_name_the_file(tmp_path: Path, name: str, content: bytes, match: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError, match=rf"{name}.*{match}"):
        read_cues(path)


def test_docx_teams_export_and_table_with_header(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("Transkripsjon")
    doc.add_paragraph("Dato: 2021-06-23")
    doc.add_paragraph("Anne Viken   0:00:02")
    doc.add_paragraph("Hva er viktigst?")
    doc.add_paragraph("Ola Berg   0:01:05")
    doc.add_paragraph("Rekruttering.")
    doc.add_paragraph("Og økonomi.")
    path = tmp_path / "teams.docx"
    doc.save(str(path))
    cues = read_cues(path)
    assert [(c.speaker, c.start_s, c.text) for c in cues] == [
        ("Anne Viken", 2.0, "Hva er viktigst?"),
        ("Ola Berg", 65.0, "Rekruttering. Og økonomi."),
    ]
    doc = Document()
    table = doc.add_table(rows=3, cols=3)
    for r, cells in enumerate(
        [("Tid", "Taler", "Tekst"), ("00:00:03", "Anne Viken", "Hei?"), ("00:00:09", "Ola Berg", "Hei.")]
    ):
        for c, value in enumerate(cells):
            table.rows[r].cells[c].text = value
    path = tmp_path / "table.docx"
    doc.save(str(path))
    assert [(c.speaker, c.start_s) for c in read_cues(path)] == [("Anne Viken", 3.0), ("Ola Berg", 9.0)]


def test_docx_bold_speaker_names(tmp_path: Path) -> None:
    doc = Document()
    p = doc.add_paragraph()
    p.add_run("Anne Viken:").bold = True
    p.add_run(" Hva er viktigst for deg?")
    p = doc.add_paragraph()
    p.add_run("Ola Berg").bold = True
    doc.add_paragraph("Rekruttering, helt klart.")
    doc.add_paragraph("Og økonomien.")
    path = tmp_path / "bold.docx"
    doc.save(str(path))
    cues = read_cues(path)
    assert [(c.speaker, c.text) for c in cues] == [
        ("Anne Viken", "Hva er viktigst for deg?"),
        ("Ola Berg", "Rekruttering, helt klart. Og økonomien."),
    ]


def test_two_informants_with_k1_k2_labels() -> None:
    cues = parse_prefixed(
        [
            "Intervjuer: [00:00:02] Hei begge to?",
            "K1: [00:00:05] Hei.",
            "K2: [00:00:07] Hei!",
            "K1: [00:00:09] Vi starter.",
        ]
    )
    who, how = detect_interviewers(cues)
    turns = build_turns(cues, "int08", who)
    assert how == "speaker label"
    assert list(turns["speaker"]) == ["Intervjuer 1", "Informant 1", "Informant 2", "Informant 1"]
