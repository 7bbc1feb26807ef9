"""Personal data out: pseudonymisation of free text and small-cell protection of breakdowns.

Every ingest passes text through one `Pseudonymiser` before anything is written. Placeholders are stable
within a run (`[PERSON-3]` is always the same person), so quotes stay readable. Every breakdown shown to
partners goes through `suppress_small_cells`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.text import load_word_list

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# 11 digits, optionally with a space after the six-digit date part
FNR = re.compile(r"(?<!\d)(\d{6})\s?(\d{5})(?!\d)")
FNR_WEIGHTS_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)  # first check digit, over digits 1-9
FNR_WEIGHTS_2 = (
    5,
    4,
    3,
    2,
    7,
    6,
    5,
    4,
    3,
    2,
)  # second check digit, over digits 1-9 and the first check digit
# Norwegian numbers: 8 digits (first digit 2-9) grouped 2-2-2-2, 3-2-3 or unbroken, optional +47/0047
PHONE = re.compile(
    r"(?<![\d+])(?:(?:\+|00)47[\s.-]?)?"
    r"(?:[2-9]\d[\s.-]?\d{2}[\s.-]?\d{2}[\s.-]?\d{2}|[2-9]\d{2}[\s.-]?\d{2}[\s.-]?\d{3})(?!\d)"
)

CAP = r"[A-ZÆØÅ][a-zæøåéèü]+"
SENTENCE_END = (".", "!", "?", ":", "«", '"', "(", "-", "–")
# after a sentence-initial 'Per', 'Liv', 'Bjørn' ...: what makes it a person rather than an ordinary word
NAME_CONTEXT = re.compile(
    r"^(?:,|\s+(?:og (?:jeg|meg|hun|han|vi)|har|hadde|sa|sier|mente|mener|synes|syntes|tror|trodde|kom|"
    r"ringte|skrev|tok|fikk|ville|spurte|svarte|fortalte|jobber|jobbet)\b)"
)

PLACEHOLDER_EMAIL = "[E-POST]"
PLACEHOLDER_PHONE = "[TELEFON]"
PLACEHOLDER_FNR = "[FNR]"
PLACEHOLDER_PLACE = "[KOMMUNE]"


def _phone(match: re.Match[str]) -> str:
    """A phone number, unless the 8 digits are a span of years ('2021-2022') or a date ('24.08.2021')."""
    text = match.group(0)
    digits = re.sub(r"\D", "", text)
    if len(digits) == 8 and all(1900 <= int(digits[i : i + 4]) <= 2100 for i in (0, 4)):
        return text
    if re.fullmatch(r"(0?[1-9]|[12]\d|3[01])[./](0?[1-9]|1[0-2])[./](19|20)\d\d", text.strip()):
        return text  # a date, 24.08.2021
    return PLACEHOLDER_PHONE


def fnr_check_digits(nine_digits: str) -> tuple[int, int] | None:
    """The two mod-11 check digits that follow the first nine digits of a fødselsnummer (or D-nummer);
    None when either would be 10, as no valid number begins with those nine digits."""
    digits = [int(c) for c in nine_digits]
    k1 = (11 - sum(d * w for d, w in zip(digits, FNR_WEIGHTS_1, strict=True)) % 11) % 11
    if k1 == 10:
        return None
    k2 = (11 - sum(d * w for d, w in zip([*digits, k1], FNR_WEIGHTS_2, strict=True)) % 11) % 11
    return None if k2 == 10 else (k1, k2)


def is_valid_fnr(number: str) -> bool:
    """True for an 11-digit fødselsnummer or D-nummer whose two mod-11 check digits are right."""
    number = re.sub(r"\s", "", number)
    digits = [int(c) for c in number]
    if len(digits) != 11 or fnr_check_digits(number[:9]) != (digits[9], digits[10]):
        return False
    day = digits[0] * 10 + digits[1]
    day = day - 40 if day > 40 else day  # D-nummer adds 4 to the first digit
    month = digits[2] * 10 + digits[3]
    return 1 <= day <= 31 and 1 <= month <= 12


@lru_cache(maxsize=1)
def shipped_names() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(first names, surnames, names that are also ordinary words) from `pipeline/resources`."""
    return (
        load_word_list("first_names_no.txt"),
        load_word_list("surnames_no.txt"),
        load_word_list("ambiguous_names_no.txt"),
    )


@lru_cache(maxsize=1)
def _list_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    first, _surnames, _ambiguous = shipped_names()
    alternatives = "|".join(re.escape(n) for n in sorted(first, key=lambda s: (-len(s), s)))
    full = re.compile(
        rf"(?<![\w-])(?:{alternatives})(?:[ -](?:{alternatives}))?(?:\s+{CAP}(?:-{CAP})?){{1,2}}(?![\w-])"
    )
    alone = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])")
    return full, alone


def _sentence_initial(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return before == "" or before.endswith(SENTENCE_END)


@dataclass
class Pseudonymiser:
    """Replaces personal data in text with placeholders: e-mail addresses, fødselsnumre and D-numre (valid
    check digits), Norwegian phone numbers, person names (`names`, e.g. speakers and names from the programme
    file: each full name and each of its parts; and names found with the shipped name lists) and, if given,
    `places` (e.g. the respondents' municipalities, for small places where a quote could identify someone).

    Stateful only in the placeholder numbering, which follows the order in which names are first met, and
    in `found`, a count of every replaced string by kind (for measuring precision; never written)."""

    names: Iterable[str] = ()
    places: Iterable[str] = ()
    mapping: dict[str, str] = field(default_factory=dict, init=False)
    found: Counter[tuple[str, str]] = field(default_factory=Counter, init=False)
    _name_key: dict[str, str] = field(default_factory=dict, init=False)
    _name_re: re.Pattern[str] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.add_names(self.names)
        places = sorted(
            {" ".join(p.split()) for p in self.places if p and p.strip()}, key=lambda p: (-len(p), p)
        )
        self._place_re = (
            re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(p) for p in places) + r")(?![\w-])")
            if places
            else None
        )

    def add_names(self, names: Iterable[str]) -> None:
        """Register full names; each part of a name (first name, surname) is matched as well."""
        for full in names:
            full = " ".join(full.split())
            if not full:
                continue
            self._name_key.setdefault(full, full)
            for part in full.split(" "):
                if len(part) >= 2 and part[0].isupper():
                    self._name_key.setdefault(part, full)
        alternatives = sorted(self._name_key, key=lambda s: (-len(s), s))
        self._name_re = (
            re.compile(r"(?<![\w-])(" + "|".join(re.escape(a) for a in alternatives) + r")(?![\w-])")
            if alternatives
            else None
        )

    def _placeholder(self, full: str) -> str:
        if full not in self.mapping:
            self.mapping[full] = f"[PERSON-{len(self.mapping) + 1}]"
        return self.mapping[full]

    def _person(self, match: re.Match[str]) -> str:
        self.found["name", match.group(1)] += 1
        return self._placeholder(self._name_key[match.group(1)])

    def __call__(self, text: str) -> str:
        if not isinstance(text, str) or not text:
            return text
        text = EMAIL.sub(lambda m: self._count("email", m, PLACEHOLDER_EMAIL), text)
        text = FNR.sub(
            lambda m: self._count("fnr", m, PLACEHOLDER_FNR) if is_valid_fnr(m.group(0)) else m.group(0), text
        )
        text = PHONE.sub(lambda m: self._count("phone", m, _phone(m)), text)
        if self._place_re is not None:
            text = self._place_re.sub(lambda m: self._count("place", m, PLACEHOLDER_PLACE), text)
        full, alone = _list_patterns()
        text = self._listed(full, text)
        if self._name_re is not None:
            text = self._name_re.sub(self._person, text)
        text = self._listed(alone, text)
        return text

    def _count(self, kind: str, match: re.Match[str], replacement: str) -> str:
        if replacement != match.group(0):
            self.found[kind, match.group(0)] += 1
        return replacement

    def _listed(self, pattern: re.Pattern[str], text: str) -> str:
        """Names found with the shipped lists. A first name followed by capitalised words is a full name; a
        first name alone is a name (the person of an earlier full name with that first name, if any). A name
        that is also an ordinary word ('Per', 'Liv') is left alone at the start of a sentence, unless a
        listed surname, a comma or a verb of speech ('Per sa', 'Liv og jeg') follows it."""
        _first, surnames, ambiguous = shipped_names()

        def replace(m: re.Match[str]) -> str:
            words = m.group(0).split()
            if (
                words[0] in ambiguous
                and _sentence_initial(text, m.start())
                and (len(words) == 1 or words[-1] not in surnames)
                and not NAME_CONTEXT.match(text[m.end() :])
            ):
                return m.group(0)
            self.found["name", m.group(0)] += 1
            if len(words) == 1:
                known = [full for full in self.mapping if full.split(" ")[0] == words[0]]
                return self.mapping[known[-1]] if known else self._placeholder(words[0])
            return self._placeholder(" ".join(words))

        return pattern.sub(replace, text)

    def person(self, name: str) -> str:
        """The placeholder of a known person (e.g. a speaker), registering the name if new."""
        name = " ".join(name.split())
        if name not in self._name_key:
            self.add_names([name])
        return self._placeholder(self._name_key[name])


def write_mapping(mapping: dict[str, str], path: Path) -> Path:
    """The real-name -> placeholder table, for the data controller only. The caller decides the place: never
    under reports/ or data/processed/."""
    if path.resolve().parent.name in ("reports", "processed"):
        raise ValueError(f"refusing to write the pseudonym mapping into {path.parent}")
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = sorted(mapping.items(), key=lambda kv: int(re.sub(r"\D", "", kv[1])))
    pd.DataFrame(rows, columns=["original", "placeholder"]).to_csv(path, index=False, encoding="utf-8")
    return path


def pseudonymise_column(df: pd.DataFrame, column: str, pseudonymiser: Pseudonymiser) -> pd.DataFrame:
    """A copy of `df` with `column` pseudonymised."""
    return df.assign(**{column: [pseudonymiser(t) for t in df[column]]})


def suppress_small_cells(
    df: pd.DataFrame, n_column: str, k: int, value_columns: Iterable[str], group_by: Iterable[str] = ()
) -> pd.DataFrame:
    """Blank out breakdown cells with fewer than `k` respondents so they cannot be read or recovered.

    Primary suppression: cells with n < k get their values set to missing and `suppressed` True. Secondary
    suppression: within each group (e.g. one breakdown variable), if exactly one cell is suppressed, the
    next-smallest cell is suppressed as well, so the hidden cell cannot be recovered from a total.
    The n column is kept for analysts; partner-facing display uses `format_count`.
    """
    value_columns = list(value_columns)
    out = df.copy()
    out["suppressed"] = out[n_column] < k
    groups = [list(group_by)] if group_by else []
    index_groups = out.groupby(groups[0], sort=False).groups.values() if groups else [out.index]
    for idx in index_groups:
        part = out.loc[idx]
        if part["suppressed"].sum() == 1 and len(part) > 1:
            candidates = part.loc[~part["suppressed"]].sort_values(n_column, kind="stable")
            out.loc[candidates.index[0], "suppressed"] = True
    for col in value_columns:
        out[col] = out[col].astype(float).where(~out["suppressed"], np.nan)
    return out


def format_count(n: int, k: int) -> str:
    """A respondent count as shown to partners: below k it reads '<k'."""
    return f"<{k}" if n < k else str(int(n))
