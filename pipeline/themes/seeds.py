"""Seed terms: which documents use a catalogue topic's seed terms, and the shipped Norwegian related-terms
list that widens a topic's seed terms with other words for the same thing.

Seed terms and documents are compared as stems of content words (three letters or more): a multi-word seed
must occur as consecutive stems, and a single-word seed of five letters or more also counts inside a
compound ('mangel' finds 'sykepleiermangel').

Related terms (`pipeline/resources/related_terms_no.txt`, one entry a line, `head = term; term; ...`) were
written from general knowledge of Norwegian and municipal leadership, not from any survey's answers. A seed
term whose stems equal a head's brings in the head's related terms; they are matched the same way as the
seed terms themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix

from pipeline.errors import InputError
from pipeline.text import build_analyzer

RELATED_TERMS_FILE = "related_terms_no.txt"


class SeedTerm(NamedTuple):
    """A seed term as stems. `whole`: a multi-word term with fewer than two content words ('mangel på',
    'skjære ned'), matched as the stems of all its words in order (else it would match any text that uses its
    one content word); other terms are matched on their content-word stems."""

    stems: tuple[str, ...]
    content: tuple[str, ...]
    whole: bool


@lru_cache(maxsize=1)
def _stem_analyzer() -> Callable[[str], list[str]]:
    return build_analyzer(min_len=3, bigrams=False)


@lru_cache(maxsize=1)
def _all_words_analyzer() -> Callable[[str], list[str]]:
    return build_analyzer(stopwords=(), min_len=1, bigrams=False)


def stem_terms(text: str) -> list[str]:
    """The stems of a text's content words of three letters or more (seed terms and documents alike)."""
    return _stem_analyzer()(text)


@lru_cache(maxsize=65536)  # the same terms are looked up for every topic and every related-terms head
def seed_term(term: str) -> SeedTerm | None:
    """The term as a `SeedTerm`; None when nothing of it can be matched."""
    content = tuple(stem_terms(term))
    words = tuple(_all_words_analyzer()(term))
    if not content:
        return None
    if len(words) > 1 and len(content) < 2:
        return SeedTerm(words, content, True)
    return SeedTerm(content, content, False)


def parse_related_terms(text: str, path: Path | str) -> dict[str, tuple[str, ...]]:
    """`head = term; term; ...` lines (blank lines and '#' comments allowed) -> {head: related terms}.
    Raises InputError naming the file and line of a malformed entry."""
    out: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        head, sep, rest = line.partition("=")
        head = head.strip().lower()
        terms = tuple(t.strip().lower() for t in rest.split(";") if t.strip())
        problem = (
            "expected 'head = term; term; ...'"
            if not sep or not head or not terms
            else f"the head '{head}' has no content word of three letters or more"
            if seed_term(head) is None
            else f"'{head}' is listed twice"
            if head in out
            else None
        )
        if problem:
            raise InputError(path, f"{problem}.", row=number, hint="Correct the line or remove it.")
        out[head] = terms
    return out


def load_related_terms(path: Path | bool = True) -> dict[str, tuple[str, ...]]:
    """The related-terms list at `path`; True: the shipped one; False: none (`[themes].related_terms`)."""
    if path is False:
        return {}
    if path is True:
        resource = files("pipeline.resources").joinpath(RELATED_TERMS_FILE)
        return parse_related_terms(
            resource.read_text(encoding="utf-8"), f"pipeline/resources/{RELATED_TERMS_FILE}"
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            path, f"cannot read the related-terms list ({exc}).", hint="Save it as UTF-8 text."
        ) from exc
    return parse_related_terms(text, path)


def expand_seed_terms(seed_terms: Sequence[str], related: Mapping[str, Sequence[str]]) -> list[str]:
    """The seed terms followed by the related terms of every seed whose stems equal a head's stems (in the
    seeds' order; a term that stems like one before it is left out)."""
    by_stems: dict[SeedTerm | None, list[str]] = {}
    for head, terms in related.items():
        by_stems.setdefault(seed_term(head), []).extend(terms)
    out: dict[SeedTerm | str, str] = {}
    for term in [*seed_terms, *(t for seed in seed_terms for t in by_stems.get(seed_term(seed), []))]:
        out.setdefault(seed_term(term) or term, term)
    return list(out.values())


def expand_catalogue(
    catalogue: Mapping[str, Sequence[str]], related: Mapping[str, Sequence[str]]
) -> dict[str, list[str]]:
    """Each topic's seed terms widened by the related terms (`expand_seed_terms`), except related terms that
    are another topic's seed terms: the catalogue put that word elsewhere ('samarbeid' related to 'team'
    stays with the collaboration topic)."""
    owners: dict[SeedTerm | None, set[str]] = {}
    for topic_id, seeds in catalogue.items():
        for term in seeds:
            owners.setdefault(seed_term(term), set()).add(topic_id)
    return {
        topic_id: [
            t
            for t in expand_seed_terms(seeds, related)
            if t in seeds or owners.get(seed_term(t), {topic_id}) == {topic_id}
        ]
        for topic_id, seeds in catalogue.items()
    }


def term_matrix(texts: list[str], terms: Sequence[str]) -> np.ndarray:
    """documents x terms: does the document use the term? Single-word terms are resolved against the corpus
    vocabulary once (exact stem, or inside a compound for terms of five letters or more; a word that holds
    several terms counts for the longest only, so 'klimaomstilling' is 'klimaomstilling' and not also
    'omstilling') and looked up in a document x stem incidence matrix; multi-word terms must occur as
    consecutive stems (checked only in the documents that hold all of their content stems)."""
    docs = [stem_terms(t) for t in texts]
    vocabulary: dict[str, int] = {}
    indices: list[int] = []
    indptr = [0]
    for doc in docs:
        indices.extend(sorted({vocabulary.setdefault(w, len(vocabulary)) for w in doc}))
        indptr.append(len(indices))
    incidence = csr_matrix(
        (np.ones(len(indices), dtype=np.float32), indices, indptr), shape=(len(docs), len(vocabulary))
    ).tocsc()
    parsed = [seed_term(t) for t in terms]
    singles = {p.stems[0] for p in parsed if p is not None and len(p.stems) == 1}
    columns: dict[str, list[int]] = {w: [] for w in singles}
    longest = max(map(len, singles), default=0)
    for word, c in vocabulary.items():  # every stem, and every part of five letters or more, that is a term
        parts = {word} | {
            word[a:b] for a in range(len(word)) for b in range(a + 5, min(len(word), a + longest) + 1)
        }
        found = {part for part in parts & singles if part == word or len(part) >= 5}
        for part in found:  # the most specific terms only: 'medarbeidersamtale', not also 'samtale' in it
            if not any(part != other and part in other for other in found):
                columns[part].append(c)
    out = np.zeros((len(texts), len(terms)), dtype=bool)
    all_words: dict[int, list[str]] = {}  # stems of all words, for the documents a `whole` term may be in
    for j, term in enumerate(parsed):
        if term is None:
            continue
        if len(term.stems) == 1:
            if columns[term.stems[0]]:
                out[:, j] = np.asarray(incidence[:, columns[term.stems[0]]].sum(axis=1)).ravel() > 0
            continue
        if not all(w in vocabulary for w in term.content):
            continue
        holds = np.asarray(incidence[:, [vocabulary[w] for w in term.content]].sum(axis=1)).ravel()
        n = len(term.stems)
        for i in np.flatnonzero(holds >= len(set(term.content))):
            if term.whole and i not in all_words:
                all_words[i] = _all_words_analyzer()(texts[i])
            doc = all_words[i] if term.whole else docs[i]
            out[i, j] = any(tuple(doc[p : p + n]) == term.stems for p in range(len(doc) - n + 1))
    return out


def topic_matrix(hits: np.ndarray, terms: Sequence[str], topic_terms: Sequence[Sequence[str]]) -> np.ndarray:
    """documents x topics from documents x terms (`term_matrix`): does the document use one of the topic's
    terms?"""
    index = {t: j for j, t in enumerate(terms)}
    out = np.zeros((hits.shape[0], len(topic_terms)), dtype=bool)
    for k, own in enumerate(topic_terms):
        if own:
            out[:, k] = hits[:, [index[t] for t in own]].any(axis=1)
    return out


def seed_matrix(texts: list[str], topic_terms: Sequence[Sequence[str]]) -> np.ndarray:
    """documents x topics: does the document use one of the topic's seed terms?"""
    terms = sorted({t for own in topic_terms for t in own})
    return topic_matrix(term_matrix(texts, terms), terms, topic_terms)


def seed_term_table(
    catalogue: Mapping[str, Sequence[str]],
    expanded: Mapping[str, Sequence[str]],
    documents: Mapping[str, int],
) -> pd.DataFrame:
    """One row per topic and term: `source` 'catalogue' (the programme file's seed terms) or 'related' (added
    from the related-terms list) and `documents`, how many documents use the term. The evidence of the
    mapping: an analyst sees which words carried it and can leave out a related term that misleads."""
    rows = [
        (topic_id, term, "catalogue" if term in catalogue[topic_id] else "related", documents.get(term, 0))
        for topic_id, terms in expanded.items()
        for term in terms
    ]
    return pd.DataFrame(rows, columns=["topic_id", "term", "source", "documents"])
