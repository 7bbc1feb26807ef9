"""Themes for partners: labels, reach, catalogue topics, emerging needs and quotes (escaped)."""

from __future__ import annotations

import html

import pandas as pd

from pipeline.needs.preferences import answer_order
from pipeline.present.base import HTML, Run, bullets, format_number, format_percent, table
from pipeline.privacy import format_count
from pipeline.text import capitalised, listed, number_word

# the sources' names in the reports, with what `n` counts for each
SOURCE_NAMES = {"survey": "Fritekst i undersøkelsen, respondenter", "interview": "Intervjuer, utsnitt"}


def theme_names(themes: pd.DataFrame) -> pd.Series:
    """The themes' names as partners read them (the distinctive words where a run has no names). A group of
    answers about many different things gets no name that claims otherwise: it is called mixed, with the
    words that recur in it."""
    names = themes["name"] if "name" in themes else themes["label"]
    if "emerging_reason" not in themes:
        return names
    reason = themes["emerging_reason"].fillna("")
    talk = reason.str.startswith(TALK_REASONS)
    names = names.where(
        ~talk, "Blandede svar med mye praktisk prat (ord som går igjen: " + themes["label"] + ")"
    )
    return names.where(~mixed(themes) | talk, "Blandede svar (ord som går igjen: " + themes["label"] + ")")


# why an uncovered group of answers is no new need, in plain words (keys: the start of `emerging_reason`)
PLAIN_REASONS = {
    "for sammensatt": "svarene i den har ikke flere ord felles enn tilfeldig valgte svar",
    "for få": "for få ledere tar det opp",
    "praktiske innspill": "det er praktiske innspill om sted, tid og form, ikke et behov",
    "mest presentasjoner": "det er mest informantenes presentasjoner av seg selv",
    "mye praktisk prat": "{talk} av svarene i den er praktiske innspill, hilsener eller presentasjoner, mot "
    "{run} av alle svarene",
}
TALK_REASONS = ("praktiske innspill", "mest presentasjoner", "mye praktisk prat")


def run_talk_share(themes: pd.DataFrame) -> float:
    """The share of all answers and passages that are practical talk or introductions: each emne's share
    weighted by its own documents (which together are every document)."""
    if "talk_share" not in themes or themes["n_docs"].sum() == 0:
        return float("nan")
    return float((themes["talk_share"] * themes["n_docs"]).sum() / themes["n_docs"].sum())


def _rejected(themes: pd.DataFrame) -> list[tuple[pd.Series, str, str]]:
    """The uncovered themes not counted as new needs: (theme, its name for readers, the plain reason)."""
    out = []
    overall = run_talk_share(themes)
    for (_, theme), name in zip(themes.iterrows(), theme_names(themes), strict=True):
        reason = next(
            (v for k, v in PLAIN_REASONS.items() if str(theme["emerging_reason"]).startswith(k)), None
        )
        if reason is not None and not bool(theme["emerging"]):
            if "{talk}" in reason:
                reason = reason.format(talk=format_percent(theme["talk_share"]), run=format_percent(overall))
            out.append((theme, name, reason))
    return out


def uncovered(run: Run, too_few_only: bool = False) -> list[str]:
    """What the answers raise that no catalogue topic covers but that is not counted as a new need, each
    with the reason in plain words (the themes report's full account); `too_few_only`: the real subjects
    raised by too few, which the programme group may consider (`candidates`)."""
    return [
        f"{name}: {theme['n_respondents']} ledere ({format_percent(theme['share_respondents'])} av dem "
        f"som skrev fritekst). Ikke regnet som nytt behov fordi {reason}."
        for theme, name, reason in _rejected(run.tables["themes"])
        if not too_few_only or str(theme["emerging_reason"]).startswith("for få")
    ]


def candidates(run: Run) -> list[str]:
    """Uncovered themes that are real subjects but raised by too few to count as a new need."""
    return uncovered(run, too_few_only=True)


def not_needs(run: Run) -> str:
    """One sentence on the uncovered groups of answers that are no subject at all (practical talk,
    introductions, mixed answers), or '' when there are none."""
    found = [
        theme
        for theme, _, _ in _rejected(run.tables["themes"])
        if not str(theme["emerging_reason"]).startswith("for få")
    ]
    if not found:
        return ""
    themes = run.tables["themes"]
    talk = [t for t in found if str(t["emerging_reason"]).startswith(TALK_REASONS)]
    loose = len(found) - len(talk)
    out = []
    if talk:
        groups = "Én gruppe" if len(talk) == 1 else f"{capitalised(number_word(len(talk)))} grupper"
        shares = listed([format_percent(t["talk_share"]) for t in talk])
        out.append(
            f"{groups} av svarene er blandinger der mye er praktiske innspill om sted og tid, hilsener eller "
            f"presentasjoner ({shares} av svarene og intervjuutsnittene i dem, mot "
            f"{format_percent(run_talk_share(themes))} av alle)."
        )
    if loose:
        groups = "Én gruppe" if loose == 1 else f"{capitalised(number_word(loose))} grupper"
        out.append(f"{groups} av svarene har ikke flere ord felles enn tilfeldig valgte svar.")
    return " ".join(out) + " De regnes ikke som behov; rapporten om emnene viser dem."


def themes_table(run: Run) -> HTML:
    """Themes ('emner') by size: label, documents, share of the respondents who wrote, interviews, catalogue
    topic ('programtema')."""
    themes = run.tables["themes"].sort_values(["n_docs", "theme_id"], ascending=[False, True], kind="stable")
    shown = pd.DataFrame(
        {
            "Emne": theme_names(themes),
            "Kjennetegnende ord": themes["label"],
            "Svar og utsnitt": themes["n_docs"].map(format_number),
            "Andel av dem som skrev fritekst": themes["share_respondents"].map(format_percent),
            "Intervjuer": themes["interviews"].map(len),
            "Programtema i katalogen": [
                t
                if isinstance(t, str) and t
                else "– nytt behov"
                if new
                else "– ingen (ikke regnet som nytt behov; se «Nye behov»)"
                for t, new in zip(themes["topic_title"], themes["emerging"].astype(bool), strict=True)
            ],
        }
    )
    return table(shown)


def emerging_needs(run: Run) -> HTML:
    """Themes that no catalogue topic covers, that are substantive and raised by enough leaders: new needs,
    with their words, a suggested topic title and a quote; then the uncovered themes that were not counted,
    with the reason, and catalogue topics no answer supports."""
    themes = run.tables["themes"]
    new = themes.loc[themes["emerging"].astype(bool)]
    parts = []
    if new.empty:
        parts.append("<p>Ingen nye behov: det lederne tar opp, dekkes av programtemaene i katalogen.</p>")
    else:
        items = []
        for _, theme in new.iterrows():
            quote = list(theme["quotes"])[:1]
            items.append(
                f"<li><strong>{html.escape(theme.get('name', theme['label']))}</strong> "
                f"({theme['n_docs']} svar og utsnitt, "
                f"{theme['n_respondents']} respondenter, {len(theme['interviews'])} intervjuer). "
                f"Forslag til nytt programtema: «{html.escape(theme['suggested_title'])}». "
                "Kjennetegnende ord: "
                f"{html.escape(', '.join(list(theme['terms'])[:6]))}."
                + (f"<blockquote>«{html.escape(quote[0])}»</blockquote>" if quote else "")
                + "</li>"
            )
        parts.append("<ul>" + "".join(items) + "</ul>")
    rejected = uncovered(run) if "emerging_reason" in themes else []
    if rejected:
        parts.append(
            "<p>Disse emnene dekkes heller ikke av katalogen, men er ikke regnet som nye behov; "
            "programgruppen kan vurdere dem:</p>" + bullets(rejected).body
        )
    diagnostics = run.theme_diagnostics
    unsupported = diagnostics.get("unsupported_topics", [])
    if unsupported:
        titles = dict(
            zip(run.tables["topic_ranking"]["topic_id"], run.tables["topic_ranking"]["title"], strict=True)
        )
        parts.append(
            "<p>Ingen svar eller intervjuutsnitt bruker ordene til disse programtemaene: "
            + html.escape("; ".join(titles.get(t, t) for t in unsupported))
            + ".</p>"
        )
    return HTML("".join(parts))


def quotes(run: Run, per_theme: int = 2) -> HTML:
    """Representative anonymised quotes per theme, escaped."""
    parts = []
    themes = run.tables["themes"].sort_values("theme_id")
    for (_, theme), name, loose in zip(themes.iterrows(), theme_names(themes), mixed(themes), strict=True):
        if loose and "emerging_reason" in themes:  # small talk and leftovers are no evidence of a need
            continue
        items = "".join(
            f"<blockquote>«{html.escape(q)}»</blockquote>" for q in list(theme["quotes"])[:per_theme]
        )
        parts.append(f"<h4>{html.escape(name)}</h4>{items or '<p>Ingen sitater.</p>'}")
    return HTML("".join(parts))


def mixed(themes: pd.DataFrame) -> pd.Series:
    """Themes of leftovers from many topics ('for sammensatt') or of talk around the programme: no theme a
    reader can act on, so not named among the largest."""
    return themes["emerging_reason"].fillna("").str.startswith(("for sammensatt", *TALK_REASONS))


def headline(run: Run) -> HTML:
    """The themes in a few lines."""
    themes = run.tables["themes"].sort_values("n_docs", ascending=False)
    emerging = theme_names(themes).loc[themes["emerging"].astype(bool)].tolist()
    items = [
        f"Svarene fordeler seg på {len(themes)} emner, i "
        f"{format_number(int(themes['n_docs'].sum()))} fritekstsvar og intervjuutsnitt.",
        largest(themes),
    ]
    if emerging:
        items.append("Nye behov, som ingen programtemaer i katalogen dekker: " + "; ".join(emerging) + ".")
    items.append(representation(run.theme_diagnostics.get("representation") or {}))
    return bullets(items)


def largest(themes: pd.DataFrame, n: int = 3) -> str:
    """'Størst av emnene med et felles innhold (…): A (68), B (60), C og D (57 hver).': the n largest emner
    by their own answers and passages, with every emne tied with the last; mixed groups are not named."""
    shown = themes.loc[~mixed(themes)].assign(_name=theme_names(themes).loc[~mixed(themes)])
    shown = shown.sort_values(["n_docs", "theme_id"], ascending=[False, True], kind="stable")
    if shown.empty:
        return "Ingen av emnene samler svar om ett felles tema."
    cut = shown["n_docs"].iloc[min(n, len(shown)) - 1]
    shown = shown.loc[shown["n_docs"] >= cut]
    parts = []
    for count, group in shown.groupby("n_docs", sort=False):
        names = group["_name"].tolist()
        parts.append(f"{names[0]} ({count})" if len(names) == 1 else f"{listed(names)} ({count} hver)")
    return "Størst av emnene med et felles innhold (svar og intervjuutsnitt): " + "; ".join(parts) + "."


def representation(described: dict) -> str:
    """What the themes stand on, in one sentence: the words alone, or the words and a language model."""
    if not described.get("encoder"):
        return (
            "Emnene bygger på ordene i svarene alene: svar som sier det samme med andre ord, kan havne i "
            "ulike emner."
        )
    return (  # the model's name is in the run's record (om_kjoringen), not in partner text
        "Emnene bygger både på ordene i svarene og på meningen i dem. Meningen måles med en flerspråklig "
        "språkmodell som kjører lokalt, slik at svar som sier det samme med andre ord, havner sammen."
    )


def prevalence_table(run: Run, segment_type: str, heading: str) -> HTML:
    """Share of respondents (or passages) carrying each theme, per segment, with the interval; small
    segments show as '<k'."""
    prevalence = run.tables["theme_prevalence"].loc[lambda d: d["segment_type"] == segment_type]
    labels = theme_names(run.tables["themes"]).set_axis(run.tables["themes"]["theme_id"])

    def cell(row: pd.Series) -> str:
        if row["suppressed"]:
            return f"<{run.min_cell}"
        return (
            f"{format_percent(row['share'])} ({format_percent(row['share_lo'])}–"
            f"{format_percent(row['share_hi'])})"
        )

    wide = prevalence.assign(cell=prevalence.apply(cell, axis=1)).pivot(
        index="theme_id", columns="segment", values="cell"
    )
    wide = wide[sorted(wide.columns, key=lambda c: (answer_order(str(c)), str(c)))]
    wide.index = [labels.get(t, t) for t in wide.index]
    names = SOURCE_NAMES if segment_type == "source" else {}
    wide.columns = [
        f"{names.get(c, c)} (n={format_count(int(n), run.min_cell)})"
        for c, n in prevalence.groupby("segment")["n"].first().reindex(wide.columns).items()
    ]
    return table(wide.rename_axis(heading).reset_index())


def pp_interval(effect: float, lo: float, hi: float) -> str:
    """A difference in percentage points with its interval; with one decimal when a bound would round to
    0, so an interval that excludes zero never reads as touching it."""
    decimals = 1 if min(abs(lo), abs(hi)) < 0.005 else 0
    return (
        f"{format_number(100 * effect, decimals)} ({format_number(100 * lo, decimals)} til "
        f"{format_number(100 * hi, decimals)})"
    )


def effects_table(run: Run) -> HTML:
    """Differences in theme prevalence between groups that the intervals say are real (adjusted for the
    other attribute), in percentage points."""
    effects = run.tables["theme_effects"]
    real = effects.loc[
        ~effects["suppressed"].astype(bool) & ((effects["effect_lo"] > 0) | (effects["effect_hi"] < 0))
    ]
    if real.empty:
        return HTML("<p>Ingen sikre forskjeller mellom rollene eller kommunestørrelsene.</p>")
    labels = theme_names(run.tables["themes"]).set_axis(run.tables["themes"]["theme_id"])
    shown = pd.DataFrame(
        {
            "Emne": real["theme_id"].map(labels),
            "Gruppe": real["level"],
            "Sammenlignet med": real["reference"],
            "Forskjell (prosentpoeng)": [
                pp_interval(e, lo, hi)
                for e, lo, hi in zip(real["effect"], real["effect_lo"], real["effect_hi"], strict=True)
            ],
        }
    )
    return table(shown)


def catalogue_terms(run: Run, shown: int = 6) -> HTML:
    """Per catalogue topic (in ranked order), the words that tied answers and passages to it: the catalogue's
    seed terms and the related terms from the shipped list, each with how many answers and passages use it."""
    terms = run.tables["seed_terms"].loc[lambda d: d["documents"] > 0]
    terms = terms.sort_values(["documents", "term"], ascending=[False, True], kind="stable")
    ranking = run.tables["topic_ranking"].sort_values("rank", kind="stable")

    def listed(rows: pd.DataFrame) -> str:
        words = [f"{r.term} ({format_number(r.documents)})" for r in rows.head(shown).itertuples()]
        more = len(rows) - shown
        return ", ".join(words) + (f" og {more} til" if more > 0 else "") if words else "–"

    by_topic = dict(tuple(terms.groupby("topic_id", sort=False)))
    empty = terms.iloc[:0]
    rows = []
    for topic in ranking.itertuples():
        own = by_topic.get(topic.topic_id, empty)
        rows.append(
            {
                "Programtema": topic.title,
                "Søkeord fra katalogen": listed(own.loc[own["source"] == "catalogue"]),
                "Beslektede ord fra ordlisten": listed(own.loc[own["source"] == "related"]),
            }
        )
    return table(pd.DataFrame(rows))


def review_how_to(run: Run) -> HTML:
    """For the analysts' version only: how to write and use the coding sheet."""
    return HTML(
        "<p>For analytikere: <code>python -m pipeline review</code> (eller <code>make review</code>) skriver "
        "regnearket med maskinens koding. Sett det i <code>[themes].review</code> i programfilen; rettelsene "
        "brukes ved neste kjøring.</p>"
    )


def review_summary(run: Run) -> HTML:
    """How many answers and passages an analyst has checked, and how well the machine's coding agreed."""
    table_ = run.tables["review_agreement"]
    overall = table_.loc[table_["topic_id"] == "alle"]
    reviewed = int(overall["documents"].iloc[0]) if len(overall) else 0
    if reviewed == 0:
        return HTML(
            "<p>Ingen svar er kontrollert av en analytiker ennå. Maskinens koding kan kontrolleres i et "
            "regneark, og rettelsene brukes ved neste kjøring.</p>"
        )
    titles = dict(
        zip(run.tables["topic_ranking"]["topic_id"], run.tables["topic_ranking"]["title"], strict=True)
    )
    rows = table_.loc[(table_["topic_id"] != "alle") & (table_["reviewer_yes"] + table_["machine_yes"] > 0)]

    def share(v: float) -> str:
        return "–" if pd.isna(v) else format_percent(v)

    shown = pd.DataFrame(
        {
            "Programtema": rows["topic_id"].map(titles),
            "Analytiker: ja": rows["reviewer_yes"].map(format_number),
            "Maskin: ja": rows["machine_yes"].map(format_number),
            "Maskinen traff (presisjon)": rows["precision"].map(share),
            "Maskinen fant (treff av analytikerens)": rows["recall"].map(share),
            "Samsvar (kappa)": rows["kappa"].map(lambda v: "–" if pd.isna(v) else format_number(v, 2)),
        }
    )
    kappa = overall["kappa"].iloc[0]
    intro = (
        f"<p>En analytiker har kontrollert {format_number(reviewed)} svar og utsnitt. Der gjelder "
        "analytikerens koding, og den brukes også til å kode lignende svar. Samsvaret mellom maskinen og "
        f"analytikeren er {format_number(kappa, 2)} (Cohens kappa: 1 er fullt samsvar, 0 er det man ville "
        "fått ved tilfeldighet).</p>"
    )
    score = run.theme_diagnostics.get("review_model")
    if score:
        intro += (
            f"<p>Modellens treffsikkerhet på kontrollerte svar den ikke har lært av: kappa "
            f"{format_number(score['kappa'], 2)} (hver femtedel av de {format_number(score['rows'])} "
            "kontrollerte svarene er kodet ut fra de fire andre femtedelene). To menneskelige kodere når "
            "gjerne 0,75–0,80.</p>"
        )
    else:
        intro += (
            "<p>Når minst 50 svar er kontrollert, vises også modellens treffsikkerhet på svar den ikke har "
            "lært av.</p>"
        )
    return HTML(intro + table(shown).body)
