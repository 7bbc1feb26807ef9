"""Interview ingest: transcripts (.vtt, .srt, .docx, .txt) in, speaker turns out.

`read_cues` is the edge (one file -> cues of speaker, time, text); `build_turns` is the pure transform that
merges consecutive cues of one speaker into turns, decides who is the interviewer, and replaces speaker
names by role pseudonyms. Interviewer turns are context, not evidence.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.config import InterviewSettings
from pipeline.errors import InputError
from pipeline.survey.reading import decode

log = logging.getLogger(__name__)

TRANSCRIPT_SUFFIXES = (".vtt", ".srt", ".docx", ".txt")
UNREADABLE_HINT = (
    "Open it and save it again as .docx or as UTF-8 .txt, or set [interviews].skip_unreadable = true to "
    "skip it (it is then listed in the ingest report)."
)
INTERVIEWER_LABELS = {"i", "int", "intervjuer", "interviewer", "intervjuar", "moderator"}
ROLE_LABEL = re.compile(
    r"^(?:i|k\d*|ip\d*|r\d*|informant\s*\d*|intervjuer\s*\d*|interviewer\s*\d*|respondent\s*\d*)$",
    re.IGNORECASE,
)
TIME = r"(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d{1,3}))?"
CUE_TIME = re.compile(rf"^\s*{TIME}\s*-->\s*{TIME}")
PREFIX = re.compile(
    r"^\s*(?:\[(\d{1,2}:\d{2}(?::\d{2})?)\]\s*)?([^\s:\[\]][^:\[\]]{0,40}?)\s*:\s*"
    r"(?:\[(\d{1,2}:\d{2}(?::\d{2})?)\]\s*)?(.+)$"
)
# Teams' Word export: a paragraph "Speaker Name   0:01:23" and the speech in the next paragraph(s)
SPEAKER_LINE = re.compile(r"^\s*([^\d:\[\]]{2,60}?)\s{2,}(\d{1,2}:\d{2}(?::\d{2})?)\s*$")
# a speaker label on a line of its own ('Intervjuer:'), the speech follows on the next lines
SPEAKER_ONLY = re.compile(r"^(?:\[(\d{1,2}:\d{2}(?::\d{2})?)\]\s*)?([^\d\s:\[\]][^:\[\]]{0,40}?)\s*:$")
CLOCK = re.compile(r"^\s*\[?(\d{1,2}:\d{2}(?::\d{2})?)(?:[.,]\d+)?\]?\s*$")
META_LABELS = {
    "dato",
    "date",
    "sted",
    "varighet",
    "duration",
    "tema",
    "prosjekt",
    "project",
    "transkribert av",
    "opptak",
    "fil",
    "file",
    "deltakere",
    "participants",
    "tittel",
    "title",
}
HEADER_WORDS = {"tid", "time", "taler", "speaker", "navn", "name", "tekst", "text"}
VOICE = re.compile(r"<v(?:\.[\w.-]+)?\s+([^>]+)>(.*?)(?:</v>|$)", re.DOTALL)
TURN_COLUMNS = ["interview_id", "turn", "speaker", "role", "start_s", "end_s", "text", "n_words"]


@dataclass(frozen=True)
class Cue:
    speaker: str
    text: str
    start_s: float | None = None
    end_s: float | None = None


def _seconds(h: str, m: str, s: str, frac: str | None) -> float:
    return int(h) * 3600 + int(m) * 60 + int(s) + (int(frac.ljust(3, "0")) / 1000 if frac else 0.0)


def _clock(text: str | None) -> float | None:
    if not text:
        return None
    parts = [int(p) for p in text.split(":")]
    while len(parts) < 3:
        parts.insert(0, 0)
    return float(parts[0] * 3600 + parts[1] * 60 + parts[2])


# ---------------------------------------------------------------------------------------------- edges
def read_cues(path: Path) -> list[Cue]:
    """Read one transcript file into cues. Raises InputError naming the file when it cannot."""
    suffix = path.suffix.lower()
    if suffix not in TRANSCRIPT_SUFFIXES:
        raise InputError(
            path,
            f"unsupported transcript type '{suffix}'.",
            hint="Use " + ", ".join(TRANSCRIPT_SUFFIXES) + ".",
        )
    if path.stat().st_size == 0:
        raise InputError(path, "the transcript is empty.", hint=UNREADABLE_HINT)
    if suffix == ".docx":
        lines = _docx_lines(path)
        cues = parse_prefixed(lines)
    else:
        text = _read_text(path)
        cues = parse_subtitles(text) if suffix in (".vtt", ".srt") else parse_prefixed(text.splitlines())
    if not cues:
        raise InputError(
            path,
            "no speaker turns found.",
            hint="Expected 'Name: text' lines, WebVTT voice tags or subtitle cues with speaker names. "
            + UNREADABLE_HINT,
        )
    return cues


def _read_text(path: Path) -> str:
    """A text transcript decoded as survey exports are (UTF-16, UTF-8 or cp1252), with '\\n' line ends."""
    text = decode(path, path.read_bytes(), hint=UNREADABLE_HINT)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _docx_lines(path: Path) -> list[str]:
    from docx import Document  # python-docx; imported here to keep CLI start-up fast
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = Document(str(path))
        lines = [_paragraph_line(p) for p in doc.paragraphs]
        tables = [
            [[" ".join(c.text.split()) for c in row.cells] for row in table.rows] for table in doc.tables
        ]
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise InputError(path, "is not a readable Word document.", hint=UNREADABLE_HINT) from exc
    except Exception as exc:  # python-docx and lxml raise many kinds for a damaged file
        raise InputError(
            path, f"is a damaged Word document ({type(exc).__name__}).", hint=UNREADABLE_HINT
        ) from exc
    for table in tables:
        for cells in table:
            if len(cells) < 2 or not cells[-2] or not cells[-1] or cells[-2].casefold() in HEADER_WORDS:
                continue
            clock = CLOCK.match(cells[0]) if len(cells) >= 3 else None
            lines.append(
                f"[{clock.group(1)}] {cells[-2]}: {cells[-1]}" if clock else f"{cells[-2]}: {cells[-1]}"
            )
    return lines


def _paragraph_line(paragraph: object) -> str:
    """A Word paragraph as a line; a bold name at its start ('**Kari Holm** Ja, altså ...' or a bold name on
    its own line) becomes a 'Kari Holm:' prefix."""
    runs = list(getattr(paragraph, "runs", []))
    bold = ""
    for run in runs:
        if not run.bold:
            break
        bold += run.text
    text = paragraph.text  # type: ignore[attr-defined]
    name = bold.strip().rstrip(":").strip()
    if not name or len(name.split()) > 5:
        return text
    rest = text[len(bold) :].strip().lstrip(":").strip()
    return f"{name}: {rest}" if rest else f"{name}:"


# ------------------------------------------------------------------------------------------- parsers
def parse_subtitles(text: str) -> list[Cue]:
    """WebVTT (Teams voice tags, Zoom 'Name: text') and SRT cues."""
    cues: list[Cue] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [ln for ln in block.split("\n") if ln.strip()]
        at = next((i for i, ln in enumerate(lines) if CUE_TIME.match(ln)), None)
        if at is None:
            continue
        m = CUE_TIME.match(lines[at])
        start, end = _seconds(*m.groups()[:4]), _seconds(*m.groups()[4:])
        body = " ".join(lines[at + 1 :]).strip()
        voice = VOICE.search(body)
        if voice:
            speaker, said = voice.group(1), VOICE.sub(lambda v: v.group(2), body)
        else:
            pm = PREFIX.match(body)
            if not pm:
                continue
            speaker, said = pm.group(2), pm.group(4)
        said = re.sub(r"</?[^>]+>", "", said).strip()
        if said:
            cues.append(Cue(" ".join(speaker.split()), said, start, end))
    return cues


def parse_prefixed(lines: list[str]) -> list[Cue]:
    """'Speaker: text' lines, optional [hh:mm:ss] before or after the prefix, or Teams' Word export
    ('Speaker Name   0:01:23' followed by the speech); continuation lines join the previous cue."""
    cues: list[Cue] = []
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        header = SPEAKER_LINE.match(raw)
        if header:
            cues.append(Cue(" ".join(header.group(1).split()), "", _clock(header.group(2)), None))
            continue
        alone = SPEAKER_ONLY.match(line)
        if alone and alone.group(2).strip().casefold() not in META_LABELS:
            cues.append(Cue(" ".join(alone.group(2).split()), "", _clock(alone.group(1)), None))
            continue
        m = PREFIX.match(line)
        if m and m.group(2).strip().casefold() in META_LABELS:
            continue
        if m and len(m.group(2).split()) <= 4:
            start = _clock(m.group(1) or m.group(3))
            cues.append(Cue(" ".join(m.group(2).split()), m.group(4).strip(), start, None))
        elif cues:
            last = cues[-1]
            cues[-1] = Cue(last.speaker, f"{last.text} {line}".strip(), last.start_s, last.end_s)
    return [c for c in cues if c.text]


# ------------------------------------------------------------------------------------------ transforms
def is_role_label(speaker: str) -> bool:
    """True for labels such as 'I', 'K1', 'Intervjuer', 'Informant 2' (not a person's name)."""
    return (
        bool(ROLE_LABEL.match(speaker.strip()))
        or len(speaker.split()) == 1
        and speaker[:1].isupper()
        and speaker.lower().endswith(("sjef", "leder", "direktør", "rådmann"))
    )


def detect_interviewers(cues: list[Cue], configured: tuple[str, ...] = ()) -> tuple[set[str], str]:
    """Who interviews in one transcript, and how that was decided.

    Configured names/labels win; then conventional labels ('I', 'Intervjuer'); otherwise the heuristic: the
    speaker with the highest share of turns that are questions, breaking ties by fewer words spoken."""
    speakers = sorted({c.speaker for c in cues})
    wanted = {s.casefold() for s in configured}
    chosen = {s for s in speakers if s.casefold() in wanted}
    if chosen:
        return chosen, "programme file"
    chosen = {s for s in speakers if s.casefold().rstrip("0123456789 ") in INTERVIEWER_LABELS}
    if chosen:
        return chosen, "speaker label"
    if len(speakers) == 1:
        return set(), "single speaker"
    stats = []
    for s in speakers:
        own = [c.text for c in cues if c.speaker == s]
        questions = sum(t.rstrip().endswith("?") for t in own) / len(own)
        words = sum(len(t.split()) for t in own)
        stats.append((-questions, words, s))
    return {sorted(stats)[0][2]}, "heuristic: most questions, fewest words"


def build_turns(cues: list[Cue], interview_id: str, interviewers: set[str]) -> pd.DataFrame:
    """Merge consecutive cues of one speaker into turns; label roles and give speakers role pseudonyms
    ('Intervjuer 1', 'Informant 2') in order of first appearance. Text is not pseudonymised here."""
    merged: list[Cue] = []
    for cue in cues:
        if merged and merged[-1].speaker == cue.speaker:
            last = merged[-1]
            merged[-1] = Cue(
                last.speaker,
                f"{last.text} {cue.text}",
                last.start_s,
                cue.end_s if cue.end_s is not None else last.end_s,
            )
        else:
            merged.append(cue)
    alias: dict[str, str] = {}
    counts = {"interviewer": 0, "informant": 0}
    rows = []
    for n, cue in enumerate(merged, start=1):
        role = "interviewer" if cue.speaker in interviewers else "informant"
        if cue.speaker not in alias:
            counts[role] += 1
            alias[cue.speaker] = f"{'Intervjuer' if role == 'interviewer' else 'Informant'} {counts[role]}"
        rows.append(
            (
                interview_id,
                n,
                alias[cue.speaker],
                role,
                cue.start_s,
                cue.end_s,
                cue.text,
                len(cue.text.split()),
            )
        )
    return pd.DataFrame(rows, columns=TURN_COLUMNS)


def read_transcripts(
    paths: Iterable[Path], settings: InterviewSettings
) -> tuple[pd.DataFrame, list[dict], set[str]]:
    """Every transcript -> turns (text not yet pseudonymised), a report line per file, speaker names.
    An unreadable file stops the run, or is skipped and reported when [interviews].skip_unreadable is set."""
    all_turns, report, names = [], [], set()
    for path in paths:
        try:
            cues = read_cues(path)
        except InputError as exc:
            if not settings.skip_unreadable:
                raise
            log.warning("skipped transcript (skip_unreadable is set): %s", exc)
            report.append({"file": path.name, "interview_id": path.stem, "skipped": str(exc)})
            continue
        who, how = detect_interviewers(cues, settings.interviewers)
        names.update(s for s in {c.speaker for c in cues} if not is_role_label(s))
        turns = build_turns(cues, path.stem, who)
        all_turns.append(turns)
        informants = turns.loc[turns["role"] == "informant", "speaker"]
        report.append(
            {
                "file": path.name,
                "interview_id": path.stem,
                "cues": len(cues),
                "turns": len(turns),
                "informant_turns": len(informants),
                "informants": int(informants.nunique()),
                "interviewers": len(who),
                "interviewer_detected_by": how,
            }
        )
        speakers = sorted({c.speaker for c in cues})
        if len(speakers) == 1:
            report[-1]["single_speaker"] = True
            log.warning(
                "%s: only one speaker ('%s'), so every turn, the interviewer's questions too, counts as the "
                "informant's. Set the speaker names in the transcript, or list the interviewer in "
                "[interviews].interviewers if the file names them.",
                path.name,
                speakers[0],
            )
        if how.startswith("heuristic"):
            log.info(
                "%s: interviewer chosen by %s; set [interviews].interviewers to override", path.name, how
            )
    turns = pd.concat(all_turns, ignore_index=True) if all_turns else pd.DataFrame(columns=TURN_COLUMNS)
    return turns, report, names
