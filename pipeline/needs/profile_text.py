"""What each need profile raises in free text, and which profile each catalogue topic serves.

Lift: among the respondents who wrote a survey answer, the share of a profile's members whose answers carry a
catalogue topic (guided assignment) or a discovered theme, divided by the share among everyone else. Its
interval comes from resampling members and non-members separately (seeded percentile bootstrap). With many
profiles x topics some intervals clear 1 by chance, so a lift is `clear` only when Fisher's exact test (one
sided: members raise it more) survives the Benjamini-Hochberg false discovery rate of `FDR` over every row of
the table. A count of raising members below `min_cell` is suppressed, as any breakdown is.

A topic serves the profile whose Borich need on the topic's linked areas exceeds the whole group's the most.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact

from pipeline.config import Topic
from pipeline.needs.bootstrap import resample_counts
from pipeline.privacy import is_quotable, shorten_quote

COLUMNS = [
    "profile",
    "profile_name",
    "kind",
    "item_id",
    "item_name",
    "members_writing",
    "n_raising",
    "share_profile",
    "share_others",
    "lift",
    "lift_lo",
    "lift_hi",
    "p_value",
    "q_value",
    "clear",
    "need",
    "need_all",
    "need_difference",
    "quotes",
    "suppressed",
]
QUOTES = 2
FDR = 0.10


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """q-values: the smallest false discovery rate at which each test is a discovery."""
    p = np.asarray(p, dtype=float)
    if not p.size:
        return p
    order = np.argsort(p, kind="stable")
    ranked = p[order] * len(p) / np.arange(1, len(p) + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1].clip(max=1.0)
    out = np.empty_like(q)
    out[order] = q
    return out


def _carries(docs: pd.DataFrame, column: str, writers: list[str], items: list[str]) -> np.ndarray:
    index = {r: i for i, r in enumerate(writers)}
    out = np.zeros((len(writers), len(items)))
    position = {item: j for j, item in enumerate(items)}
    survey = docs.loc[docs["source"] == "survey", ["respondent_id", column]].drop_duplicates()
    for r, item in survey.itertuples(index=False):
        if r in index and item in position:
            out[index[r], position[item]] = 1
    return out


def _lift_interval(
    carries: np.ndarray, members: np.ndarray, resamples: int, confidence: float, seed: int
) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    inside, outside = carries[members], carries[~members]
    a = resample_counts(rng, len(inside), resamples) @ inside / max(len(inside), 1)
    b = resample_counts(rng, len(outside), resamples) @ outside / max(len(outside), 1)
    alpha = (1 - confidence) / 2
    with np.errstate(invalid="ignore", divide="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        lift = np.where(b > 0, a / np.where(b > 0, b, 1), np.nan)
        return np.nanquantile(lift, alpha, axis=0), np.nanquantile(lift, 1 - alpha, axis=0)


def _quotes(docs: pd.DataFrame, column: str, item: str, member_ids: set[str]) -> list[str]:
    carried = docs.loc[
        (docs["source"] == "survey") & (docs[column] == item) & docs["respondent_id"].isin(member_ids)
    ]
    good = carried.loc[
        carried["text"].str.split().str.len().between(6, 60) & carried["text"].map(is_quotable).astype(bool)
    ]
    weight = "score" if "score" in good else "weight"
    good = good.sort_values([weight, "doc_id"], ascending=[False, True], kind="stable")
    return [shorten_quote(q) for q in good["text"].drop_duplicates().head(QUOTES)]


def profile_evidence(
    assigned: pd.DataFrame,
    need_profiles: pd.DataFrame,
    doc_topics: pd.DataFrame,
    doc_themes: pd.DataFrame,
    topics: Sequence[Topic],
    themes: pd.DataFrame,
    min_cell: int,
    resamples: int,
    confidence: float,
    seed: int,
) -> pd.DataFrame:
    """profile x (catalogue topic | theme): members raising it, lift with interval, need on the topic's
    areas against everyone's, and up to two quotes of members. Empty with one profile (nothing to compare)."""
    placed = assigned.loc[assigned["profile"] > 0]
    if placed["profile"].nunique() < 2:
        return pd.DataFrame(columns=COLUMNS)
    wrote = set(doc_topics.loc[doc_topics["source"] == "survey", "respondent_id"])
    writers = sorted(wrote & set(placed["respondent_id"]))
    texts = doc_topics.drop_duplicates("doc_id").set_index("doc_id")["text"]
    doc_themes = doc_themes.assign(text=doc_themes["doc_id"].map(texts).fillna(""))
    profile_of = placed.set_index("respondent_id")["profile"].reindex(writers).to_numpy()
    theme_names = themes["name"] if "name" in themes else themes["label"]
    kinds = [
        ("topic", doc_topics, "topic_id", [t.id for t in topics], {t.id: t.title for t in topics}),
        (
            "theme",
            doc_themes,
            "theme_id",
            themes["theme_id"].tolist(),
            dict(zip(themes["theme_id"], theme_names, strict=True)),
        ),
    ]
    mwds = need_profiles.pivot(index="profile", columns="area", values="mwds")
    everyone = need_profiles.drop_duplicates("area").set_index("area")["mwds_all"]
    areas_of = {t.id: [a for a in t.areas if a in mwds.columns] for t in topics}
    profiles = placed.drop_duplicates("profile").sort_values("profile")
    rows = []
    for profile, name in profiles[["profile", "profile_name"]].itertuples(index=False):
        members = profile_of == profile
        member_ids = set(np.asarray(writers)[members])
        for kind, docs, column, items, names in kinds:
            carries = _carries(docs, column, writers, items)
            lo, hi = _lift_interval(carries, members, resamples, confidence, seed + int(profile))
            inside = carries[members].mean(axis=0) if members.any() else np.zeros(len(items))
            outside = carries[~members].mean(axis=0) if (~members).any() else np.zeros(len(items))
            for j, item in enumerate(items):
                areas = areas_of.get(item, []) if kind == "topic" else []
                need = float(mwds.loc[profile, areas].mean()) if areas else np.nan
                need_all = float(everyone[areas].mean()) if areas else np.nan
                rows.append(
                    {
                        "profile": int(profile),
                        "profile_name": name,
                        "kind": kind,
                        "item_id": item,
                        "item_name": names.get(item, item),
                        "members_writing": int(members.sum()),
                        "n_raising": int(carries[members, j].sum()),
                        "share_profile": float(inside[j]),
                        "share_others": float(outside[j]),
                        "lift": float(inside[j] / outside[j]) if outside[j] > 0 else np.nan,
                        "lift_lo": float(lo[j]),
                        "lift_hi": float(hi[j]),
                        "p_value": float(
                            fisher_exact(
                                [
                                    [carries[members, j].sum(), (1 - carries[members, j]).sum()],
                                    [carries[~members, j].sum(), (1 - carries[~members, j]).sum()],
                                ],
                                alternative="greater",
                            ).pvalue
                        ),
                        "need": need,
                        "need_all": need_all,
                        "need_difference": need - need_all,
                        "quotes": _quotes(docs, column, item, member_ids),
                    }
                )
    table = pd.DataFrame(rows)
    table["suppressed"] = table["n_raising"] < min_cell
    table["q_value"] = benjamini_hochberg(table["p_value"].to_numpy())
    table["clear"] = (table["q_value"] < FDR) & ~table["suppressed"]
    for column in ("share_profile", "lift", "lift_lo", "lift_hi"):
        table[column] = table[column].where(~table["suppressed"], np.nan)
    table["quotes"] = [q if not s else [] for q, s in zip(table["quotes"], table["suppressed"], strict=True)]
    return table[COLUMNS]


def topics_served(evidence: pd.DataFrame) -> pd.DataFrame:
    """topic_id -> the profile whose need on the topic's areas exceeds everyone's the most (none when no
    profile's does, or with one profile)."""
    part = evidence.loc[(evidence["kind"] == "topic") & (evidence["need_difference"] > 0)]
    best = part.sort_values(["item_id", "need_difference", "profile"], ascending=[True, False, True])
    best = best.drop_duplicates("item_id")
    return best.rename(
        columns={
            "item_id": "topic_id",
            "profile_name": "serves_profile",
            "need_difference": "profile_need_gap",
        }
    )[["topic_id", "serves_profile", "profile_need_gap"]]
