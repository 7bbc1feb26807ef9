"""What changed since the previous member survey, for partners: the needs per leadership area and by group
(the needs report), and what the leaders write about (the themes report). Nothing when the programme file
names no previous survey. Every sentence is built from the same rows as the table beside it."""

from __future__ import annotations

import html

import pandas as pd

from pipeline.present.base import HTML, Run, bullets, format_number, format_percent, table
from pipeline.present.themes import theme_names
from pipeline.text import capitalised, count_words, listed, number_word

HEADING = "Endringer siden forrige undersøkelse"
SEGMENT_NAMES = {"role": "Rolle", "size_band": "Kommunestørrelse", "span": "Personalansvar"}
REASONS = {  # wave_items' reasons (English, for analysts) as a partner reads them
    "only in the previous wave": "bare stilt i forrige undersøkelse",
    "only in the current wave": "bare stilt i denne undersøkelsen",
    "its area's other item is not comparable": "det andre spørsmålet om samme område kan ikke sammenlignes",
}


def has_previous(run: Run) -> bool:
    return run.tables.get("needs_change") is not None


def signed(value: float, decimals: int = 1, bound: bool = False) -> str:
    """'+1,2' or '−0,4'; a value that rounds to zero reads '0,0', without a sign. An interval's `bound`
    keeps its sign and gets the decimals it needs (−0,05, not −0,0): which side of zero it lies on is the
    claim."""
    for places in range(decimals, decimals + 3 if bound else decimals + 1):
        if round(abs(value), places) > 0:
            text = format_number(abs(value), places)
            return f"+{text}" if value > 0 else f"−{text}"
    return format_number(0.0, decimals)


def change_interval(lo: float, hi: float, decimals: int = 1) -> str:
    return f"{signed(lo, decimals, bound=True)} til {signed(hi, decimals, bound=True)}"


def shown_points(before: float, now: float) -> int:
    """The difference of two shares in whole percentage points, as the two shares are shown: 15 % and 2 %
    differ by 13 points on every page and in the workbook, whatever the decimals behind them."""

    def shown(share: float) -> int:
        return int(format_percent(share).split("\u202f")[0].replace("\u00a0", "").split(" ")[0])

    return shown(now) - shown(before)


def points(before: float, now: float) -> str:
    """`shown_points` in words (prosentpoeng)."""
    return f"{signed(shown_points(before, now), 0)} prosentpoeng"


def reason_text(reason: str) -> str:
    if reason.startswith("changed between the waves"):
        what = {"scale": "svarskalaen", "label": "ordlyden", "area": "området", "dimension": "spørsmålstypen"}
        changed = [n for k, n in what.items() if f"{k} '" in reason]
        return f"{listed(changed) or 'spørsmålet'} er endret"
    return REASONS.get(reason, reason)


def answered(run: Run) -> tuple[int, int]:
    """Leaders who answered at least one compared area, in the previous survey and in this one."""
    waves = run.needs_summary.get("waves") or {}
    change = run.tables["needs_change"]
    return (
        int(waves.get("previous", change["n_previous"].max())),
        int(waves.get("current", change["n_current"].max())),
    )


def sizes_line(run: Run) -> str:
    """Who answered each survey: the sizes the comparison rests on, and that they are other leaders."""
    before, now = answered(run)
    return (
        f"I forrige undersøkelse svarte {format_number(before)} ledere på spørsmålene om lederområdene, i "
        f"denne {format_number(now)} (hvert område har litt færre svar; se tabellen). Det er ikke de samme "
        "lederne som har svart, så en endring er forskjellen mellom to grupper av ledere, ikke hvordan den "
        "enkelte har endret seg."
    )


def waves_line(run: Run) -> str:
    """The sizes, what 'tydelig' means, and how many areas chance alone would show as changed."""
    confidence = run.needs_summary.get("confidence", 0.9)
    return (
        sizes_line(run)
        + " Vi kaller en endring tydelig når den er så stor at den neppe skyldes tilfeldigheter: hele "
        f"usikkerhetsintervallet ({format_percent(confidence)}) for endringen ligger over null, eller hele "
        "under null." + chance_line(len(run.tables["needs_change"]), confidence)
    )


def chance_line(areas: int, confidence: float) -> str:
    """How many areas chance alone would show as clearly changed, so a reader weighs a lone one."""
    expected = round(areas * (1 - confidence))
    if expected < 1:
        return ""
    return (
        f" Selv om ingenting hadde endret seg, ville omtrent {number_word(expected)} av de {areas} "
        "områdene se ut til å ha endret seg tydelig, ved en ren tilfeldighet."
    )


def why_line(row) -> str:
    """What moved the score: how important the area is and how well equipped leaders feel, before and now
    (averages on the 1–5 scales; described, not tested)."""

    def moved(before: float, now: float, up: str, down: str, same: str) -> str:
        b, n = format_number(before, 1), format_number(now, 1)
        return f"{same} ({n})" if b == n else f"{up if now > before else down} ({b} før, {n} nå)"

    importance = moved(
        row.importance_previous, row.importance_current, "viktigere", "mindre viktig", "like viktig"
    )
    competence = moved(
        row.competence_previous,
        row.competence_current,
        "bedre rustet",
        "dårligere rustet",
        "like godt rustet",
    )
    return f"Lederne vurderer området som {importance} og føler seg {competence}."


def area_sentence(row, of: int) -> str:
    """One clearly changed area: the direction, the scores with the interval of the change, the rank, and
    what moved it."""
    way = "økt" if row.mwds_change > 0 else "gått ned"
    moved = (
        f"Området er nr. {int(row.rank_current)} av {of} nå, mot nr. {int(row.rank_previous)} sist."
        if row.rank_previous != row.rank_current
        else f"Området er fortsatt nr. {int(row.rank_current)} av {of}."
    )
    return (
        f"{row.area_label}: behovet har {way} tydelig. Borich-skåren er {format_number(row.mwds_current, 1)} "
        f"nå, mot {format_number(row.mwds_previous, 1)} sist (endring {signed(row.mwds_change)}, intervall "
        f"{change_interval(row.mwds_change_lo, row.mwds_change_hi)}). {moved} {why_line(row)}"
    )


def needs_lines(run: Run) -> list[str]:
    """The clear changes first (growth, then fall, largest first), then 'ingen tydelig endring' for the
    rest, said plainly."""
    change = run.tables["needs_change"]
    grew = change.loc[change["clear"] & (change["mwds_change"] > 0)].sort_values(
        "mwds_change", ascending=False
    )
    fell = change.loc[change["clear"] & (change["mwds_change"] < 0)].sort_values("mwds_change")
    lines = [area_sentence(r, len(change)) for r in pd.concat([grew, fell]).itertuples(index=False)]
    rest = len(change) - len(grew) - len(fell)
    if rest and (len(grew) or len(fell)):
        lines.append(f"Ingen tydelig endring på de andre {format_number(rest)} lederområdene.")
    elif rest:
        lines.append(f"Ingen tydelig endring på noen av de {format_number(rest)} lederområdene.")
    return lines


def left_out_line(run: Run) -> str:
    items = run.tables.get("wave_items")
    if items is None or items["compared"].all():
        return "Spørsmålene om lederområdene er stilt likt begge gangene, så alle områdene er sammenlignet."
    left = items.loc[~items["compared"]]
    said = [f"«{q}» ({reason_text(r)})" for q, r in zip(left["label"], left["reason"], strict=True)]
    return (
        capitalised(count_words(len(left), "spørsmål", "spørsmål"))
        + " er ikke sammenlignet, fordi de ikke er stilt likt begge gangene: "
        + "; ".join(said)
        + "."
    )


def needs_section(run: Run) -> HTML:
    """The section of the needs report: heading, the sizes, the clear changes first, and the table."""
    if not has_previous(run):
        return HTML("")
    change = run.tables["needs_change"]
    shown = pd.DataFrame(
        {
            "Lederområde": change["area_label"],
            "Svar forrige / nå": [
                f"{format_number(a)} / {format_number(b)}"
                for a, b in zip(change["n_previous"], change["n_current"], strict=True)
            ],
            "Forrige": change["mwds_previous"].map(lambda v: format_number(v, 1)),
            "Nå": change["mwds_current"].map(lambda v: format_number(v, 1)),
            "Endring (intervall)": [
                f"{signed(c)} ({change_interval(lo, hi)})"
                for c, lo, hi in zip(
                    change["mwds_change"], change["mwds_change_lo"], change["mwds_change_hi"], strict=True
                )
            ],
            "Rang forrige → nå": [
                f"{int(a)} → {int(b)}"
                for a, b in zip(change["rank_previous"], change["rank_current"], strict=True)
            ],
            "Tydelig endring": change["clear"].map({True: "Ja", False: "–"}),
        }
    )
    return HTML(
        f"<h2>{HEADING}</h2><p>{html.escape(waves_line(run))}</p>"
        + bullets([*needs_lines(run), left_out_line(run)]).body
        + "<p>Tabellen viser Borich-skåren i hver undersøkelse, sortert etter behovet nå.</p>"
        + table(shown).body
    )


def segment_lines(run: Run) -> list[str]:
    """The clear changes within a group, and what the reader should know about the rest."""
    cells = run.tables.get("needs_change_segments")
    if cells is None or cells.empty:
        return [
            "Ingen grupper kan sammenlignes, fordi de samme spørsmålene om gruppe ikke er stilt begge "
            "gangene."
        ]
    clear = cells.loc[cells["clear"]].sort_values(
        ["segment_type", "segment", "mwds_change"], ascending=[True, True, False]
    )
    lines = []
    for row in clear.itertuples(index=False):
        way = "økt" if row.mwds_change > 0 else "gått ned"
        lines.append(
            f"{SEGMENT_NAMES.get(row.segment_type, row.segment_type)} «{row.segment}»: behovet innen "
            f"{row.area_label.lower()} har {way} tydelig, fra {format_number(row.mwds_previous, 1)} til "
            f"{format_number(row.mwds_current, 1)} ({format_number(row.n_previous)} svar i forrige "
            f"undersøkelse og {format_number(row.n_current)} nå)."
        )
    if ((clear["mwds_previous"] < 0) | (clear["mwds_current"] < 0)).any():
        lines.append(
            "En skår under null betyr at lederne i gruppen føler seg bedre rustet enn de mener området er "
            "viktig: de har ikke noe behov for opplæring der."
        )
    if len(clear) and run.tables["needs_change"]["clear"].any():
        lines.append(
            "Der et område har endret seg tydelig for alle, er gruppene nevnt der endringen er tydelig også "
            "innenfor gruppen. At en gruppe ikke er nevnt, betyr ikke at den har stått stille."
        )
    groups = cells.loc[~cells["suppressed"]].groupby(["segment_type", "segment"]).ngroups
    areas = cells["area"].nunique()
    lines.append(
        f"Vi har sammenlignet {format_number(groups)} grupper på {format_number(areas)} lederområder. "
        "Blant så mange sammenligninger vil noen se ut til å ha endret seg bare ved en tilfeldighet. "
        "Vi nevner derfor "
        "bare endringer som er så store at de står seg også når vi tar høyde for det"
        + ("." if len(clear) else "; ingen gruppe har en slik endring.")
    )
    if cells["suppressed"].any():
        lines.append(
            f"Der færre enn {run.min_cell} i en gruppe svarte på et område i en av undersøkelsene, er "
            "gruppen ikke sammenlignet på det området, og heller ikke en gruppe som sammen med den kunne "
            "avsløre "
            "tallene."
        )
    return lines


def segments_section(run: Run) -> HTML:
    if not has_previous(run):
        return HTML("")
    return HTML("<h3>Endringer i ulike grupper</h3>" + bullets(segment_lines(run)).body)


def theme_lines(run: Run) -> list[str]:
    change = run.tables["theme_change"]
    names = dict(zip(change["theme_id"], theme_names(change), strict=True))
    up = change.loc[change["clear"] & (change["change"] > 0)]
    down = change.loc[change["clear"] & (change["change"] < 0)]

    def said(rows: pd.DataFrame) -> str:
        return "; ".join(
            f"«{names[r.theme_id]}» (fra {format_percent(r.share_previous)} til "
            f"{format_percent(r.share_current)} "
            f"av lederne som skrev, {points(r.share_previous, r.share_current)})"
            for r in rows.itertuples(index=False)
        )

    lines = []
    if len(up):
        lines.append(f"Lederne skriver tydelig mer om {said(up)}.")
    if len(down):
        lines.append(f"Lederne skriver tydelig mindre om {said(down.sort_values('change'))}.")
    rest = len(change) - len(up) - len(down)
    lines.append(
        f"Ingen tydelig endring for {'de andre' if len(up) or len(down) else 'noen av de'} "
        f"{format_number(rest)} emnene."
    )
    terms = run.tables.get("term_change")
    for direction, word in (("more", "oftere"), ("less", "sjeldnere")):
        chosen = terms.loc[terms["direction"] == direction] if terms is not None else terms
        if chosen is not None and len(chosen):
            lines.append(
                f"Ord som brukes tydelig {word} enn før: "
                + listed(
                    [
                        f"«{r.term}» (i {format_number(r.n_previous)} svar før, "
                        f"{format_number(r.n_current)} nå)"
                        for r in chosen.itertuples(index=False)
                    ]
                )
                + "."
            )
    new = change.loc[change["new_need_candidate"]]
    if len(new):
        lines.append(
            "Nytt siden sist, og ikke dekket av programtemaene: "
            + listed([f"«{names[t]}»" for t in new["theme_id"]])
            + ". Det vurderes som et mulig nytt behov etter de samme reglene som de andre emnene."
        )
    return lines


def share_table(frame: pd.DataFrame, heading: str, names: pd.Series) -> pd.DataFrame:
    """Shares in each survey with the change in points (as the shares are shown) and its interval, for a
    table of themes or of catalogue topics."""
    return pd.DataFrame(
        {
            heading: names.to_numpy(),
            "Forrige": frame["share_previous"].map(format_percent).to_numpy(),
            "Nå": frame["share_current"].map(format_percent).to_numpy(),
            "Endring (intervall)": [
                f"{points(b, n)} ({signed(100 * lo, 0, bound=True)} til {signed(100 * hi, 0, bound=True)})"
                for b, n, lo, hi in zip(
                    frame["share_previous"],
                    frame["share_current"],
                    frame["change_lo"],
                    frame["change_hi"],
                    strict=True,
                )
            ],
            "Tydelig endring": frame["clear"].map({True: "Ja", False: "–"}).to_numpy(),
        }
    )


def themes_section(run: Run) -> HTML:
    """The section of the themes report: one theme model on both surveys' answers, share per survey."""
    change = run.tables.get("theme_change")
    if change is None:
        return HTML("")
    writers = run.theme_diagnostics.get("waves", {}).get("writers", {})
    intro = (
        "Emnene her er funnet på svarene fra begge undersøkelsene samlet, slik at et emne betyr det samme "
        "begge gangene. Derfor kan de avvike litt fra emnene over. Andelen er andelen av lederne som skrev "
        f"et svar med innhold: {format_number(writers.get('previous', 0))} i forrige undersøkelse og "
        f"{format_number(writers.get('current', 0))} i denne. Intervallene viser usikkerheten i endringen."
    )
    shown = share_table(change, "Emne", theme_names(change)).assign(
        Programtema=change["topic_title"].fillna("– (ingen)").to_numpy()
    )
    shown = shown[["Emne", "Forrige", "Nå", "Endring (intervall)", "Programtema", "Tydelig endring"]]
    topics = run.tables["topic_change"]
    by_topic = share_table(topics, "Programtema", topics["title"])
    return HTML(
        f"<h2>{HEADING}</h2><p>{html.escape(intro)}</p>"
        + bullets(theme_lines(run)).body
        + table(shown).body
        + "<h3>Er de nye behovene nye siden sist?</h3>"
        + bullets(new_theme_lines(run) or ["Lederne tar ikke opp noe nytt behov som katalogen mangler."]).body
        + "<h3>Programtemaene i fritekstsvarene, per undersøkelse</h3><p>Andelen av lederne som skrev noe "
        "som hører til hvert programtema. Et svar hører til et programtema når det bruker temaets ord og "
        "handler om det samme; det er en annen måling enn emnene over, så tallene kan avvike fra dem.</p>"
        + table(by_topic).body
    )


def quotes_by_wave(run: Run) -> HTML:
    """Two quotes per clearly changed theme from each survey (already pseudonymised)."""
    change = run.tables.get("theme_change")
    if change is None:
        return HTML("")
    parts = []
    names = dict(zip(change["theme_id"], theme_names(change), strict=True))
    for row in change.loc[change["clear"]].itertuples(index=False):
        said = [
            f"<li><em>{when}:</em> «{html.escape(q)}»</li>"
            for when, quotes in (("Forrige", row.quotes_previous), ("Nå", row.quotes_current))
            for q in list(quotes)[:2]
        ]
        if said:
            parts.append(f"<h4>{html.escape(names[row.theme_id])}</h4><ul>{''.join(said)}</ul>")
    return HTML("<h3>Sitater fra emnene som har endret seg</h3>" + "".join(parts) if parts else "")


def new_theme_lines(run: Run) -> list[str]:
    """For each new need of this survey (the themes report's «Nye behov»): whether it was there last time,
    from the answers most like its answers among both surveys (`themes.waves.current_themes_then`)."""
    then = run.tables.get("current_theme_change")
    if then is None:
        return []
    themes = run.tables["themes"]
    names = dict(zip(themes["theme_id"], theme_names(themes), strict=True))
    lines = []
    for r in then.loc[then["emerging"] & (then["n_answers"] > 0)].itertuples(index=False):
        shares = (
            f"av svarene som ligner mest på svarene i emnet, er {format_percent(r.neighbours_current)} fra "
            f"denne undersøkelsen, mot {format_percent(r.base_current)} av alle svarene"
        )
        if r.new_since_previous:
            lines.append(
                f"«{names[r.theme_id]}» er nytt siden sist: {shares}. Hadde emnet vært like vanlig sist, "
                "ville de to andelene vært omtrent like."
            )
        else:
            lines.append(
                f"«{names[r.theme_id]}» ble også tatt opp sist: {shares}. Forskjellen er ikke tydelig."
            )
    return lines
