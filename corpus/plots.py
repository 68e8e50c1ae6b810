"""Statistics plots for the dataset card, rendered as PNG by the build.

Deterministic: the Agg backend, a fixed size and font, and no metadata with the
date or software version, so the same statistics give the same bytes.
"""
from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402 - after choosing the backend

from .annotators.topics import taxonomy  # noqa: E402

TOP = 15
PNG_METADATA = {"Software": None}


def _barh(path: Path, items: list[tuple[str, int]], title: str, xlabel: str) -> None:
    fig, ax = plt.subplots(figsize=(7, 0.35 * max(3, len(items)) + 1.2), dpi=100)
    labels = [k for k, _ in items][::-1]
    ax.barh(labels, [v for _, v in items][::-1], color="#4C72B0")
    ax.set_title(title, fontsize=11)
    ax.set_xlabel(xlabel)
    ax.xaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    fig.savefig(path, format="png", metadata=PNG_METADATA)
    plt.close(fig)


def _months(path: Path, months: dict[tuple[str, str], int]) -> None:
    outlets = sorted({o for o, _ in months})
    periods = sorted({m for _, m in months})
    fig, ax = plt.subplots(figsize=(8, 4), dpi=100)
    bottom = [0] * len(periods)
    for outlet in outlets:
        values = [months.get((outlet, p), 0) for p in periods]
        ax.bar(periods, values, bottom=bottom, label=outlet)
        bottom = [b + v for b, v in zip(bottom, values)]
    ax.set_title("Articles per outlet and month", fontsize=11)
    ax.tick_params(axis="x", labelrotation=60, labelsize=8)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=7, ncols=2)
    fig.tight_layout()
    fig.savefig(path, format="png", metadata=PNG_METADATA)
    plt.close(fig)


def _top(counter, n=TOP):
    return sorted(counter.items(), key=lambda x: (-x[1], str(x[0])))[:n]


def render(stats, folder: Path) -> dict[str, str]:
    """Writes the plots into ``folder``; returns {file name: alt text} for the card."""
    plots = {}
    if stats.months:
        _months(folder / "articles_per_month.png", dict(stats.months))
        plots["articles_per_month.png"] = "Articles per outlet and month"
    if stats.entities:
        _barh(folder / "top_entities.png", [(f"{e} ({lab})", n) for (e, lab), n in _top(stats.entities)],
              "Most mentioned entities", "articles")
        plots["top_entities.png"] = "Most mentioned entities"
    if stats.speakers:
        _barh(folder / "top_speakers.png", _top(stats.speakers), "Most quoted speakers", "quotes")
        plots["top_speakers.png"] = "Most quoted speakers"
    if stats.topics:
        _barh(folder / "topics.png", [(f"{taxonomy().label_en.get(c, c)} ({c.split(':')[1]})", n) for c, n in _top(stats.topics)],
              "IPTC Media Topics", "articles")
        plots["topics.png"] = "IPTC Media Topics"
    return plots
