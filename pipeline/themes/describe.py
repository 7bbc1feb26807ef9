"""What a partner sees of a theme: a readable Norwegian label, its size and reach, where it comes from, and
the most representative quotes (pseudonymised already; diverse, not near-duplicates)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from pipeline.privacy import is_quotable, shorten_quote
from pipeline.text import readable, surface_forms
from pipeline.themes.documents import DOC_COLUMNS
from pipeline.themes.model import ThemeModel, theme_id
from pipeline.themes.naming import theme_name

DOC_THEME_COLUMNS = [*DOC_COLUMNS[:-1], "theme_id", "weight"]  # the document's origin, not its text
SECONDARY_RATIO = 0.85  # a second theme when the document is nearly as close to it as to its own
QUOTE_MIN_WORDS, QUOTE_MAX_WORDS = 5, 90
NEAR_DUPLICATE = 0.5


def theme_label(terms: list[str], n: int = 3) -> str:
    """The first `n` terms that add a word not already in the label (no 'lære, lære toppidretten')."""
    chosen: list[str] = []
    for term in terms:
        if not set(term.split()) <= {w for c in chosen for w in c.split()}:
            chosen = [c for c in chosen if not set(c.split()) < set(term.split())] + [term]
        if len(chosen) == n:
            break
    return ", ".join(chosen)


def assign_documents(docs: pd.DataFrame, model: ThemeModel) -> pd.DataFrame:
    """One row per document and theme it carries: its own theme (weight = similarity share), and any theme
    it is nearly as similar to (>= SECONDARY_RATIO of its own)."""
    sim = np.clip(model.similarity_, 0, None)
    own = sim[np.arange(len(sim)), model.labels_]
    carried = (sim >= SECONDARY_RATIO * own[:, None]) & (sim > 0)
    carried[np.arange(len(sim)), model.labels_] = True
    i, t = np.nonzero(carried)
    total = (sim * carried).sum(axis=1)
    weight = np.divide(sim[i, t], total[i], out=np.ones(len(i)), where=total[i] > 0)
    out = docs.iloc[i][DOC_THEME_COLUMNS[:7]].assign(theme_id=[theme_id(x) for x in t], weight=weight)
    return out.sort_values(["doc_id", "theme_id"], kind="stable", ignore_index=True)


def pick_quotes(texts: list[str], scores: np.ndarray, n: int = 3) -> list[str]:
    """The highest-scoring texts (a score of -inf: not a candidate) of a readable length, skipping any that
    repeats one already chosen; each cut at a sentence end when long."""
    order = [i for i in np.argsort(-scores, kind="stable") if np.isfinite(scores[i])]
    candidates = [i for i in order if QUOTE_MIN_WORDS <= len(texts[i].split()) <= QUOTE_MAX_WORDS][: 20 * n]
    if not candidates:
        candidates = order[: 5 * n]
    if not candidates:
        return []
    vec = normalize(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit_transform([texts[i] for i in candidates])
    )
    chosen: list[int] = []
    for pos in range(len(candidates)):
        if all((vec[pos] @ vec[c].T).toarray()[0, 0] < NEAR_DUPLICATE for c in chosen):
            chosen.append(pos)
        if len(chosen) == n:
            break
    return [shorten_quote(texts[candidates[p]]) for p in chosen]


def describe_themes(
    model: ThemeModel,
    docs: pd.DataFrame,
    doc_themes: pd.DataFrame,
    matches: pd.DataFrame,
    n_respondents: int,
    topic_titles: dict[str, str],
    n_quotes: int = 3,
) -> pd.DataFrame:
    """One row per theme: label and terms, documents (survey, interview), share of respondents, where it comes
    from, quotes, matched catalogue topics and whether it is an emerging need."""
    texts = docs["text"].tolist()
    quotable = np.array([is_quotable(t) for t in texts], dtype=bool)  # no self-introductions, no meta-talk
    forms = surface_forms(texts)
    vocabulary = model.features_.terms_
    rows = []
    for t in range(model.n_themes_):
        tid = theme_id(t)
        members = model.labels_ == t
        carried = doc_themes.loc[doc_themes["theme_id"] == tid]
        terms = [readable(vocabulary[i], forms) for i in model.top_terms_[t][:12]]
        score = np.where(members & quotable, model.similarity_[:, t], -np.inf)
        survey_part = carried.loc[carried["source"] == "survey"]
        matched = matches.loc[(matches["theme_id"] == tid) & matches["matched"]]
        best = matches.loc[matches["theme_id"] == tid].iloc[0] if len(matches) else None
        questions = survey_part["question"].value_counts().sort_index()
        rows.append(
            {
                "theme_id": tid,
                "label": theme_label(terms),
                "name": theme_name([texts[i] for i in np.nonzero(members)[0]], terms),
                "terms": terms,
                "n_docs": int(members.sum()),
                "n_docs_carrying": int(len(carried)),
                "n_survey_docs": int((carried["source"] == "survey").sum()),
                "n_interview_docs": int((carried["source"] == "interview").sum()),
                "n_respondents": int(survey_part["respondent_id"].nunique()),
                "share_respondents": survey_part["respondent_id"].nunique() / n_respondents
                if n_respondents
                else 0.0,
                "interviews": sorted(carried["interview_id"].dropna().unique().tolist()),
                "questions": [f"{q} ({c})" for q, c in questions.items()],
                "quotes": pick_quotes(texts, score, n_quotes),
                "matched_topics": matched["topic_id"].tolist(),
                "topic_id": matched["topic_id"].iloc[0] if len(matched) else None,
                "topic_title": topic_titles.get(matched["topic_id"].iloc[0]) if len(matched) else None,
                "topic_share": float(best["share"]) if best is not None else 0.0,
                "emerging": matched.empty,
            }
        )
    return pd.DataFrame(rows)
