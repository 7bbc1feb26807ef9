"""Survey ingest: a survey-tool export and its codebook in, tidy tables out.

- `reading`: the edge. XLSX and delimited exports in any of the encodings and layouts Norwegian survey tools
  write, as a raw table with spreadsheet row numbers; and the cell readers the other two share.
- `codebook`: the codebook (read, validate, write) and `draft_codebook`, which proposes one from an export.
- `tidy`: the pure transform to respondents, Likert answers, multi-choice answers and free text, accounting
  for every row (kept or quarantined with a reason).
"""

from pipeline.survey.codebook import draft_codebook, parse_scale, read_codebook, write_codebook
from pipeline.survey.reading import parse_timestamp, read_export, row_list
from pipeline.survey.tidy import FILE_FAULTS, SurveyTables, parse_likert, split_choices, tidy_survey

__all__ = [
    "FILE_FAULTS",
    "SurveyTables",
    "draft_codebook",
    "parse_likert",
    "parse_scale",
    "parse_timestamp",
    "read_codebook",
    "read_export",
    "row_list",
    "split_choices",
    "tidy_survey",
    "write_codebook",
]
