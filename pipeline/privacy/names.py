"""Person names in Norwegian text, by list, by context and by shape.

Three kinds of evidence, so that a name on no list is still found:
- the shipped lists of Norwegian first names and surnames (`_list_patterns`, used by the `Pseudonymiser`);
- context: words that introduce a person ("kollegaen min X", "ordfører X", "snakket med X") or follow one
  ("X sa", "X og jeg");
- shape: in Norwegian, ordinary nouns are written in lower case, so a capitalised word that does not start a
  sentence is a proper noun. Proper nouns that are not persons are recognised (Norwegian places, the keep
  list of countries, cities, bodies and products, acronyms); of the rest, a run of two or three capitalised
  words, or a word that is rare in Norwegian, is a name.

"Ordinary word" means: in the shipped stop-word lists, frequent in Norwegian (wordfreq's bokmål list, Zipf
frequency >= ORDINARY_ZIPF) and not a listed name, a compound of two such words, or seen in lower case in at
least two texts of the same run (`Vocabulary`), which covers nynorsk and the user's own jargon.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.text import load_word_list

CAP = r"[A-ZÆØÅ][a-zæøåéèü]+"
SENTENCE_END = (".", "!", "?", ":", ";", "«", '"', "(", "-", "–", "•", "*", "\n")
TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
PARTICLES = frozenset(
    [
        "van",
        "von",
        "de",
        "der",
        "den",
        "da",
        "di",
        "du",
        "le",
        "la",
        "al",
        "el",
        "bin",
        "ibn",
        "bint",
        "abu",
        "af",
        "ter",
        "ten",
        "dos",
        "das",
        "del",
    ]
)
ORDINARY_ZIPF = 3.0  # wordfreq Zipf >= 3: a word a Norwegian reader meets at least once per million words
RARE_ZIPF = 3.0  # a capitalised word rarer than this (and not a known place or body) is a name candidate
COMPOUND_ZIPF = 3.5  # each part of a compound read as an ordinary word must be at least this frequent
SHORT_TAIL_ZIPF = 4.5  # a three-letter last part of a compound must be this common ('bygge+sak')
COMMON_ZIPF = 4.5  # a word this frequent that starts a sentence is an ordinary word, even before a name
ENGLISH_ZIPF = 4.0  # an English word this common ('Street', 'National', 'Running') is no rare name
# words that make a run of capitalised words the name of a place, a body, a work or a thing, never a person
# (the designators of named-entity recognition), in the languages of names met in Norwegian text
DESIGNATORS = frozenset(
    [
        "the",
        "of",
        "and",
        "for",
        "at",
        "on",
        "in",
        "street",
        "road",
        "avenue",
        "lane",
        "square",
        "station",
        "park",
        "bridge",
        "river",
        "lake",
        "sea",
        "ocean",
        "bay",
        "gulf",
        "island",
        "islands",
        "isle",
        "falls",
        "creek",
        "sound",
        "mountain",
        "mountains",
        "mount",
        "valley",
        "land",
        "county",
        "city",
        "state",
        "states",
        "national",
        "reserve",
        "museum",
        "gallery",
        "hotel",
        "rooms",
        "hall",
        "house",
        "centre",
        "center",
        "university",
        "college",
        "school",
        "academy",
        "hospital",
        "clinic",
        "airport",
        "airlines",
        "airways",
        "air",
        "radio",
        "news",
        "times",
        "post",
        "report",
        "show",
        "team",
        "club",
        "company",
        "group",
        "inc",
        "ltd",
        "corporation",
        "association",
        "society",
        "foundation",
        "institute",
        "council",
        "party",
        "league",
        "cup",
        "games",
        "award",
        "prize",
        "festival",
        "project",
        "programme",
        "program",
        "probe",
        "mission",
        "ferry",
        "pass",
        "corridor",
        "tower",
        "castle",
        "palace",
        "church",
        "cathedral",
        "temple",
        "abbey",
        "stadium",
        "arena",
        "gardens",
        "garden",
        "beach",
        "coast",
        "cape",
        "point",
        "peninsula",
        "desert",
        "forest",
        "canal",
        "harbour",
        "harbor",
        "port",
        "reef",
        "glacier",
        "volcano",
        "highway",
        "motorway",
        "line",
        "express",
        "records",
        "music",
        "studios",
        "pictures",
        "film",
        "films",
        "bank",
        "fund",
        "la",
        "las",
        "los",
        "el",
        "del",
        "della",
        "delle",
        "di",
        "san",
        "santa",
        "santo",
        "são",
        "puerto",
        "porto",
        "rio",
        "río",
        "villa",
        "ciudad",
        "isla",
        "islas",
        "lago",
        "monte",
        "sierra",
        "playa",
        "república",
        "republic",
        "reino",
        "nacional",
        "museo",
        "du",
        "des",
        "les",
        "rue",
        "saint",
        "sainte",
        "cirque",
        "straße",
        "strasse",
        "platz",
        "bahnhof",
        "schloss",
        "dom",
        "kirche",
        "homo",
        "genus",
    ]
)
# which kinds of evidence count (context always does); measured one by one in `make bench`
RULES = {"run": True, "single": False, "initial": False, "possessive": True, "lowercase": True}

# after a sentence-initial 'Per', 'Liv', 'Bjørn' ...: what makes it a person rather than an ordinary word
NAME_CONTEXT = re.compile(
    r"^(?:,|\s+(?:og (?:jeg|meg|hun|han|vi|eg)|har|hadde|sa|sier|mente|mener|synes|syntes|tror|trodde|kom|"
    r"ringte|skrev|tok|fikk|ville|spurte|svarte|fortalte|jobber|jobbet)\b)"
)
RELATION = (
    r"kollega(?:en|er|ene|ne|ane)?|kolleger|sjef(?:en)?|leder(?:en)?|leiar(?:en)?|nestleder(?:en)?|"
    r"rådgiver(?:en)?|rådgjevar(?:en)?|konsulent(?:en)?|ordfører(?:en)?|ordførar(?:en)?|varaordfører(?:en)?|"
    r"rådmann(?:en)?|kommunedirektør(?:en)?|kommunalsjef(?:en)?|direktør(?:en)?|økonomisjef(?:en)?|"
    r"personalsjef(?:en)?|hr-sjef(?:en)?|rektor(?:en)?|enhetsleder(?:en)?|avdelingsleder(?:en)?|"
    r"virksomhetsleder(?:en)?|tillitsvalgt(?:e)?|verneombud(?:et)?|medarbeider(?:en)?|mentor(?:en)?|"
    r"kontaktperson(?:en)?|saksbehandler(?:en)?|sekretær(?:en)?|assistent(?:en)?|mann(?:en)?|kona|kone(?:n)?|"
    r"venn(?:en)?|venninne(?:n)?|venninna|nabo(?:en)?|fru|frue|herr|dr|doktor|professor|statsminister|"
    r"statsråd(?:en)?|minister(?:en)?|president(?:en)?"
)
RELATION_WORD = re.compile(rf"(?:{RELATION})", re.IGNORECASE)
PRE_CONTEXT = re.compile(
    rf"(?:\b(?:jeg|eg|meg) og|\b(?:{RELATION})"
    r"(?:\s+(?:min|mi|mitt|mine|vår|vårt|våre|vår nye|hans|hennes|deres))?,?"
    r"|\b(?:snakket|snakka|pratet|prata|prater|snakker|møtte|møter|spurte|spør|ringte|ringe|ring|ringt|"
    r"kontakt|kontakte|kontaktet|hilsen|mvh|takk til|sammen med|hjelp (?:fra|av)|"
    r"ansatte|ansatt|tilsette|tilsett|intervjuet)"
    r"(?:\s+(?:med|til|på|av|fra|frå))?)\s+$",
    re.IGNORECASE,
)
POST_CONTEXT = re.compile(
    r"^(?:\s+(?:sa|sier|seier|sagt|mente|mener|meiner|synes|syntes|tror|trur|trodde|fortalte|forklarte|"
    r"skrev|spurte|svarte|ringte|foreslo|påpekte|understreket|lurte|klaget|klagde|har sagt|hadde sagt)\b"
    r"|\s+og\s+(?:jeg|eg|meg)\b|,\s+(?:han|hun|ho)\b"
    r"|\s+(?:fra|frå)\s+(?-i:[a-zæøå]|HR\b|IT\b|IKT\b))",
    re.IGNORECASE,
)


# after a sentence-initial word that is no ordinary word: a finite verb makes it the subject, a person
FINITE_VERB = re.compile(
    r"^\s+(?:har|hadde|er|var|skal|skulle|vil|ville|kan|kunne|må|måtte|gjør|gjorde|tar|tok|står|sto|"
    r"blir|ble|vart|kom|kjem|fikk|fekk|sa|seier|sier|mener|meiner|syns|synes|tror|trur)\b",
    re.IGNORECASE,
)
# 'Agnieszkas forslag': a genitive before a lower-case noun (not before a verb: 'Sundarbans består')
POSSESSIVE = re.compile(r"^\s+(?![a-zæøå]+(?:r|te|de)\b)[a-zæøå]")
LOCATIVE_BEFORE = re.compile(
    r"\b(?:i|på|til|ved|nær|mot|gjennom|langs|utenfor|utanfor|innenfor|over|inn i)\s+$"
)
# before a lower-case name: 'kollegaen min agnieszka', 'snakket med zainab'
LOWERCASE_PRE = re.compile(
    rf"(?:\b(?:{RELATION})\s+(?:min|mi|mitt|vår)|\b(?:snakket|snakka|pratet|prata|snakker|prater)\s+med"
    r"|\b(?:ringte|ring|møtte|spurte)|\b(?:jeg|eg) og)\s+$",
    re.IGNORECASE,
)
# after a lower-case name: 'krzysztof og jeg', 'fartun sitt arbeid'
LOWERCASE_POST = re.compile(r"^(?:\s+og\s+(?:jeg|eg|meg)|,\s+(?:han|hun|ho))\b")
# a genitive before a word for a relative or for someone's work: 'Sunnás mor', 'Agnieszkas forslag'
POSSESSIVE_PERSON = re.compile(
    r"^\s+(?:mor|far|mamma|pappa|bror|søster|syster|mann|kone|kona|sønn|datter|dotter|barn|familie|"
    r"kollega|kolleger|sjef|leder|leiar|team|avdeling|forslag|idé|ide|innspill|rapport|arbeid|jobb|stilling)\b"
)
NEXT_TO_PERSON = re.compile(r"^ \[PERSON-\d+\]")


@lru_cache(maxsize=1)
def shipped_names() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(first names, surnames, names that are also ordinary words) from `pipeline/resources`."""
    return (
        load_word_list("first_names_no.txt"),
        load_word_list("surnames_no.txt"),
        load_word_list("ambiguous_names_no.txt"),
    )


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


def sentence_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return before == "" or before.endswith(SENTENCE_END)


@lru_cache(maxsize=1)
def _listed_lower() -> frozenset[str]:
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
def _compound(word: str) -> bool:
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
    if lower in _listed_lower():
        return False
    parts = lower.split("-")
    return all(zipf(p) >= ORDINARY_ZIPF or _compound(p) or inflected(p) for p in parts if p)


def is_rare(word: str) -> bool:
    """A capitalised word too rare in Norwegian to be a known proper noun (possessive -s stripped), and no
    compound of ordinary words ('Økonomistyring')."""
    lower = word.lower()
    forms = [lower, lower[:-1]] if lower.endswith("s") and len(lower) > 3 else [lower]
    parts = [p for f in forms for p in f.split("-") if p]
    if any(zipf(p) >= RARE_ZIPF or zipf(p, "en") >= ENGLISH_ZIPF for p in parts):
        return False  # a known Norwegian word or proper noun, or a common English word ('Airlines')
    return not any(_compound(p) or inflected(p) for p in parts)


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
    common = zipf(first.lower()) >= COMMON_ZIPF and first.lower() not in _listed_lower()
    if len(run) == 1 or first.lower() in stop_words() or introduces or common:
        return is_ordinary(first, vocabulary) and (
            NAME_CONTEXT.match(view[run[0].end() :]) is None or first.lower() not in _listed_lower()
        )
    return vocabulary is not None and first.lower() in vocabulary


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


def _common_noun(word: str) -> bool:
    """A capitalised word that is a Norwegian common noun (inflected: 'Innsjøen'; a compound not ending in a
    name element: 'Spillutgiver') or a very common English word ('Great', 'World')."""
    lower = word.lower()
    if lower in _listed_lower():
        return False
    if zipf(lower, "en") >= COMMON_ZIPF:
        return True
    if lower.endswith(NAME_ELEMENTS):
        return False
    return any(_definite(p) or (_compound(p) and zipf(p) < ORDINARY_ZIPF) for p in lower.split("-") if p)


def _definite(word: str) -> bool:
    """A definite or plural noun form of a frequent word ('innsjøen', 'samveldet'): endings that names rarely
    have, unlike -a and -e ('Kinga', 'Renata')."""
    for suffix in ("ene", "ane", "en", "et", "er", "ar"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 4 and zipf(stem) >= COMPOUND_ZIPF:
            return True
    return False


def run_words(run: list[re.Match[str]]) -> list[str]:
    return [m.group(0) for m in run]


def _evidence(view: str, run: list[re.Match[str]], vocabulary: Vocabulary | None) -> str:
    words = [m.group(0) for m in run if m.group(0) not in PARTICLES]
    start, end = run[0].start(), run[-1].end()
    if any(w.lower() in DESIGNATORS for w in words) or any(w.lower() in DESIGNATORS for w in run_words(run)):
        return ""  # 'Downing Street', 'Cirque du Soleil', 'The Onion': a place, a body or a work
    initial = sentence_initial(view, start)
    if any(_common_noun(w) and not RELATION_WORD.fullmatch(w) for w in words):
        return ""  # 'Innsjøen Onega', 'Great Yarmouth', 'filmen Nasjonalskatten': a thing with a name
    in_context = PRE_CONTEXT.search(view[max(0, start - 60) : start]) or POST_CONTEXT.match(view[end:])
    if in_context and not (initial and len(words) == 1 and is_ordinary(words[0], vocabulary)):
        return "context"
    if NEXT_TO_PERSON.match(view[end:]) or re.search(r"\[PERSON-\d+\] $", view[max(0, start - 14) : start]):
        return "context"  # 'Máret [PERSON-7]': a first name beside a known surname, or the reverse
    if len(words) >= 2 and any(is_rare(w) for w in words):
        return "shape" if RULES["run"] else ""  # 'Omar Masri', 'Aslak Tveito': one of them rare
    if len(words) >= 2 or is_ordinary(words[0], vocabulary) and not is_rare(words[0]):
        return ""
    word, after = words[0], view[end:]
    if word.endswith("s") and not is_ordinary(word[:-1], vocabulary) and POSSESSIVE_PERSON.match(after):
        return "shape"
    if initial:  # a rare word that starts a sentence: a subject, or a genitive ('Tarjeis forslag')
        base = word[:-1]
        possessive = (
            word.endswith("s")
            and zipf(word.lower()) < RARE_ZIPF
            and not is_ordinary(base, vocabulary)  # 'Stasjonens' is the station's
            and POSSESSIVE.match(after)
            and not FINITE_VERB.match(after)
        )
        subject = is_rare(word) and FINITE_VERB.match(after)
        return "shape" if RULES["initial"] and subject or RULES["possessive"] and possessive else ""
    if LOCATIVE_BEFORE.search(view[max(0, start - 12) : start]):
        return ""  # 'i Rarotonga', 'til Tahiti': a place no list knows, not a person
    return "shape" if RULES["single"] and is_rare(word) else ""


def _lowercase_name(view: str, m: re.Match[str], vocabulary: Vocabulary | None) -> bool:
    """A name typed in lower case ('snakket med agnieszka'): only right after a name-introducing context."""
    word = m.group(0)
    if not RULES["lowercase"] or len(word) < 3 or is_ordinary(word, vocabulary) or not is_rare(word):
        return False
    if len(word) > 12 or inflected(word) or _compound(word):
        return False
    before, after = view[max(0, m.start() - 40) : m.start()], view[m.end() :]
    return LOWERCASE_PRE.search(before) is not None or LOWERCASE_POST.match(after) is not None
