"""Which texts may be shown as quotes, and how long. A quote is evidence of a need or an experience: not a
self-introduction, not small talk, not talk about the interview itself; it is cut at a sentence end."""

from __future__ import annotations

import re

from pipeline.privacy.identifiers import REDACTED, identifying

QUOTE_MAX_WORDS = 60
ABOUT_THE_INTERVIEW = re.compile(
    r"\b(?:intervju\w*|opptak\w*|tar opp|transkri\w+|hører du meg|høyrer du meg|hører dere meg|lyden|"
    r"mikrofon\w*|kamera\w*|skjermen|deler skjerm|spørsmålet ditt|godt spørsmål|neste spørsmål|"
    r"takk for at|anonymisert|anonymt|anonym)\b",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def is_quotable(text: str) -> bool:
    """True for a text that may be shown to partners as a quote: none of its sentences describes the writer
    or points to their municipality, it is not about the interview, and nothing in it was redacted."""
    return not (REDACTED in text or identifying(text) or ABOUT_THE_INTERVIEW.search(text))


def shorten_quote(text: str, max_words: int = QUOTE_MAX_WORDS) -> str:
    """The text's first sentences up to `max_words` words, with '…' where it was cut; a first sentence that
    is itself too long is cut at a word boundary."""
    text = " ".join(text.split())
    if len(text.split()) <= max_words:
        return text
    kept: list[str] = []
    for sentence in SENTENCE_END.split(text):
        if len(" ".join([*kept, sentence]).split()) > max_words:
            break
        kept.append(sentence)
    if not kept:
        return " ".join(text.split()[:max_words]).rstrip(",;:–-") + " …"
    return " ".join(kept) + " …"
