"""Figures for reports (matplotlib, Norwegian labels, readable in black and white)."""

from __future__ import annotations

import textwrap
from typing import Any

import matplotlib

matplotlib.use("Agg")  # figures are rendered to PNG and embedded; no display needed
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from pipeline.needs.segments import segment_order  # noqa: E402
from pipeline.present.base import HTML, embed  # noqa: E402
from pipeline.text import format_number  # noqa: E402

PRINT_WIDTH = 7.0  # inches: an A4 page's text width, so a figure prints at its own size and its text at 8 pt+
SMALLEST_FONT = 8.5  # points, the smallest text a figure draws


def width(wanted: float) -> float:
    """A figure's width in inches, no wider than the printed page."""
    return min(PRINT_WIDTH, wanted)


def too_few(needs: pd.DataFrame, min_cell: int) -> tuple[pd.DataFrame, HTML | None]:
    """(the areas at least `min_cell` leaders answered; a sentence to show instead of the figure when there
    are none): one person's answers are not drawn."""
    if "n" not in needs:
        return needs, None
    shown = needs.loc[needs["n"] >= min_cell]
    if shown.empty:
        most = int(needs["n"].max()) if len(needs) else 0
        who = "ingen ledere" if most == 0 else "én leder" if most == 1 else f"{most} ledere"
        return shown, HTML(f"<p>Figuren vises ikke fordi bare {who} har svart.</p>")
    return shown, None


def mwds_chart(needs: pd.DataFrame, confidence: float = 0.9, min_cell: int = 1) -> HTML:
    """Borich MWDS per leadership area with its bootstrap interval, highest need on top; only areas at least
    `min_cell` leaders answered."""
    needs, instead = too_few(needs, min_cell)
    if instead is not None:
        return instead
    needs = needs.sort_values("mwds")
    fig, ax = plt.subplots(figsize=(width(8.5), 0.42 * len(needs) + 1.4))
    err = np.vstack([needs["mwds"] - needs["mwds_lo"], needs["mwds_hi"] - needs["mwds"]])
    ax.barh(needs["area_label"], needs["mwds"], color="0.75", edgecolor="black", linewidth=0.6)
    ax.errorbar(
        needs["mwds"], needs["area_label"], xerr=err, fmt="none", ecolor="black", capsize=3, linewidth=1
    )
    ax.set_xlabel(f"Borich-skår med {format_number(100 * confidence)} % konfidensintervall")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.grid(axis="x", color="0.85", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.xaxis.set_major_formatter(lambda v, _p: format_number(v, 1))
    fig.tight_layout()
    top = needs.sort_values("mwds", ascending=False)["area_label"].head(3).tolist()
    return embed(
        fig,
        "Stolpediagram over Borich-skår per lederområde med usikkerhet. Størst behov: "
        + ", ".join(top)
        + ".",
    )


def _scatter(
    needs: pd.DataFrame,
    x: str,
    y: str,
    xlabel: str,
    ylabel: str,
    names: dict[tuple[bool, bool], str],
    shade: tuple[bool, bool] | None,
    centre: tuple[float, float] | None = None,
) -> Figure:
    fig, ax = plt.subplots(figsize=(width(8.5), 6.2))
    cx, cy = centre if centre is not None else (needs[x].mean(), needs[y].mean())
    pad_x = (needs[x].max() - needs[x].min()) * 0.25 + 0.05
    pad_y = (needs[y].max() - needs[y].min()) * 0.2 + 0.05
    x0, x1 = min(needs[x].min(), cx) - pad_x, max(needs[x].max(), cx) + pad_x
    y0, y1 = min(needs[y].min(), cy) - pad_y, max(needs[y].max(), cy) + pad_y
    if shade is not None:
        ax.add_patch(
            plt.Rectangle(
                (cx if shade[0] else x0, cy if shade[1] else y0),
                (x1 - cx) if shade[0] else (cx - x0),
                (y1 - cy) if shade[1] else (cy - y0),
                color="0.9",
                zorder=0,
            )
        )
    ax.axvline(cx, color="black", linewidth=0.8, linestyle="--")
    ax.axhline(cy, color="black", linewidth=0.8, linestyle="--")
    ax.scatter(needs[x], needs[y], color="black", s=28, zorder=3)
    # labels as boxes in axes fractions (start, end, height), stepped up or down until they overlap none
    placed: list[tuple[float, float, float]] = []
    steps = [3 + 11 * k * sign for k in range(14) for sign in ((1, -1) if k else (1,))]  # 3, 14, -8, 25, ..
    axes_points = 72 * fig.get_size_inches() * np.array(ax.get_position().size)  # the axes in points
    char, line = 0.55 * SMALLEST_FONT / axes_points[0], 1.3 * SMALLEST_FONT / axes_points[1]
    for _, row in needs.sort_values([y, x], ascending=[False, True]).iterrows():
        fx, fy = (row[x] - x0) / (x1 - x0), (row[y] - y0) / (y1 - y0)
        span = len(str(row["area_label"])) * char
        offset = next(
            (
                o
                for o in steps
                if not any(
                    fx < px + pw and px < fx + span and abs(fy + o / axes_points[1] - py) < line
                    for px, pw, py in placed
                )
            ),
            steps[-1],
        )
        placed.append((fx, span, fy + offset / axes_points[1]))
        moved = offset != steps[0]  # a label stepped away from its point gets a thin line back to it
        ax.annotate(
            row["area_label"],
            (row[x], row[y]),
            xytext=(8 if moved else 5, offset),
            textcoords="offset points",
            fontsize=SMALLEST_FONT,
            va="center" if moved else "baseline",
            bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 0.6},  # over the crosshair
            arrowprops={"arrowstyle": "-", "color": "0.55", "linewidth": 0.6} if moved else None,
        )
    for (right, top), name in names.items():
        ax.text(
            x1 - 0.01 * (x1 - x0) if right else x0 + 0.01 * (x1 - x0),
            y1 - 0.02 * (y1 - y0) if top else y0 + 0.02 * (y1 - y0),
            name,
            ha="right" if right else "left",
            va="top" if top else "bottom",
            fontsize=9,
            style="italic",
            color="0.25",
        )
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.xaxis.set_major_formatter(lambda v, _p: f"{v:g}".replace(".", ","))
    ax.yaxis.set_major_formatter(lambda v, _p: f"{v:g}".replace(".", ","))
    fig.tight_layout()
    return fig


def ipa_chart(needs: pd.DataFrame, centre: tuple[float, float] | None = None, min_cell: int = 1) -> HTML:
    """Importance-performance analysis: competence (x) against importance (y), crosshairs at the means or at
    `centre` (importance, competence), as the table's quadrants were drawn; only areas at least `min_cell`
    leaders answered."""
    needs, instead = too_few(needs, min_cell)
    if instead is not None:
        return instead
    names = {
        (False, True): "Konsentrer innsatsen her",
        (True, True): "Fortsett det gode arbeidet",
        (False, False): "Lav prioritet",
        (True, False): "Mulig overinnsats",
    }
    fig = _scatter(
        needs,
        "competence",
        "importance",
        "Hvor godt rustet (gjennomsnitt, 1–5)",
        "Hvor viktig (gjennomsnitt, 1–5)",
        names,
        shade=(False, True),
        centre=(centre[1], centre[0]) if centre is not None else None,
    )
    focus = needs.loc[needs["ipa_quadrant"] == "Konsentrer innsatsen her", "area_label"].tolist()
    return embed(
        fig,
        "Spredningsplott: viktighet mot kompetanse per lederområde. I kvadranten «Konsentrer innsatsen "
        "her»: " + (", ".join(focus) or "ingen") + ".",
    )


def lff_chart(needs: pd.DataFrame, min_cell: int = 1) -> HTML:
    """Locus for Focus: importance (x) against discrepancy (y); the shaded high-high quadrant is the focus;
    only areas at least `min_cell` leaders answered."""
    needs, instead = too_few(needs, min_cell)
    if instead is not None:
        return instead
    names = {
        (True, True): "Fokus: høy viktighet, stort gap",
        (False, True): "Lav viktighet, stort gap",
        (True, False): "Høy viktighet, lite gap",
        (False, False): "Lav viktighet, lite gap",
    }
    fig = _scatter(
        needs,
        "importance",
        "discrepancy",
        "Hvor viktig (gjennomsnitt, 1–5)",
        "Gap: viktighet minus kompetanse (gjennomsnitt)",
        names,
        shade=(True, True),
    )
    focus = needs.loc[needs["lff_focus"].astype(bool), "area_label"].tolist()
    return embed(fig, "Locus for Focus-diagram. I fokuskvadranten: " + (", ".join(focus) or "ingen") + ".")


def cell_value(ax: Any, image: Any, i: int, j: int, value: float) -> None:
    """A heatmap cell's number, white on dark cells and black on light ones."""
    shade = image.norm(value) if np.isfinite(image.norm(value)) else 0
    ax.text(
        j,
        i,
        format_number(value, 1),
        ha="center",
        va="center",
        fontsize=SMALLEST_FONT,
        color="white" if shade > 0.6 else "black",
    )


def segment_heatmap(segments: pd.DataFrame, segment_type: str, min_cell: int, heading: str) -> HTML:
    """MWDS per area (rows) and segment (columns) in grey; suppressed cells show '<k', hatched."""
    part = segments.loc[segments["segment_type"] == segment_type]
    if part.empty:
        return HTML("<p>Ingen data for denne inndelingen.</p>")
    table = part.pivot(index="area_label", columns="segment", values="mwds")
    hidden = part.pivot(index="area_label", columns="segment", values="suppressed").astype(bool)
    order = part.groupby("area_label")["mwds"].mean().sort_values(ascending=False).index
    columns = segment_order(list(table.columns))
    table, hidden = table.loc[order, columns], hidden.loc[order, columns]
    sizes = part.groupby("segment")["n"].max()  # respondents in the group (the most who answered an area)
    shown = [
        str(c).replace("/", "/\n")
        + f"\n(n = {format_number(sizes[c]) if sizes[c] >= min_cell else f'<{min_cell}'})"
        for c in columns
    ]
    fig, ax = plt.subplots(
        figsize=(width(1.6 * table.shape[1] + 4), 0.4 * table.shape[0] + 2.0), layout="constrained"
    )
    values = table.to_numpy(dtype=float)
    image = ax.imshow(np.where(hidden.to_numpy(), np.nan, values), cmap="Greys", aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        if hidden.iat[i, j]:
            ax.add_patch(plt.Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, hatch="///", edgecolor="0.6"))
            ax.text(j, i, f"<{min_cell}", ha="center", va="center", fontsize=SMALLEST_FONT)
        elif not np.isnan(v):
            cell_value(ax, image, i, j, v)
    ax.set_xticks(range(table.shape[1]), shown, fontsize=SMALLEST_FONT, rotation=45, ha="right")
    ax.set_yticks(range(table.shape[0]), [textwrap.fill(a, 28) for a in table.index], fontsize=SMALLEST_FONT)
    ax.set_title(f"Borich-skår etter {heading.lower()} (n: svar i gruppen)", fontsize=10)
    fig.colorbar(image, ax=ax, shrink=0.8, label="Borich-skår")
    return embed(
        fig,
        f"Varmekart over Borich-skår per lederområde og {heading.lower()}. Grupper med færre enn "
        f"{min_cell} svar er skjult.",
    )


def segment_item_heatmaps(segments: pd.DataFrame, items: list[tuple[str, str]], min_cell: int) -> HTML:
    """`segment_heatmap` for each extra breakdown (item id, label) of [needs].segment_items, one after the
    other; nothing when there are none."""
    return HTML("".join(segment_heatmap(segments, item, min_cell, label).body for item, label in items))


def profile_heatmap(profiles: pd.DataFrame) -> HTML:
    """Borich score per area (rows) in each need profile (columns) beside the whole group, in grey; each
    profile's three largest extra needs framed."""
    if profiles["profile"].nunique() < 2:
        return HTML("")
    names = profiles.drop_duplicates("profile").sort_values("profile")["profile_name"].tolist()
    wide = profiles.pivot(index="area_label", columns="profile_name", values="mwds")[names]
    top = profiles.pivot(index="area_label", columns="profile_name", values="top")[names].astype(bool)
    overall = profiles.drop_duplicates("area").set_index("area_label")["mwds_all"]
    wide.insert(0, "Alle", overall.reindex(wide.index))
    top.insert(0, "Alle", False)
    order = overall.sort_values(ascending=False).index
    wide, top = wide.loc[order], top.loc[order]
    values = wide.to_numpy(dtype=float)
    fig, ax = plt.subplots(
        figsize=(width(1.9 * wide.shape[1] + 4.5), 0.42 * wide.shape[0] + 2.6), layout="constrained"
    )
    image = ax.imshow(values, cmap="Greys", aspect="auto")
    for (i, j), v in np.ndenumerate(values):
        if np.isnan(v):
            continue
        cell_value(ax, image, i, j, v)
        if top.iat[i, j]:  # orange frame: visible on black and on white cells
            frame = plt.Rectangle((j - 0.46, i - 0.46), 0.92, 0.92, fill=False, edgecolor="#e66100")
            frame.set_linewidth(2.2)
            ax.add_patch(frame)
    sizes = profiles.drop_duplicates("profile").set_index("profile_name")["n"]
    total = int(sizes.sum())
    labels = [
        textwrap.fill(c, 24) + f"\n(n = {format_number(total if c == 'Alle' else int(sizes[c]))})"
        for c in wide.columns
    ]
    ax.set_xticks(range(wide.shape[1]), labels, fontsize=SMALLEST_FONT)
    ax.xaxis.tick_top()
    plt.setp(ax.get_xticklabels(), rotation=45, ha="left", rotation_mode="anchor")
    ax.set_yticks(range(wide.shape[0]), [textwrap.fill(a, 28) for a in wide.index], fontsize=SMALLEST_FONT)
    fig.colorbar(image, ax=ax, shrink=0.8, label="Borich-skår")
    return embed(
        fig,
        "Varmekart over Borich-skår per lederområde i hver behovsprofil og for alle. Profilens tre største "
        "ekstra behov har ramme.",
        "Mørkere rute betyr større behov. Den oransje rammen viser de tre områdene der profilen har størst "
        "behov sammenlignet med alle.",
    )


def demand_chart(table: pd.DataFrame, recommended: float | None) -> HTML:
    """The share of municipalities willing to pay at least each fee, with its 90 % band."""
    part = table.loc[table["n_sessions"] == table["n_sessions"].max()]
    fig, ax = plt.subplots(figsize=(width(8), 4.2))
    ax.fill_between(part["fee"], 100 * part["share_willing_lo"], 100 * part["share_willing_hi"], color="0.85")
    ax.plot(part["fee"], 100 * part["share_willing"], color="black")
    if recommended is not None:
        ax.axvline(recommended, color="#e66100", linestyle="--", linewidth=1)
    ax.set_xlabel("Deltakeravgift for hele programmet (kr)")
    ax.set_ylabel("Villige til å betale minst dette (%)")
    ax.xaxis.set_major_formatter(lambda v, _p: format_number(v, 0))
    ax.set_ylim(0, 100)
    fig.tight_layout()
    return embed(
        fig,
        "Kurve: andelen som er villige til å betale minst hver avgift, med 90 % intervall. Den stiplede "
        "linjen er den anbefalte avgiften.",
    )


def surplus_chart(table: pd.DataFrame, recommended: dict[int, float | None]) -> HTML:
    """Expected surplus by fee with its 90 % band, for 3 and 4 gatherings."""
    fig, ax = plt.subplots(figsize=(width(8), 4.6))
    styles = {3: ("#1f5fa8", "-"), 4: ("black", "--")}
    for n, part in table.groupby("n_sessions", sort=True):
        colour, line = styles.get(int(n), ("0.4", ":"))
        ax.fill_between(
            part["fee"], part["surplus_lo"] / 1000, part["surplus_hi"] / 1000, color=colour, alpha=0.12
        )
        ax.plot(
            part["fee"], part["surplus"] / 1000, color=colour, linestyle=line, label=f"{int(n)} samlinger"
        )
        fee = recommended.get(int(n))
        if fee is not None:
            row = part.loc[part["fee"] == fee].iloc[0]
            ax.plot([fee], [row["surplus"] / 1000], "o", color=colour)
    ax.axhline(0, color="0.3", linewidth=0.8)
    ax.set_xlabel("Deltakeravgift for hele programmet (kr)")
    ax.set_ylabel("Overskudd (1 000 kr)")
    ax.xaxis.set_major_formatter(lambda v, _p: format_number(v, 0))
    ax.legend(frameon=False)
    fig.tight_layout()
    return embed(
        fig,
        "Kurver: forventet overskudd etter alle kostnader per avgift, med 90 % intervall, for tre og fire "
        "samlinger. Punktet er den anbefalte avgiften (høyest forventet overskudd med lav nok risiko for "
        "tap).",
    )


def wave_chart(change: pd.DataFrame | None, confidence: float = 0.9) -> HTML:
    """Per leadership area, the Borich score in the previous survey (open circle) and now (filled), each with
    its interval, joined by a line; areas with a clear change are marked. Greyscale, largest need now on
    top. Nothing without a previous survey."""
    if change is None or change.empty:
        return HTML("")
    change = change.sort_values("mwds_current")
    y = np.arange(len(change))
    fig, ax = plt.subplots(figsize=(width(8.5), 0.5 * len(change) + 1.6))
    for i, row in enumerate(change.itertuples(index=False)):
        ax.plot([row.mwds_previous, row.mwds_current], [i, i], color="0.55", linewidth=2.2, zorder=1)
    for offset, prefix, face, label in (
        (0.17, "mwds_previous", "white", "Forrige undersøkelse"),
        (-0.17, "mwds_current", "black", "Nå"),
    ):
        err = np.vstack([change[prefix] - change[f"{prefix}_lo"], change[f"{prefix}_hi"] - change[prefix]])
        ax.errorbar(
            change[prefix],
            y + offset,
            xerr=err,
            fmt="o",
            markersize=7,
            markerfacecolor=face,
            markeredgecolor="black",
            ecolor="0.35",
            elinewidth=1,
            capsize=2.5,
            label=label,
            zorder=2,
        )
    labels = [
        f"{textwrap.fill(a, 34)}{'  ◆' if c else ''}"
        for a, c in zip(change["area_label"], change["clear"], strict=True)
    ]
    ax.set_yticks(y, labels, fontsize=SMALLEST_FONT + 0.5)
    ax.set_xlabel(f"Borich-skår med {format_number(100 * confidence)} % intervall (◆: tydelig endring)")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.grid(axis="x", color="0.85", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.xaxis.set_major_formatter(lambda v, _p: format_number(v, 1))
    ax.legend(loc="lower right", fontsize=SMALLEST_FONT, frameon=True)
    ax.set_title("Borich-skår i forrige undersøkelse og nå, største behov nå øverst", fontsize=10)
    fig.tight_layout()
    up = change.loc[change["clear"] & (change["mwds_change"] > 0), "area_label"].tolist()
    down = change.loc[change["clear"] & (change["mwds_change"] < 0), "area_label"].tolist()
    said = [
        f"Tydelig økning: {', '.join(up)}." if up else "",
        f"Tydelig nedgang: {', '.join(down)}." if down else "",
    ]
    return embed(
        fig,
        "Borich-skår per lederområde i forrige undersøkelse og nå, med intervaller. "
        + (" ".join(s for s in said if s) or "Ingen tydelig endring."),
    )
