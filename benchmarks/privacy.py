"""Pseudonymisation measured on the sample's planted personal data (data/ground_truth/pii.csv).

Recall: a planted string counts as caught when it no longer occurs (as a whole word) in the pseudonymised
text where it was planted: the survey answer, or the interview turn; a speaker's name anywhere in that
interview. False positives: every replaced string that is not planted personal data (names: not a planted
name nor a part of one), counted and listed, so the cost of the name lists is visible."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from pipeline.config import load_programme
from pipeline.interviews import read_transcripts
from pipeline.manifest import transcript_files
from pipeline.privacy import Pseudonymiser, pseudonymise_column, shipped_names, shipped_places
from pipeline.privacy.tables import build_pseudonymiser
from pipeline.survey import read_codebook, read_export, tidy_survey


def _word(value: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w@.-]){re.escape(value)}(?![\w-])")


def measure(config: Path, truth_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    """(recall per kind, false positives, replacements by design: places and self-descriptions) on the
    sample, with the pseudonymiser exactly as ingest builds it."""
    programme = load_programme(config)
    inputs = programme.inputs
    book = read_codebook(inputs.codebook)
    id_column = book.loc[book["type"] == "respondent_id", "column"].iloc[0]
    tables = tidy_survey(read_export(inputs.survey, inputs.survey_sheet, id_column), book, inputs.survey)
    # the transcripts and the pseudonymiser exactly as the ingest stage (pipeline.stages.ingest) builds them
    turn_table, _report, speakers = read_transcripts(transcript_files(programme), programme.interviews)
    pseudonymiser = build_pseudonymiser(programme, tables.respondents, speakers)
    pseudonymiser.learn([*tables.free_text["text"], *turn_table["text"]])  # as pseudonymise_survey does
    after_turns = pseudonymise_column(turn_table, "text", pseudonymiser).set_index(["interview_id", "turn"])[
        "text"
    ]
    after_answers = pseudonymise_column(tables.free_text, "text", pseudonymiser).set_index(
        ["respondent_id", "question"]
    )["text"]

    pii = pd.read_csv(truth_dir / "pii.csv", dtype=str, keep_default_na=False)
    caught = []
    for row in pii.itertuples(index=False):
        if row.kind == "speaker":
            texts = after_turns.loc[row.interview_id].tolist()
        elif row.interview_id:
            texts = [after_turns.loc[(row.interview_id, int(row.turn))]]
        else:
            texts = [after_answers.loc[(row.respondent_id, row.question)]]
        caught.append(not any(_word(row.value).search(t) for t in texts))
    pii = pii.assign(caught=caught)
    recall = pii.groupby("kind").agg(planted=("caught", "size"), caught=("caught", "sum")).reset_index()
    recall["recall"] = recall["caught"] / recall["planted"]

    planted_parts = {
        part for v in pii.loc[pii["kind"].isin(["name", "speaker"]), "value"] for part in [v, *v.split()]
    }
    planted = set(pii["value"]) | planted_parts
    false, by_design = Counter(), Counter()
    for (kind, original), n in pseudonymiser.found.items():
        known = original in planted or all(w in planted_parts for w in original.split())
        if kind in ("place", "role", "tenure", "headcount"):
            by_design[kind] += n  # replaced by design, not planted: places and self-descriptions
        elif kind.startswith("name") and not known or not kind.startswith("name") and original not in planted:
            false[kind, original] += n
    fps = pd.DataFrame(
        [(k, o, n) for (k, o), n in sorted(false.items())], columns=["kind", "replaced", "count"]
    )
    return recall, fps, dict(by_design)


def today() -> Pseudonymiser:
    """Today's method before this change: the shipped name lists and listed names only (no places, no
    names by context or shape). Role and tenure replacement cannot be switched off, so it runs in both."""
    return Pseudonymiser(places=False, detect_names=False)


def new() -> Pseudonymiser:
    return Pseudonymiser()


def load_cases(path: Path) -> pd.DataFrame:
    """The planted cases (benchmarks/data/privacy_cases.jsonl, written blind to the detector), with every
    name that has a part on a shipped list dropped: recall is measured on names no list knows."""
    cases = pd.read_json(path, lines=True, dtype=False)
    first, surnames, ambiguous = shipped_names()
    listed = {n.lower() for n in first | surnames | ambiguous}

    def off_list(name: str) -> bool:
        parts = [p for p in re.split(r"[\s-]+", name.lower()) if p]
        return not any(p in listed or (p.endswith("s") and p[:-1] in listed) for p in parts)

    return cases.assign(names=cases["names"].map(lambda ns: [n for n in ns if off_list(n)]))


def _left(value: str, text: str) -> bool:
    """True when any word of `value` (two letters or more) is still in `text` as a whole word."""
    words = [w for w in re.split(r"[\s]+", value) if len(w) >= 2]
    return any(re.search(rf"(?<![\w-]){re.escape(w)}(?![\w])", text, re.IGNORECASE) for w in words)


def measure_cases(cases: pd.DataFrame, make: Callable[[], Pseudonymiser]) -> dict[str, object]:
    pseudonymiser = make().learn(cases["text"].tolist())
    out = [pseudonymiser(t) for t in cases["text"]]
    names = [(n, o, src) for ns, o, src in zip(cases["names"], out, cases["source"], strict=True) for n in ns]
    places = [(p, o) for ps, o in zip(cases["places"], out, strict=True) for p in ps]
    spans = [(s, o) for ss, o in zip(cases["identifying"], out, strict=True) for s in ss]
    negative = cases["kind"] == "negative"
    changed = [(t, o) for t, o, neg in zip(cases["text"], out, negative, strict=True) if neg and t != o]
    return {
        "names": len(names),
        "names_caught": sum(not _left(n, o) for n, o, _s in names),
        "survey_names": sum(s == "survey" for _n, _o, s in names),
        "survey_caught": sum(s == "survey" and not _left(n, o) for n, o, s in names),
        "missed": [n for n, o, _s in names if _left(n, o)],
        "places": len(places),
        "places_left": sum(p.split()[0] in o for p, o in places),
        "places_missed": [p for p, o in places if p.split()[0] in o],
        "spans": len(spans),
        "spans_left": sum(s in o for s, o in spans),
        "negatives": int(negative.sum()),
        "negatives_changed": changed,
    }


def load_persons(path: Path) -> frozenset[str]:
    """The words of every person name in SIB-200 (sib200_person_names.txt, labelled by hand)."""
    names = [n.strip() for n in path.read_text(encoding="utf-8").splitlines() if n.strip() and n[0] != "#"]
    return frozenset(w for n in names for w in re.split(r"[\s.]+", n) if len(w) >= 2)


def measure_sib(
    path: Path, make: Callable[[], Pseudonymiser], persons: frozenset[str]
) -> tuple[int, int, int, Counter[str]]:
    """(sentences, changed, with a wrong replacement, wrongly replaced strings) on SIB-200.
    A replacement is right only when it replaces (a word of) a person's name; a place, a body, an ordinary
    word or a number replaced is wrong."""
    texts = pd.read_csv(path, sep="\t")["text"].tolist()
    pseudonymiser = make().learn(texts)
    changed = wrong_sentences = 0
    wrong: Counter[str] = Counter()
    for text in texts:
        before = Counter(pseudonymiser.found)
        changed += pseudonymiser(text) != text
        new = [(kind, o) for (kind, o), n in (pseudonymiser.found - before).items() for _ in range(n)]
        bad = [
            f"{o or kind} ({kind})"
            for kind, o in new
            if not (kind.startswith("name") and any(w in persons for w in re.split(r"[\s.]+", o)))
        ]
        wrong.update(bad)
        wrong_sentences += bool(bad)
    return len(texts), changed, wrong_sentences, wrong


def run(config: Path, truth_dir: Path, shared: Path, cases_path: Path, workdir: Path | None = None) -> str:
    lines: list[str] = []
    if truth_dir.is_dir():
        recall, fps, by_design = measure(config, truth_dir)
        lines += [
            "### The sample's planted personal data (names on the lists, e-mail, phone, fnr, speakers)",
            "",
        ]
        lines += ["| kind | planted | caught | recall |", "|---|---:|---:|---:|"]
        lines += [f"| {r.kind} | {r.planted} | {r.caught} | {r.recall:.1%} |" for r in recall.itertuples()]
        n_replaced = int(fps["count"].sum()) if len(fps) else 0
        lines += [
            "",
            f"False positives (replaced, but not planted personal data): {len(fps)} distinct strings, "
            f"{n_replaced} replacements. Replaced by design (not planted, not counted as false): "
            + ", ".join(f"{kind} {n}" for kind, n in sorted(by_design.items()))
            + ".",
        ]
        if len(fps):
            lines.append(
                "Examples: "
                + ", ".join(f"{r.replaced} ({r.kind}, {r.count}×)" for r in fps.head(20).itertuples())
            )
    if cases_path.is_file():
        cases = load_cases(cases_path)
        results = {"today (lists only)": measure_cases(cases, today), "new": measure_cases(cases, new)}
        lines += [
            "",
            f"### Planted cases off every list ({cases_path.name}: {len(cases)} texts, written blind to the "
            "detector)",
            "",
            "| method | names not on any list: recall | in survey answers | place names left | "
            "role/tenure/headcount spans left | tricky texts without personal data changed |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for label, r in results.items():
            lines.append(
                f"| {label} | {r['names_caught']}/{r['names']} = {r['names_caught'] / r['names']:.1%} | "
                f"{r['survey_caught']}/{r['survey_names']} | {r['places_left']}/{r['places']} | "
                f"{r['spans_left']}/{r['spans']} | {len(r['negatives_changed'])}/{r['negatives']} |"
            )
        r = results["new"]
        lines += ["", "Names still there (new): " + (", ".join(r["missed"]) or "none") + "."]
        lines += ["Places still there (new): " + (", ".join(r["places_missed"]) or "none") + "."]
        if r["negatives_changed"]:
            lines += ["Texts without personal data that the new method changed:"]
            lines += [f"- «{t}» → «{o}»" for t, o in r["negatives_changed"]]
    lines += [
        "",
        "### SIB-200 news sentences: wrong replacements",
        "",
        "No personal data is planted; the people in the news are labelled by hand "
        "(benchmarks/data/sib200_person_names.txt). A sentence has a wrong replacement when anything but a "
        "person's name was replaced (a place, a body, an ordinary word, a number; Norwegian places replaced "
        "by design count as wrong here too).",
        "",
        "| data | method | sentences changed | with a wrong replacement | wrongly replaced |",
        "|---|---|---:|---:|---|",
    ]
    persons = load_persons(Path(__file__).parent / "data" / "sib200_person_names.txt")
    for lang in ("nob", "nno"):
        path = shared / f"sib200_{lang}.tsv"
        if not path.is_file():
            lines.append(f"| {lang} | ({path} not found: a user's clone has no ../shared; skipped) | | | |")
            continue
        for label, make in (("today", today), ("new", new)):
            n, changed, bad, wrong = measure_sib(path, make, persons)
            listed = ", ".join(f"{o} ×{c}" for o, c in sorted(wrong.items(), key=lambda kv: (-kv[1], kv[0])))
            lines.append(
                f"| {lang} (n = {n}) | {label} | {changed} ({changed / n:.1%}) | {bad} ({bad / n:.1%}) | "
                f"{listed or '–'} |"
            )
    if workdir is not None:
        lines += ["", "### Place names in what partners see (a full run of the sample)", ""]
        lines += [scan_outputs(workdir)]
    return "\n".join(lines)


def scan_outputs(workdir: Path) -> str:
    """Every shipped place name (capitalised, as a whole word) in the partner reports, the processed tables'
    text and the designers' files of a finished run."""
    pattern = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(p) for p in sorted(shipped_places(), key=len, reverse=True))
        + r")(?![\w])"
    )
    hits: Counter[str] = Counter()
    files = [p for p in (workdir / "reports").glob("*.html") if "_analytiker" not in p.name]
    for path in files:
        page = re.sub(r"(?s)<(style|script)\b.*?</\1>", " ", path.read_text(encoding="utf-8"))
        text = re.sub(r"<[^>]+>", " ", page)  # what a reader sees: no styles, scripts or tags
        hits.update(f"{m.group(0)} ({path.name})" for m in pattern.finditer(text))
    for path in sorted((workdir / "data" / "processed").glob("*.parquet")):
        df = pd.read_parquet(path)
        for col in df.columns:
            if df[col].dtype == object:
                for value in df[col].dropna().astype(str):
                    hits.update(f"{m.group(0)} ({path.name}:{col})" for m in pattern.finditer(value))
    listed = ", ".join(f"{k} ×{v}" for k, v in sorted(hits.items()))
    return f"{sum(hits.values())} place names in {len(files)} partner reports and the processed tables" + (
        f": {listed}." if hits else "."
    )
