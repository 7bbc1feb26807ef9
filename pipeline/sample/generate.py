"""Assemble the shipped sample from the hand-written texts and the planted parameters, and the scaled-up
surveys used by benchmarks. Seeded: re-running writes the same files byte for byte.

    python -m pipeline.sample                     # rewrite data/raw/{survey,interviews} and data/ground_truth
    python -m pipeline.sample --raw DIR --truth DIR
    python -m pipeline.sample scale --respondents 100000 --out DIR   # CSV export + codebook + truth
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import random
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.config import PROJ_ROOT
from pipeline.privacy import fnr_check_digits
from pipeline.sample import evaluation as E
from pipeline.sample import parameters as P
from pipeline.sample import survey_export as S
from pipeline.sample import transcripts as T
from pipeline.store import stable_zip

log = logging.getLogger(__name__)

SEED = 2021
EXPORT_NAME = "medlemsundersokelse_2021.xlsx"
WAVE2_SEED = 2023
WAVE2_ANSWERS = ("answers_2023.jsonl",)


# --------------------------------------------------------------------------------------------- texts
def load_answers(
    names: tuple[str, ...] = ("answers_utfordringer.jsonl", "answers_tema_annet.jsonl"),
) -> list[S.Answer]:
    """The hand-written answers (of 2021, or of the second wave: `WAVE2_ANSWERS`)."""
    texts = files("pipeline.sample").joinpath("texts")
    out = []
    for name in names:
        for line in texts.joinpath(name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                out.append(
                    S.Answer(
                        d["id"], d["question"], tuple(d["themes"]), d["lang"], tuple(d["pii"]), d["text"]
                    )
                )
    return out


def load_word_senses() -> pd.DataFrame:
    """The planted word-sense cases: answers that use a topic's seed word in another sense ('egen tid og
    energi' is no energy topic), with the word and the topic they must not carry."""
    texts = files("pipeline.sample").joinpath("texts")
    rows = []
    for name in ("answers_utfordringer.jsonl", "answers_tema_annet.jsonl"):
        for line in texts.joinpath(name).read_text(encoding="utf-8").splitlines():
            d = json.loads(line) if line.strip() else {}
            if "trap" in d:
                rows.append((d["id"], d["question"], d["trap"]["term"], d["trap"]["not_topic"], d["text"]))
    return pd.DataFrame(rows, columns=["answer_id", "question", "term", "not_topic", "text"])


def load_interviews() -> list[dict[str, Any]]:
    folder = files("pipeline.sample").joinpath("texts").joinpath("interviews")
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".json"))
    return [json.loads(folder.joinpath(n).read_text(encoding="utf-8")) for n in names]


def fodselsnummer(rng: random.Random, count: int) -> list[str]:
    """Fictitious fødselsnumre with valid mod-11 check digits (birth dates 1958-1989)."""
    out: list[str] = []
    while len(out) < count:
        day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(58, 89)
        nine = f"{day:02d}{month:02d}{year:02d}{rng.randint(0, 499):03d}"
        checks = fnr_check_digits(nine)
        if checks is not None:
            out.append(f"{nine}{checks[0]}{checks[1]}")
    return out


def placeholder_fnrs(rng: random.Random) -> dict[str, str]:
    """The fødselsnumre that replace the texts' placeholders {FNR1} to {FNR4}."""
    return dict(zip(("FNR1", "FNR2", "FNR3", "FNR4"), fodselsnummer(rng, 4), strict=True))


def fill_placeholders(text: str, fnrs: dict[str, str]) -> str:
    return re.sub(r"\{(FNR\d)\}", lambda m: fnrs[m.group(1)], text)


def answer_themes(answer_ids: pd.Series, answers: list[S.Answer]) -> list[str]:
    """The planted themes of each free-text answer as 'a;b' ('' for a non-answer, whose answer id is '')."""
    by_id = {a.id: a for a in answers}
    return [";".join(by_id[i].themes) if i else "" for i in answer_ids]


def answers_truth(free_text: pd.DataFrame, answers: list[S.Answer]) -> pd.DataFrame:
    """The ground truth of the placed free text: substantive or not, planted themes and language."""
    by_id = {a.id: a for a in answers}
    return free_text.assign(
        substantive=free_text["answer_id"] != "",
        themes=answer_themes(free_text["answer_id"], answers),
        lang=[by_id[i].lang if i else "" for i in free_text["answer_id"]],
    ).drop(columns="text")


def pii_kind(value: str) -> str:
    if "@" in value:
        return "email"
    if value.startswith("{FNR") or re.fullmatch(r"\d{6}\s?\d{5}", value):
        return "fnr"
    if sum(c.isdigit() for c in value) >= 8:
        return "phone"
    return "name"


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "Svar") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(frame.columns))
    for row in frame.itertuples(index=False):
        ws.append(
            [
                None
                if (v is None or (isinstance(v, float) and np.isnan(v)))
                else (int(v) if isinstance(v, np.integer) else v)
                for v in row
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return stable_zip(buffer.getvalue())


# --------------------------------------------------------------------------------------------- sample
def build_sample(seed: int = SEED) -> tuple[dict[str, bytes], dict[str, bytes]]:
    """(raw files, ground-truth files) as relative path -> bytes."""
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    fnrs = placeholder_fnrs(prng)

    answers = [
        S.Answer(a.id, a.question, a.themes, a.lang, a.pii, fill_placeholders(a.text, fnrs))
        for a in load_answers()
    ]
    respondents = S.draw_respondents(rng, P.N_RESPONDENTS)
    likert = S.draw_likert(rng, respondents)
    categories = S.draw_categories(rng, len(respondents))
    free_text = S.assign_free_text(rng, respondents, answers, P.N_NON_ANSWERS)
    export, defects = S.inject_defects(rng, S.export_frame(respondents, likert, categories, free_text))

    raw: dict[str, bytes] = {
        f"survey/{EXPORT_NAME}": xlsx_bytes(export),
        "survey/codebook.csv": S.codebook_frame().to_csv(index=False, lineterminator="\n").encode("utf-8"),
    }
    turn_rows, pii_rows = [], []
    by_format: dict[str, int] = {}
    for interview in load_interviews():
        interview = json.loads(fill_placeholders(json.dumps(interview, ensure_ascii=False), fnrs))
        variant = by_format.get(interview["format"], 0)
        by_format[interview["format"]] = variant + 1
        name, content = T.render(interview, prng, variant)
        raw[f"interviews/{name}"] = content if not name.endswith(".docx") else stable_zip(content)
        for n, turn in enumerate(interview["turns"], start=1):
            turn_rows.append(
                (
                    interview["id"],
                    n,
                    turn["role"],
                    turn["speaker"],
                    ";".join(turn["themes"]),
                    len(turn["text"].split()),
                )
            )
            for value in turn["pii"]:
                pii_rows.append(
                    (
                        pii_kind(value),
                        value,  # the interview's placeholders were filled above
                        f"interviews/{name}",
                        "",
                        "",
                        interview["id"],
                        n,
                    )
                )
        for person in [interview["interviewer"], *(i["name"] for i in interview["informants"])]:
            pii_rows.append(("speaker", person, f"interviews/{name}", "", "", interview["id"], ""))

    truth_answers = answers_truth(free_text, answers)
    for a in answers:
        rid = free_text.loc[free_text["answer_id"] == a.id, "respondent_id"].iloc[0]
        for value in a.pii:
            pii_rows.append(
                (
                    pii_kind(value),
                    fill_placeholders(value, fnrs),
                    f"survey/{EXPORT_NAME}",
                    int(rid),
                    a.question,
                    "",
                    "",
                )
            )
    raw["forrige_plan/plan_publisert.csv"] = E.published_plan_csv()
    raw["evaluering/evaluering_samling_1.csv"] = E.evaluation_csv(np.random.default_rng(seed + 1))
    means, needs = S.population_needs()
    pii = pd.DataFrame(
        pii_rows, columns=["kind", "value", "file", "respondent_id", "question", "interview_id", "turn"]
    )

    def csv(df: pd.DataFrame) -> bytes:
        return df.to_csv(index=False, lineterminator="\n", float_format="%.6f").encode("utf-8")

    senses = load_word_senses()
    senses.insert(
        0,
        "respondent_id",
        [free_text.loc[free_text["answer_id"] == a, "respondent_id"].iloc[0] for a in senses["answer_id"]],
    )
    truth = {
        "answers.csv": csv(truth_answers),
        "word_senses.csv": csv(senses),
        "interview_turns.csv": csv(
            pd.DataFrame(turn_rows, columns=["interview_id", "turn", "role", "speaker", "themes", "n_words"])
        ),
        "likert_means.csv": csv(means),
        "population_needs.csv": csv(needs),
        "respondents.csv": csv(
            respondents[
                [
                    "respondent_id",
                    "municipality",
                    "region",
                    "population",
                    "size_band",
                    "role",
                    "span",
                    "partial",
                    "profile",
                ]
            ]
        ),
        "defects.csv": csv(pd.DataFrame(defects)),
        "pii.csv": csv(pii),
    }
    return raw, truth


def csv_bytes(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\n", float_format="%.6f").encode("utf-8")


def resampled_answers(rng: random.Random, fnrs: dict[str, str]) -> list[S.Answer]:
    """A null wave's answers: as many per question as 2021 had, drawn with replacement from the 2021
    answers (those without personal data) and reworded a little, so the themes' shares vary only by chance."""
    pool = [a for a in load_answers() if not a.pii]
    out = []
    for question, _text, _label in P.OPEN_QUESTIONS:
        mine = [a for a in pool if a.question == question]
        for _ in range(len([a for a in load_answers() if a.question == question])):
            a = mine[rng.randrange(len(mine))]
            out.append(
                S.Answer(
                    a.id, a.question, a.themes, a.lang, (), fill_placeholders(perturb(a.text, rng), fnrs)
                )
            )
    return out


def planted_change(changes: list) -> pd.DataFrame:
    """The planted population change of every area's Borich MWDS (mean discrepancy times mean importance)
    between 2021 and a wave with `changes`, overall and by role and size band."""
    frames = []
    for wave, shifts in (("2021", ()), ("2023", changes)):
        means, _ = S.population_needs(shifts)
        wide = means.pivot_table(
            index=["segment_type", "segment", "area"], columns="dimension", values="expected_mean"
        )
        frames.append(((wide["importance"] - wide["competence"]) * wide["importance"]).rename(f"mwds_{wave}"))
    out = pd.concat(frames, axis=1).reset_index()
    out["change"] = out["mwds_2023"] - out["mwds_2021"]
    out["planted"] = out["area"].map(P.WAVE2_PLANTED).fillna("").where(out["change"].abs() > 1e-9, "")
    return out


@dataclass
class SecondWave:
    rng: np.random.Generator  # the draw's generator, to go on with (the export's defects)
    changes: list  # the planted shifts of the latent means (none for a null wave)
    respondents: pd.DataFrame
    likert: dict  # (area, dimension) -> answer codes
    categories: dict  # the programme questions' answers
    took_part: list[str]  # the answers to the question the second wave added
    answers: list[S.Answer]  # the hand-written (or, for a null wave, redrawn) answers placed
    free_text: pd.DataFrame  # respondent_id, question, answer_id, text


def draw_second_wave(seed: int = WAVE2_SEED, null: bool = False) -> SecondWave:
    """The second wave drawn (respondents, Likert codes, programme questions, the new question, the placed
    free text and the answers it came from): other leaders, the same questions plus `P.WAVE2_QUESTION`, the
    planted `P.WAVE2_SHIFTS` and the hand-written 2023 answers; or, with `null`, the 2021 population again
    (no change) with 2021 answers drawn again."""
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    fnrs = placeholder_fnrs(prng)
    changes = [] if null else P.WAVE2_SHIFTS
    respondents = S.draw_respondents(rng, P.N_RESPONDENTS, P.WAVE2_START, P.WAVE2_FIRST_ID)
    likert = S.draw_likert(rng, respondents, changes)
    categories = S.draw_categories(rng, len(respondents))
    _item_id, _question, _label, options = P.WAVE2_QUESTION
    labels, chances = zip(*options, strict=True)
    took_part = [
        str(v) for v in np.asarray(labels)[rng.choice(len(labels), size=len(respondents), p=chances)]
    ]
    if null:
        answers, non_answers = resampled_answers(prng, fnrs), P.N_NON_ANSWERS
    else:
        answers = [
            S.Answer(a.id, a.question, a.themes, a.lang, a.pii, fill_placeholders(a.text, fnrs))
            for a in load_answers(WAVE2_ANSWERS)
        ]
        non_answers = P.WAVE2_N_NON_ANSWERS
    # as in 2021, those who write tend to answer every open question: the answers go to as many complete
    # respondents as the longest question needs, so a writer writes about as much as a 2021 writer did
    complete = respondents.loc[~respondents["partial"]]
    needed = max(sum(a.question == q for a in answers) + non_answers[q] for q, _t, _l in P.OPEN_QUESTIONS)
    writers = complete.iloc[
        np.sort(rng.choice(len(complete), size=min(needed, len(complete)), replace=False))
    ]
    free_text = S.assign_free_text(rng, writers, answers, non_answers)
    return SecondWave(rng, changes, respondents, likert, categories, took_part, answers, free_text)


def build_second_wave(seed: int = WAVE2_SEED, null: bool = False) -> tuple[bytes, dict[str, bytes]]:
    """(the export, its ground-truth files) of the second wave (`draw_second_wave`)."""
    w = draw_second_wave(seed, null)
    respondents, answers, free_text = w.respondents, w.answers, w.free_text
    item_id, question, _label, _options = P.WAVE2_QUESTION
    frame = S.export_frame(respondents, w.likert, w.categories, free_text, extra={question: w.took_part})
    export, defects = S.inject_defects(w.rng, frame)
    truth_answers = answers_truth(free_text, answers)
    pii = [
        (
            pii_kind(v),
            v,
            int(free_text.loc[free_text["answer_id"] == a.id, "respondent_id"].iloc[0]),
            a.question,
        )
        for a in answers
        for v in a.pii
    ]
    truth = {
        "answers.csv": csv_bytes(truth_answers),
        "respondents.csv": csv_bytes(
            respondents[
                ["respondent_id", "municipality", "size_band", "role", "span", "partial", "profile"]
            ].assign(**{item_id: w.took_part})
        ),
        "needs_change.csv": csv_bytes(planted_change(w.changes)),
        "defects.csv": csv_bytes(pd.DataFrame(defects)),
    }
    if not null:
        truth["pii.csv"] = csv_bytes(
            pd.DataFrame(pii, columns=["kind", "value", "respondent_id", "question"])
        )
        truth["theme_change.csv"] = csv_bytes(planted_theme_change(truth_answers))
    return xlsx_bytes(export), truth


def planted_theme_change(wave2: pd.DataFrame) -> pd.DataFrame:
    """Every planted theme's share of the substantive answers in 2021 and in the second wave, and what was
    planted (`P.WAVE2_THEMES`; the rest kept their 2021 share)."""
    first = [a.themes for a in load_answers()]
    second = [tuple(t.split(";")) for t in wave2.loc[wave2["substantive"], "themes"]]
    themes = sorted({t for ts in first + second for t in ts if t})
    return pd.DataFrame(
        {
            "theme": themes,
            "share_2021": [sum(t in ts for ts in first) / len(first) for t in themes],
            "share_2023": [sum(t in ts for ts in second) / len(second) for t in themes],
            "planted": [P.WAVE2_THEMES.get(t, "") for t in themes],
        }
    )


def write_sample(raw_dir: Path, truth_dir: Path, seed: int = SEED) -> dict[str, int]:
    raw, truth = build_sample(seed)
    codebook = S.codebook_frame([(P.WAVE2_QUESTION[1], P.WAVE2_QUESTION[0], P.WAVE2_QUESTION[2])])
    raw[f"survey/{P.WAVE2_CODEBOOK}"] = codebook.to_csv(index=False, lineterminator="\n").encode("utf-8")
    for null, export, folder in (
        (False, P.WAVE2_EXPORT, "wave_2023"),
        (True, P.WAVE2_NULL_EXPORT, "wave_2023_null"),
    ):
        content, wave_truth = build_second_wave(WAVE2_SEED + int(null), null)
        raw[f"survey/{export}"] = content
        truth.update({f"{folder}/{name}": data for name, data in wave_truth.items()})
    for folder, content in ((raw_dir, raw), (truth_dir, truth)):
        for rel, data in content.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    log.info(
        "sample written: %d raw files under %s, %d ground-truth files under %s",
        len(raw),
        raw_dir,
        len(truth),
        truth_dir,
    )
    return {"raw_files": len(raw), "truth_files": len(truth)}


# ---------------------------------------------------------------------------------------------- scale
def perturb(text: str, rng: random.Random) -> str:
    """A recombined answer that reads like another person's: a dropped word, a swap, a typo, case."""
    words = text.split()
    if len(words) > 4 and rng.random() < 0.4:
        del words[rng.randrange(1, len(words))]
    if len(words) > 3 and rng.random() < 0.3:
        i = rng.randrange(len(words) - 1)
        words[i], words[i + 1] = words[i + 1], words[i]
    if rng.random() < 0.3:
        i = rng.randrange(len(words))
        w = words[i]
        if len(w) > 3:
            j = rng.randrange(1, len(w) - 1)
            words[i] = w[:j] + w[j] + w[j:]
    out = " ".join(words)
    return out[:1].lower() + out[1:] if rng.random() < 0.3 else out


def build_scaled(n: int, seed: int = SEED) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(export frame, ground truth of its answers) for `n` respondents: Likert answers from the planted
    parameters, free text recombined and perturbed from the hand-written answers."""
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    fnrs = placeholder_fnrs(prng)
    answers = [a for a in load_answers() if not a.pii]
    respondents = S.draw_respondents(rng, n)
    likert = S.draw_likert(rng, respondents)
    categories = S.draw_categories(rng, n)
    rows = []
    share = {"utfordringer": 0.9, "tema": 0.65, "annet": 0.35}
    pool = {q: [a for a in answers if a.question == q] for q in share}
    for rid, partial in zip(respondents["respondent_id"], respondents["partial"], strict=True):
        if partial:
            continue
        for question, p in share.items():
            u = prng.random()
            if u < p * 0.93:
                a = pool[question][prng.randrange(len(pool[question]))]
                rows.append((int(rid), question, a.id, fill_placeholders(perturb(a.text, prng), fnrs)))
            elif u < p:
                rows.append((int(rid), question, "", prng.choice(P.NON_ANSWERS)))
    free_text = pd.DataFrame(rows, columns=["respondent_id", "question", "answer_id", "text"])
    truth = free_text.assign(themes=answer_themes(free_text["answer_id"], answers))
    return S.export_frame(respondents, likert, categories, free_text), truth


def write_scaled(n: int, out: Path, seed: int = SEED) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    export, truth = build_scaled(n, seed)
    path = out / f"survey_{n}.csv"
    export.to_csv(path, index=False, sep=";", encoding="utf-8-sig")
    S.codebook_frame().to_csv(out / "codebook.csv", index=False, lineterminator="\n")
    truth.drop(columns="text").to_csv(out / f"survey_{n}_truth.csv", index=False)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.sample", description=__doc__.split("\n\n")[0])
    parser.add_argument("--raw", type=Path, default=PROJ_ROOT / "data" / "raw")
    parser.add_argument("--truth", type=Path, default=PROJ_ROOT / "data" / "ground_truth")
    parser.add_argument("--seed", type=int, default=SEED)
    sub = parser.add_subparsers(dest="command")
    scale = sub.add_parser("scale", help="write a scaled-up survey export (CSV) for benchmarks")
    scale.add_argument("--respondents", type=int, required=True)
    scale.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    if args.command == "scale":
        log.info("scaled survey written: %s", write_scaled(args.respondents, args.out, args.seed))
    else:
        write_sample(args.raw, args.truth, args.seed)
    return 0
