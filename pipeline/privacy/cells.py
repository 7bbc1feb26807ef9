"""Small-cell protection of what partners see: suppression of breakdown cells below k respondents, and rare
category values (free-typed 'Annet: …' answers among them) grouped as 'Annet'."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

OTHER = "Annet"


def suppress_small_cells(
    df: pd.DataFrame,
    n_column: str,
    k: int,
    value_columns: Iterable[str],
    group_by: Iterable[str] = (),
    also_by: Iterable[str] = (),
) -> pd.DataFrame:
    """Blank out breakdown cells with fewer than `k` respondents so they cannot be read or recovered.

    Primary suppression: cells with n < k get their values set to missing and `suppressed` True. Secondary
    suppression: within each group (e.g. one breakdown variable), if exactly one cell is suppressed, the
    next-smallest cell is suppressed as well, so the hidden cell cannot be recovered from a total. With
    `also_by` (a cross table whose row and column totals are both published), the same holds along the
    other dimension too, repeated until neither dimension has a lone hidden cell.
    The n column is kept for analysts; partner-facing display uses `format_count`.
    """
    value_columns = list(value_columns)
    out = df.copy()
    out["suppressed"] = out[n_column] < k
    groupings = [list(keys) for keys in (group_by, also_by) if list(keys)] or [[]]
    changed = True
    while changed:
        changed = False
        for keys in groupings:
            by = keys[0] if len(keys) == 1 else keys  # one key as a scalar: pandas' group keys stay scalars
            index_groups = out.groupby(by, sort=False).groups.values() if keys else [out.index]
            for idx in index_groups:
                part = out.loc[idx]
                if part["suppressed"].sum() == 1 and len(part) > 1:
                    candidates = part.loc[~part["suppressed"]].sort_values(n_column, kind="stable")
                    out.loc[candidates.index[0], "suppressed"] = True
                    changed = True
        if groupings == [[]] or len(groupings) == 1:
            break  # one dimension: one pass is final
    for col in value_columns:
        out[col] = out[col].astype(float).where(~out["suppressed"], np.nan)
    return out


def format_count(n: int, k: int) -> str:
    """A respondent count as shown to partners: below k it reads '<k'."""
    return f"<{k}" if n < k else str(int(n))


def group_rare(values: pd.Series, k: int, other: str = OTHER) -> pd.Series:
    """A copy of a category column in which every value given by fewer than `k` respondents reads `other`,
    so no rare (often free-typed) answer becomes a row label or column heading. Missing stays missing."""
    counts = values.value_counts(dropna=True)
    rare = set(counts.index[counts < k])
    return values.map(lambda v: other if v in rare else v)


def group_rare_columns(df: pd.DataFrame, columns: Iterable[str], k: int) -> pd.DataFrame:
    """`group_rare` on each of `columns` that `df` has (a copy)."""
    return df.assign(**{c: group_rare(df[c], k) for c in columns if c in df})
