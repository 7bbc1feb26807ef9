"""Pseudonymisation measured on the sample's planted personal data (data/ground_truth/pii.csv).

Recall: a planted string counts as caught when it no longer occurs (as a whole word) in the pseudonymised
text where it was planted: the survey answer, or the interview turn; a speaker's name anywhere in that
interview. False positives: every replaced string that is not planted personal data (names: not a planted
name nor a part of one), counted and listed, so the cost of the name lists is visible."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pandas as pd

from pipeline.config import load_programme
from pipeline.privacy import Pseudonymiser, pseudonymise_column
from pipeline.stages import build_pseudonymiser, read_transcripts
from pipeline.survey import read_codebook, read_export, tidy_survey


def _word(value: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w@.-]){re.escape(value)}(?![\w-])")


def measure(config: Path, truth_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(recall per kind, false positives) on the sample."""
    programme = load_programme(config)
    inputs = programme.inputs
    book = read_codebook(inputs.codebook)
    id_column = book.loc[book["type"] == "respondent_id", "column"].iloc[0]
    tables = tidy_survey(read_export(inputs.survey, inputs.survey_sheet, id_column), book, inputs.survey)
    # the transcripts and the pseudonymiser exactly as the ingest stage (pipeline.stages.ingest) builds them
    turn_table, _report, speakers = read_transcripts(programme)
    pseudonymiser = build_pseudonymiser(programme, tables.respondents, speakers)
    after_turns = pseudonymise_column(turn_table, "text", pseudonymiser).set_index(["interview_id", "turn"])[
        "text"
    ]
    after_answers = pseudonymise_column(tables.free_text, "text", pseudonymiser).set_index(
        ["respondent_id", "question"]
    )["text"]

    pii = pd.read_csv(truth_dir / "pii.csv", dtype=str, keep_default_na=False)
    caught = []
    for row in pii.itertuples(index=False):
        if row.kind == "speaker":
            texts = after_turns.loc[row.interview_id].tolist()
        elif row.interview_id:
            texts = [after_turns.loc[(row.interview_id, int(row.turn))]]
        else:
            texts = [after_answers.loc[(row.respondent_id, row.question)]]
        caught.append(not any(_word(row.value).search(t) for t in texts))
    pii = pii.assign(caught=caught)
    recall = pii.groupby("kind").agg(planted=("caught", "size"), caught=("caught", "sum")).reset_index()
    recall["recall"] = recall["caught"] / recall["planted"]

    planted_parts = {
        part for v in pii.loc[pii["kind"].isin(["name", "speaker"]), "value"] for part in [v, *v.split()]
    }
    planted = set(pii["value"]) | planted_parts
    false = Counter()
    for (kind, original), n in pseudonymiser.found.items():
        known = original in planted or all(w in planted_parts for w in original.split())
        if kind == "name" and not known or kind != "name" and original not in planted:
            false[kind, original] += n
    fps = pd.DataFrame(
        [(k, o, n) for (k, o), n in sorted(false.items())], columns=["kind", "replaced", "count"]
    )
    return recall, fps


def scan_news(path: Path) -> str:
    """What the name lists replace in 1,004 Norwegian news sentences (SIB-200): real names there are true
    positives, ordinary words are false positives; listed for inspection."""
    if not path.is_file():
        return f"({path} not found: a user's clone has no ../shared; SIB-200 scan skipped)"
    pseudonymiser = Pseudonymiser()
    for text in pd.read_csv(path, sep="\t")["text"]:
        pseudonymiser(text)
    found = sorted(pseudonymiser.found.items(), key=lambda kv: (-kv[1], kv[0]))
    listed = ", ".join(f"{original} ({kind})" for (kind, original), _n in found)
    return (
        f"SIB-200 (1,004 news sentences, no planted data): {sum(n for _k, n in found)} replacements of "
        f"{len(found)} strings: {listed}."
    )


def run(config: Path, truth_dir: Path, news: Path) -> str:
    if not truth_dir.is_dir():
        return "(no ground truth next to the sample; skipped)"
    recall, fps = measure(config, truth_dir)
    lines = ["| kind | planted | caught | recall |", "|---|---:|---:|---:|"]
    lines += [f"| {r.kind} | {r.planted} | {r.caught} | {r.recall:.1%} |" for r in recall.itertuples()]
    n_replaced = int(fps["count"].sum()) if len(fps) else 0
    lines += [
        "",
        f"False positives (replaced, but not planted personal data): {len(fps)} distinct strings, "
        f"{n_replaced} replacements.",
    ]
    if len(fps):
        lines.append(
            "Examples: "
            + ", ".join(f"{r.replaced} ({r.kind}, {r.count}×)" for r in fps.head(15).itertuples())
        )
    lines += ["", scan_news(news)]
    return "\n".join(lines)
