"""The programme on one page: per gathering a short title and purpose derived from its topics and their
evidence, one line of evidence per topic, and one or two anonymised quotes. The plan report opens with it and
the exports read the same table (`plan_overview.parquet`)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pipeline.config import Programme
from pipeline.text import format_number

OVERVIEW_COLUMNS = [
    "n_sessions",
    "chosen",
    "session",
    "title",
    "purpose",
    "order_reason",
    "topics",
    "evidence",
    "quotes",
]
QUOTES_PER_GATHERING = 2
QUOTE_MAX_WORDS = 40  # an overview quotes a sentence or two, not a whole interview passage


def short_title(title: str) -> str:
    """The head of a topic title: 'Rekruttere, utvikle og beholde kompetanse' -> 'Rekruttere', 'Digital
    transformasjon i kommunen' -> 'Digital transformasjon' (an 'og' inside a head is kept: it is the
    head's own pair, 'Samspillet mellom politikk og administrasjon')."""
    return re.split(r",| med | i | for ", title, maxsplit=1)[0].strip()


def join_heads(titles: list[str]) -> str:
    """'Rekruttere', 'Belastning' -> 'Rekruttere og belastning'; heads with their own 'og' are listed."""
    heads = [short_title(t) for t in titles]
    heads = [heads[0], *[h if h[:2].isupper() else h[:1].lower() + h[1:] for h in heads[1:]]]
    if len(heads) == 1:
        return heads[0]
    if any(" og " in h for h in heads):  # 'Endringsledelse og omstilling, digital transformasjon'
        return ", ".join(heads)
    return ", ".join(heads[:-1]) + " og " + heads[-1]


def evidence_line(r: pd.Series) -> str:
    """One line of evidence for a topic: need, free text, interviews."""
    parts = []
    if not np.isnan(r["survey_need"]):
        parts.append(f"Borich-skår {format_number(r['survey_need'], 1)}")
    if r["free_text_prevalence"] > 0:
        parts.append(f"{format_number(100 * r['free_text_prevalence'], 0)} % i fritekst")
    if r["interview_emphasis"] > 0:
        parts.append(f"{format_number(100 * r['interview_emphasis'], 0)} % av intervjuutsnittene")
    return f"Rangert nr. {int(r['rank'])}; " + ", ".join(parts) if parts else f"Rangert nr. {int(r['rank'])}"


def gathering_overview(
    programme: Programme,
    plan: pd.DataFrame,
    ranking: pd.DataFrame,
    order_reasons: dict[int, dict[int, str]] | None = None,
) -> pd.DataFrame:
    """One row per gathering of each plan variant: title, purpose, why it sits where it does in the order
    (`order_reasons[n_sessions][session]`, from `plan.order`), its topics (best ranked first) with one
    evidence line each, and quotes from its best-ranked topics."""
    info = ranking.set_index("topic_id")
    rows = []
    for (n_sessions, chosen, session), part in plan.groupby(["n_sessions", "chosen", "session"], sort=True):
        thread = part["topic_id"].map(lambda t: programme.topic(t).thread)
        part = part.assign(_thread=thread).sort_values(["_thread", "rank"], kind="stable")  # threads last
        titles = part["title"].tolist()
        own = part.loc[~part["_thread"], "title"].tolist() or titles
        best = info.loc[part["topic_id"].iloc[0]]
        ranks = [str(int(r)) for r in part["rank"]]
        listed = ranks[0] if len(ranks) == 1 else ", ".join(ranks[:-1]) + " og " + ranks[-1]
        count = f"{len(titles)} {'tema' if len(titles) == 1 else 'temaer'}"
        purpose = (
            f"{count}, rangert nr. {listed} av {len(ranking)}. Sterkest belegg har «{titles[0]}» "
            f"({evidence_line(best).split('; ', 1)[-1]})."
        )
        if part["weak"].any():
            weak = part.loc[part["weak"], "title"].tolist()
            purpose += f" Svakt belegg for {', '.join(f'«{t}»' for t in weak)}."
        quotes: list[str] = []
        for topic_id in part["topic_id"]:
            candidates = list(info.loc[topic_id, "quotes"])
            short = [q for q in candidates if len(q.split()) <= QUOTE_MAX_WORDS] or candidates
            for quote in short[:1]:
                if quote not in quotes:
                    quotes.append(quote)
            if len(quotes) == QUOTES_PER_GATHERING:
                break
        rows.append(
            {
                "n_sessions": int(n_sessions),
                "chosen": bool(chosen),
                "session": int(session),
                "title": join_heads(own[:2]),
                "purpose": purpose,
                "order_reason": (order_reasons or {}).get(int(n_sessions), {}).get(int(session), ""),
                "topics": titles,
                "evidence": [evidence_line(info.loc[t]) for t in part["topic_id"]],
                "quotes": quotes,
            }
        )
    return pd.DataFrame(rows, columns=OVERVIEW_COLUMNS)
