"""Indirect identifiers: what a leader says about themselves that points to one person, even with every
name and place removed. In a sentence in the first person singular ("jeg har vært kommunedirektør her i to
og et halvt år, og før det kommunalsjef"), the role becomes `[ROLLE]` and the tenure `[TID]`; a number of
inhabitants (the size of one municipality) becomes `[ANTALL]` in a sentence about the speaker's own place
("vi er rundt 7000 innbyggere"), and a headcount of staff does so in a first-person sentence."""

from __future__ import annotations

import re

PLACEHOLDER_ROLE = "[ROLLE]"
PLACEHOLDER_TENURE = "[TID]"
PLACEHOLDER_COUNT = "[ANTALL]"

SENTENCE_BREAK = re.compile(r"(?<=[.!?\n])")
WE = re.compile(r"\b(?:jeg|eg|vi|me|vår|vårt|våre|vår|oss|min|mi|mitt|hos oss|her)\b", re.IGNORECASE)
FIRST_PERSON = re.compile(r"\b(?:jeg|eg|meg|meie|min|mi|mitt)\b", re.IGNORECASE)
NUMBER_WORDS = (
    r"en|ett|ei|eitt|to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|elleve|tolv|tretten|fjorten|femten|seksten|"
    r"sytten|atten|nitten|tjue|tjuefem|tretti|hundre|tusen|et par|eit par|noen|nokre|mange|halvannet|"
    r"halvanna|halvt"
)
NUMBER = rf"(?:\d+(?:[,.]\d+)?|(?:{NUMBER_WORDS}))(?:\s+og\s+(?:et|eit|ett)\s+halvt)?"
TENURE = re.compile(
    rf"\b(?:(?:snart|nesten|over|drøyt|rundt|ca\.?|cirka|omtrent|bare|berre|godt og vel|i|på)\s+)*"
    rf"{NUMBER}\s+(?:år|måneder|månader|mnd|uker|veker)\b"
    r"|\b(?:siden|sidan|fra|frå|i)\s+(?:19|20)\d\d\b",
    re.IGNORECASE,
)
ROLE_WORD = (
    r"(?:assisterende\s+|konstituert\s+|fungerende\s+|ass\.\s+)?"
    r"[\wæøå-]*(?:direktør|sjef|leder|leiar|ledar|rådmann|rådman|rektor|ordfører|ordførar|"
    r"sekretær|koordinator|rådgiver|rådgjevar|konsulent|controller|styrer|bestyrer)(?:en|ar|er)?\b"
)
ROLE = re.compile(
    r"(?P<lead>\b(?:vært|vore|er|var|blei|ble|begynte som|byrja som|jobbet som|jobba som|jobber som|"
    r"arbeidet som|arbeider som|ansatt som|tilsett som|tiltrådte som|konstituert som|før det var jeg|"
    r"før det var eg|før det|tidligere|tidlegare|som)\s+)?"
    rf"(?P<role>\b{ROLE_WORD})(?(lead)|(?=\s+(?:her|der|i \[KOMMUNE\]|i \[STED\]|i\s+{NUMBER}\s+år)))",
    re.IGNORECASE,
)
INHABITANTS = re.compile(
    r"(?:(?:rundt|ca\.?|cirka|omtrent|nesten|over|under|drøyt|knapt|litt over|litt under|bare|berre)\s+)?"
    rf"(?:\d[\d\s.\u202f\u00a0]*|\b(?:{NUMBER_WORDS})(?:\s+(?:tusen|hundre))?)(?:\s*(?:tusen|000))?"
    r"(?=\s+(?:innbyggere|innbyggerne|"
    r"innbyggjarar|innbyggjarane|innbyggjare|fastboende|mennesker|menneske|sjeler)\b)",
    re.IGNORECASE,
)
STAFF = re.compile(
    r"(?:(?:rundt|ca\.?|cirka|omtrent|nesten|over|under|drøyt|bare|berre)\s+)?"
    r"\d[\d\s.\u202f\u00a0]*(?=\s+(?:ansatte|tilsette|årsverk|medarbeidere|medarbeidarar|ledere|leiarar)\b)",
    re.IGNORECASE,
)
SELF_INTRODUCTION = re.compile(
    r"\b(?:jeg heter|eg heiter|mitt navn er|mitt namn er|jeg jobber som|eg jobbar som|jeg er \[ROLLE\]|"
    r"eg er \[ROLLE\])",
    re.IGNORECASE,
)


def replace_self_descriptions(text: str) -> tuple[str, dict[str, int]]:
    """`text` with role, tenure and headcounts replaced, and how many of each were replaced."""
    counts = {"role": 0, "tenure": 0, "headcount": 0}

    def sub(pattern: re.Pattern[str], placeholder: str, kind: str, part: str) -> str:
        def one(m: re.Match[str]) -> str:
            counts[kind] += 1
            lead = (m.groupdict().get("lead") or "") if "lead" in pattern.groupindex else ""
            trailing = m.group(0)[len(m.group(0).rstrip()) :]
            return lead + placeholder + trailing

        return pattern.sub(one, part)

    out = []
    for sentence in SENTENCE_BREAK.split(text):
        if WE.search(sentence):  # 'vi er rundt 7000 innbyggere', 'kommunen vår har 7000 innbyggere'
            sentence = sub(INHABITANTS, PLACEHOLDER_COUNT, "headcount", sentence)
        if FIRST_PERSON.search(sentence):
            sentence = sub(STAFF, PLACEHOLDER_COUNT, "headcount", sentence)
            has_tenure = TENURE.search(sentence) is not None
            sentence = sub(ROLE, PLACEHOLDER_ROLE, "role", sentence)
            if has_tenure and (PLACEHOLDER_ROLE in sentence or re.search(r"\b(?:her|der)\b", sentence)):
                sentence = sub(TENURE, PLACEHOLDER_TENURE, "tenure", sentence)
        out.append(sentence)
    return "".join(out), counts


# a sentence about the history of one's own municipality: a merger, a founding ('[KOMMUNE] kommune ble
# etablert 1. januar 2020, som en sammenslåing av [STED], [STED] og [STED]') points to one municipality
PLACE_HISTORY = re.compile(
    r"\b(?:sammenslå\w*|samanslå\w*|slått sammen|slått saman|slo (?:seg|oss) sammen|slo (?:seg|oss) saman|"
    r"slutta seg saman|(?:ble|blei|vart) (?:etablert|oppretta|opprettet|danna|dannet)|kommunereform\w*)",
    re.IGNORECASE,
)
PLACE_OR_YEAR = re.compile(r"\[(?:KOMMUNE|STED)\]|\b(?:18|19|20)\d\d\b")
# a number of inhabitants, or a span or growth of them ('vokser med 1500 til 2000 innbyggere i året'), in a
# sentence about one's own municipality (not 'kommuner under 5000 innbyggere')
POPULATION = re.compile(
    r"\d[\d\s.\u202f\u00a0]*(?:\s*(?:til|og|-|–)\s*\d[\d\s.\u202f\u00a0]*)?\s*(?:tusen\s+)?"
    r"(?:nye\s+|flere\s+|fleire\s+)?(?:innbygg\w*|fastboende)\b",
    re.IGNORECASE,
)
OWN_PLACE = re.compile(r"\bkommunen\b|\bkommuna\b|\[(?:KOMMUNE|STED)\]", re.IGNORECASE)


def points_to_a_place(sentence: str) -> bool:
    """True for a sentence that would let a reader name the speaker's municipality: its history (merged or
    founded, with a place or a year) or its number of inhabitants."""
    if PLACE_HISTORY.search(sentence) and PLACE_OR_YEAR.search(sentence):
        return True
    return bool(POPULATION.search(sentence) and (WE.search(sentence) or OWN_PLACE.search(sentence)))


def is_self_description(text: str) -> bool:
    """True for a text that describes its writer: their tenure, the size of their municipality, or an
    introduction ('jeg er [ROLLE] i …', 'jeg heter …'). A role alone ('som [ROLLE] ser jeg …') is not."""
    return any(p in text for p in (PLACEHOLDER_TENURE, PLACEHOLDER_COUNT)) or bool(
        SELF_INTRODUCTION.search(text)
    )


REDACTED = "[…]"


def identifying(text: str) -> bool:
    """True when a sentence of `text` describes its writer (`is_self_description`) or points to their
    municipality (`points_to_a_place`)."""
    return any(is_self_description(s) or points_to_a_place(s) for s in SENTENCE_BREAK.split(text))


def redact_identifying(text: str) -> str:
    """`text` with every identifying sentence replaced by '[…]' (one mark for a run of such sentences)."""
    if not isinstance(text, str) or not text:
        return text
    out: list[str] = []
    for sentence in (s.strip() for s in SENTENCE_BREAK.split(text)):
        if sentence and identifying(sentence):
            if not out or out[-1] != REDACTED:
                out.append(REDACTED)
        elif sentence:
            out.append(sentence)
    return " ".join(out)
