"""New needs that are real: a theme no catalogue topic covers is proposed as a new need only when it is
substantive and enough leaders raise it.

- Not covered: no catalogue topic is carried by `THEME_SHARE` of the theme's documents
  (`guided.match_themes`).
- Substantive: most of its documents are neither practical talk about the programme itself (where and when
  the gatherings are, format, travel, price: an entry of the shipped `programme_talk_no.txt`) nor
  self-introductions (`privacy.quotes.is_quotable`), and such talk is not over-represented in it: its share
  of them is not above the run's share beyond chance (one-sided binomial test at `SIGNIFICANCE`). A theme
  that collects the greetings, logistics and life stories of the interviews is no need, however large.
- Coherent: its documents share more words than chance would give. Its cohesion (the length of the sum of
  its members' unit word vectors over their count: their mean cosine with their centroid) is compared with
  that of random sets of the same size from the run (z at one-sided `SIGNIFICANCE`). A theme that gathers
  the leftovers of many topics is no need. The test is against chance, not against the run's other themes,
  so it does not reject half of any run by construction.
- Raised by enough: at least `[themes].new_need_min_respondents` respondents, or answers in at least
  `[themes].new_need_min_interviews` interviews.

Every theme keeps the reason why it is or is not a new need, and a new need gets a suggested topic title.
A catalogue topic that no document's seed terms reach and no theme matches is reported as unsupported.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.stats import binom, norm

from pipeline.privacy import is_quotable
from pipeline.text import load_word_list

MAX_PRACTICAL_SHARE = 0.5  # a theme whose documents are mostly practical talk about the programme is no need
MIN_PRACTICAL_TERMS = 1  # a document with this many programme-talk entries is practical talk
SIGNIFICANCE = 0.05  # one-sided level of the tests against chance (talk over-represented; words shared)
CHANCE_DRAWS = 64  # random sets per theme for the chance cohesion
CHANCE_SEED = 2021


@lru_cache(maxsize=1)
def _programme_talk() -> re.Pattern[str]:
    entries = sorted(load_word_list("programme_talk_no.txt"), key=lambda e: (-len(e), e))
    return re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(e) for e in entries) + r")(?![\w-])", re.IGNORECASE
    )


def is_programme_talk(text: str) -> bool:
    """True for a text about the programme's practicalities (place, time, format, travel, price)."""
    return len({m.group(0).lower() for m in _programme_talk().finditer(text)}) >= MIN_PRACTICAL_TERMS


def suggested_title(label: str) -> str:
    """A topic title from a theme's label: 'pandemien, beredskap, krisehåndtering' -> 'Pandemien, beredskap
    og krisehåndtering'."""
    terms = [t.strip() for t in label.split(",") if t.strip()]
    if not terms:
        return ""
    text = terms[0] if len(terms) == 1 else ", ".join(terms[:-1]) + " og " + terms[-1]
    return text[:1].upper() + text[1:]


def _cohesion(words: sparse.csr_matrix | np.ndarray, rows: np.ndarray) -> float:
    """Mean cosine of unit rows with their centroid: |sum of the rows| / their count."""
    total = np.asarray(words[rows].sum(axis=0)).ravel()
    return float(np.linalg.norm(total)) / len(rows)


def cohesion_beyond_chance(
    words: sparse.csr_matrix | np.ndarray, labels: np.ndarray, n_themes: int
) -> tuple[np.ndarray, np.ndarray]:
    """Each theme's word cohesion and its z against random sets of the same size (`words`: one unit row per
    document). A theme of one document, or a run with no other documents, gets z = inf."""
    rng = np.random.default_rng(CHANCE_SEED)
    cohesion, z = np.zeros(n_themes), np.full(n_themes, np.inf)
    n_docs = words.shape[0]
    for t in range(n_themes):
        rows = np.flatnonzero(labels == t)
        if len(rows) == 0:
            z[t] = -np.inf
            continue
        cohesion[t] = _cohesion(words, rows)
        if len(rows) < 2 or len(rows) >= n_docs:
            continue
        null = np.array(
            [_cohesion(words, rng.choice(n_docs, len(rows), replace=False)) for _ in range(CHANCE_DRAWS)]
        )
        spread = float(null.std())
        z[t] = (cohesion[t] - null.mean()) / spread if spread > 0 else np.inf
    return cohesion, z


def judge_new_needs(
    table: pd.DataFrame,
    texts: list[str],
    labels: np.ndarray,
    words: sparse.csr_matrix | np.ndarray,
    min_respondents: int,
    min_interviews: int,
) -> pd.DataFrame:
    """The theme table with `practical_share`, `self_description_share`, `talk_share` (either),
    `cohesion`, `cohesion_z`, `emerging` (a new need), `emerging_reason` (Norwegian, why or why not) and
    `suggested_title`. `words`: one unit word vector per text (the leaders' own words)."""
    cohesion, cohesion_z = cohesion_beyond_chance(words, labels, len(table))
    coherent = norm.ppf(1 - SIGNIFICANCE)
    practical = np.array([is_programme_talk(t) for t in texts], dtype=bool)
    introductions = np.array([not is_quotable(t) for t in texts], dtype=bool)
    talk = practical | introductions
    run_talk = float(talk.mean()) if len(talk) else 0.0
    out = table.copy()
    rows = []
    for t, theme in enumerate(out.itertuples(index=False)):
        members = labels == t
        p_share = float(practical[members].mean()) if members.any() else 0.0
        i_share = float(introductions[members].mean()) if members.any() else 0.0
        n_talk, n_members = int(talk[members].sum()), int(members.sum())
        talk_heavy = n_talk > 0 and binom.sf(n_talk - 1, n_members, run_talk) < SIGNIFICANCE
        uncovered = bool(theme.emerging)
        enough = theme.n_respondents >= min_respondents or len(theme.interviews) >= min_interviews
        if not uncovered:
            reason = "dekkes av katalogen"
        elif p_share > MAX_PRACTICAL_SHARE:
            reason = "praktiske innspill om programmet (sted, tid, form), ikke et behov"
        elif i_share > MAX_PRACTICAL_SHARE:
            reason = "mest presentasjoner av informantene selv, ikke et behov"
        elif talk_heavy:
            reason = (
                "mye praktisk prat og presentasjoner: flere av svarene handler om sted, tid og form eller om "
                "informantene selv enn i resten av svarene"
            )
        elif cohesion_z[t] < coherent:
            reason = "for sammensatt: svarene har ikke flere ord felles enn tilfeldig valgte svar"
        elif not enough:
            few = f"under {min_respondents} respondenter og under {min_interviews} intervjuer"
            reason = f"for få tar det opp ({few})"
        else:
            reason = "nytt behov: ingen tema i katalogen dekker det"
        rows.append((p_share, i_share, n_talk / max(n_members, 1), reason.startswith("nytt behov"), reason))
    out["practical_share"] = [r[0] for r in rows]
    out["self_description_share"] = [r[1] for r in rows]
    out["talk_share"] = [r[2] for r in rows]
    out["cohesion"] = cohesion
    out["cohesion_z"] = cohesion_z
    out["emerging"] = [r[3] for r in rows]
    out["emerging_reason"] = [r[4] for r in rows]
    names = out["name"] if "name" in out else out["label"].map(suggested_title)
    out["suggested_title"] = [name if new else "" for name, new in zip(names, out["emerging"], strict=True)]
    return out


def unsupported_topics(seed_terms: pd.DataFrame, matches: pd.DataFrame) -> list[str]:
    """Catalogue topics whose seed and related terms no document uses and that no theme matches."""
    used = seed_terms.groupby("topic_id")["documents"].sum()
    matched = set(matches.loc[matches["matched"], "topic_id"])
    return sorted(t for t, n in used.items() if n == 0 and t not in matched)
