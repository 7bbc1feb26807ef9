"""Respondent ids: the survey tool's id (often an e-mail address or a number that can be looked up) is
replaced at ingest by a stable project id, R0001 … in the order of the export's rows."""

from __future__ import annotations

import pandas as pd

from pipeline.privacy.patterns import looks_like_contact


def project_ids(respondents: pd.DataFrame) -> dict[str, str]:
    """Survey-tool id -> project id (R0001 …), numbered in the order of the rows in the export."""
    ordered = respondents.sort_values("source_row", kind="stable")["respondent_id"].astype(str)
    width = max(4, len(str(len(ordered))))
    return {rid: f"R{i:0{width}d}" for i, rid in enumerate(ordered.drop_duplicates(), start=1)}


def replace_ids(df: pd.DataFrame, mapping: dict[str, str], column: str = "respondent_id") -> pd.DataFrame:
    """A copy of `df` with its respondent ids replaced by project ids (every id must be known), in the order
    of the project ids (stable within a respondent)."""
    out = df.assign(**{column: df[column].astype(str).map(mapping)})
    return out.sort_values(column, kind="stable", ignore_index=True)


def contact_like_ids(ids: pd.Series) -> int:
    """How many ids are e-mail addresses or phone numbers (a reason to warn)."""
    return int(ids.astype(str).map(looks_like_contact).sum())
