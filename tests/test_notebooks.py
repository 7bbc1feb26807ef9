from __future__ import annotations

import json
from pathlib import Path

import papermill as pm
import pytest

from pipeline.report import NOTEBOOK_DIR, REPORTS, notebook_parameters
from pipeline.store import Store

NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))


@pytest.mark.parametrize("spec", REPORTS, ids=lambda s: s.name)
def test_report_parameters_match_what_the_pipeline_passes(spec, tmp_path: Path) -> None:
    declared = set(pm.inspect_notebook(str(NOTEBOOK_DIR / spec.notebook)))
    assert declared == set(notebook_parameters(Store(tmp_path)))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_are_stored_without_outputs(path: Path) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code and all(c["outputs"] == [] and c["execution_count"] is None for c in code)
    tagged = [c for c in code if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1


def test_free_text_is_escaped_in_reports() -> None:
    import pandas as pd

    from pipeline.present import themes as present_themes
    from pipeline.present.base import Run

    attack = "<script>alert('x')</script> og <b>fet</b> tekst"
    table = pd.DataFrame(
        {
            "theme_id": ["T01"],
            "label": [attack],
            "terms": [[attack] * 5],
            "n_docs": [3],
            "quotes": [[attack]],
            "emerging": [True],
            "topic_title": [None],
            "share_respondents": [0.1],
            "interviews": [[]],
            "n_respondents": [3],
            "suggested_title": [attack],
            "emerging_reason": ["nytt behov: ingen tema i katalogen dekker det"],
        }
    )
    run = Run(None, {"themes": table}, {}, {}, 5, {}, {}, {}, {}, None)
    for html in (
        present_themes.quotes(run),
        present_themes.emerging_needs(run),
        present_themes.themes_table(run),
    ):
        body = html._repr_html_()
        assert "<script>" not in body and "&lt;script&gt;" in body
