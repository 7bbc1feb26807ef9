"""Two surveys measured (issue 29): are the planted changes found, how often does chance alone raise a
change, and how long does the comparison take at 100,000 respondents per survey.

- Needs: waves drawn from the sample's planted population (`pipeline.sample`), 20 with the second wave's
  planted changes and 20 null pairs (both waves from the 2021 population). The new rule (the 90 % interval
  of the change excludes zero; by group, Benjamini–Hochberg over the cells) beside two plain baselines: a
  rank that moved two places or more, and per-cell intervals without the false-discovery control.
- Themes: the shipped 2023 answers against the 2021 answers (planted: the pandemic fades, settling
  refugees appears), and null waves (2021 answers drawn again), through the same `themes_over_time`.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd

from pipeline.config import load_programme
from pipeline.needs.waves import needs_change, needs_change_by_segment
from pipeline.sample import generate as G
from pipeline.sample import parameters as P
from pipeline.sample import survey_export as S

SEGMENTS = {"role": "role", "size_band": "size_band", "span": "span"}
ITEMS = [f"{d}_{a}" for a, *_ in P.AREAS for d in ("imp", "comp")]
N_DRAWS = 20


def tidy(respondents: pd.DataFrame, codes: dict, prefix: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(Likert answers as the pipeline tidies them, the respondents with their segments) of a drawn wave."""
    ids = [f"{prefix}{i:06d}" for i in range(len(respondents))]
    frames = []
    for (area, dim), values in codes.items():
        v = values.astype(float)
        v[values <= 0] = np.nan  # 'Vet ikke' and blank
        frames.append(
            pd.DataFrame(
                {
                    "respondent_id": ids,
                    "item_id": f"{'imp' if dim == 'importance' else 'comp'}_{area}",
                    "area": area,
                    "area_label": area,
                    "dimension": dim,
                    "value": v,
                    "scale_max": 5,
                }
            )
        )
    people = respondents[["role", "size_band", "span"]].assign(respondent_id=ids)
    return pd.concat(frames, ignore_index=True), people


def draw(seed: int, changes: list, n: int = P.N_RESPONDENTS, prefix: str = "R"):
    rng = np.random.default_rng(seed)
    respondents = S.draw_respondents(rng, n)
    return tidy(respondents, S.draw_likert(rng, respondents, changes), prefix)


def needs_rules(resamples: int = 1000) -> str:
    """Recall of the planted changes and false alarms on null pairs, new rule beside the baselines."""
    planted = G.planted_change(P.WAVE2_SHIFTS)
    overall = planted.loc[planted["segment_type"] == "all"].set_index("area")
    role_cells = planted.loc[(planted["segment_type"] == "role") & planted["planted"].str.contains("only")]
    role_cells = role_cells.loc[role_cells["change"].abs() > 1e-9]
    changed = set(overall.index[overall["change"].abs() > 1e-9])
    found = {a: {"interval": 0, "rank": 0} for a in sorted(changed)}
    cell_found = {"interval": 0, "fdr": 0}
    null_flags = {"interval": [], "rank": [], "cells_interval": [], "cells_fdr": []}
    steady_flags = {"interval": [], "rank": []}
    for k in range(N_DRAWS):
        for null in (False, True):
            (before, people0), (after, people1) = (
                draw(1000 + k, [], prefix="F"),
                draw(2000 + k, [] if null else P.WAVE2_SHIFTS),
            )
            out = needs_change(before, after, ITEMS, resamples, seed=k).set_index("area")
            rank_moved = out["rank_change"].abs() >= 2
            cells = needs_change_by_segment(
                before, after, people0, people1, ITEMS, SEGMENTS, 5, resamples, seed=k
            )
            if null:
                null_flags["interval"].append(out["clear"].mean())
                null_flags["rank"].append(rank_moved.mean())
                shown = ~cells["suppressed"]
                null_flags["cells_interval"].append(cells.loc[shown, "interval_clear"].mean())
                null_flags["cells_fdr"].append(cells.loc[shown, "clear"].mean())
                continue
            for area in changed:
                right_way = np.sign(out.loc[area, "mwds_change"]) == np.sign(overall.loc[area, "change"])
                found[area]["interval"] += bool(out.loc[area, "clear"] and right_way)
                found[area]["rank"] += bool(rank_moved[area])
            steady = [a for a in out.index if a not in changed]
            steady_flags["interval"].append(out.loc[steady, "clear"].mean())
            steady_flags["rank"].append(rank_moved[steady].mean())
            for row in role_cells.itertuples(index=False):
                cell = cells.set_index(["segment_type", "segment", "area"]).loc[
                    ("role", row.segment, row.area)
                ]
                cell_found["interval"] += bool(cell["interval_clear"])
                cell_found["fdr"] += bool(cell["clear"])
    lines = [
        f"Waves of {P.N_RESPONDENTS} respondents drawn from the sample's planted population, {N_DRAWS} "
        f"with the second wave's planted changes and {N_DRAWS} null pairs; {resamples} resamples per wave.",
        "",
        "| rule | planted changes found (of 20 draws each) | false alarms, areas that did not change |"
        " false alarms on null pairs (share of areas, mean / worst draw) |",
        "|---|---|---:|---:|",
    ]
    said = ", ".join(f"{a} {found[a]['interval']}" for a in sorted(found))
    lines.append(
        f"| 90 % interval of the change excludes zero, right sign (new) | {said} | "
        f"{np.mean(steady_flags['interval']):.1%} | {np.mean(null_flags['interval']):.1%} / "
        f"{np.max(null_flags['interval']):.0%} |"
    )
    said = ", ".join(f"{a} {found[a]['rank']}" for a in sorted(found))
    lines.append(
        f"| rank moved 2 places or more (baseline) | {said} | {np.mean(steady_flags['rank']):.1%} | "
        f"{np.mean(null_flags['rank']):.1%} / {np.max(null_flags['rank']):.0%} |"
    )
    lines += [
        "",
        "By group (role, size band, span; cells under 5 respondents hidden):",
        "",
        "| rule | planted stabsleder change found (of 20) | false alarms on null pairs (share of cells) |",
        "|---|---:|---:|",
        f"| Benjamini–Hochberg at 10 % over the cells (new, what the report names) | {cell_found['fdr']} | "
        f"{np.mean(null_flags['cells_fdr']):.2%} |",
        f"| each cell's own 90 % interval (baseline) | {cell_found['interval']} | "
        f"{np.mean(null_flags['cells_interval']):.1%} |",
    ]
    return "\n".join(lines)


def null_rate(n_pairs: int = 100, resamples: int = 1000) -> str:
    """The overall rule's false alarms over more null pairs than the table's 20: the areas of one draw move
    together (the need profiles shift several areas at once), so 20 draws leave a wide margin."""
    rates = []
    for k in range(n_pairs):
        (before, _p0), (after, _p1) = draw(1000 + k, [], prefix="F"), draw(2000 + k, [])
        rates.append(needs_change(before, after, ITEMS, resamples, seed=k)["clear"].mean())
    return (
        f"Over {n_pairs} null pairs (the 20 above and {n_pairs - N_DRAWS} more), the 90 % interval flags "
        f"{np.mean(rates):.1%} of areas (standard error {np.std(rates) / np.sqrt(n_pairs):.1%}); the needs "
        "section's coverage of each survey's own 90 % intervals is the other half of the same question."
    )


def shipped_wave(config_2023: Path) -> str:
    """The shipped second wave against the shipped 2021 survey, through ingest and needs."""
    import tempfile

    from pipeline.stages import run_stage
    from pipeline.store import Store

    programme = load_programme(config_2023)
    planted = pd.read_csv(
        config_2023.parent.parent / "ground_truth" / "wave_2023" / "needs_change.csv", keep_default_na=False
    )
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp))
        for stage in ("ingest", "needs", "themes"):
            run_stage(stage, programme, store)
        out = store.read("needs_change").set_index("area")
        cells = store.read("needs_change_segments").set_index(["segment_type", "segment", "area"])
        joint, then = store.read("theme_change"), store.read("current_theme_change")
    rows = []
    for row in planted.loc[planted["planted"] != ""].itertuples(index=False):
        if row.segment_type == "all" and "only" not in row.planted:
            got = out.loc[row.area]
            rows.append(
                f"| {row.area}, everyone | {row.planted} | {got['mwds_change']:+.2f} "
                f"({got['mwds_change_lo']:+.2f} to {got['mwds_change_hi']:+.2f}) | "
                f"{'yes' if got['clear'] else 'no'} |"
            )
        elif row.segment_type == "role" and abs(row.change) > 1e-9 and "only" in row.planted:
            got = cells.loc[("role", row.segment, row.area)]
            rows.append(
                f"| {row.area}, {row.segment} | {row.planted} | {got['mwds_change']:+.2f} "
                f"({got['mwds_change_lo']:+.2f} to {got['mwds_change_hi']:+.2f}) | "
                f"{'yes' if got['interval_clear'] else 'no'} (named in the report: "
                f"{'yes' if got['clear'] else 'no'}, q = {got['q_value']:.2f}) |"
            )
    others = out.drop(index=[a for a in P.WAVE2_PLANTED if a in out.index])
    return "\n".join(
        [
            f"Shipped second wave ({config_2023.name}) against the 2021 survey:",
            "",
            "| planted | what | change in Borich MWDS (90 % interval) | interval excludes zero |",
            "|---|---|---|---|",
            *rows,
            "",
            f"Areas with nothing planted flagged: {int(others['clear'].sum())} of {len(others)} "
            f"({', '.join(others.index[others['clear']]) or 'none'}).",
            "",
            "The same run's themes stage (the reports' numbers; the run's own themes include the interview "
            "passages): joint themes with a clear change: "
            + (
                "; ".join(
                    f"{r.name} {r.share_previous:.0%} → {r.share_current:.0%}"
                    for r in joint.loc[joint["clear"]].itertuples(index=False)
                )
                or "none"
            )
            + f" (of {len(joint)}). New needs of the 2023 survey and whether each is new since 2021: "
            + (
                "; ".join(
                    f"{r.name}: {r.neighbours_current:.0%} of its neighbours from 2023 against "
                    f"{r.base_current:.0%} of all, p = {r.p_value:.3f}, "
                    f"{'new' if r.new_since_previous else 'not new'}"
                    for r in then.loc[then["emerging"]].itertuples(index=False)
                )
                or "none"
            )
            + ".",
        ]
    )


def timing(n: int = 100_000, resamples: int = 2000, repeat: int = 3) -> str:
    (before, _p0), (after, _p1) = draw(7, [], n, "F"), draw(8, P.WAVE2_SHIFTS, n)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        needs_change(before, after, ITEMS, resamples, seed=1)
        times.append(time.perf_counter() - started)
    return (
        f"Needs over time at {n:,} respondents per survey ({len(ITEMS) // 2} areas, {resamples} resamples "
        f"per survey): median {np.median(times):.1f} s, min {np.min(times):.1f} s over {repeat} runs "
        "(target: 20 s on 2 cores)."
    )


def wave_docs(free_text: pd.DataFrame, answers: list) -> tuple[pd.DataFrame, list[tuple[str, ...]]]:
    """The survey documents of a drawn wave and each document's planted themes."""
    from pipeline.themes.documents import collect_documents

    frame = free_text.assign(respondent_id=free_text["respondent_id"].astype(str))
    docs, _ = collect_documents(frame, pd.DataFrame(columns=["interview_id", "turn", "role", "text"]))
    themes = {a.id: a.themes for a in answers}
    keyed = dict(
        zip(zip(frame["respondent_id"], frame["question"], strict=True), frame["answer_id"], strict=True)
    )
    planted = [
        themes.get(keyed[(r, q)], ()) for r, q in zip(docs["respondent_id"], docs["question"], strict=True)
    ]
    return docs, planted


def first_wave_docs() -> tuple[pd.DataFrame, list[tuple[str, ...]]]:
    import io

    raw, truth = G.build_sample()
    placed = pd.read_csv(io.BytesIO(truth["answers.csv"]), dtype=str, keep_default_na=False)
    answers = G.load_answers()
    by_id = {a.id: a.text for a in answers}
    placed["text"] = [by_id.get(i, "Nei") for i in placed["answer_id"]]
    return wave_docs(placed.assign(respondent_id="F" + placed["respondent_id"]), answers)


def themes_rules(config: Path, n_null: int = 5) -> str:
    """Planted theme changes on the shipped answers, and false alarms on null waves."""
    from pipeline.themes.discover import discover_themes, topic_text
    from pipeline.themes.embedding_cache import embed_corpus
    from pipeline.themes.model import fit_rows
    from pipeline.themes.waves import current_themes_then, themes_over_time

    programme = load_programme(config)
    before, before_planted = first_wave_docs()
    topic_texts = [topic_text(t) for t in programme.topics]

    def compare(seed: int, null: bool):
        drawn = G.draw_second_wave(seed, null)
        after, after_planted = wave_docs(drawn.free_text, drawn.answers)
        docs = pd.concat([before, after], ignore_index=True)
        docs["doc_id"] = [f"w{i:06d}" for i in range(len(docs))]
        wave = np.array(["previous"] * len(before) + ["current"] * len(after))
        meaning = embed_corpus(
            programme.themes.embeddings,
            programme.path,
            docs["text"].tolist(),
            topic_texts,
            rows=fit_rows(len(docs)),
        )
        found = themes_over_time(
            docs, wave, programme.topics, programme.themes, 1000, 0.9, meaning.documents, meaning.topics
        )
        # the run's own themes (this survey's answers alone), and whether each new need is new since then
        alone = discover_themes(
            after,
            programme.topics,
            programme.themes,
            after["respondent_id"].nunique(),
            embeddings=meaning.documents[len(before) :],
            topic_embeddings=meaning.topics,
        )
        then = current_themes_then(
            alone.table,
            np.asarray(alone.table["theme_id"])[alone.model.labels_],
            found.features,
            wave,
            found.fitted,
            found.neighbours,
            1000,
            programme.themes.seed,
            0.9,
        )
        own = {
            tid: pd.Series([t for i in np.flatnonzero(alone.model.labels_ == k) for t in after_planted[i]])
            for k, tid in enumerate(alone.table["theme_id"])
        }
        mostly_new = {t: (v.value_counts().index[0] if len(v) else "") for t, v in own.items()}
        return found, before_planted + after_planted, then.assign(mostly=then["theme_id"].map(mostly_new))

    def plurality(found, planted) -> dict[str, str]:
        """Each found theme -> the planted theme most of its documents carry ('' for none)."""
        out = {}
        for tid in found.themes["theme_id"]:
            labels = pd.Series([t for i in np.flatnonzero(found.theme_of == tid) for t in planted[i]])
            out[tid] = labels.value_counts().index[0] if len(labels) else ""
        return out

    started = time.perf_counter()
    shipped, planted, then = compare(G.WAVE2_SEED, False)
    seconds = time.perf_counter() - started
    table = shipped.themes
    mostly = plurality(shipped, planted)
    planted_change = {"beredskap": -1, "bosetting": 1}  # P.WAVE2_THEMES: fades, appears
    hits = {
        name: any(
            mostly[r.theme_id] == name and r.clear and np.sign(r.change) == sign
            for r in table.itertuples(index=False)
        )
        for name, sign in planted_change.items()
    }
    false = [
        r.name for r in table.itertuples(index=False) if r.clear and mostly[r.theme_id] not in planted_change
    ]
    lines = [
        f"Themes of the 2021 and the shipped 2023 answers together ({len(planted)} documents, "
        f"{seconds:.0f} s including the encoder): {len(table)} themes. Planted changes found: "
        + ", ".join(f"{n} ({P.WAVE2_THEMES[n]}) {'yes' if hit else 'no'}" for n, hit in hits.items())
        + f"; clear changes of themes made of other planted themes (false alarms): {len(false)}"
        + (f" ({', '.join(false)})" if false else "")
        + ".",
        "",
        "| theme | share of writers 2021 → 2023 | clear | planted theme most of its answers carry |",
        "|---|---|---|---|",
    ]
    for row in table.itertuples(index=False):
        lines.append(
            f"| {row.name} | {row.share_previous:.0%} → {row.share_current:.0%} | "
            f"{'yes' if row.clear else 'no'} | {mostly[row.theme_id] or '–'} |"
        )
    flagged = then.loc[then["new_since_previous"]]
    lines += [
        "",
        "This survey's own themes judged new needs by the usual rules, and whether each is new since the "
        "previous survey (neighbours test, one-sided 5 %): "
        + "; ".join(
            f"{r.name} (answers mostly {r.mostly or '–'}): {r.neighbours_current:.0%} of its neighbours from "
            f"2023 against {r.base_current:.0%} of all, p = {r.p_value:.3f}, "
            f"{'new since 2021' if r.new_since_previous else 'not new'}"
            for r in then.loc[then["emerging"]].itertuples(index=False)
        )
        + f". The planted new subject (bosetting) found as new: "
        f"{'yes' if (flagged['mostly'] == 'bosetting').any() else 'no'}; other themes called new: "
        f"{int((flagged['mostly'] != 'bosetting').sum())}.",
    ]
    terms = shipped.terms
    lines += [
        "",
        "Words used clearly more or less often (10 % false discovery rate): "
        + (", ".join(f"{r.term} ({r.direction})" for r in terms.itertuples(index=False)) or "none")
        + ".",
    ]
    null_share, null_terms, null_new = [], [], []
    for k in range(n_null):
        found, _, then = compare(5000 + k, True)
        null_share.append(found.themes["clear"].mean())
        null_terms.append(len(found.terms))
        null_new.append(f"{int(then['new_since_previous'].sum())} of {int(then['emerging'].sum())}")
    lines.append(
        f"\nNull waves (2021 population and answers drawn again, {n_null} draws): joint themes flagged "
        f"{np.mean(null_share):.1%} on average (worst draw {np.max(null_share):.0%}); words flagged per "
        f"draw: {', '.join(str(t) for t in null_terms)}; new needs called new since 2021 per draw: "
        f"{', '.join(null_new)}."
    )
    return "\n".join(lines)


def run(config: Path, config_2023: Path) -> str:
    parts = []
    if config_2023.is_file():
        parts.append(shipped_wave(config_2023))
    parts += [needs_rules(), null_rate(), timing()]
    if config_2023.is_file():
        parts.append(themes_rules(config_2023))
    return "\n\n".join(parts)
