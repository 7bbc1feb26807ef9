"""The plan for programme designers: Norwegian column names, contributor names, formula-safe cells."""

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
    "p_in_programme": "Sannsynlighet med i programmet",
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
        chosen["p_in_programme"] = chosen["p_in_programme"].round(2)
    columns = [c for c in NORWEGIAN_COLUMNS if c in chosen]
    return spreadsheet_safe(chosen[columns].rename(columns=NORWEGIAN_COLUMNS))
