"""The ordinary-word reference: whether a word is an ordinary Norwegian word, a rare one (a name candidate)
or a common noun, measured rather than listed.

"Ordinary" means: a shipped stop word; frequent in Norwegian (wordfreq's bokmål list, Zipf >= ORDINARY_ZIPF:
met at least once per million words) and not a listed name; a compound of two frequent words
('sykepleier+mangel'); an inflected form of a frequent word ('studentane', 'kirurgar'); or a word the run
itself writes in lower case in two texts or more (`Vocabulary`), which covers nynorsk and the user's
own jargon.
wordfreq folds case, so its list also holds frequent names ('ali', 'hansen'): frequency alone never makes a
capitalised word inside a sentence a non-name, it only tells what is rare.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.privacy.contexts import TOKEN
from pipeline.text import load_word_list

ORDINARY_ZIPF = 3.0  # wordfreq Zipf >= 3: a word a Norwegian reader meets at least once per million words
RARE_ZIPF = 3.0  # a capitalised word rarer than this (and not a known place or body) is a name candidate
COMPOUND_ZIPF = 3.5  # each part of a compound read as an ordinary word must be at least this frequent
SHORT_TAIL_ZIPF = 4.5  # a three-letter last part of a compound must be this common ('bygge+sak')
COMMON_ZIPF = 4.5  # a word this frequent that starts a sentence is an ordinary word, even before a name
ENGLISH_ZIPF = 4.0  # an English word this common ('Street', 'National', 'Running') is no rare name


@lru_cache(maxsize=1)
def shipped_names() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(first names, surnames, names that are also ordinary words) from `pipeline/resources`."""
    return (
        load_word_list("first_names_no.txt"),
        load_word_list("surnames_no.txt"),
        load_word_list("ambiguous_names_no.txt"),
    )


@lru_cache(maxsize=1)
def listed_lower() -> frozenset[str]:
    first, surnames, _ambiguous = shipped_names()
    return frozenset(n.lower() for n in first | surnames)


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    return load_word_list("stopwords_no.txt")


@lru_cache(maxsize=200_000)
def zipf(word: str, lang: str = "nb") -> float:
    """wordfreq's Zipf frequency of a lower-case word in Norwegian bokmål (or `lang`; 0 when unknown)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang)


INFLECTIONS = ("ingane", "ingen", "inga", "ane", "ene", "ar", "er", "en", "et", "a", "e")


@lru_cache(maxsize=200_000)
def inflected(word: str) -> bool:
    """True when `word` is an inflected form (bokmål or nynorsk) of a frequent word: kirurgar, studentane."""
    for suffix in INFLECTIONS:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 4:
            if zipf(stem) >= ORDINARY_ZIPF or zipf(stem + "e") >= ORDINARY_ZIPF:
                return True
            if suffix in ("ar", "ane") and zipf(stem + "er") >= ORDINARY_ZIPF:  # nynorsk -ar, bokmål -er
                return True
    return False


@lru_cache(maxsize=200_000)
def compound(word: str) -> bool:
    """True when `word` splits into two frequent words, with an optional linking s or e: sykepleiermangel."""
    for i in range(4, len(word) - 2):
        head, tail = word[:i], word[i:]
        if zipf(tail) < COMPOUND_ZIPF or len(tail) < 4 and zipf(tail) < SHORT_TAIL_ZIPF:
            continue
        if zipf(head) >= COMPOUND_ZIPF or (
            head[-1] in "se" and len(head) > 3 and zipf(head[:-1]) >= COMPOUND_ZIPF
        ):
            return True
    return False


@dataclass
class Vocabulary:
    """Words seen in lower case in at least `min_texts` texts of a run: ordinary words in this corpus."""

    min_texts: int = 2
    counts: Counter[str] = field(default_factory=Counter)

    def learn(self, texts: Iterable[str]) -> Vocabulary:
        for text in texts:
            if isinstance(text, str):
                self.counts.update({t for t in TOKEN.findall(text) if t.islower()})
        return self

    def __contains__(self, word: str) -> bool:
        return self.counts.get(word, 0) >= self.min_texts


def is_ordinary(word: str, vocabulary: Vocabulary | None = None) -> bool:
    """True for an ordinary Norwegian word (not a name): see the module docstring."""
    lower = word.lower()
    if lower in stop_words() or (vocabulary is not None and lower in vocabulary):
        return True
    if lower in listed_lower():
        return False
    parts = lower.split("-")
    return all(zipf(p) >= ORDINARY_ZIPF or compound(p) or inflected(p) for p in parts if p)


def is_rare(word: str) -> bool:
    """A capitalised word too rare in Norwegian to be a known proper noun (possessive -s stripped), and no
    compound of ordinary words ('Økonomistyring')."""
    lower = word.lower()
    forms = [lower, lower[:-1]] if lower.endswith("s") and len(lower) > 3 else [lower]
    parts = [p for f in forms for p in f.split("-") if p]
    if any(zipf(p) >= RARE_ZIPF or zipf(p, "en") >= ENGLISH_ZIPF for p in parts):
        return False  # a known Norwegian word or proper noun, or a common English word ('Airlines')
    return not any(compound(p) or inflected(p) for p in parts)


# the last elements of Norwegian farm and family names ('Flateland', 'Vestrheim'): a compound ending in one of
# these may be a surname, so it does not count as an ordinary noun
NAME_ELEMENTS = (
    "land",
    "heim",
    "rud",
    "stad",
    "berg",
    "dal",
    "vik",
    "haug",
    "bakk",
    "bakken",
    "li",
    "lie",
    "nes",
    "set",
    "seth",
    "gard",
    "gård",
    "eng",
    "moen",
    "holm",
    "strand",
    "voll",
    "vold",
    "sæter",
    "seter",
    "torp",
    "tveit",
    "aker",
    "åker",
    "fjell",
    "by",
    "hus",
    "stein",
    "sund",
    "øy",
    "skog",
    "lund",
    "foss",
    "bø",
    "rød",
    "mo",
)


def common_noun(word: str) -> bool:
    """A capitalised word that is a Norwegian common noun (inflected: 'Innsjøen'; a compound not ending in a
    name element: 'Spillutgiver') or a very common English word ('Great', 'World')."""
    lower = word.lower()
    if lower in listed_lower():
        return False
    if zipf(lower, "en") >= COMMON_ZIPF:
        return True
    if lower.endswith(NAME_ELEMENTS):
        return False
    return any(definite(p) or (compound(p) and zipf(p) < ORDINARY_ZIPF) for p in lower.split("-") if p)


def definite(word: str) -> bool:
    """A definite or plural noun form of a frequent word ('innsjøen', 'samveldet'): endings that names rarely
    have, unlike -a and -e ('Kinga', 'Renata')."""
    for suffix in ("ene", "ane", "en", "et", "er", "ar"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 4 and zipf(stem) >= COMPOUND_ZIPF:
            return True
    return False
