"""Need profiles for partners: how many kinds of leaders the survey shows, what each needs more than the whole
group, who they are, what they write about, and whether the programme should have parallel groups."""

from __future__ import annotations

import html

import pandas as pd

from pipeline.needs.segments import segment_order
from pipeline.present.base import HTML, Run, bullets, format_number, format_percent, table, too_few_needs
from pipeline.present.themes import theme_names
from pipeline.privacy import format_count

CLEAR_PROBABILITY = 0.8  # mean probability of membership above which the profiles are clear-cut
SEGMENT_NAMES = {"role": "Rolle", "size_band": "Kommunestørrelse", "span": "Antall ansatte"}


def _summary(run: Run) -> pd.DataFrame:
    profiles = run.tables["need_profiles"]
    return profiles.drop_duplicates("profile").sort_values("profile")


def _top_areas(run: Run, profile: int) -> list[str]:
    part = run.tables["need_profiles"].loc[lambda d: (d["profile"] == profile) & d["top"]]
    return part.sort_values("rank_in_profile")["area_label"].tolist()


def _clear(run: Run) -> bool:
    assigned = run.tables["respondent_profiles"].loc[lambda d: d["profile"] > 0]
    return bool(len(assigned)) and float(assigned["probability"].mean()) >= CLEAR_PROBABILITY


def differ_enough(run: Run) -> bool:
    """Profiles justify parallel groups or an elective slot: more than one, clear-cut, and with different
    top needs."""
    summary = _summary(run)
    if len(summary) < 2 or not _clear(run):
        return False
    tops = {frozenset(_top_areas(run, int(p))) for p in summary["profile"]}
    return len(tops) == len(summary)


def profiles_headline(run: Run) -> HTML:
    """The finding in plain sentences: no distinct profiles, or how many and which."""
    summary = _summary(run)
    diagnostics = run.store.read_json("profile_diagnostics")
    not_placed = int(diagnostics.get("not_placed", 0))
    items = []
    if too_few_needs(run):
        return bullets(["Det er for få svar til å se etter behovsprofiler."])
    if len(summary) < 2:
        items.append(
            "Svarene viser ingen tydelige behovsprofiler: lederne skiller seg ikke i grupper med ulike behov "
            "som holder når vi trekker utvalget på nytt. Ett felles program passer for alle."
        )
    else:
        mean_p = run.tables["respondent_profiles"].loc[lambda d: d["profile"] > 0, "probability"].mean()
        items.append(
            f"Svarene viser {len(summary)} behovsprofiler, grupper av ledere med ulike behov på tvers av "
            "rolle og kommunestørrelse. Gjennomsnittlig sikkerhet for plasseringen er "
            f"{format_percent(mean_p)}."
        )
        for row in summary.itertuples(index=False):
            items.append(
                f"{row.profile_name}: {format_percent(row.share)} av lederne "
                f"({format_percent(row.share_lo)}–{format_percent(row.share_hi)}), størst ekstra behov innen "
                + ", ".join(a.lower() for a in _top_areas(run, int(row.profile)))
                + "."
            )
    if not_placed:
        who = "leder" if not_placed == 1 else "ledere"
        items.append(f"{not_placed} {who} svarte på for få lederområder til å få en profil.")
    return bullets(items)


def profiles_table(run: Run) -> HTML:
    """Each profile's three largest extra needs: its Borich score beside the whole group's."""
    profiles = run.tables["need_profiles"]
    if profiles["profile"].nunique() < 2:
        return HTML("")
    part = profiles.loc[profiles["top"]].sort_values(["profile", "rank_in_profile"])
    shown = pd.DataFrame(
        {
            "Profil": part["profile_name"],
            "Lederområde": part["area_label"],
            "Borich-skår i profilen": part["mwds"].map(lambda v: format_number(v, 1)),
            "Borich-skår for alle": part["mwds_all"].map(lambda v: format_number(v, 1)),
            "Viktighet": part["importance"].map(lambda v: format_number(v, 2)),
            "Kompetanse": part["competence"].map(lambda v: format_number(v, 2)),
        }
    )
    return table(shown)


def composition_table(run: Run, segment_type: str) -> HTML:
    """Who the profiles are: members per segment, counts under the threshold hidden."""
    part = run.tables["profile_segments"].loc[lambda d: d["segment_type"] == segment_type]
    if part.empty or part["profile"].nunique() < 2:
        return HTML("")
    shown = part.assign(
        cell=[
            "skjult" if hidden else f"{format_count(int(n), run.min_cell)} ({format_percent(share)})"
            for n, share, hidden in zip(part["n"], part["share"], part["suppressed"], strict=True)
        ]
    ).pivot(index="segment", columns="profile_name", values="cell")
    shown = shown.reindex(segment_order(list(shown.index)))
    shown.columns.name = None
    order = part.drop_duplicates("profile").sort_values("profile")["profile_name"]
    shown = (
        shown[order.tolist()].reset_index().rename(columns={"segment": SEGMENT_NAMES.get(segment_type, "")})
    )
    return table(shown)


def raised_table(run: Run) -> HTML:
    """Catalogue topics and themes a profile's members write about clearly more than others (`clear`: the
    difference holds after the false discovery rate over all comparisons)."""
    evidence = run.tables["profile_topics"]
    if evidence.empty:
        return HTML("")
    clear = evidence.loc[evidence["clear"]]
    if clear.empty:
        return HTML(
            "<p>Ingen emner skiller seg tydelig ut i fritekstsvarene til en profil: for alle kan "
            "forskjellen mellom profilene skyldes tilfeldigheter når vi tar hensyn til hvor mange "
            "sammenligninger som er gjort.</p>"
        )
    clear = clear.sort_values(["profile", "lift"], ascending=[True, False])
    themes = run.tables["themes"]
    names = dict(zip(themes["theme_id"], theme_names(themes), strict=True))  # as the themes report names them
    item = [
        names.get(i, n) if k == "theme" else n
        for i, n, k in zip(clear["item_id"], clear["item_name"], clear["kind"], strict=True)
    ]
    shown = pd.DataFrame(
        {
            "Profil": clear["profile_name"],
            "Emne eller programtema i fritekst": pd.Series(item, index=clear.index)
            + clear["kind"].map({"topic": " (katalogen)", "theme": ""}),
            "Andel i profilen": clear["share_profile"].map(format_percent),
            "Andel blant andre": clear["share_others"].map(format_percent),
            "Forholdstall": [
                f"{format_number(v, 2)} ({format_number(lo, 2)}–{format_number(hi, 2)})"
                for v, lo, hi in zip(clear["lift"], clear["lift_lo"], clear["lift_hi"], strict=True)
            ],
        }
    )
    return table(shown)


def composition(run: Run) -> HTML:
    """«Hvem er i profilene»: the profiles' members by role and by municipality size; nothing at all (no
    heading either) with fewer than two profiles, which the headline already says."""
    parts = [composition_table(run, kind).body for kind in ("role", "size_band")]
    parts = [p for p in parts if p]
    if not parts:
        return HTML("")
    return HTML(
        "<h3>Hvem er i profilene</h3>" + "".join(parts) + f"<p><small>Skjult: færre enn {run.min_cell} svar, "
        "eller skjult for at et lite tall ikke skal kunne regnes ut fra summene.</small></p>"
    )


def writing(run: Run) -> HTML:
    """«Hva profilene skriver om»: what each profile's members raise clearly more often, and their quotes;
    nothing at all (no heading either) with fewer than two profiles."""
    if run.tables["need_profiles"]["profile"].nunique() < 2 or run.tables["profile_topics"].empty:
        return HTML("")
    return HTML(
        "<h3>Hva profilene skriver om</h3><p>Emner og programtemaer som medlemmene av en profil tar opp "
        "klart oftere i fritekst enn de andre lederne. Forholdstallet sier hvor mange ganger oftere, med "
        "90\u202f%-intervall. Bare forskjeller som holder når vi tar hensyn til hvor mange sammenligninger "
        "som er gjort, er med.</p>" + raised_table(run).body + profile_quotes(run).body
    )


def profile_quotes(run: Run) -> HTML:
    """One or two anonymised quotes per profile: from the topic or theme its members raise clearly more than
    others, else from the catalogue topic that serves the profile's needs best."""
    evidence = run.tables["profile_topics"]
    if evidence.empty:
        return HTML("")
    parts = []
    usable = evidence.loc[~evidence["suppressed"] & (evidence["quotes"].map(len) > 0)]
    for _profile, part in usable.groupby("profile", sort=True):
        raised = part.loc[part["clear"]].sort_values(["lift", "item_id"], ascending=[False, True])
        served = part.loc[part["kind"] == "topic"].sort_values(
            ["need_difference", "item_id"], ascending=[False, True]
        )
        best = raised if len(raised) else served
        if best.empty:
            continue
        row = best.iloc[0]
        quotes = "".join(f"<blockquote>«{html.escape(q)}»</blockquote>" for q in list(row["quotes"])[:2])
        about = html.escape(row["item_name"])
        parts.append(f"<p><strong>{html.escape(row['profile_name'])}</strong>, om {about}:</p>{quotes}")
    return HTML("".join(parts))


def parallel_groups(run: Run) -> HTML:
    """For the plan: do the profiles justify parallel groups or an elective slot, and with which topics."""
    summary = _summary(run)
    if len(summary) < 2:
        return bullets(
            [
                "Undersøkelsen viser ingen tydelige behovsprofiler. Ett felles opplegg for alle deltakerne "
                "er godt begrunnet; parallelle grupper trengs ikke ut fra behovene."
            ]
        )
    ranking = run.tables["topic_ranking"]
    chosen = run.tables["plan"].loc[lambda d: d["chosen"]]
    planned = set(chosen["topic_id"])
    weak = set(chosen.loc[chosen["weak"].astype(bool), "topic_id"])
    items = []
    if differ_enough(run):
        items.append(
            f"De {len(summary)} behovsprofilene har ulike behov, og lederne plasseres sikkert i dem. Det "
            "taler for parallelle grupper eller et valgfritt spor på minst én samling."
        )
    else:
        items.append(
            "Behovsprofilene ligner hverandre for mye, eller plasseringen er for usikker, til at parallelle "
            "grupper er godt begrunnet. Ett felles opplegg med eksempler for hver profil er nok."
        )
    for row in summary.itertuples(index=False):
        served = ranking.loc[ranking["serves_profile"] == row.profile_name].sort_values(
            ["profile_need_gap", "topic_id"], ascending=[False, True]
        )
        if served.empty:
            continue
        best = served.iloc[0]
        where = (
            "og er med i planen, men har svakt grunnlag blant lederne samlet: byttes det ut, mister denne "
            "gruppen temaet som treffer den best"
            if best["topic_id"] in weak
            else "og er allerede med i planen"
            if best["topic_id"] in planned
            else "og er ikke med i planen: et naturlig tema for et valgfritt spor"
        )
        items.append(f"{row.profile_name}: «{best['title']}» treffer behovene i denne profilen best {where}.")
    return bullets(items)
