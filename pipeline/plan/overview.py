"""The programme on one page: per gathering a short title and purpose derived from its topics and their
evidence, one line of evidence per topic, and one or two anonymised quotes. The plan report opens with it and
the exports read the same table (`plan_overview.parquet`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.config import Programme
from pipeline.text import capitalised, count_words, format_number, format_percent, listed

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


def gathering_title(programme: Programme, n_sessions: int, chosen: bool, session: int, lead: str) -> str:
    """The designer's title of the gathering (`[sessions].titles`, for the chosen plan), or else the full
    title of its best-ranked topic: never cut, never a list of topic names glued together."""
    titles = programme.sessions.titles
    if chosen and n_sessions == programme.sessions.count and titles:
        return titles[session - 1]
    return lead


def evidence_line(r: pd.Series) -> str:
    """One line of evidence for a topic: need, free text, interviews."""
    parts = []
    if not np.isnan(r["survey_need"]):
        parts.append(f"Borich-skår {format_number(r['survey_need'], 1)}")
    if r["free_text_prevalence"] > 0:
        parts.append(f"{format_percent(r['free_text_prevalence'])} i fritekst")
    if r["interview_emphasis"] > 0:
        parts.append(f"{format_percent(r['interview_emphasis'])} av intervjuutsnittene")
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
        count = count_words(len(titles), "programtema", "programtemaer")
        purpose = (
            f"{capitalised(count)}, rangert som nr. {listed(ranks)} av {len(ranking)}. "
            f"Sterkest grunnlag i svarene har «{titles[0]}» (skår {format_number(part['score'].iloc[0], 2)}; "
            f"{evidence_line(best).split('; ', 1)[-1]})."
        )
        if part["weak"].any():
            weak = part.loc[part["weak"], "title"].tolist()
            purpose += (
                f" {listed([f'«{t}»' for t in weak])} har svakt grunnlag: behovet i undersøkelsen, "
                f"fritekstene og intervjuene gir {'det' if len(weak) == 1 else 'dem'} samlet lav skår."
            )
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
                "title": gathering_title(programme, int(n_sessions), bool(chosen), int(session), own[0]),
                "purpose": purpose,
                "order_reason": (order_reasons or {}).get(int(n_sessions), {}).get(int(session), ""),
                "topics": titles,
                "evidence": [evidence_line(info.loc[t]) for t in part["topic_id"]],
                "quotes": quotes,
            }
        )
    return pd.DataFrame(rows, columns=OVERVIEW_COLUMNS)
