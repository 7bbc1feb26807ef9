"""Figures for reports (matplotlib, Norwegian labels, readable in black and white)."""

from __future__ import annotations

import base64
import html
import io

import matplotlib

matplotlib.use("Agg")  # figures are rendered to PNG and embedded; no display needed
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from pipeline.present import HTML, Run  # noqa: E402


def embed(fig: Figure, alt: str, caption: str = "") -> HTML:
    """A figure as an HTML <figure> with a PNG, Norwegian alternative text and an optional caption."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return HTML(
        f'<figure><img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" '
        f'style="max-width:100%">{cap}</figure>'
    )


def mwds_chart(run: Run) -> HTML:
    """Borich MWDS per leadership area, highest need on top."""
    needs = run.tables["needs"].sort_values("mwds")
    fig, ax = plt.subplots(figsize=(8, 0.42 * len(needs) + 1.2))
    ax.barh(needs["area_label"], needs["mwds"], color="0.35", edgecolor="black", hatch="")
    ax.set_xlabel("Borich-skår (vektet avvik mellom viktighet og kompetanse)")
    ax.axvline(0, color="black", linewidth=0.8)
    ax.grid(axis="x", color="0.85", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.xaxis.set_major_formatter(lambda x, _pos: f"{x:.1f}".replace(".", ","))
    fig.tight_layout()
    top = needs.sort_values("mwds", ascending=False)["area_label"].head(3).tolist()
    return embed(fig, "Stolpediagram over Borich-skår per lederområde. Størst behov: " + ", ".join(top) + ".")
