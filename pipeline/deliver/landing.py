"""`reports/index.html`, the page a partner opens first: the findings (largest needs, the programme, new
needs, what is uncertain), links to every report and document, and a short glossary. The technical run
information (inputs, their hashes, what each stage wrote) is on its own page, `om_kjoringen.html`. Both
pages are self-contained (no script, no web font) and carry no time of writing."""

from __future__ import annotations

import html
from pathlib import Path

from pipeline.deliver import findings
from pipeline.present.base import Run
from pipeline.present.glossary import glossary_items
from pipeline.present.plan import plan_facts
from pipeline.text import format_number, number_word

STYLE = """body{font-family:"DejaVu Sans",Arial,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;
line-height:1.5;color:#222}h1{font-size:1.7rem}h2{margin-top:2rem;border-bottom:1px solid #ccc}
h3{margin-bottom:.2rem}li{margin:.2rem 0}small{color:#555}dt{font-weight:bold;margin-top:.5rem}
dd{margin-left:1rem}td,th{padding:.2rem .8rem;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
.lenker li{margin:.4rem 0}footer{margin-top:3rem;font-size:.9rem;color:#555}"""
STAGE_NAMES = {
    "ingest": "Innlesing",
    "needs": "Behov",
    "themes": "Emner",
    "rank": "Rangering",
    "plan": "Programplan",
    "reports": "Rapporter",
}
ROW_NAMES = {
    "survey_rows_read": "rader lest i eksporten",
    "respondents": "respondenter",
    "quarantined": "rader holdt utenfor",
    "likert_answers": "svar på skalaspørsmål",
    "choices": "svar på flervalg",
    "free_text_answers": "fritekstsvar",
    "interviews": "intervjuer",
    "turns": "replikker",
    "areas": "lederområder",
    "segment_rows": "rader i gruppeoppdelingen",
    "suppressed": "celler skjult (små grupper)",
    "profiles": "behovsprofiler",
    "documents": "tekster",
    "non_answers": "ikke-svar",
    "themes": "emner",
    "emerging": "nye behov",
    "topics": "programtemaer i katalogen",
    "profile_rows": "rader profil × tema",
    "placed_topics": "programtemaer plassert",
    "reports": "rapportfiler",
}


def esc(text: object) -> str:
    return html.escape(str(text))


def page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="nb"><head><meta charset="utf-8"><title>{esc(title)}</title>'
        f"<style>{STYLE}</style></head>\n<body>{body}</body></html>\n"
    )


def items(lines: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{esc(line)}</li>" for line in lines) + "</ul>"


def landing_page(run: Run, name: str, weights: dict[str, float], documents: list[tuple[str, str]]) -> str:
    """The landing page's HTML. `documents`: (file name relative to reports/, link text), in order."""
    gatherings = findings.programme(run)
    changes = findings.changes_lines(run)  # empty without a previous survey
    parts = [
        f"<h1>{esc(name)}</h1>",
        "<p>Hva lederne i medlemskommunene trenger, og et forslag til program med "
        f"{number_word(len(gatherings))} samlinger. Tallene bygger på "
        "medlemsundersøkelsen og dybdeintervjuene"
        + (", sammenlignet med forrige undersøkelse" if changes else "")
        + ".</p>",
        "<h2>De største behovene</h2>",
        items(findings.top_needs(run)),
        *(["<h2>Endringer siden forrige undersøkelse</h2>", items(changes)] if changes else []),
        "<h2>Programmet</h2>",
        items(plan_facts(run)),
    ]
    for g in gatherings:
        topics = "".join(
            f"<li>{esc(t)}" + (f" <small>({esc(who)})</small>" if who else "") + "</li>"
            for t, who in g.topics
        )
        parts.append(f"<h3>Samling {g.session}: {esc(g.title)}</h3><ul>{topics}</ul>")
    money = findings.economics_lines(run) or findings.no_economics(run)
    parts += [
        "<h2>Nye behov utenfor katalogen</h2>",
        items(findings.new_needs_lines(run)),
        "<h2>Økonomi</h2>",
        items(money),
        "<h2>Hva er usikkert</h2>",
        items(findings.caveats(run)),
        "<h2>Slik er svarene samlet inn og vektet</h2>",
        items(findings.evidence(run, weights)),
        "<h2>Rapporter og dokumenter</h2>",
        '<ul class="lenker">'
        + "".join(f"<li><a href='{esc(href)}'>{esc(text)}</a></li>" for href, text in documents)
        + "</ul>",
        "<h2>Ord og begreper</h2><dl>"
        + "".join(f"<dt>{esc(term)}</dt><dd>{esc(text)}</dd>" for term, text in glossary_items())
        + "</dl>",
        "<footer><a href='om_kjoringen.html'>Om kjøringen</a>: inndata, kontrollsummer og hva hvert steg "
        "skrev.</footer>",
    ]
    return page(name, "".join(parts))


def encoder_name(run: Run) -> str:
    """The sentence encoder the themes used, as the run recorded it ('' for the words alone)."""
    return str((run.theme_diagnostics.get("representation") or {}).get("encoder") or "")


def run_page(run: Run) -> str:
    """The technical run information, in Norwegian: programme file, inputs with their hashes, stages."""
    manifest = run.manifest
    inputs = "".join(
        f"<tr><td>{esc(file)}</td><td><code>{esc(digest[:12])}</code></td></tr>"
        for file, digest in manifest.get("inputs", {}).items()
    )
    stages = "".join(
        f"<tr><td>{esc(STAGE_NAMES.get(stage, stage))}</td><td>"
        + esc("; ".join(f"{ROW_NAMES.get(k, k)}: {format_number(v)}" for k, v in info["rows"].items()))
        + "</td></tr>"
        for stage, info in manifest.get("stages", {}).items()
    )
    body = (
        "<h1>Om kjøringen</h1>"
        f"<p>Laget fra programfilen <code>{esc(Path(manifest.get('programme_file', '')).name)}</code> med "
        f"pakkeversjon {esc(manifest.get('package_version', ''))}. Samme inndata gir de samme filene, byte "
        "for byte.</p>"
        + (
            f"<p>Språkmodell for meningen i svarene: {esc(model)}.</p>"
            if (model := encoder_name(run))
            else "<p>Emnene bygger på ordene i svarene alene, uten språkmodell.</p>"
        )
        + "<h2>Inndata</h2><p>Kontrollsummen (SHA-256, de første tegnene) viser om en fil er endret siden "
        "forrige kjøring.</p>"
        f"<table><tr><th>Fil</th><th>Kontrollsum</th></tr>{inputs}</table>"
        f"<h2>Stegene</h2><table><tr><th>Steg</th><th>Resultat</th></tr>{stages}</table>"
        "<p><a href='index.html'>Tilbake til forsiden</a></p>"
    )
    return page("Om kjøringen", body)
