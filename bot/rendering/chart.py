"""The points progression chart: a PNG from matplotlib, readable on dark and light themes.

Rendering is blocking work: callers run :func:`render_png` in a thread.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

# Colours that read on Discord's dark and light themes alike, on a light card.
PALETTE = (
    "#C8102E",
    "#1F6FEB",
    "#2DA44E",
    "#BF8700",
    "#8250DF",
    "#1B7C83",
    "#CF222E",
    "#57606A",
    "#E16F24",
    "#6E7781",
)


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    points: tuple[float, ...]  # cumulative, one per race
    exact: bool


def render_png(title: str, races: list[str], series: list[Series]) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    fig, ax = plt.subplots(figsize=(10, 5.6), dpi=110)
    try:
        fig.patch.set_facecolor("#F6F8FA")
        ax.set_facecolor("#FFFFFF")
        x = list(range(1, len(races) + 1))
        for i, s in enumerate(series):
            style = "-" if s.exact else "--"
            ax.plot(
                x,
                s.points,
                style,
                marker="o",
                markersize=3.5,
                linewidth=2.2,
                color=PALETTE[i % len(PALETTE)],
                label=s.name + ("" if s.exact else " (lower bound)"),
            )
        ax.set_title(title, fontsize=13, color="#24292F", loc="left")
        ax.set_xticks(x)
        ax.set_xticklabels(races, rotation=45, ha="right", fontsize=8, color="#24292F")
        ax.set_ylabel("points", color="#24292F")
        ax.tick_params(colors="#24292F")
        ax.grid(True, color="#D0D7DE", linewidth=0.8)
        for spine in ax.spines.values():
            spine.set_color("#D0D7DE")
        ax.legend(loc="upper left", fontsize=8, frameon=True, facecolor="#FFFFFF")
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", facecolor=fig.get_facecolor())
        return buffer.getvalue()
    finally:
        plt.close(fig)
