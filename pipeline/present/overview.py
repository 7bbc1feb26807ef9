"""Survey overview for partners: who answered, from where, and the run's accounting of input rows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pipeline.needs.preferences import answer_order
from pipeline.present.base import HTML, Run, bullets, format_number, format_percent, table, theme_share_base
from pipeline.privacy import format_count, group_rare, suppress_small_cells
from pipeline.survey.tidy import FILE_FAULTS
from pipeline.text import capitalised, count_words


def respondents_by(run: Run, column: str, heading: str) -> HTML:
    """Respondents per category, small cells shown as '<k'."""
    if column not in run.tables["respondents"]:
        return HTML("<p>Spørsmålet finnes ikke i denne undersøkelsen.</p>")
    values = group_rare(run.tables["respondents"][column], run.min_cell)  # rare answers read "Annet"
    counts = values.fillna("Ikke oppgitt").value_counts().rename_axis(heading)
    df = counts.reset_index(name="n").sort_values(["n", heading], ascending=[False, True], kind="stable")
    order = df[heading].astype(str).map(answer_order)
    if np.isfinite(order).mean() >= 0.75:  # ordered bands (sizes, spans): in their own order
        df = df.assign(_order=order).sort_values(["_order", heading], kind="stable").drop(columns="_order")
    df = suppress_small_cells(df.assign(andel=df["n"] / df["n"].sum()), "n", run.min_cell, ["andel"])
    shown = pd.DataFrame(
        {
            heading: df[heading],
            "Antall": [format_count(v, run.min_cell) for v in df["n"]],
            "Andel": [format_percent(v) for v in df["andel"]],
        }
    )
    return table(shown)


def headline(run: Run) -> HTML:
    """Who answered, in a few lines."""
    r = run.tables["respondents"]
    report = run.ingest_report.get("survey", {})
    turns = run.tables["turns"]
    interviews = turns["interview_id"].nunique()
    informants = turns.loc[turns["role"] == "informant"].groupby("interview_id")["speaker"].nunique().sum()
    wrote = run.tables["free_text"]["respondent_id"].nunique()
    used = theme_share_base(run)
    interviews_text = count_words(interviews, "dybdeintervju", "dybdeintervjuer")
    items = [
        f"I alt svarte {format_number(len(r))} ledere"
        + (f" fra {r['municipality'].nunique()} kommuner" if "municipality" in r else "")
        + " på undersøkelsen, og "
        f"{format_percent((r['status'] == 'complete').mean())} av dem fullførte hele skjemaet.",
        f"Av dem skrev {format_number(wrote)} minst ett fritekstsvar"
        + (
            f", og {format_number(used)} skrev et svar med innhold; det er grunnlaget for andelene i emnene."
            if used != wrote
            else "; det er grunnlaget for andelene i emnene."
        ),
        f"{capitalised(interviews_text)} "
        f"med {informants} toppleder{'' if informants == 1 else 'e'} er med i grunnlaget.",
        f"Eksporten har {format_number(report.get('rows_read', 0))} rader. "
        + (
            f"Av dem er {format_number(report.get('rows_kept', 0))} brukt, og "
            f"{format_number(report.get('rows_quarantined', 0))} er holdt utenfor "
            + held_out(report.get("quarantined", []))
            if report.get("rows_quarantined", 0)
            else "Alle er brukt."
        ),
    ]
    resplit = sum(len(rows) for rows in report.get("rows_read_with_other_delimiter", {}).values())
    if resplit:
        items.append(
            f"Av de {format_number(report.get('rows_read', 0))} radene bruker {format_number(resplit)} et "
            "annet skilletegn enn filen ellers. De er lest og brukt, men kontroller filen."
        )
    return bullets(items)


HELD_OUT = {  # why a row of the export was not used, by the kind the ingest report gives it
    "empty": ("tom rad", "tomme rader"),
    "no_id": ("rad uten svar-ID", "rader uten svar-ID"),
    "no_answers": ("rad uten svar", "rader uten svar"),
    "duplicate": (
        "eldre innsending fra en som svarte på nytt",
        "eldre innsendinger fra ledere som svarte på nytt",
    ),
    "cut_off": ("siste rad er avkuttet", "avkuttede rader"),
    "extra_fields": ("rad med flere felt enn overskriftsraden", "rader med flere felt enn overskriftsraden"),
    "one_cell": ("rad med feil skilletegn", "rader med feil skilletegn"),
    "other": ("rad som ikke kunne leses", "rader som ikke kunne leses"),
}


def held_out(quarantined: list[dict]) -> str:
    """Why the rows were held out, in brackets ('(3 tomme rader og 1 rad med flere felt …)'; one reason
    alone without its count), with a sentence on what to do when the file itself is faulty."""
    counts: dict[str, int] = {}
    for q in quarantined:
        kind = q.get("kind", "other")
        counts[kind] = counts.get(kind, 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: list(HELD_OUT).index(kv[0]))
    if len(ordered) == 1:
        kind, n = ordered[0]
        parts = [HELD_OUT[kind][n != 1]]
    else:
        parts = [f"{format_number(n)} {HELD_OUT[kind][n != 1]}" for kind, n in ordered]
    text = "(" + ", ".join(parts[:-1]) + (" og " if len(parts) > 1 else "") + parts[-1] + ")."
    faulty = sum(counts.get(kind, 0) for kind in FILE_FAULTS)
    if faulty:
        which = "Raden" if faulty == 1 else "Radene"
        text += f" Rett opp {which.lower()} i eksportfilen og kjør analysen på nytt."
    return text


def interviews_table(run: Run) -> HTML:
    """One row per interview, numbered (file names can carry names): informants, turns and words."""
    turns = run.tables["turns"]
    rows = []
    for number, (_interview_id, part) in enumerate(turns.groupby("interview_id", sort=True), start=1):
        informant = part.loc[part["role"] == "informant"]
        rows.append(
            {
                "Intervju": f"Intervju {number}",
                "Informanter": informant["speaker"].nunique(),
                "Ytringer": len(part),
                "Ord fra informanter": format_number(informant["n_words"].sum()),
            }
        )
    return table(pd.DataFrame(rows))


PRIVACY_KINDS = {
    "name_list": "Navn fra navnelistene",
    "name_context": "Andre navn, funnet ut fra sammenheng og form",
    "place": "Kommuner og steder",
    "role": "Egen rolle (i omtale av seg selv)",
    "tenure": "Egen ansiennitet (i omtale av seg selv)",
    "headcount": "Innbyggertall og antall ansatte",
    "email": "E-postadresser",
    "phone": "Telefonnumre",
    "fnr": "Fødselsnumre",
}
PRIVACY_SOURCES = {
    "free_text": "Fritekstsvar",
    "interviews": "Intervjuer",
    "categories": "Kategorisvar («Annet: …»)",
}


def privacy_summary(run: Run) -> HTML:
    """How many replacements of each kind per source (never the values), and the respondent ids."""
    summary = run.ingest_report.get("privacy", {})
    rows = [
        {
            "Hva som er erstattet": label,
            **{
                heading: format_number(summary.get(source, {}).get(kind, 0))
                for source, heading in PRIVACY_SOURCES.items()
            },
        }
        for kind, label in PRIVACY_KINDS.items()
    ]
    ids = summary.get("respondent_ids", {})
    note = (
        f"<p>Alle de {format_number(ids.get('id', 0))} respondentene har fått et eget løpenummer "
        "i prosjektet "
        f"(R0001 og videre) i stedet for ID-en fra spørreverktøyet"
        + (
            f"; {format_number(ids['contact_like'])} av ID-ene fra spørreverktøyet var e-postadresser eller "
            "telefonnumre."
            if ids.get("contact_like")
            else "."
        )
        + "</p>"
    )
    return HTML(table(pd.DataFrame(rows)).body + note)
