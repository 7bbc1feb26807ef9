"""The plan for programme designers: Norwegian column names, contributor names, formula-safe cells."""

from __future__ import annotations

import pandas as pd

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


def excel_safe(df: pd.DataFrame) -> pd.DataFrame:
    """Neutralise spreadsheet formula injection: text cells starting with = + - @ get a leading apostrophe."""

    def fix(v: object) -> object:
        return "'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v

    return df.apply(
        lambda col: col.map(fix) if col.dtype == object or pd.api.types.is_string_dtype(col) else col
    )


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
    return excel_safe(chosen[columns].rename(columns=NORWEGIAN_COLUMNS))
