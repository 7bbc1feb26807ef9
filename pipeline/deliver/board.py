"""The board paper (`reports/styresak.docx`): two to four pages in plain Norwegian, the form the secretariat
brings to its board (like the founding board paper): background, how the evidence was gathered and weighed,
the largest needs, the programme per gathering with its reasons, new needs, what is uncertain, and a
proposed resolution. Built from the document's styles only (Title, Heading 1-2, List Bullet, Normal), never
direct formatting, so the secretariat can apply its own template."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document

from pipeline.deliver import findings
from pipeline.present.base import Run
from pipeline.store import stable_zip


def board_paper(
    run: Run, name: str, weights: dict[str, float], extra: list[tuple[str, list[str]]] = ()
) -> Document:
    """`extra`: more sections (heading, paragraphs), e.g. the economics, placed before the resolution."""
    doc = Document()
    doc.core_properties.title = f"Styresak: {name}"
    doc.core_properties.author = "Osloregionen"
    gatherings = findings.programme(run)
    doc.add_paragraph(f"Styresak: {name}", style="Title")
    doc.add_paragraph(f"Kunnskapsgrunnlag og forslag til program med {len(gatherings)} samlinger.")

    doc.add_heading("Bakgrunn", level=1)
    doc.add_paragraph(
        "Osloregionen vil tilby et lederprogram for ledere i medlemskommunene sammen med Olympiatoppen og "
        "Smart Innovation Norway. For å treffe det lederne faktisk trenger, ble medlemmene spurt i en "
        "undersøkelse, og et utvalg toppledere ble intervjuet. Denne saken oppsummerer hva de svarte, og "
        "legger fram et forslag til program."
    )
    doc.add_heading("Slik er behovene kartlagt", level=1)
    for line in findings.evidence(run, weights):
        doc.add_paragraph(line, style="List Bullet")

    doc.add_heading("De største behovene", level=1)
    for line in findings.top_needs(run):
        doc.add_paragraph(line, style="List Bullet")

    doc.add_heading("Forslag til program", level=1)
    doc.add_paragraph(
        "Temaene er valgt og fordelt ved optimering: den beste kombinasjonen av temaer som oppfyller reglene "
        "(plasser per samling, bidragsyterne på hver samling), med temaer de samme lederne tar opp i samme "
        "samling."
    )
    for g in gatherings:
        doc.add_heading(f"Samling {g.session}: {g.title}", level=2)
        for topic, who in g.topics:
            doc.add_paragraph(f"{topic} ({who})" if who else topic, style="List Bullet")
        doc.add_paragraph(g.purpose)
        if g.order_reason:
            doc.add_paragraph(f"Plass i rekkefølgen: {g.order_reason}")

    doc.add_heading("Nye behov", level=1)
    new = findings.new_needs(run)
    if new:
        for line in new:
            doc.add_paragraph(line, style="List Bullet")
        doc.add_paragraph("Sekretariatet vil drøfte med partnerne om noen av disse bør inn i programmet.")
    else:
        doc.add_paragraph("Lederne tar ikke opp noe som katalogen av temaer ikke dekker.")

    doc.add_heading("Hva er usikkert", level=1)
    for line in findings.caveats(run):
        doc.add_paragraph(line, style="List Bullet")

    for heading, paragraphs in extra:
        doc.add_heading(heading, level=1)
        for text in paragraphs:
            doc.add_paragraph(text)

    doc.add_heading("Forslag til vedtak", level=1)
    doc.add_paragraph(
        "Styret tar kunnskapsgrunnlaget til orientering og ber sekretariatet arbeide videre med programmet "
        "slik det er skissert, sammen med Olympiatoppen og Smart Innovation Norway."
    )
    return doc


def write_board_paper(
    run: Run, name: str, weights: dict[str, float], path: Path, extra: list[tuple[str, list[str]]] = ()
) -> Path:
    buffer = io.BytesIO()
    board_paper(run, name, weights, extra).save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(stable_zip(buffer.getvalue()))  # no time of writing in the file
    return path
