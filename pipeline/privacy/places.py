"""Places and other proper nouns that are not persons.

`places_no.tsv` lists every Norwegian municipality (2024 structure, with Sámi and Kven parallel names),
the counties (current and former) and the towns and larger places, most thoroughly of the Oslo region.
A municipality becomes `[KOMMUNE]`, any other place `[STED]`: in a region of about 70 municipalities a
municipality plus a role is one person. `proper_nouns_keep.txt` lists proper nouns a name detector must leave
alone (countries, world cities, public bodies, products); the programme file can add its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib.resources import files

from pipeline.privacy.identifiers import NUMBER_WORDS
from pipeline.privacy.lexicon import Vocabulary, inflected, stop_words
from pipeline.privacy.names import sentence_initial

PLACEHOLDER_MUNICIPALITY = "[KOMMUNE]"
PLACEHOLDER_PLACE = "[STED]"
NUMBER_WORD = re.compile(rf"(?:{NUMBER_WORDS})")  # 'tretten' is thirteen before it is Tretten
LOCATIVE = re.compile(r"\b(?:i|fra|frå|til|på|mot|ved|rundt|utenfor|utanfor|nær|nord for|sør for)\s+$")
PLACE_CONTEXT = re.compile(r"^s?\s+(?:kommune|kommunes|kommunen|fylke|fylkeskommune|by|sentrum)\b")


@lru_cache(maxsize=1)
def shipped_places() -> dict[str, str]:
    """Place name -> 'kommune' or 'sted' (counties and other places), from `places_no.tsv`."""
    text = files("pipeline.resources").joinpath("places_no.tsv").read_text(encoding="utf-8")
    places: dict[str, str] = {}
    for line in text.splitlines()[1:]:
        if not line.strip() or line.startswith("#"):
            continue
        name, kind = line.split("\t")[:2]
        name = " ".join(name.split())
        if places.get(name) != "kommune":  # a name that is both a municipality and a place: the municipality
            places[name] = "kommune" if kind == "kommune" else "sted"
    return places


@lru_cache(maxsize=1)
def shipped_keep() -> frozenset[str]:
    """Proper nouns that are neither persons nor Norwegian places, from `proper_nouns_keep.txt`."""
    text = files("pipeline.resources").joinpath("proper_nouns_keep.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.lstrip().startswith("#"))


def alternation(names: Iterable[str]) -> str:
    """One regular expression for many names, as a trie ('Nord-(?:Aurdal|Fron|Odal)'): Python's regex engine
    tries a flat alternation of 1,000 names one by one at every position, a trie shares the prefixes. A
    longer name is tried before its prefix, so the longest name matches."""
    trie: dict[str, dict] = {}
    for name in set(names):
        node = trie
        for char in name:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if "" not in node:
            return body
        return f"(?:{body})?" if len(branches) > 1 or len(body) > 1 else body + "?"

    return build(trie)


# a place compounded with a region word names an area around it ('Gjøvikregionen', 'Hallingdal-regionen')
REGION_SUFFIX = r"-?(?:regionen|regionens|region|distriktet|området)"


@lru_cache(maxsize=8)
def place_pattern(extra: tuple[str, ...] = ()) -> re.Pattern[str]:
    """Every shipped place (and `extra` names), case-sensitive, with an optional possessive s; a place may
    start a hyphenated compound ('Bærum-modellen') or a region compound ('Gjøvikregionen'), but not sit inside
    another word; names on the keep list ('Osloregionen', the client) stay."""
    names = [*shipped_places(), *extra]
    return re.compile(rf"(?<![\w-])(?:{alternation(names)})(?:s?{REGION_SUFFIX}|s)?(?!\w)")


@lru_cache(maxsize=8)
def lowercase_place_pattern(extra: tuple[str, ...] = ()) -> re.Pattern[str]:
    """Places typed in lower case ('jobber i bærum'): names of five letters or more that are not stop words,
    number words or inflected ordinary words (short names such as Gran, Moss, Nes, Vik and forms such as
    'marka' are ordinary words in lower case)."""
    names = {
        n.lower()
        for n in [*shipped_places(), *extra]
        if len(n) >= 5 and not inflected(n.lower()) and not NUMBER_WORD.fullmatch(n.lower())
    } - stop_words()
    return re.compile(rf"(?<![\w-])(?:{alternation(names) or '(?!)'})(?!\w)")


def is_common_word(name: str, vocabulary: Vocabulary | None) -> bool:
    """A place name that this run also uses as an ordinary word (seen in lower case, or a stop word)."""
    lower = name.split()[0].lower()
    return lower in stop_words() or (vocabulary is not None and lower in vocabulary)


@lru_cache(maxsize=8)
def keep_pattern(extra: tuple[str, ...] = ()) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{alternation([*shipped_keep(), *extra])})(?:s)?(?![\w])")


def place_replacement(
    text: str, match: re.Match[str], extra_kind: dict[str, str], vocabulary: Vocabulary | None = None
) -> str | None:
    """The placeholder for a matched place, or None to keep it: a place that this run also uses as an
    ordinary word ('Hole', 'Nes' seen as 'hole', 'nes') at the start of a sentence is left alone unless
    'kommune' or the like follows."""
    name = match.group(0)
    bare = name if name in extra_kind or name in shipped_places() else name[:-1]
    initial = sentence_initial(text, match.start()) and is_common_word(bare, vocabulary)
    if initial and not PLACE_CONTEXT.match(text[match.end() :]):
        return None
    kind = extra_kind.get(bare) or shipped_places().get(bare, "kommune")
    return PLACEHOLDER_MUNICIPALITY if kind == "kommune" else PLACEHOLDER_PLACE


def lowercase_place_replacement(
    text: str, match: re.Match[str], vocabulary: Vocabulary | None = None
) -> str | None:
    """A lower-case place is replaced only after a locative preposition ('i bærum', 'fra lillestrøm') and
    when the run does not use it as an ordinary word ('i strømmen')."""
    if not LOCATIVE.search(text[max(0, match.start() - 12) : match.start()]):
        return None
    if vocabulary is not None and match.group(0) in vocabulary:
        return None
    title = " ".join(w.capitalize() for w in match.group(0).split())
    hit = next((n for n in shipped_places() if n.lower() == match.group(0)), title)
    return (
        PLACEHOLDER_MUNICIPALITY if shipped_places().get(hit, "kommune") == "kommune" else PLACEHOLDER_PLACE
    )
