"""The designer's workbook (`reports/programplan.xlsx`): the programme one block per gathering, the ranking,
the strong topics left out, the new needs, three against four gatherings, the needs, and the plan as one
flat table (the sheet a later run reads back when replanning). Widths, wrapped text, bold frozen headers,
per cent and decimal formats; no internal ids in the partners' columns; every text cell formula-safe."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pipeline.plan.replan import PLAN_SHEET
from pipeline.present.base import Run
from pipeline.store import FORMULA_START, stable_zip

PERCENT = "0 %"
DECIMAL = "0.00"
FLAT_SHEET = PLAN_SHEET  # read back by `plan.read_previous_plan`
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
BLOCK_FILL = PatternFill("solid", fgColor="EEF2F6")
WRAP = Alignment(wrap_text=True, vertical="top")


def safe(value: object) -> object:
    """A cell value as written: text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value


def sheet_from_frame(
    wb: Workbook, title: str, frame: pd.DataFrame, widths: dict[str, int], formats=None, empty: str = ""
):
    """One sheet: a bold frozen header row, then the frame's rows; `formats`: column -> number format;
    `empty`: the sentence that stands under the header when there are no rows (why, and what fills it)."""
    ws = wb.create_sheet(title)
    ws.append([safe(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        ws.append([safe(v) for v in row])
    if frame.empty and empty:
        ws.append([empty])
    style_sheet(ws, list(frame.columns), widths, formats or {})
    return ws


def style_sheet(ws, columns: list[str], widths: dict[str, int], formats: dict[str, str], header_row: int = 1):
    for j, column in enumerate(columns, start=1):
        letter = get_column_letter(j)
        ws.column_dimensions[letter].width = widths.get(column, 14)
        head = ws.cell(row=header_row, column=j)
        head.font = Font(bold=True)
        head.fill = HEADER_FILL
        head.alignment = WRAP
        for cells in ws.iter_rows(min_row=header_row + 1, min_col=j, max_col=j):
            for cell in cells:
                cell.alignment = WRAP
                if column in formats and isinstance(cell.value, (int, float)):
                    cell.number_format = formats[column]
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    printable(ws, header_row)


def printable(ws, header_row: int = 1) -> None:
    """Print on A4 landscape, fitted to the page width, with the header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"


def contributors(run: Run, ids) -> str:
    return ", ".join(run.contributor_names.get(c, c) for c in ids)


def programme_sheet(wb: Workbook, run: Run) -> None:
    """One block per gathering: its title and purpose, then a row per topic."""
    from pipeline.present.plan import plan_facts

    ws = wb.create_sheet("Program")
    plan = run.tables["plan"].loc[lambda d: d["chosen"]]
    varies = plan["p_in_programme"].round(2).nunique(dropna=False) > 1  # else the column says nothing
    columns = [
        "Tema",
        "Bidragsytere",
        "Rangering",
        "Skår",
        *(["Sannsynlighet med"] if varies else []),
        "Begrunnelse",
    ]
    ws.append(columns)
    for fact in plan_facts(run):
        ws.append([safe(fact)])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(columns))
        ws.row_dimensions[ws.max_row].height = 30
    ws.append([])
    overview = run.tables["plan_overview"].loc[lambda d: d["chosen"]].sort_values("session")
    for g in overview.itertuples(index=False):
        ws.append([safe(f"Samling {g.session}: {g.title}")])
        title_row = ws.max_row
        ws.merge_cells(start_row=title_row, start_column=1, end_row=title_row, end_column=len(columns))
        ws.cell(row=title_row, column=1).font = Font(bold=True, size=12)
        ws.cell(row=title_row, column=1).fill = BLOCK_FILL
        note = g.purpose + (f" Plass i rekkefølgen: {g.order_reason}" if g.order_reason else "")
        ws.append([safe(note)])
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=len(columns))
        ws.row_dimensions[ws.max_row].height = 45
        for r in plan.loc[plan["session"] == g.session].itertuples(index=False):
            ws.append(
                [
                    safe(r.title + (" (svakt grunnlag)" if r.weak else "")),
                    safe(contributors(run, r.contributors)),
                    int(r.rank),
                    round(float(r.score), 2),
                    *([None if pd.isna(r.p_in_programme) else float(r.p_in_programme)] if varies else []),
                    safe(r.rationale),
                ]
            )
        ws.append([])
    widths = {
        "Tema": 38,
        "Bidragsytere": 26,
        "Rangering": 11,
        "Skår": 8,
        "Sannsynlighet med": 14,
        "Begrunnelse": 90,
    }
    style_sheet(ws, columns, widths, {"Skår": DECIMAL, "Sannsynlighet med": PERCENT})


def ranking_frame(run: Run) -> pd.DataFrame:
    r = run.tables["topic_ranking"].sort_values("rank")
    placed = run.tables["plan"].loc[lambda d: d["chosen"]].groupby("topic_id")["session"].min()
    return pd.DataFrame(
        {
            "Rang": r["rank"].astype(int),
            "Tema": r["title"],
            "Skår": r["score"].round(2),
            "Rang, 90\u202f%-intervall": [
                f"{lo}–{hi}" if lo != hi else f"{lo}"
                for lo, hi in zip(r["rank_lo"], r["rank_hi"], strict=True)
            ],
            "Behov (Borich-skår)": r["survey_need"].round(2),
            "Nevnt i fritekst": r["free_text_prevalence"],
            "Andel av intervjuutsnittene": r["interview_emphasis"],
            "I programmet": r["topic_id"].map(lambda t: f"samling {int(placed[t])}" if t in placed else "–"),
        }
    )


def left_out_frame(run: Run) -> pd.DataFrame:
    chosen = run.tables["plan"].loc[lambda d: d["chosen"], "n_sessions"].iloc[0]
    part = run.tables["plan_left_out"].loc[lambda d: d["n_sessions"] == chosen].sort_values("rank")
    return pd.DataFrame(
        {
            "Rang": part["rank"].astype(int),
            "Tema": part["title"],
            "Skår": part["score"].round(2),
            "Hvorfor ikke med": part["reason"],
        }
    )


def new_needs_frame(run: Run) -> pd.DataFrame:
    rows = run.plan_summary.get("candidates", [])
    return pd.DataFrame(
        {
            "Nytt behov": [c["title"] for c in rows],
            "Ledere som tar det opp": [c["respondents"] for c in rows],
            "Andel av dem som skrev fritekst": [c["share_respondents"] for c in rows],
            "Intervjuer": [c["interviews"] for c in rows],
            "Sitat": [c["quote"] for c in rows],
        }
    )


LOWER, UPPER = "Endring, nedre grense", "Endring, øvre grense"  # of the change's interval


def needs_change_frame(run: Run) -> pd.DataFrame:
    """The 'Endringer i behov' sheet: each leadership area in both surveys."""
    t = run.tables["needs_change"]
    return pd.DataFrame(
        {
            "Lederområde": t["area_label"],
            "Svar forrige": t["n_previous"],
            "Svar nå": t["n_current"],
            "Borich-skår forrige": t["mwds_previous"],
            "Borich-skår nå": t["mwds_current"],
            "Endring": t["mwds_change"],
            LOWER: t["mwds_change_lo"],
            UPPER: t["mwds_change_hi"],
            "Tydelig endring": t["clear"].map({True: "Ja", False: "Nei"}),
            "Rang forrige": t["rank_previous"].astype(int),
            "Rang nå": t["rank_current"].astype(int),
        }
    )


def segment_change_frame(run: Run) -> pd.DataFrame:
    """The 'Endringer i grupper' sheet: each group and area in both surveys; a hidden cell (too few answers
    in a survey, or one that could reveal such a cell) shows no numbers."""
    from pipeline.present.waves import SEGMENT_NAMES

    t = run.tables["needs_change_segments"]
    hidden = t["suppressed"].to_numpy()

    def shown(column: str) -> list:
        return [None if h else v for h, v in zip(hidden, t[column], strict=True)]

    return pd.DataFrame(
        {
            "Inndeling": t["segment_type"].map(lambda v: SEGMENT_NAMES.get(v, v)),
            "Gruppe": t["segment"],
            "Lederområde": t["area_label"],
            "Svar forrige": shown("n_previous"),
            "Svar nå": shown("n_current"),
            "Borich-skår forrige": shown("mwds_previous"),
            "Borich-skår nå": shown("mwds_current"),
            "Endring": shown("mwds_change"),
            LOWER: shown("mwds_change_lo"),
            UPPER: shown("mwds_change_hi"),
            "Tydelig endring (nevnt i rapporten)": [
                "skjult (vern av små grupper)" if h else ("Ja" if c else "Nei")
                for h, c in zip(hidden, t["clear"], strict=True)
            ],
        }
    )


def theme_change_frame(run: Run) -> pd.DataFrame:
    """The 'Endringer i fritekst' sheet: each theme of both surveys' answers, share per survey."""
    from pipeline.present.themes import theme_names
    from pipeline.present.waves import shown_points

    t = run.tables["theme_change"]
    return pd.DataFrame(
        {
            "Emne": theme_names(t),
            "Andel forrige": t["share_previous"],
            "Andel nå": t["share_current"],
            # as the report shows it: the difference of the two shares as they are shown
            "Endring (prosentpoeng)": [
                shown_points(b, n) for b, n in zip(t["share_previous"], t["share_current"], strict=True)
            ],
            LOWER: (100 * t["change_lo"]).round(0),
            UPPER: (100 * t["change_hi"]).round(0),
            "Tydelig endring": t["clear"].map({True: "Ja", False: "Nei"}),
            "Programtema": t["topic_title"].fillna("– (ingen)"),
        }
    )


def variants_frame(run: Run) -> pd.DataFrame:
    plan = run.tables["plan"]
    rows = []
    for count, v in sorted(run.plan_summary.get("variants", {}).items()):
        if not v.get("feasible"):
            rows.append(
                {
                    "Samlinger": int(count),
                    "Samling": None,
                    "Tema": "ikke mulig eller ikke aktuelt",
                    "Valgt": "",
                }
            )
            continue
        part = plan.loc[plan["n_sessions"] == int(count)].sort_values(["session", "rank"])
        for r in part.itertuples(index=False):
            rows.append(
                {
                    "Samlinger": int(count),
                    "Samling": int(r.session),
                    "Tema": r.title,
                    "Valgt": "valgt" if v.get("chosen") else "",
                }
            )
    return pd.DataFrame(rows, columns=["Samlinger", "Samling", "Tema", "Valgt"])


def needs_frame(run: Run) -> pd.DataFrame:
    n = run.tables["needs"].sort_values("rank")
    return pd.DataFrame(
        {
            "Rang": n["rank"].astype(int),
            "Lederområde": n["area_label"],
            "Svar": n["n"].astype(int),
            "Viktighet": n["importance"].round(2),
            "Kompetanse": n["competence"].round(2),
            "Borich-skår": n["mwds"].round(2),
            "Intervall fra": n["mwds_lo"].round(2),
            "Intervall til": n["mwds_hi"].round(2),
            "Sannsynlighet blant de største": n["p_top"],
            "Prioritet": n["priority_label"],
        }
    )


def flat_frame(run: Run) -> pd.DataFrame:
    plan = run.tables["plan"].loc[lambda d: d["chosen"]].sort_values(["session", "rank"])
    return pd.DataFrame(
        {
            "Samling": plan["session"].astype(int),
            "Tema": plan["title"],
            "Bidragsytere": plan["contributors"].map(lambda ids: contributors(run, ids)),
            "Tema-id": plan["topic_id"],  # for the next run's [inputs].previous_plan
        }
    )


def economics_sheet(run: Run) -> list:
    """The workbook's 'Økonomi' sheet: one row per fee and gathering count."""
    from pipeline.present import economics

    if not economics.configured(run):
        return []
    t = run.tables["economics"]
    frame = pd.DataFrame(
        {
            "Samlinger": t["n_sessions"].astype(int),
            "Avgift (kr)": t["fee"],
            "Villige til å betale": t["share_willing"],
            # whole participants and thousands of kroner, as the report shows them: an estimate is never
            # printed outside its own interval by a decimal the interval does not have
            "Deltakere": t["participants"].round(0),
            "Deltakere, fra": t["participants_lo"].round(0),
            "Deltakere, til": t["participants_hi"].round(0),
            "Inntekt (kr)": t["revenue"].round(-3),
            "Kostnader (kr)": t["costs"].round(-3),
            "Overskudd (kr)": t["surplus"].round(-3),
            "Overskudd, fra (kr)": t["surplus_lo"].round(-3),
            "Overskudd, til (kr)": t["surplus_hi"].round(-3),
            "Risiko for tap": t["p_loss"],
            "Deltakere for å gå i balanse": t["break_even"].map(lambda v: economics.break_even(run, v)),
        }
    )
    formats = {"Villige til å betale": "0 %", "Risiko for tap": "0 %"}
    formats |= {c: "# ##0" for c in frame.columns if "(kr)" in c}
    return [("Økonomi", frame, {c: 13 for c in frame.columns}, formats)]


def write_workbook(run: Run, path: Path, extra: list[tuple[str, pd.DataFrame, dict, dict]] = ()) -> Path:
    """The workbook, byte-stable. `extra`: more sheets (title, frame, widths, formats), e.g. the economics."""
    wb = Workbook()
    wb.remove(wb.active)
    programme_sheet(wb, run)
    sheet_from_frame(
        wb,
        "Rangering",
        ranking_frame(run),
        {"Tema": 44, "Rang, 90\u202f%-intervall": 12, "Behov (Borich-skår)": 12, "I programmet": 13},
        {
            "Skår": DECIMAL,
            "Behov (Borich-skår)": DECIMAL,
            "Nevnt i fritekst": PERCENT,
            "Andel av intervjuutsnittene": PERCENT,
        },
    )
    sheet_from_frame(
        wb,
        "Utelatt",
        left_out_frame(run),
        {"Tema": 44, "Hvorfor ikke med": 90},
        {"Skår": DECIMAL},
        "Ingen sterke programtemaer er utelatt fra planen.",
    )
    sheet_from_frame(
        wb,
        "Nye behov",
        new_needs_frame(run),
        {"Nytt behov": 30, "Sitat": 80},
        {"Andel av dem som skrev fritekst": PERCENT},
        "Lederne tar ikke opp noe nytt behov som katalogen mangler.",
    )
    sheet_from_frame(wb, "Tre eller fire samlinger", variants_frame(run), {"Tema": 50, "Valgt": 10})
    sheet_from_frame(
        wb,
        "Behov",
        needs_frame(run),
        {"Lederområde": 36, "Prioritet": 40, "Sannsynlighet blant de største": 14},
        {
            "Viktighet": DECIMAL,
            "Kompetanse": DECIMAL,
            "Borich-skår": DECIMAL,
            "Intervall fra": DECIMAL,
            "Intervall til": DECIMAL,
            "Sannsynlighet blant de største": PERCENT,
        },
    )
    if run.tables.get("needs_change") is not None:  # a previous survey: what changed since then
        decimals = ("Borich-skår forrige", "Borich-skår nå", "Endring")
        decimals += (LOWER, UPPER)
        sheet_from_frame(
            wb,
            "Endringer i behov",
            needs_change_frame(run),
            {"Lederområde": 36},
            {c: DECIMAL for c in decimals},
        )
        sheet_from_frame(
            wb,
            "Endringer i grupper",
            segment_change_frame(run),
            {"Gruppe": 24, "Lederområde": 36, "Tydelig endring (nevnt i rapporten)": 20},
            {c: DECIMAL for c in decimals},
        )
        sheet_from_frame(
            wb,
            "Endringer i fritekst",
            theme_change_frame(run),
            {"Emne": 40, "Programtema": 40},
            {"Andel forrige": PERCENT, "Andel nå": PERCENT},
        )
    for title, frame, widths, formats in extra:
        sheet_from_frame(wb, title, frame, widths, formats)
    sheet_from_frame(wb, FLAT_SHEET, flat_frame(run), {"Tema": 50, "Bidragsytere": 30, "Tema-id": 26})
    buffer = io.BytesIO()
    wb.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(stable_zip(buffer.getvalue()))
    return path
