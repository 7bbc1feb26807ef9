"""Person names in Norwegian text, by list, by context and by shape.

Three kinds of evidence, so that a name on no list is still found:
- the shipped lists of Norwegian first names and surnames (`list_patterns`, used by the `Pseudonymiser`);
- context (`contexts`): words that introduce a person ("kollegaen min X", "ordfører X", "snakket med X") or
  follow one ("X sa", "X og jeg", "X, hun");
- shape: in Norwegian, ordinary nouns are written in lower case, so a capitalised word that does not start a
  sentence is a proper noun. Proper nouns that are not persons are recognised (Norwegian places and the
  keep list of countries, cities, bodies and products, acronyms, designators such as 'Street', common
  nouns); of the rest, a run of two or three capitalised words with one rare in Norwegian (`lexicon`) is a
  name. Which kinds of shape evidence count was chosen by measurement on planted names and on news text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from pipeline.privacy.contexts import (
    CAP,
    DESIGNATORS,
    FINITE_VERB,
    LOWERCASE_POST,
    LOWERCASE_PRE,
    NAME_CONTEXT,
    NEXT_TO_PERSON,
    PARTICLES,
    POSSESSIVE,
    POSSESSIVE_PERSON,
    POST_CONTEXT,
    PRE_CONTEXT,
    RELATION_WORD,
    SENTENCE_END,
    TOKEN,
)
from pipeline.privacy.lexicon import (
    COMMON_ZIPF,
    RARE_ZIPF,
    Vocabulary,
    common_noun,
    compound,
    inflected,
    is_ordinary,
    is_rare,
    listed_lower,
    shipped_names,
    stop_words,
    zipf,
)

__all__ = [
    "NAME_CONTEXT",
    "Candidate",
    "Vocabulary",
    "find_names",
    "inflected",
    "is_ordinary",
    "list_patterns",
    "lowercase_listed_names",
    "sentence_initial",
    "shipped_names",
    "stop_words",
]


@lru_cache(maxsize=1)
def list_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a listed first name followed by one or two capitalised words, a listed first name alone)."""
    first, _surnames, _ambiguous = shipped_names()
    alternatives = "|".join(re.escape(n) for n in sorted(first, key=lambda s: (-len(s), s)))
    full = re.compile(
        rf"(?<![\w-])(?:{alternatives})(?:[ -](?:{alternatives}))?(?:\s+{CAP}(?:-{CAP})?){{1,2}}(?![\w-])"
    )
    alone = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
    return full, alone


def lowercase_listed_names(
    text: str, protected: Iterable[tuple[int, int]] = ()
) -> list[tuple[int, int, str]]:
    """Names typed in lower case ('jeg heter kari nordmann', 'ola hansen'): a listed first name that is no
    ordinary word (not on the list of names that are also words: 'per', 'liv', 'dag'), with the word after
    it when that is a listed surname or a word too rare in Norwegian to be a verb or a common noun
    ('kvamme'; not 'sa', 'mener', 'foreslo'). Returns (start, end, the name capitalised), so that
    'kari nordmann' and 'Kari Nordmann' are one person."""
    first, surnames, ambiguous = shipped_names()
    blocked = sorted(protected)
    tokens = [
        m
        for m in TOKEN.finditer(text)
        if not any(s <= m.start() < e for s, e in blocked)
        and not (m.start() > 0 and text[m.start() - 1] == "[")
    ]
    found = []
    i = 0
    while i < len(tokens):
        m, word = tokens[i], tokens[i].group(0)
        if word != word.lower() or word.capitalize() not in first or word.capitalize() in ambiguous:
            i += 1
            continue
        words, end = [word], m.end()
        if i + 1 < len(tokens) and text[m.end() : tokens[i + 1].start()] == " ":
            nxt = tokens[i + 1].group(0)
            after = text[m.end() :]
            surname = nxt.capitalize() in surnames or (
                nxt.lower() not in stop_words()
                and zipf(nxt.lower()) < COMMON_ZIPF
                and not FINITE_VERB.match(after)
                and not POST_CONTEXT.match(after)
            )
            if nxt == nxt.lower() and surname:
                words.append(nxt)
                end = tokens[i + 1].end()
                i += 1
        found.append((m.start(), end, " ".join(w.capitalize() for w in words)))
        i += 1
    return found


def sentence_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return before == "" or before.endswith(SENTENCE_END)


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    text: str
    evidence: str  # "context" or "shape"


def _capitalised(token: str, shouting: bool) -> bool:
    if not token[0].isupper():
        return False
    if shouting:  # every word is in capitals: only a word that is no ordinary word may be a name
        return not is_ordinary(token)
    head = token.split("-")[0]
    if "-" in token and head.isupper() and len(head) > 1:
        return False  # 'PC-er', 'NAV-kontoret': an acronym with an ending
    return not (token.isupper() and len(token) > 1)  # an acronym (KS, NAV) is not a name


def find_names(
    text: str, protected: Iterable[tuple[int, int]] = (), vocabulary: Vocabulary | None = None
) -> list[Candidate]:
    """Person names in `text` that no list knows, with the kind of evidence. `protected` spans (places,
    kept proper nouns, placeholders) are never part of a name."""
    blocked = sorted(protected)
    letters = [c for c in text if c.isalpha()]
    shouting = len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.7 * len(letters)
    view = TOKEN.sub(lambda m: m.group(0).capitalize(), text) if shouting else text
    tokens = [m for m in TOKEN.finditer(view) if not any(s <= m.start() < e for s, e in blocked)]
    tokens = [m for m in tokens if not (m.start() > 0 and text[m.start() - 1] == "[")]
    found: list[Candidate] = []
    i = 0
    while i < len(tokens):
        m = tokens[i]
        if not _capitalised(m.group(0), shouting):
            if _lowercase_name(view, m, vocabulary):
                found.append(Candidate(m.start(), m.end(), text[m.start() : m.end()], "context"))
            i += 1
            continue
        run = [m]
        j = i + 1
        while j < len(tokens):
            gap = view[run[-1].end() : tokens[j].start()]
            nxt = tokens[j].group(0)
            if gap == " " and _capitalised(nxt, shouting):
                run.append(tokens[j])
            elif (
                gap == " "
                and nxt in PARTICLES
                and j + 1 < len(tokens)
                and _capitalised(tokens[j + 1].group(0), shouting)
            ):
                run += [tokens[j], tokens[j + 1]]
                j += 1
            else:
                break
            j += 1
        i = j
        if sentence_initial(view, run[0].start()) and _starts_sentence(run, view, vocabulary):
            run = run[1:]  # 'Kommunen', 'Vi', 'Korleis', 'Rådgiver': an ordinary word that starts a sentence
        if not run:
            continue
        evidence = _evidence(view, run, vocabulary)
        if evidence:
            start, end = run[0].start(), run[-1].end()
            found.append(Candidate(start, end, text[start:end], evidence))
    return found


def _starts_sentence(run: list[re.Match[str]], view: str, vocabulary: Vocabulary | None) -> bool:
    """Whether the first word of a sentence-initial run is an ordinary word rather than part of a name. Alone,
    an ordinary word ('Kommunen har'); before other capitalised words ('Elle Mienna', 'Amina Suleimans'),
    only a stop word, a title or a word this run writes in lower case elsewhere ('Rådgiver Kowalczyk')."""
    first = run[0].group(0)
    introduces = PRE_CONTEXT.search(first + " ") is not None  # 'Ring Faadumo', 'Ordfører Tesfay'
    common = zipf(first.lower()) >= COMMON_ZIPF and first.lower() not in listed_lower()
    if len(run) == 1 or first.lower() in stop_words() or introduces or common:
        return is_ordinary(first, vocabulary) and (
            NAME_CONTEXT.match(view[run[0].end() :]) is None or first.lower() not in listed_lower()
        )
    return vocabulary is not None and first.lower() in vocabulary


def _evidence(view: str, run: list[re.Match[str]], vocabulary: Vocabulary | None) -> str:
    words = [m.group(0) for m in run if m.group(0) not in PARTICLES]
    start, end = run[0].start(), run[-1].end()
    if any(m.group(0).lower() in DESIGNATORS for m in run):
        return ""  # 'Downing Street', 'Cirque du Soleil', 'The Onion': a place, a body or a work
    initial = sentence_initial(view, start)
    if any(common_noun(w) and not RELATION_WORD.fullmatch(w) for w in words):
        return ""  # 'Innsjøen Onega', 'Great Yarmouth', 'filmen Nasjonalskatten': a thing with a name
    in_context = PRE_CONTEXT.search(view[max(0, start - 60) : start]) or POST_CONTEXT.match(view[end:])
    if in_context and not (initial and len(words) == 1 and is_ordinary(words[0], vocabulary)):
        return "context"
    if NEXT_TO_PERSON.match(view[end:]) or re.search(r"\[PERSON-\d+\] $", view[max(0, start - 14) : start]):
        return "context"  # 'Máret [PERSON-7]': a first name beside a known surname, or the reverse
    if len(words) >= 2 and any(is_rare(w) for w in words):
        return "shape"  # 'Omar Masri', 'Aslak Tveito': capitalised words in a row, one of them rare
    if len(words) >= 2 or is_ordinary(words[0], vocabulary) and not is_rare(words[0]):
        return ""
    word, after = words[0], view[end:]
    if word.endswith("s") and not is_ordinary(word[:-1], vocabulary) and POSSESSIVE_PERSON.match(after):
        return "shape"  # 'Sunnás mor', 'Agnieszkas forslag'
    genitive = (  # a rare genitive that starts a sentence, before a noun: 'Tarjeis forslag'
        initial
        and word.endswith("s")
        and zipf(word.lower()) < RARE_ZIPF
        and not is_ordinary(word[:-1], vocabulary)  # 'Stasjonens' is the station's
        and POSSESSIVE.match(after)
        and not FINITE_VERB.match(after)
    )
    # a lone rare word without context is not taken for a name: measured on news text (SIB-200), such words
    # are mostly places and things, and as a subject at the start of a sentence as well
    return "shape" if genitive else ""


def _lowercase_name(view: str, m: re.Match[str], vocabulary: Vocabulary | None) -> bool:
    """A name typed in lower case ('snakket med agnieszka'): only right after a name-introducing context."""
    word = m.group(0)
    if len(word) < 3 or is_ordinary(word, vocabulary) or not is_rare(word):
        return False
    if len(word) > 12 or inflected(word) or compound(word):
        return False
    before, after = view[max(0, m.start() - 40) : m.start()], view[m.end() :]
    return LOWERCASE_PRE.search(before) is not None or LOWERCASE_POST.match(after) is not None
