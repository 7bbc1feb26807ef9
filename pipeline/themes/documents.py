"""Documents for theme discovery: every substantive free-text answer, and every informant turn, long turns
split into passages. Non-answers ('Nei', '-', 'vet ikke', 'Ingen kommentar', empty) and informant small talk
(fewer than four content words: 'Hei, hører du meg?') are recognised and returned separately, counted, never
clustered. Interviewer turns are context, not evidence."""

from __future__ import annotations

import re

import pandas as pd

from pipeline.text import build_content_words, is_non_answer

DOC_COLUMNS = ["doc_id", "source", "respondent_id", "question", "interview_id", "turn", "passage", "text"]
MIN_CONTENT_WORDS = 4  # an informant passage with fewer content words is small talk ("Hei, hører du meg?")
MAX_WORDS = 120  # an informant turn longer than this is split into passages of about PASSAGE_WORDS
PASSAGE_WORDS = 80


def split_passages(text: str, max_words: int = MAX_WORDS, target: int = PASSAGE_WORDS) -> list[str]:
    """A long turn as passages of about `target` words, cut at sentence ends (never mid-sentence unless a
    single sentence is longer than `max_words`)."""
    words = text.split()
    if len(words) <= max_words:
        return [text]
    sentences = re.split(r"(?<=[.!?…])\s+", text.strip())
    passages: list[list[str]] = [[]]
    for sentence in sentences:
        tokens = sentence.split()
        while len(tokens) > max_words:  # a run-on sentence: cut it
            passages.append(tokens[:target])
            tokens = tokens[target:]
        if passages[-1] and len(passages[-1]) + len(tokens) > target:
            passages.append([])
        passages[-1].extend(tokens)
    if len(passages) > 1 and len(passages[-1]) < target // 3:  # a short tail joins the passage before
        passages[-2].extend(passages.pop())
    return [" ".join(p) for p in passages if p]


def collect_documents(free_text: pd.DataFrame, turns: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(documents, non-answers) in a stable order: survey answers by respondent and question, then informant
    passages by interview, turn and passage."""
    non = free_text["text"].map(is_non_answer)
    survey = free_text.loc[~non].assign(source="survey", interview_id=None, turn=pd.NA, passage=pd.NA)
    rows, small_talk = [], []
    content = build_content_words()
    informant = turns.loc[turns["role"] == "informant"]
    for interview_id, turn, text in informant[["interview_id", "turn", "text"]].itertuples(index=False):
        for i, passage in enumerate(split_passages(text), start=1):
            if len(content(passage)) < MIN_CONTENT_WORDS:
                small_talk.append((interview_id, int(turn), passage))
                continue
            rows.append(("interview", None, None, interview_id, int(turn), i, passage))
    interview = pd.DataFrame(rows, columns=DOC_COLUMNS[1:])
    docs = pd.concat([survey[DOC_COLUMNS[1:]], interview], ignore_index=True)
    docs["turn"] = docs["turn"].astype("Int64")
    docs["passage"] = docs["passage"].astype("Int64")
    docs.insert(0, "doc_id", [f"d{i:06d}" for i in range(len(docs))])
    non_answers = pd.concat(
        [
            free_text.loc[non, ["respondent_id", "question", "text"]].assign(source="survey"),
            pd.DataFrame(small_talk, columns=["interview_id", "turn", "text"]).assign(source="interview"),
        ],
        ignore_index=True,
    )
    return docs[DOC_COLUMNS], non_answers
