"""Names a partner would write: a theme's name is its most shared distinctive phrase in the leaders' own
words ("Rekruttering av sykepleiere"), not a list of stems.

1. Distinctive terms: the theme's class-based TF-IDF terms, less the generic ones: a stop word, or a word
   that is among the most frequent in Norwegian (wordfreq Zipf >= GENERIC_ZIPF: 'samtidig', 'gjøre'), and
   one term per word family ('digitalisering', 'digitale', 'digitalt' share a stem prefix).
2. Phrases: every run of two to four words in the theme's documents that starts and ends with a content word
   and holds a distinctive term; scored by the documents that use it times the distinctive terms it holds,
   the best (used by at least two documents) is the name, in its most frequent written form.
3. Otherwise the name is the two best terms joined: "Beredskap og krisehåndtering"; a word the leaders write
   with a capital inside a sentence (a proper noun: 'Olympiatoppen') keeps it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from pipeline.text import build_stemmer, stop_words

GENERIC_ZIPF = 5.0  # as frequent as the 1,000 or so most common Norwegian words
FAMILY_PREFIX = 6  # words sharing their first letters are one family ('digitalisering', 'digitale')
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@lru_cache(maxsize=50_000)
def is_generic(word: str) -> bool:
    from wordfreq import zipf_frequency

    lower = word.lower()
    return lower in stop_words() or zipf_frequency(lower, "nb") >= GENERIC_ZIPF


def distinctive(terms: Sequence[str], n: int = 6) -> list[str]:
    """The first `n` terms that are not generic, one per word family; a phrase term counts when one of its
    words is not generic."""
    chosen: list[str] = []
    families: set[str] = set()
    for term in terms:
        words = term.split()
        if all(is_generic(w) for w in words):
            continue
        family = {w.lower()[:FAMILY_PREFIX] for w in words if not is_generic(w)}
        if family & families:
            continue
        families |= family
        chosen.append(term)
        if len(chosen) == n:
            break
    return chosen


def theme_name(texts: Sequence[str], terms: Sequence[str]) -> str:
    """A short Norwegian name for a theme from its documents and its distinctive terms (best first)."""
    top = distinctive(terms)
    if not top:
        return ", ".join(terms[:2])
    stem = build_stemmer()
    wanted = {stem(w.lower()) for t in top for w in t.split() if not is_generic(w)}
    counts: Counter[str] = Counter()
    weight: dict[str, int] = {}
    forms: dict[str, Counter[str]] = {}
    for text in texts:
        words = WORD.findall(text)
        stems = [stem(w.lower()) for w in words]
        seen: set[str] = set()
        for i in range(len(words)):
            for j in range(i + 2, min(i + 4, len(words)) + 1):
                span = words[i:j]
                if is_generic(span[0]) or is_generic(span[-1]):
                    continue
                hits = len(set(stems[i:j]) & wanted)
                if not hits:
                    continue
                key = " ".join(w.lower() for w in span)
                if key not in seen:
                    seen.add(key)
                    counts[key] += 1
                    weight[key] = hits
                    forms.setdefault(key, Counter())[" ".join(span)] += 1
    best = sorted(counts.items(), key=lambda kv: (-kv[1] * weight[kv[0]], len(kv[0].split()), kv[0]))
    if best and best[0][1] >= 2 and best[0][1] * weight[best[0][0]] >= 4:
        written = forms[best[0][0]].most_common(1)[0][0]
        return _sentence_case(written, texts)
    name = top[0] if len(top) == 1 else f"{top[0]} og {top[1]}"
    return _sentence_case(name, texts)


MIN_PROPER = 2  # capitalised inside sentences at least this often, and more often than not: a proper noun


def _sentence_case(phrase: str, texts: Sequence[str]) -> str:
    """The phrase with a capital first letter; other words keep a capital only when the leaders write them so
    inside sentences (proper nouns), more than once ('hvordan si nei Sykepleiermangel Omdømme' is a list
    without punctuation, not a name)."""
    words = phrase.split()
    joined = " ".join(texts)
    out = []
    for i, word in enumerate(words):
        capital = word[:1].upper() + word[1:]
        capitals = len(re.findall(rf"(?<=[a-zæøå,] ){re.escape(capital)}\b", joined))
        lowers = len(re.findall(rf"(?<=[a-zæøå,] ){re.escape(word.lower())}\b", joined))
        proper = capitals >= MIN_PROPER and capitals > lowers  # once may be a list without punctuation
        out.append(
            capital if i == 0 or proper else word.lower() if word[:1].isupper() and not proper else word
        )
    return " ".join(out)
