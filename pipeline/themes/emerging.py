"""New needs that are real: a theme no catalogue topic covers is proposed as a new need only when it is
substantive and enough leaders raise it.

- Not covered: no catalogue topic is carried by `THEME_SHARE` of the theme's documents
  (`guided.match_themes`).
- Substantive: most of its documents are neither practical talk about the programme itself (where and when
  the gatherings are, format, travel, price: an entry of the shipped `programme_talk_no.txt`) nor
  self-introductions (`privacy.quotes.is_quotable`).
- Coherent: its documents are at least as close to the theme as in the run's median theme (mean similarity
  of the members to their theme). A theme that gathers the leftovers of many topics is no need.
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

from pipeline.privacy import is_quotable
from pipeline.text import load_word_list

MAX_PRACTICAL_SHARE = 0.5  # a theme whose documents are mostly practical talk about the programme is no need
MIN_PRACTICAL_TERMS = 1  # a document with this many programme-talk entries is practical talk


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


def judge_new_needs(
    table: pd.DataFrame,
    texts: list[str],
    labels: np.ndarray,
    similarity: np.ndarray,
    min_respondents: int,
    min_interviews: int,
) -> pd.DataFrame:
    """The theme table with `practical_share`, `self_description_share`, `cohesion`, `emerging` (a new need),
    `emerging_reason` (Norwegian, why or why not) and `suggested_title`."""
    cohesion = np.array(
        [similarity[labels == t, t].mean() if (labels == t).any() else 0.0 for t in range(len(table))]
    )
    median = float(np.median(cohesion)) if len(cohesion) else 0.0
    practical = np.array([is_programme_talk(t) for t in texts], dtype=bool)
    introductions = np.array([not is_quotable(t) for t in texts], dtype=bool)
    out = table.copy()
    rows = []
    for t, theme in enumerate(out.itertuples(index=False)):
        members = labels == t
        p_share = float(practical[members].mean()) if members.any() else 0.0
        i_share = float(introductions[members].mean()) if members.any() else 0.0
        uncovered = bool(theme.emerging)
        enough = theme.n_respondents >= min_respondents or len(theme.interviews) >= min_interviews
        if not uncovered:
            reason = "dekkes av katalogen"
        elif p_share > MAX_PRACTICAL_SHARE:
            reason = "praktiske innspill om programmet (sted, tid, form), ikke et behov"
        elif i_share > MAX_PRACTICAL_SHARE:
            reason = "mest presentasjoner av informantene selv, ikke et behov"
        elif cohesion[t] < median:
            reason = "for sammensatt: svarene henger løsere sammen enn i minst halvparten av emnene"
        elif not enough:
            few = f"under {min_respondents} respondenter og under {min_interviews} intervjuer"
            reason = f"for få tar det opp ({few})"
        else:
            reason = "nytt behov: ingen tema i katalogen dekker det"
        rows.append((p_share, i_share, reason.startswith("nytt behov"), reason))
    out["practical_share"] = [r[0] for r in rows]
    out["self_description_share"] = [r[1] for r in rows]
    out["cohesion"] = cohesion
    out["emerging"] = [r[2] for r in rows]
    out["emerging_reason"] = [r[3] for r in rows]
    names = out["name"] if "name" in out else out["label"].map(suggested_title)
    out["suggested_title"] = [name if new else "" for name, new in zip(names, out["emerging"], strict=True)]
    return out


def unsupported_topics(seed_terms: pd.DataFrame, matches: pd.DataFrame) -> list[str]:
    """Catalogue topics whose seed and related terms no document uses and that no theme matches."""
    used = seed_terms.groupby("topic_id")["documents"].sum()
    matched = set(matches.loc[matches["matched"], "topic_id"])
    return sorted(t for t, n in used.items() if n == 0 and t not in matched)
