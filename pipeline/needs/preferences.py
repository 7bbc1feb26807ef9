"""Summaries of the programme questions: preferred format, number of gatherings, willingness to pay."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pipeline.text import is_dont_know

PREFERENCE_COLUMNS = ["item_id", "answer", "order", "n", "share", "cumulative_share"]


def answer_order(answer: str) -> float:
    """Sort key of an ordered answer: its first number ('5 000–9 999 kr' -> 5000, '3 samlinger' -> 3);
    'Under ...' sorts first, answers without numbers last."""
    text = answer.replace("\u202f", " ").replace("\xa0", " ")
    if text.strip().lower().startswith(("ingen", "none")):
        return -1.0
    m = re.search(r"\d[\d ]*", text)
    if not m:
        return np.inf
    value = float(m.group(0).replace(" ", ""))
    return value - 0.5 if text.strip().lower().startswith(("under", "mindre enn", "inntil")) else value


def summarise_preferences(respondents: pd.DataFrame, items: list[str]) -> pd.DataFrame:
    """Distribution of each programme question's answers (ordered when the answers carry numbers)."""
    frames = []
    for item in items:
        if item not in respondents:
            continue
        counts = respondents[item].dropna().value_counts()
        if counts.empty:
            continue
        df = pd.DataFrame({"item_id": item, "answer": counts.index.astype(str), "n": counts.to_numpy()})
        df["order"] = df["answer"].map(answer_order)
        unsure = df["answer"].map(is_dont_know)
        numbered = np.isfinite(df.loc[~unsure, "order"]).all() and (~unsure).any()
        df["order"] = df["order"].where(~unsure, np.inf)  # "Vet ikke" last, in ordered answers too
        df = (
            df.assign(_last=unsure)
            .sort_values(
                ["_last", "order", "answer"] if numbered else ["_last", "n", "answer"],
                ascending=[True, True, True] if numbered else [True, False, True],
                kind="stable",
                ignore_index=True,
            )
            .drop(columns="_last")
        )
        df["share"] = df["n"] / df["n"].sum()
        df["cumulative_share"] = df["share"].cumsum()
        frames.append(df[PREFERENCE_COLUMNS])
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=PREFERENCE_COLUMNS)


def median_answer(preferences: pd.DataFrame, item: str) -> str | None:
    """The answer where the cumulative share passes one half (for ordered answers, e.g. price bands)."""
    part = preferences.loc[(preferences["item_id"] == item) & ~preferences["answer"].map(is_dont_know)]
    if part.empty or not np.isfinite(part["order"]).all():
        return None
    middle = part["n"].cumsum() / part["n"].sum()  # among those who gave an answer on the scale
    return str(part.loc[middle >= 0.5, "answer"].iloc[0])


def preferred_sessions(preferences: pd.DataFrame, item: str) -> dict[str, float | int | None]:
    """Shares wanting 3 and 4 gatherings, and which of the two more respondents chose."""
    part = preferences.loc[preferences["item_id"] == item]
    share = {int(o): float(s) for o, s in zip(part["order"], part["share"], strict=True) if o in (3, 4)}
    three, four = share.get(3, 0.0), share.get(4, 0.0)
    return {
        "share_3": three,
        "share_4": four,
        "preferred": (3 if three > four else 4) if three or four else None,
    }
