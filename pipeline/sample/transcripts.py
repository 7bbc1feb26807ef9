"""Render the hand-written interviews (`texts/interviews/*.json`) into the transcript formats people have:
Microsoft Teams .vtt (new and old style), Zoom .vtt, Word .docx (Teams export, or a table) and plain .txt
with speaker prefixes and timestamps."""

from __future__ import annotations

import io
import random
import re
import uuid
from typing import Any

WORDS_PER_SECOND = 2.6
PAUSE_S = 0.6


def _chunks(text: str, max_words: int = 18) -> list[str]:
    """Split a turn into subtitle-sized chunks at sentence ends (long sentences at commas or by length)."""
    sentences = re.split(r"(?<=[.!?])\s+", text.strip())
    chunks: list[str] = []
    for sentence in sentences:
        words = sentence.split()
        while len(words) > max_words:
            chunks.append(" ".join(words[:max_words]))
            words = words[max_words:]
        if words:
            if chunks and len(chunks[-1].split()) + len(words) <= max_words // 2:
                chunks[-1] = f"{chunks[-1]} {' '.join(words)}"
            else:
                chunks.append(" ".join(words))
    return chunks


def timed_cues(turns: list[dict[str, Any]], split: bool) -> list[tuple[dict[str, Any], str, float, float]]:
    """(turn, text, start, end) per cue; times follow a steady speech rate with pauses between turns."""
    t = 2.0
    out = []
    for turn in turns:
        for part in _chunks(turn["text"]) if split else [turn["text"]]:
            duration = max(1.2, len(part.split()) / WORDS_PER_SECOND)
            out.append((turn, part, t, t + duration))
            t += duration + 0.15
        t += PAUSE_S
    return out


def _clock(seconds: float, padded: bool = True, millis: bool = True, comma: bool = False) -> str:
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    core = f"{h:02d}:{m:02d}:{s:02d}" if padded else f"{h}:{m}:{s}"
    if not millis:
        return core
    return f"{core}{',' if comma else '.'}{ms:03d}"


def teams_vtt(interview: dict[str, Any], rng: random.Random, old_style: bool) -> str:
    """Teams: GUID cue ids, <v Name> voice tags; old-style files have unpadded times and drop some </v>."""
    base = uuid.UUID(int=rng.getrandbits(128), version=4)
    lines = ["WEBVTT", ""]
    for n, (turn, text, start, end) in enumerate(timed_cues(interview["turns"], split=True)):
        lines.append(f"{base}/{n + 10}-{rng.randint(0, 4)}")
        lines.append(f"{_clock(start, padded=not old_style)} --> {_clock(end, padded=not old_style)}")
        close = "" if old_style and rng.random() < 0.3 else "</v>"
        lines.append(f"<v {turn['speaker']}>{text}{close}")
        lines.append("")
    return "\n".join(lines)


def zoom_vtt(interview: dict[str, Any]) -> str:
    """Zoom: integer cue ids, 'Name: text' inline."""
    lines = ["WEBVTT", ""]
    for n, (turn, text, start, end) in enumerate(timed_cues(interview["turns"], split=True), start=1):
        lines += [str(n), f"{_clock(start)} --> {_clock(end)}", f"{turn['speaker']}: {text}", ""]
    return "\n".join(lines)


def plain_text(interview: dict[str, Any], style: str) -> str:
    """'prefix-first': '[00:01:02] I: text' with I/IP labels; 'labels': 'Intervjuer: [00:01:02] text' with
    K1, K2 for informants."""
    informants = [i["name"] for i in interview["informants"]]
    head = (
        f"Intervju {interview['id'][-2:]} – {interview['informants'][0]['role']}, "
        f"{interview['informants'][0]['municipality']}\nDato: {interview['date'][:10]}\n"
        "Transkribert fra lydopptak. Pauser og overlapp er ikke markert.\n"
    )
    lines = [head]
    for turn, text, start, _end in timed_cues(interview["turns"], split=False):
        if turn["role"] == "interviewer":
            label = "I" if style == "prefix-first" else "Intervjuer"
        else:
            k = informants.index(turn["speaker"]) + 1 if turn["speaker"] in informants else 1
            label = "IP" if style == "prefix-first" and len(informants) == 1 else f"K{k}"
        stamp = _clock(start, millis=False)
        lines.append(
            f"[{stamp}] {label}: {text}" if style == "prefix-first" else f"{label}: [{stamp}] {text}"
        )
    return "\n".join(lines) + "\n"


def word_document(interview: dict[str, Any], style: str) -> bytes:
    """'teams': paragraphs 'Name   0:01:23' followed by the text (Teams' Word export); 'table': a table of
    time, speaker and text under a heading."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.author = "Osloregionen"
    doc.add_heading(f"Intervju – {interview['informants'][0]['role']}", level=1)
    cues = timed_cues(interview["turns"], split=False)
    if style == "teams":
        doc.add_paragraph(f"Transkripsjon, {interview['date'][:10]}")
        for turn, text, start, _end in cues:
            head = doc.add_paragraph()
            clock = _clock(start, millis=False)
            run = head.add_run(f"{turn['speaker']}   {clock[1:] if clock.startswith('0') else clock}")
            run.font.size = Pt(9)
            doc.add_paragraph(text)
    else:
        doc.add_paragraph(f"Dato: {interview['date'][:10]}. Tidskoder fra opptaket.")
        table = doc.add_table(rows=1, cols=3)
        for cell, title in zip(table.rows[0].cells, ("Tid", "Taler", "Tekst"), strict=True):
            cell.text = title
        for turn, text, start, _end in cues:
            row = table.add_row().cells
            row[0].text, row[1].text, row[2].text = _clock(start, millis=False), turn["speaker"], text
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


FORMATS = {  # interview format in the JSON -> file suffix (`render` picks the renderer)
    "teams_vtt": ".vtt",
    "zoom_vtt": ".vtt",
    "docx": ".docx",
    "txt": ".txt",
}


def render(interview: dict[str, Any], rng: random.Random, variant: int) -> tuple[str, bytes]:
    """(file name, bytes) of one interview; `variant` alternates old/new Teams, Teams/table Word and the two
    text styles among interviews of the same format."""
    fmt = interview["format"]
    name = interview["id"] + FORMATS[fmt]
    if fmt == "teams_vtt":
        return name, teams_vtt(interview, rng, old_style=variant % 2 == 1).encode("utf-8")
    if fmt == "zoom_vtt":
        return name, zoom_vtt(interview).encode("utf-8")
    if fmt == "docx":
        return name, word_document(interview, "teams" if variant % 2 == 0 else "table")
    return name, plain_text(interview, "prefix-first" if variant % 2 == 0 else "labels").encode("utf-8")
