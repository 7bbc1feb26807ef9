"""The board paper (`reports/styresak.docx`): a saksframlegg as a Norwegian secretariat brings it to its
board. A case header (board, case number, meeting date, case officer: `[board]` in the programme file, left
blank to fill in when not set), then Bakgrunn, Kunnskapsgrunnlag, Forslag til program, Vurdering (three or
four gatherings, the weak slots, the new needs, what is uncertain), Økonomiske konsekvenser, Forslag til
vedtak as numbered decisions, and Vedlegg. A4, Norwegian bokmål as the proofing language, page numbers in
the footer. Built from the document's styles only (Title, Heading 1-2, List Bullet, List Number, Normal),
never direct formatting of text, so the secretariat can apply its own template."""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from pipeline.config.models import BoardSettings
from pipeline.deliver import findings
from pipeline.present.base import Run
from pipeline.present.plan import plan_facts
from pipeline.store import stable_zip
from pipeline.text import format_percent, listed, number_word

LANGUAGE = "nb-NO"


def norwegian_a4(doc: Document) -> None:
    """A4 with 25 mm margins, Norwegian bokmål proofing for every style, page numbers in the footer."""
    for section in doc.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)
        footer = section.footer.paragraphs[0]
        footer.text = "Side "
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        footer._p.append(field)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for node in rpr.findall(qn("w:lang")):
        rpr.remove(node)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.append(lang)
    settings = doc.settings.element
    for node in settings.findall(qn("w:themeFontLang")):
        node.set(qn("w:val"), LANGUAGE)


def case_header(doc: Document, board: BoardSettings) -> None:
    """The saksframlegg's header: who decides, case number, meeting date, case officer."""
    rows = [
        ("Saksnr.", board.case_number),
        ("Utvalg", board.board),
        ("Møtedato", board.meeting_date),
        ("Saksbehandler", board.case_officer),
    ]
    table = doc.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    for (label, value), row in zip(rows, table.rows, strict=True):
        row.cells[0].text, row.cells[1].text = label, value


def resolution(run: Run, gatherings: int) -> list[str]:
    """The proposed decisions, numbered: each follows from what the paper has shown. The board endorses the
    plan only when nothing in the paper argues against it (no weak slots, and the economics, when present,
    support that number of gatherings); otherwise it takes the plan as information and asks for what is
    missing, by name."""
    from pipeline.present import economics

    count = number_word(gatherings)
    weak = findings.weak_topics(run)
    new = [c["title"] for c in run.plan_summary.get("candidates", [])]
    priced = economics.configured(run)
    supported = economics.supported_sessions(run) if priced else None
    decisions = ["Styret tar kunnskapsgrunnlaget fra medlemsundersøkelsen og intervjuene til orientering."]
    if priced and supported == gatherings and not weak:
        fee = economics.kroner(economics.recommended_fees(run)[gatherings], exact=True)
        decisions.append(
            f"Styret slutter seg til at lederprogrammet planlegges med {count} samlinger, med programtemaene "
            f"og rekkefølgen i saken, og en deltakeravgift på {fee}."
        )
    else:
        decisions.append(f"Styret tar forslaget til program med {count} samlinger til orientering.")
    if weak:
        fill = " eller med ".join(weak_slot_options(run, new, named=True))
        fill = fill or "noe annet enn katalogens programtemaer"
        decisions.append(
            "Styret ber sekretariatet, sammen med partnerne, vurdere om plassene med svakt grunnlag i "
            f"svarene skal fylles med {fill}."
        )
    elif new:
        decisions.append(
            "Styret ber sekretariatet vurdere sammen med partnerne om "
            f"{listed([f'«{t}»' for t in new])} skal inn i programmet."
        )
    if not priced:
        decisions.append(
            "Styret ber sekretariatet legge fram et budsjett med kostnader, deltakeravgift og fordeling "
            "mellom partene før programmet lyses ut."
        )
    elif supported is None:
        decisions.append(
            "Styret ber sekretariatet finne en kostnadsramme som gir lav nok risiko for tap, før programmet "
            "lyses ut: med kostnadene i saken gir ingen avgift det."
        )
    elif supported != gatherings:
        other = number_word(supported)
        fee = economics.kroner(economics.recommended_fees(run)[supported], exact=True)
        decisions.append(
            f"Styret ber sekretariatet, sammen med partnerne, legge fram programmet med {other} samlinger og "
            f"en deltakeravgift på {fee}, slik økonomien tilsier: med kostnadene i saken gir ingen avgift "
            f"lav nok risiko for tap med {count} samlinger, og {fee} gir høyest forventet overskudd med "
            f"{other}."
        )
    if len(decisions) > 2 or decisions[1].startswith("Styret tar forslaget"):
        decisions.append(
            "Styret ber sekretariatet legge fram en endelig programplan for styret før programmet lyses ut."
        )
    return decisions


def asked_sessions(run: Run, gatherings: int) -> int | None:
    """The number of gatherings the decisions ask for when the economics support another number than the
    plan's (`resolution`), else None: the plan's own."""
    from pipeline.present import economics

    if not economics.configured(run):
        return None
    supported = economics.supported_sessions(run)
    return supported if supported is not None and supported != gatherings else None


def spare_topics(run: Run) -> int:
    """How many catalogue topics the chosen plan leaves out: what a weak slot could take instead."""
    plan = run.tables["plan"].loc[lambda d: d["chosen"]]
    return len(run.tables["topic_ranking"]) - plan["topic_id"].nunique()


def weak_slot_options(run: Run, new: list[str], named: bool) -> list[str]:
    """What a weak slot could take instead, only what exists: the new needs (several by title when
    `named`) and the catalogue topics the plan leaves out."""
    if len(new) == 1:
        needs = [f"det nye behovet «{new[0]}»"]
    elif new:
        needs = [f"de nye behovene {listed([f'«{t}»' for t in new])}" if named else "de nye behovene"]
    else:
        needs = []
    return [*needs, *(["andre programtemaer fra katalogen"] if spare_topics(run) else [])]


def assessment(run: Run, gatherings: int) -> list[str]:
    """The secretariat's assessment in a few sentences: how well the plan stands on the answers, what the
    new needs ask of it, what the economics allow, and therefore what the board is asked to do. Built from
    the same facts as `resolution`, so the two cannot disagree."""
    from pipeline.present import economics

    plan = run.tables["plan"].loc[lambda d: d["chosen"]]
    weak = findings.weak_topics(run)
    new = [c["title"] for c in run.plan_summary.get("candidates", [])]
    priced = economics.configured(run)
    supported = economics.supported_sessions(run) if priced else None
    missing = findings.uncovered_top_needs(run)
    weak_part = (
        f"ingen av de {len(plan)} plassene går til et programtema med svakt grunnlag i svarene"
        if not weak
        else f"{len(weak)} av de {len(plan)} plassene går til programtemaer med svakt grunnlag i svarene"
    )
    out = [
        f"Katalogen har ingen programtemaer for {listed([f'«{m}»' for m in missing])}, som er blant de "
        "største behovene "
        f"lederne har. Forslaget kan derfor ikke møte {'det' if len(missing) == 1 else 'dem'} uten nye "
        f"programtemaer, og {weak_part}."
        if missing
        else f"Forslaget bygger på det lederne selv sier at de trenger: {weak_part}."
    ]
    out += findings.grown_needs_sentence(run, asked_sessions(run, gatherings))
    if weak:
        fill = " eller ".join(weak_slot_options(run, new, named=False))
        fill = fill or "noe annet enn katalogens programtemaer"
        out.append(
            ("Plassen" if len(weak) == 1 else f"De {number_word(len(weak))} plassene")
            + f" med svakt grunnlag bør ikke låses før partnerne har vurdert om {fill} passer bedre."
        )
    elif new:
        out.append(
            f"Lederne tar opp {listed([f'«{t}»' for t in new])}, som katalogen ikke dekker. Det bør "
            "vurderes om det skal inn i programmet."
        )
    if not priced:
        out.append(
            "Økonomien er ikke beregnet ennå. Uten kostnader og en deltakeravgift kan styret ikke ta "
            "stilling til om programmet bærer seg."
        )
    elif supported is None:
        out.append("Med kostnadene i saken gir ingen deltakeravgift lav nok risiko for tap.")
    elif supported != gatherings:
        risk = format_percent(run.economics_summary["max_loss_probability"])
        out.append(
            f"Med {number_word(gatherings)} samlinger gir ingen deltakeravgift under {risk} risiko for tap "
            f"med kostnadene i saken; med {number_word(supported)} samlinger gjør "
            f"{economics.kroner(economics.recommended_fees(run)[supported], exact=True)} det. Økonomien "
            f"taler derfor for {number_word(supported)} samlinger, og da endres innholdet som beskrevet "
            "under «Forslag til program»."
        )
    else:
        out.append(f"Økonomien bærer {number_word(gatherings)} samlinger med lav risiko for tap.")
    endorse = priced and supported == gatherings and not weak
    asks = [
        *(["en vurdering av plassene med svakt grunnlag"] if weak else []),
        *(["en vurdering av de nye behovene"] if new and not weak else []),
        *(["et budsjett"] if not priced else []),
        *(["en kostnadsramme med lav nok risiko for tap"] if priced and supported is None else []),
        *(
            [f"et program med {number_word(supported)} samlinger"]
            if priced and supported is not None and supported != gatherings
            else []
        ),
    ]
    out.append(
        "Sekretariatet anbefaler derfor at styret slutter seg til forslaget."
        if endorse
        else f"Sekretariatet anbefaler derfor at styret tar forslaget til orientering og ber om "
        f"{listed(asks)}, før programmet lyses ut."
    )
    return out


def board_paper(
    run: Run,
    name: str,
    weights: dict[str, float],
    extra: list[tuple[str, list[str]]] = (),
    attachments: list[str] = (),
) -> Document:
    """`extra`: the economics (heading, paragraphs), under «Økonomiske konsekvenser» when present;
    `attachments`: the titles of the reports that go with the paper."""
    board = run.programme.board
    doc = Document()
    norwegian_a4(doc)
    doc.core_properties.title = f"Saksframlegg: {name}"
    doc.core_properties.author = board.author
    doc.core_properties.language = LANGUAGE
    gatherings = findings.programme(run)
    doc.add_paragraph("Saksframlegg", style="Title")
    doc.add_paragraph(name, style="Subtitle")
    case_header(doc, board)

    doc.add_heading("Bakgrunn", level=1)
    doc.add_paragraph(
        "Osloregionen vil tilby et lederprogram for ledere i medlemskommunene sammen med Olympiatoppen og "
        "Smart Innovation Norway. For å treffe det lederne faktisk trenger, ble medlemmene spurt i en "
        "undersøkelse, og et utvalg toppledere ble intervjuet. Saken oppsummerer hva de svarte, og legger "
        "fram et forslag til program."
        + (
            " Medlemmene er spurt for andre gang, og saken viser også hva som har endret seg siden forrige "
            "undersøkelse."
            if run.tables.get("needs_change") is not None
            else ""
        )
    )

    doc.add_heading("Kunnskapsgrunnlag", level=1)
    for line in findings.evidence(run, weights):
        doc.add_paragraph(line, style="List Bullet")
    doc.add_heading("De største behovene", level=2)
    for line in findings.top_needs(run):
        doc.add_paragraph(line, style="List Bullet")
    changes = findings.changes_lines(run, asked_sessions(run, len(gatherings)))
    if changes:
        doc.add_heading("Endringer siden forrige undersøkelse", level=2)
        doc.add_paragraph(changes[0])
        for line in changes[1:]:
            doc.add_paragraph(line, style="List Bullet")

    doc.add_heading("Forslag til program", level=1)
    for line in plan_facts(run):
        doc.add_paragraph(line)
    for g in gatherings:
        doc.add_heading(f"Samling {g.session}: {g.title}", level=2)
        for topic, who in g.topics:
            doc.add_paragraph(f"{topic} ({who})" if who else topic, style="List Bullet")
        doc.add_paragraph(g.purpose)
        if g.order_reason:
            doc.add_paragraph(f"Plass i rekkefølgen: {g.order_reason}")

    doc.add_heading("Vurdering", level=1)
    doc.add_heading("Nye behov", level=2)
    for line in findings.new_needs_lines(run):
        doc.add_paragraph(line)
    doc.add_heading("Hva er usikkert", level=2)
    for line in findings.caveats(run):
        doc.add_paragraph(line, style="List Bullet")
    doc.add_heading("Sekretariatets vurdering", level=2)
    for line in assessment(run, len(gatherings)):
        doc.add_paragraph(line)

    doc.add_heading("Økonomiske konsekvenser", level=1)
    money = [text for _heading, paragraphs in extra for text in paragraphs]
    for text in money or findings.no_economics(run):
        doc.add_paragraph(text)

    doc.add_heading("Forslag til vedtak", level=1)
    for decision in resolution(run, len(gatherings)):
        doc.add_paragraph(decision, style="List Number")

    doc.add_heading("Vedlegg", level=1)
    for i, title in enumerate(attachments or ["Rapportene fra analysen"], start=1):
        doc.add_paragraph(f"{i}. {title}")
    return doc


def write_board_paper(
    run: Run,
    name: str,
    weights: dict[str, float],
    path: Path,
    extra: list[tuple[str, list[str]]] = (),
    attachments: list[str] = (),
) -> Path:
    buffer = io.BytesIO()
    board_paper(run, name, weights, extra, attachments).save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(stable_zip(buffer.getvalue()))  # no time of writing in the file
    return path
