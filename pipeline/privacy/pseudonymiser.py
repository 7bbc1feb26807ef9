"""The `Pseudonymiser`: every text passes through it at ingest, before anything is written.

Order of the passes: e-mail addresses, fødselsnumre, phone numbers; places (`[KOMMUNE]`, `[STED]`); names
on the shipped lists and names given by the programme file and the transcripts' speakers; role, tenure and
headcounts in self-descriptions; then names that no list knows, found by context and shape. Placeholders
are stable within a run (`[PERSON-3]` is always the same person), so quotes stay readable.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.privacy import names as name_rules
from pipeline.privacy.identifiers import replace_self_descriptions
from pipeline.privacy.patterns import (
    EMAIL,
    FNR,
    PHONE,
    PLACEHOLDER_EMAIL,
    PLACEHOLDER_FNR,
    is_valid_fnr,
    phone_replacement,
)
from pipeline.privacy.places import (
    keep_pattern,
    lowercase_place_pattern,
    lowercase_place_replacement,
    place_pattern,
    place_replacement,
)

PLACEHOLDER_ANY = re.compile(r"\[[A-ZÆØÅ-]+(?:-\d+)?\]")
ADJACENT_AFTER = re.compile(r" (\[PERSON-\d+\])")
ADJACENT_BEFORE = re.compile(r"(\[PERSON-\d+\]) $")
KINDS = ("email", "fnr", "phone", "place", "name_list", "name_context", "role", "tenure", "headcount")


@dataclass
class Pseudonymiser:
    """Replaces personal data in text with placeholders: e-mail addresses, fødselsnumre and D-numre (valid
    check digits), Norwegian phone numbers, places (`places=True`: every Norwegian municipality, county and
    larger place, plus `extra_places`, e.g. the respondents' municipalities), person names (`names`, e.g.
    speakers and names from the programme file: each full name and each of its parts; names on the shipped
    lists; names found by context and shape) and self-descriptions of role and tenure. `keep` are proper
    nouns that stay (e.g. the contributors' names).

    Stateful in the placeholder numbering, which follows the order in which names are first met, in `found`
    (every replaced string by kind, for measuring; never written) and in `vocabulary` (words seen in lower
    case, learnt with `learn`)."""

    names: Iterable[str] = ()
    places: bool = True
    extra_places: Iterable[str] = ()
    keep: Iterable[str] = ()
    detect_names: bool = True
    mapping: dict[str, str] = field(default_factory=dict, init=False)
    found: Counter[tuple[str, str]] = field(default_factory=Counter, init=False)
    vocabulary: name_rules.Vocabulary = field(default_factory=name_rules.Vocabulary, init=False)
    _name_key: dict[str, str] = field(default_factory=dict, init=False)
    _learned: set[str] = field(default_factory=set, init=False)  # names found by context and shape
    _name_re: re.Pattern[str] | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.add_names(self.names)
        self._extra = tuple(sorted({" ".join(p.split()) for p in self.extra_places if p and str(p).strip()}))
        self._keep = tuple(sorted({" ".join(k.split()) for k in self.keep if k and k.strip()}))

    def learn(self, texts: Iterable[str]) -> Pseudonymiser:
        """Before replacing: learn the run's ordinary words (seen in lower case in two texts or more), then
        find the names that context and shape reveal anywhere in the run, so that a name found once ('ring
        Hodan') is replaced wherever it occurs ('Hodan mener …')."""
        texts = [t for t in texts if isinstance(t, str) and t]
        self.vocabulary.learn(texts)
        if self.detect_names:
            dry = Pseudonymiser(self.names, self.places, self._extra, self._keep, self.detect_names)
            dry.vocabulary = self.vocabulary
            for text in texts:
                dry(text)
            found = sorted({o for (kind, o), _n in dry.found.items() if kind == "name_context"})
            self._learned.update(found)
            self.add_names(found, parts=lambda part: not name_rules.is_ordinary(part, self.vocabulary))
        return self

    def add_names(self, names: Iterable[str], parts: Callable[[str], bool] = lambda _part: True) -> None:
        """Register full names; each part of a name (first name, surname) that passes `parts` is matched
        as well."""
        for full in names:
            full = " ".join(full.split())
            if not full:
                continue
            self._name_key.setdefault(full, full)
            for part in full.split(" "):
                if len(part) >= 2 and part[0].isupper() and parts(part):
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
        full = self._name_key[match.group(1)]
        self.found["name_context" if full in self._learned else "name_list", match.group(1)] += 1
        return self._placeholder(full)

    def __call__(self, text: str) -> str:
        if not isinstance(text, str) or not text:
            return text
        text = unicodedata.normalize("NFC", text)
        text = EMAIL.sub(lambda m: self._count("email", m, PLACEHOLDER_EMAIL), text)
        text = FNR.sub(
            lambda m: self._count("fnr", m, PLACEHOLDER_FNR) if is_valid_fnr(m.group(0)) else m.group(0), text
        )
        text = PHONE.sub(lambda m: self._count("phone", m, phone_replacement(m)), text)
        if self.places:
            text = self._places(text)
        full, alone = name_rules.list_patterns()
        text = self._listed(full, text)
        if self._name_re is not None:
            text = self._name_re.sub(self._person, text)
        text = self._listed(alone, text)
        text = self._listed_lowercase(text)
        text, counts = replace_self_descriptions(text)
        for kind, n in counts.items():
            if n:
                self.found[kind, ""] += n
        if self.detect_names:
            text = self._unlisted(text)
        return text

    def _count(self, kind: str, match: re.Match[str], replacement: str | None) -> str:
        if replacement is None or replacement == match.group(0):
            return match.group(0)
        self.found[kind, match.group(0)] += 1
        return replacement

    def _places(self, text: str) -> str:
        kinds = dict.fromkeys(self._extra, "kommune")
        kept = [m.span() for m in keep_pattern(self._keep).finditer(text)]

        def replace(m: re.Match[str]) -> str:
            if any(s <= m.start() < e for s, e in kept):
                return m.group(0)
            return self._count("place", m, place_replacement(text, m, kinds, self.vocabulary))

        text = place_pattern(self._extra).sub(replace, text)
        return lowercase_place_pattern(self._extra).sub(
            lambda m: self._count("place", m, lowercase_place_replacement(text, m, self.vocabulary)), text
        )

    def _listed(self, pattern: re.Pattern[str], text: str) -> str:
        """Names found with the shipped lists. A first name followed by capitalised words is a full name; a
        first name alone is a name (the person of an earlier full name with that first name, if any). A name
        that is also an ordinary word ('Per', 'Liv') is left alone at the start of a sentence, unless a
        listed surname, a comma or a verb of speech ('Per sa', 'Liv og jeg') follows it."""
        _first, surnames, ambiguous = name_rules.shipped_names()
        kept = [m.span() for m in keep_pattern(self._keep).finditer(text)]

        def replace(m: re.Match[str]) -> str:
            words = m.group(0).split()
            if any(s <= m.start() < e for s, e in kept):
                return m.group(0)
            if (
                words[0] in ambiguous
                and name_rules.sentence_initial(text, m.start())
                and (len(words) == 1 or words[-1] not in surnames)
                and not name_rules.NAME_CONTEXT.match(text[m.end() :])
            ):
                return m.group(0)
            self.found["name_list", m.group(0)] += 1
            return self._known_or_new(words)

        return pattern.sub(replace, text)

    def _listed_lowercase(self, text: str) -> str:
        """Listed names typed in lower case (`names.lowercase_listed_names`); the kept proper nouns stay."""
        protected = [m.span() for m in PLACEHOLDER_ANY.finditer(text)]
        protected += [m.span() for m in keep_pattern(self._keep).finditer(text)]
        for start, end, name in reversed(name_rules.lowercase_listed_names(text, protected)):
            self.found["name_list", text[start:end]] += 1
            text = text[:start] + self._known_or_new(name.split(" ")) + text[end:]
        return text

    def _known_or_new(self, words: list[str]) -> str:
        if len(words) == 1:
            known = [full for full in self.mapping if full.split(" ")[0] == words[0]]
            return self.mapping[known[-1]] if known else self._placeholder(words[0])
        return self._placeholder(" ".join(words))

    def _unlisted(self, text: str) -> str:
        """Names on no list, by context and shape (`pipeline.privacy.names.find_names`)."""
        protected = [m.span() for m in PLACEHOLDER_ANY.finditer(text)]
        protected += [m.span() for m in keep_pattern(self._keep).finditer(text)]
        found = name_rules.find_names(text, protected, self.vocabulary)
        for c in reversed(found):
            words = c.text.split()
            if words and words[-1].endswith("s") and " ".join(words)[:-1] in self.mapping:
                words[-1] = words[-1][:-1]  # 'Agnieszkas' is Agnieszka's
            self.found["name_context", c.text] += 1
            start, end = c.start, c.end
            after, before = ADJACENT_AFTER.match(text, end), ADJACENT_BEFORE.search(text[:start])
            if after:  # 'Máret [PERSON-7]': one person, one placeholder
                text = text[:start] + after.group(1) + text[after.end() :]
            elif before:
                text = text[: before.end(1)] + text[end:]
            else:
                text = text[:start] + self._known_or_new(words) + text[end:]
        return text

    def person(self, name: str) -> str:
        """The placeholder of a known person (e.g. a speaker), registering the name if new."""
        name = " ".join(name.split())
        if name not in self._name_key:
            self.add_names([name])
        return self._placeholder(self._name_key[name])

    def summary(self) -> dict[str, int]:
        """How many replacements of each kind so far (never the values)."""
        totals = Counter()
        for (kind, _original), n in self.found.items():
            totals[kind] += n
        return {k: int(totals.get(k, 0)) for k in KINDS}


def write_mapping(mapping: dict[str, str], path: Path) -> Path:
    """The real-name -> placeholder table, for the data controller only. The caller decides the place: never
    under reports/ or data/processed/."""
    if path.resolve().parent.name in ("reports", "processed"):
        raise ValueError(f"refusing to write the pseudonym mapping into {path.parent}")
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = sorted(mapping.items(), key=lambda kv: int(re.sub(r"\D", "", kv[1]) or 0))
    pd.DataFrame(rows, columns=["original", "placeholder"]).to_csv(path, index=False, encoding="utf-8")
    return path


def pseudonymise_column(df: pd.DataFrame, column: str, pseudonymiser: Pseudonymiser) -> pd.DataFrame:
    """A copy of `df` with `column` pseudonymised."""
    return df.assign(**{column: [pseudonymiser(t) for t in df[column]]})
