"""The participants' evaluation of a delivered gathering, for replanning: one row per participant and
delivered topic with its usefulness (1-5, blank for no answer) and an optional comment.

What it gives the plan: the usefulness of each delivered topic (for the report), and, from the comments,
the share of participants who raise each catalogue topic, matched by the topics' seed terms as the survey's
free text is. That share is the evaluation's component of the ranking ([weights].evaluation). Comments are
read for the match only: no comment is stored or quoted, so no participant's words reach a report."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.config import Programme
from pipeline.errors import InputError
from pipeline.survey.reading import read_simple_table
from pipeline.themes.seeds import seed_matrix

COLUMNS = {"samling": "session", "tema": "topic", "nytte": "usefulness"}
OPTIONAL = {"kommentar": "comment", "deltaker": "participant"}
HINT = (
    "An evaluation export has the columns samling, tema (title or id of a catalogue topic), nytte (1-5, or "
    "blank) and optionally kommentar and deltaker, one row per participant and topic."
)
USEFUL = 4  # usefulness 4 or 5 counts as useful
NO_ANSWER = ("vet ikke", "ikke svart", "-")  # said as no rating (as a blank cell is)
USEFULNESS_COLUMNS = ["session", "topic_id", "rows", "answers", "mean", "share_useful", "suppressed"]


def read_evaluation(path, programme: Programme, delivered: dict[str, int]) -> pd.DataFrame:
    """The evaluation as rows (row, session, topic_id, usefulness, comment, participant), validated against
    the catalogue and the delivered gatherings (`delivered`: topic id -> gathering). Every problem names
    the row and column."""
    table = read_simple_table(path, HINT)
    lower = {c.lower(): c for c in table.columns}
    missing = [c for c in COLUMNS if c not in lower]
    if missing:
        raise InputError(path, f"the column(s) {missing} are missing.", hint=HINT)
    by_title = {t.title.lower(): t.id for t in programme.topics}
    ids = {t.id for t in programme.topics}
    rows = []
    for i, record in enumerate(table.itertuples(index=False), start=2):  # the header is row 1
        cell = dict(zip(table.columns, record, strict=True))
        value = {
            key: cell[lower[col]] if col in lower else "" for col, key in {**COLUMNS, **OPTIONAL}.items()
        }
        if not any(value.values()):
            continue  # an empty line of the spreadsheet: nothing to keep or lose
        topic = value["topic"].lower()
        topic_id = value["topic"] if value["topic"] in ids else by_title.get(topic)
        if topic_id is None:
            raise InputError(
                path,
                f"'{value['topic']}' is no topic of the catalogue.",
                row=i,
                column=lower["tema"],
                hint="Use a topic's title or id from the programme file.",
            )
        if topic_id not in delivered:
            raise InputError(
                path,
                f"'{value['topic']}' was not taught in a delivered gathering of the previous plan.",
                row=i,
                column=lower["tema"],
                hint="Evaluate only topics of the delivered gatherings ([sessions].delivered).",
            )
        session = value["session"]
        if session and session != str(delivered[topic_id]):
            raise InputError(
                path,
                f"says gathering {session}, but the previous plan had it in gathering {delivered[topic_id]}.",
                row=i,
                column=lower["samling"],
                hint="Correct the gathering, or leave the cell blank.",
            )
        usefulness = np.nan
        if value["usefulness"] and value["usefulness"].lower() not in NO_ANSWER:
            try:
                usefulness = float(value["usefulness"].replace(",", "."))
            except ValueError:
                usefulness = -1.0
            if not (1 <= usefulness <= 5 and usefulness == int(usefulness)):
                raise InputError(
                    path,
                    f"usefulness '{value['usefulness']}' is not a whole number from 1 to 5.",
                    row=i,
                    column=lower["nytte"],
                    hint="Use 1 (not useful) to 5 (very useful), or leave it blank for no answer.",
                )
        rows.append(
            (
                i,
                delivered[topic_id],
                topic_id,
                usefulness,
                value["comment"],
                value["participant"] or f"rad{i}",
            )
        )
    if not rows:
        raise InputError(path, "has no evaluation rows.", hint=HINT)
    return pd.DataFrame(rows, columns=["row", "session", "topic_id", "usefulness", "comment", "participant"])


def usefulness(evaluation: pd.DataFrame, min_cell: int) -> pd.DataFrame:
    """Per delivered topic: answers, mean usefulness and the share answering 4 or 5; the mean and share
    are withheld (NaN, `suppressed`) when fewer than `min_cell` answered."""
    rated = evaluation.dropna(subset=["usefulness"])
    rows = []
    for (session, topic_id), part in evaluation.groupby(["session", "topic_id"], sort=True):
        scores = rated.loc[rated["topic_id"] == topic_id, "usefulness"]
        small = len(scores) < min_cell
        rows.append(
            {
                "session": int(session),
                "topic_id": topic_id,
                "rows": len(part),
                "answers": len(scores),
                "mean": np.nan if small or scores.empty else float(scores.mean()),
                "share_useful": np.nan if small or scores.empty else float((scores >= USEFUL).mean()),
                "suppressed": bool(small),
            }
        )
    return pd.DataFrame(rows, columns=USEFULNESS_COLUMNS)


def mentions(evaluation: pd.DataFrame, programme: Programme) -> tuple[pd.Series, int]:
    """(topic id -> share of participants whose comments raise it, by the topics' seed terms; how many
    participants commented). A participant counts once per topic, however many comments."""
    commented = evaluation.loc[evaluation["comment"].str.strip() != ""]
    by_participant = commented.groupby("participant", sort=True)["comment"].agg(" ".join)
    topics = [t for t in programme.topics if not t.excluded]
    share = pd.Series(0.0, index=[t.id for t in topics])
    if by_participant.empty:
        return share, 0
    hits = seed_matrix(by_participant.str.lower().tolist(), [list(t.seed_terms) for t in topics])
    share[:] = hits.mean(axis=0)
    return share, len(by_participant)
