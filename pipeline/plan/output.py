"""The plan as data (`data/processed/plan.csv`, read back when replanning): Norwegian column names,
contributor names, formula-safe cells. The designers' formatted workbook is `deliver.workbook`."""

from __future__ import annotations

import pandas as pd

from pipeline.store import spreadsheet_safe

NORWEGIAN_COLUMNS = {
    "n_sessions": "Antall samlinger",
    "session": "Samling",
    "title": "Tema",
    "topic_id": "Tema-id",
    "contributors": "Bidragsyter",
    "rank": "Rangering",
    "score": "Skår",
    "p_in_programme": "Sannsynlighet med i programmet (%)",
    "rationale": "Begrunnelse",
}


def designer_view(plan: pd.DataFrame, contributor_names: dict[str, str]) -> pd.DataFrame:
    """The chosen plan with Norwegian column names and contributor names, for CSV and Excel."""
    chosen = plan.loc[plan["chosen"]].copy()
    chosen["contributors"] = chosen["contributors"].map(
        lambda ids: ", ".join(contributor_names[c] for c in ids)
    )
    chosen["score"] = chosen["score"].round(2)
    if "p_in_programme" in chosen:
        chosen["p_in_programme"] = (100 * chosen["p_in_programme"]).round(0)
    columns = [c for c in NORWEGIAN_COLUMNS if c in chosen]
    return spreadsheet_safe(chosen[columns].rename(columns=NORWEGIAN_COLUMNS))
