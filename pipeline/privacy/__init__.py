"""Personal data out: pseudonymisation of every text at ingest, project ids for respondents, which texts
may be quoted, and small-cell protection of what partners see.

- `patterns`: e-mail addresses, phone numbers, fødselsnumre (mod-11).
- `names`: person names by the shipped lists, by context and by shape; the ordinary-word reference.
- `places`: Norwegian municipalities, counties and places; proper nouns that stay.
- `identifiers`: role, tenure and headcounts in self-descriptions.
- `pseudonymiser`: the `Pseudonymiser` that applies all of them, in order.
- `ids`: respondent ids -> R0001 ….
- `quotes`: what may be quoted, and how long.
- `cells`: small-cell suppression and grouping of rare categories.
"""

from pipeline.privacy.cells import OTHER, format_count, group_rare, group_rare_columns, suppress_small_cells
from pipeline.privacy.identifiers import redact_identifying
from pipeline.privacy.ids import contact_like_ids, project_ids, replace_ids
from pipeline.privacy.names import find_names, is_ordinary, shipped_names
from pipeline.privacy.patterns import fnr_check_digits, is_valid_fnr, looks_like_contact
from pipeline.privacy.places import shipped_keep, shipped_places
from pipeline.privacy.pseudonymiser import KINDS, Pseudonymiser, pseudonymise_column, write_mapping
from pipeline.privacy.quotes import is_quotable, shorten_quote

__all__ = [
    "KINDS",
    "OTHER",
    "Pseudonymiser",
    "contact_like_ids",
    "find_names",
    "fnr_check_digits",
    "format_count",
    "group_rare",
    "group_rare_columns",
    "is_ordinary",
    "is_quotable",
    "is_valid_fnr",
    "looks_like_contact",
    "project_ids",
    "pseudonymise_column",
    "redact_identifying",
    "replace_ids",
    "shipped_keep",
    "shipped_names",
    "shipped_places",
    "shorten_quote",
    "suppress_small_cells",
    "write_mapping",
]
