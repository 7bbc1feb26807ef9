"""The sample's survey export: respondents, Likert answers from planted parameters, programme questions and
hand-written free text, laid out as a survey tool exports it, with realistic defects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
from scipy.stats import norm

from pipeline.sample import parameters as P

SMALL_HINTS = ("liten kommune", "små kommune", "vi er små", "lita kommune", "småkommune")
LARGE_HINTS = ("stor kommune", "store kommune", "storkommune")


@dataclass(frozen=True)
class Answer:
    id: str
    question: str
    themes: tuple[str, ...]
    lang: str
    pii: tuple[str, ...]
    text: str


def importance_column(label: str) -> str:
    return f"{P.QUESTION_IMPORTANCE} - {label}"


def competence_column(label: str) -> str:
    return f"{P.QUESTION_COMPETENCE} - {label}"


def draw_respondents(
    rng: np.random.Generator, n: int, start_at: str = P.SURVEY_START, first_id: int = 204311
) -> pd.DataFrame:
    """Municipality (weighted by the square root of population), role (one kommunedirektør per
    municipality where possible), span band, timestamps from `start_at`, and whether the respondent
    stopped after the importance battery."""
    names = [m[0] for m in P.MUNICIPALITIES]
    weights = np.sqrt([m[2] for m in P.MUNICIPALITIES])
    municipality = rng.choice(len(names), size=n, p=weights / weights.sum())
    role_names = [r[0] for r in P.ROLES]
    role_p = np.array([r[1] for r in P.ROLES])
    roles = rng.choice(len(role_names), size=n, p=role_p / role_p.sum())
    has_director: set[int] = set()
    for i in range(n):
        if role_names[roles[i]] == "Kommunedirektør/rådmann":
            if municipality[i] in has_director and n <= 5 * len(names):
                roles[i] = rng.choice(np.arange(1, len(role_names)), p=role_p[1:] / role_p[1:].sum())
            has_director.add(int(municipality[i]))
    span_centre = np.array([P.SPAN_BY_ROLE[role_names[r]] for r in roles])
    span = np.clip(span_centre + rng.choice([-1, 0, 0, 0, 1], size=n), 0, len(P.SPAN_BANDS) - 1)
    start = datetime.strptime(start_at, "%Y-%m-%d %H:%M")
    offsets = np.sort(rng.uniform(0, P.SURVEY_DAYS * 24 * 60, size=n))
    minutes = rng.integers(7, 31, size=n)
    started = [start + timedelta(minutes=float(o)) for o in offsets]
    partial = np.zeros(n, dtype=bool)
    n_partial = min(n, max(1, round(n * P.N_PARTIAL / P.N_RESPONDENTS)))
    partial[rng.choice(n, size=n_partial, replace=False)] = True
    ids = first_id + np.cumsum(rng.integers(1, 40, size=n))
    profile_names = sorted(P.PROFILE_AREAS)
    chances = [[P.PROFILE_BY_ROLE[role_names[r]][name] for name in profile_names] for r in roles]
    profiles = [profile_names[rng.choice(len(profile_names), p=p)] for p in chances]
    pops = np.array([P.MUNICIPALITIES[m][2] for m in municipality])
    return pd.DataFrame(
        {
            "respondent_id": ids.astype(np.int64),
            "municipality": [names[m] for m in municipality],
            "region": [P.MUNICIPALITIES[m][1] for m in municipality],
            "population": pops,
            "size_band": [P.size_band(int(p)) for p in pops],
            "role": [role_names[r] for r in roles],
            "span": [P.SPAN_BANDS[s] for s in span],
            "started": started,
            "completed": [
                None if p else s + timedelta(minutes=int(m))
                for s, m, p in zip(started, minutes, partial, strict=True)
            ],
            "partial": partial,
            "profile": profiles,
        }
    )


Shift = tuple[str, str, str, str, float]  # (segment column or "" for all, value, area, dimension, shift)


def latent_means(
    respondents: pd.DataFrame, changes: list[Shift] | tuple = ()
) -> dict[tuple[str, str], np.ndarray]:
    """(area, dimension) -> the latent mean of every respondent (area mean plus segment shifts, plus a later
    wave's planted `changes`)."""
    out = {}
    for area, _label, imp, comp in P.AREAS:
        for dim, base in (("importance", imp), ("competence", comp)):
            mean = np.full(len(respondents), base)
            for column, value, s_area, s_dim, shift in P.SHIFTS:
                if s_area == area and s_dim == dim:
                    mean = mean + shift * (respondents[column].to_numpy() == value)
            for profile, s_area, s_dim, shift in P.PROFILE_SHIFTS:
                if s_area == area and s_dim == dim:
                    mean = mean + shift * (respondents["profile"].to_numpy() == profile)
            for column, value, s_area, s_dim, shift in changes:
                if s_area == area and s_dim == dim:
                    mean = mean + shift * (respondents[column].to_numpy() == value if column else 1.0)
            out[(area, dim)] = mean
    return out


def draw_likert(
    rng: np.random.Generator, respondents: pd.DataFrame, changes: list[Shift] | tuple = ()
) -> dict[tuple[str, str], np.ndarray]:
    """(area, dimension) -> answer codes 1..5, 0 for 'Vet ikke', -1 for blank (vectorised)."""
    n = len(respondents)
    tendency = rng.normal(0, P.RESPONDENT_SD, size=n)
    out = {}
    for (area, dim), mean in latent_means(respondents, changes).items():
        latent = mean + tendency + rng.normal(0, P.ITEM_SD, size=n)
        codes = np.clip(np.rint(latent), 1, 5).astype(int)
        u = rng.uniform(size=n)
        codes[u < P.P_DONT_KNOW[dim]] = 0
        codes[(u >= P.P_DONT_KNOW[dim]) & (u < P.P_DONT_KNOW[dim] + P.P_BLANK)] = -1
        if dim == "competence":
            codes[respondents["partial"].to_numpy()] = -1
        out[(area, dim)] = codes
    return out


def expected_answer(mean: np.ndarray | float) -> np.ndarray:
    """E[clip(round(Z), 1, 5)] for Z ~ N(mean, sd) with the sample's total sd: the planted population mean."""
    sd = float(np.hypot(P.RESPONDENT_SD, P.ITEM_SD))
    mean = np.asarray(mean, dtype=float)
    cuts = norm.cdf((np.array([1.5, 2.5, 3.5, 4.5])[:, None] - mean.ravel()[None, :]) / sd)
    probs = np.diff(np.vstack([np.zeros(mean.size), cuts, np.ones(mean.size)]), axis=0)
    return (np.arange(1, 6)[:, None] * probs).sum(axis=0).reshape(mean.shape)


def population_needs(changes: list[Shift] | tuple = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Planted population means per area (overall and by segment) and the planted Borich MWDS ranking (of a
    later wave with its planted `changes`).

    The population is the sampling design: municipalities weighted by sqrt(population), roles by their shares.
    By linearity the mean discrepancy is E[I] - E[C], so MWDS = (E[I] - E[C]) * E[I]."""
    weights = np.sqrt([m[2] for m in P.MUNICIPALITIES])
    band_p = (
        pd.Series(weights / weights.sum(), index=[P.size_band(m[2]) for m in P.MUNICIPALITIES])
        .groupby(level=0)
        .sum()
    )
    cells = pd.DataFrame(
        [(r, rp, b, bp) for r, rp in P.ROLES for b, bp in band_p.items()],
        columns=["role", "role_p", "size_band", "band_p"],
    )
    # every role x band cell splits into the need profiles by their chance within the role
    cells = pd.DataFrame(
        [
            (*cell, profile, profile_p)
            for cell in cells.itertuples(index=False)
            for profile, profile_p in sorted(P.PROFILE_BY_ROLE[cell.role].items())
        ],
        columns=[*cells.columns, "profile", "profile_p"],
    )
    cells["p"] = cells["role_p"] * cells["band_p"] * cells["profile_p"]
    cells["p"] /= cells["p"].sum()
    rows = []
    for (area, dim), mean in latent_means(cells.assign(partial=False), changes).items():
        expected = expected_answer(mean)
        rows.append(("all", "all", area, dim, float((expected * cells["p"]).sum())))
        for column in ("role", "size_band"):
            for value, part in cells.assign(e=expected).groupby(column, sort=True):
                rows.append(
                    (column, value, area, dim, float((part["e"] * part["p"]).sum() / part["p"].sum()))
                )
    means = pd.DataFrame(rows, columns=["segment_type", "segment", "area", "dimension", "expected_mean"])
    overall = means[means["segment_type"] == "all"].pivot(
        index="area", columns="dimension", values="expected_mean"
    )
    needs = overall.assign(mwds=(overall["importance"] - overall["competence"]) * overall["importance"])
    needs = needs.sort_values("mwds", ascending=False).reset_index()
    needs.insert(0, "rank", np.arange(1, len(needs) + 1))
    return means, needs[["rank", "area", "importance", "competence", "mwds"]]


def draw_categories(rng: np.random.Generator, n: int) -> dict[str, list[str | None]]:
    out: dict[str, list[str | None]] = {}
    for item_id, _question, options in P.CATEGORY_QUESTIONS:
        labels, p = zip(*options, strict=True)
        out[item_id] = list(np.asarray(labels)[rng.choice(len(labels), size=n, p=np.array(p) / sum(p))])
    chosen = rng.uniform(size=(n, len(P.MULTI_OPTIONS))) < np.array([p for _o, p in P.MULTI_OPTIONS])
    out[P.MULTI_QUESTION[0]] = [
        P.MULTI_SEPARATOR.join(o for (o, _p), c in zip(P.MULTI_OPTIONS, row, strict=True) if c) or None
        for row in chosen
    ]
    return out


def _size_ok(text: str, band: str) -> bool:
    low = text.lower()
    if any(h in low for h in SMALL_HINTS):
        return band in ("Under 10 000", "10 000–29 999")
    if any(h in low for h in LARGE_HINTS):
        return band in ("30 000–99 999", "100 000 og flere")
    return True


def profile_for(themes: tuple[str, ...], rng: np.random.Generator) -> str | None:
    """The need profile an answer about these planted themes goes to (`P_PROFILE_MATCH`), or None."""
    linked = sorted(p for p, linked in P.PROFILE_THEMES.items() if set(linked) & set(themes))
    draw = rng.uniform()
    return linked[int(draw * 1000) % len(linked)] if linked and draw < P.P_PROFILE_MATCH else None


def assign_free_text(
    rng: np.random.Generator, respondents: pd.DataFrame, answers: list[Answer], non_answers: dict[str, int]
) -> pd.DataFrame:
    """Place every hand-written answer and the non-answers with a complete respondent; answers that say the
    municipality is small (or large) go to a respondent from such a municipality, and answers about a need
    profile's themes mostly to a member of that profile (`P.PROFILE_THEMES`). Returns one row per placed
    text: respondent_id, question, answer_id ('' for non-answers), text."""
    complete = respondents.loc[~respondents["partial"]].reset_index(drop=True)
    rows = []
    for question, _text, _label in P.OPEN_QUESTIONS:
        mine = [a for a in answers if a.question == question]
        picks = [P.NON_ANSWERS[i % len(P.NON_ANSWERS)] for i in rng.permutation(non_answers[question])]
        texts: list[tuple[str, str]] = [(a.id, a.text) for a in mine] + [("", t) for t in picks]
        wanted = {a.id: profile_for(a.themes, rng) for a in mine}
        if len(texts) > len(complete):
            raise ValueError(
                f"{len(texts)} answers to '{question}' but only {len(complete)} complete respondents"
            )
        order = rng.permutation(len(complete))
        free = list(order)
        # constrained answers first, each to a random eligible respondent still free
        texts.sort(key=lambda t: _size_ok(t[1], "Under 10 000") and _size_ok(t[1], "100 000 og flere"))
        for answer_id, text in texts:
            eligible = [i for i in free if _size_ok(text, complete.at[i, "size_band"])]
            matching = [i for i in eligible if complete.at[i, "profile"] == wanted.get(answer_id)]
            chosen = matching[0] if matching else eligible[0] if eligible else free[0]
            free.remove(chosen)
            rows.append((int(complete.at[chosen, "respondent_id"]), question, answer_id, text))
    return pd.DataFrame(rows, columns=["respondent_id", "question", "answer_id", "text"])


def likert_label(code: int, labels: list[str]) -> str | None:
    if code == -1:
        return None
    return P.DONT_KNOW if code == 0 else f"{code} - {labels[code - 1]}"


def export_frame(
    respondents: pd.DataFrame,
    likert: dict[tuple[str, str], np.ndarray],
    categories: dict[str, list[str]],
    free_text: pd.DataFrame,
    extra: dict[str, list[object]] | None = None,
) -> pd.DataFrame:
    """The export table with the survey tool's headers (full question texts, 'Question - Item' batteries);
    `extra` (question text -> answers) are questions a later wave added, after the span question."""
    n = len(respondents)
    partial = respondents["partial"].to_numpy()
    cols: dict[str, list[object]] = {
        "Respondent-ID": respondents["respondent_id"].tolist(),
        "Startet": [s.strftime("%d.%m.%Y %H:%M") for s in respondents["started"]],
        "Fullført": [None if pd.isna(c) else c.strftime("%d.%m.%Y %H:%M") for c in respondents["completed"]],
        "Kommune": respondents["municipality"].tolist(),
        "Hva er din rolle?": respondents["role"].tolist(),
        "Hvor mange medarbeidere har du personalansvar for?": respondents["span"].tolist(),
        **(extra or {}),
    }
    questions = {q[0]: q[1] for q in P.CATEGORY_QUESTIONS}
    for item_id in ("knows_osr", "covid_impact", "digital_after", "economy_outlook"):
        cols[questions[item_id]] = categories[item_id]
    for area, label, _i, _c in P.AREAS:
        cols[importance_column(label)] = [
            likert_label(c, P.IMPORTANCE_LABELS) for c in likert[(area, "importance")]
        ]
    for area, label, _i, _c in P.AREAS:
        cols[competence_column(label)] = [
            likert_label(c, P.COMPETENCE_LABELS) for c in likert[(area, "competence")]
        ]
    for item_id in ("format", "gatherings", "wtp"):
        cols[questions[item_id]] = [
            None if p else v for v, p in zip(categories[item_id], partial, strict=True)
        ]
    multi_id, multi_text, _label = P.MULTI_QUESTION
    cols[multi_text] = [None if p else v for v, p in zip(categories[multi_id], partial, strict=True)]
    index = {rid: i for i, rid in enumerate(respondents["respondent_id"])}
    for question, text, _label in P.OPEN_QUESTIONS:
        values: list[object] = [None] * n
        for rid, t in free_text.loc[free_text["question"] == question, ["respondent_id", "text"]].itertuples(
            index=False
        ):
            values[index[rid]] = t
        cols[text] = values
    return pd.DataFrame(cols)


def inject_defects(
    rng: np.random.Generator, frame: pd.DataFrame
) -> tuple[pd.DataFrame, list[dict[str, object]]]:
    """Stray whitespace, odd label case, one earlier duplicate submission and one empty row, as real exports
    have them. Returns the frame and a list describing each defect (for the ground truth)."""
    out = frame.copy()
    defects: list[dict[str, object]] = []
    n = len(out)
    for i in rng.choice(n, size=max(1, n // 20), replace=False):
        out.at[i, "Kommune"] = f"{out.at[i, 'Kommune']} "
        defects.append(
            {"kind": "trailing space", "respondent_id": int(out.at[i, "Respondent-ID"]), "column": "Kommune"}
        )
    for i in rng.choice(n, size=max(1, n // 50), replace=False):
        out.at[i, "Hva er din rolle?"] = f" {out.at[i, 'Hva er din rolle?']}"
        defects.append(
            {
                "kind": "leading space",
                "respondent_id": int(out.at[i, "Respondent-ID"]),
                "column": "Hva er din rolle?",
            }
        )
    likert_cols = [c for c in out.columns if c.startswith((P.QUESTION_IMPORTANCE, P.QUESTION_COMPETENCE))]
    for i in rng.choice(n, size=max(1, n // 40), replace=False):
        col = likert_cols[int(rng.integers(len(likert_cols)))]
        if isinstance(out.at[i, col], str) and out.at[i, col] != P.DONT_KNOW:
            out.at[i, col] = "  " + out.at[i, col].lower()
            defects.append(
                {
                    "kind": "lower case and spaces",
                    "respondent_id": int(out.at[i, "Respondent-ID"]),
                    "column": col,
                }
            )
    # an earlier submission of a complete respondent: other answers, no free text, 2 days before
    complete = np.flatnonzero(out["Fullført"].notna().to_numpy())
    src = int(rng.choice(complete))
    dup = out.iloc[src].copy()
    for col in likert_cols[::3]:
        if isinstance(dup[col], str) and dup[col][:1].isdigit():
            dup[col] = out.at[int(rng.choice(complete)), col]
    for _q, text, _l in P.OPEN_QUESTIONS:
        dup[text] = None
    started = datetime.strptime(dup["Startet"], "%d.%m.%Y %H:%M") - timedelta(days=2)
    dup["Startet"] = started.strftime("%d.%m.%Y %H:%M")
    dup["Fullført"] = (started + timedelta(minutes=11)).strftime("%d.%m.%Y %H:%M")
    insert_at = int(np.searchsorted(pd.to_datetime(out["Startet"], format="%d.%m.%Y %H:%M"), started))
    out = pd.concat([out.iloc[:insert_at], dup.to_frame().T, out.iloc[insert_at:]], ignore_index=True)
    defects.append(
        {
            "kind": "duplicate submission (earlier, to be quarantined)",
            "respondent_id": int(dup["Respondent-ID"]),
            "column": "Respondent-ID",
        }
    )
    out = pd.concat([out, pd.DataFrame([[None] * out.shape[1]], columns=out.columns)], ignore_index=True)
    defects.append({"kind": "empty row at the end", "respondent_id": "", "column": ""})
    return out, defects


def codebook_frame(extra: list[tuple[str, str, str]] = ()) -> pd.DataFrame:
    """The codebook of the sample export (what a human would write, or review from the draft); `extra`
    (question, item id, label): category questions a later wave added, after the span question."""
    rows = [
        ("Respondent-ID", "respondent_id", "respondent_id", "", "", "", "", ""),
        ("Startet", "started_at", "timestamp", "", "", "", "", "Startet"),
        ("Fullført", "completed_at", "timestamp", "", "", "", "", "Fullført"),
        ("Kommune", "municipality", "category", "", "", "", "", "Kommune"),
        ("Hva er din rolle?", "role", "category", "", "", "", "", "Rolle"),
        (
            "Hvor mange medarbeidere har du personalansvar for?",
            "span",
            "category",
            "",
            "",
            "",
            "",
            "Personalansvar",
        ),
        *((question, item_id, "category", "", "", "", "", label) for question, item_id, label in extra),
    ]
    labels = {
        "knows_osr": "Kjennskap til Osloregionen",
        "covid_impact": "Påvirkning av covid-19",
        "digital_after": "Digital kapasitet etter pandemien",
        "economy_outlook": "Økonomisk handlingsrom",
        "format": "Foretrukket format",
        "gatherings": "Antall samlinger",
        "wtp": "Betalingsvilje per deltaker",
    }
    questions = {q[0]: q[1] for q in P.CATEGORY_QUESTIONS}
    for item_id in ("knows_osr", "covid_impact", "digital_after", "economy_outlook"):
        rows.append((questions[item_id], item_id, "category", "", "", "", "", labels[item_id]))
    imp_scale = "|".join(f"{i + 1}={lab}" for i, lab in enumerate(P.IMPORTANCE_LABELS))
    comp_scale = "|".join(f"{i + 1}={lab}" for i, lab in enumerate(P.COMPETENCE_LABELS))
    for area, label, _i, _c in P.AREAS:
        rows.append(
            (
                importance_column(label),
                f"imp_{area}",
                "likert",
                area,
                "importance",
                imp_scale,
                P.DONT_KNOW,
                label,
            )
        )
    for area, label, _i, _c in P.AREAS:
        rows.append(
            (
                competence_column(label),
                f"comp_{area}",
                "likert",
                area,
                "competence",
                comp_scale,
                P.DONT_KNOW,
                label,
            )
        )
    for item_id in ("format", "gatherings", "wtp"):
        rows.append((questions[item_id], item_id, "category", "", "", "", "", labels[item_id]))
    multi_id, multi_text, multi_label = P.MULTI_QUESTION
    rows.append(
        (
            multi_text,
            multi_id,
            "multi_choice",
            "",
            "",
            "|".join(o for o, _p in P.MULTI_OPTIONS),
            "",
            multi_label,
        )
    )
    for item_id, text, label in P.OPEN_QUESTIONS:
        rows.append((text, item_id, "free_text", "", "", "", "", label))
    return pd.DataFrame(
        rows, columns=["column", "item_id", "type", "area", "dimension", "scale", "missing", "label"]
    )
