"""Charts drawn on the server as SVG, for PDFs and downloads where no browser runs the page's
Chart.js: the same figures, the same scale, text escaped."""

from __future__ import annotations

import math
from xml.sax.saxutils import escape

SIZE = 520
CENTRE = SIZE / 2
RADIUS = 170
AREA = "#1d70b8"
COMPARATOR = "#505a5f"


def _spoke(index: int, count: int, reach: float) -> tuple[float, float]:
    """The point `reach` from the centre along spoke `index` of `count`, the first pointing up."""
    angle = -math.pi / 2 + 2 * math.pi * index / count
    return CENTRE + reach * math.cos(angle), CENTRE + reach * math.sin(angle)


def _point(index: int, count: int, score: float, limit: float) -> tuple[float, float]:
    """Where a score sits: -limit at the centre, +limit on the rim, further out on the rim."""
    return _spoke(index, count, RADIUS * (max(-limit, min(limit, score)) + limit) / (2 * limit))


def _polygon(scores: list[float | None], limit: float, colour: str, dashed: bool) -> str:
    points = [
        _point(index, len(scores), score, limit)
        for index, score in enumerate(scores)
        if score is not None
    ]
    if len(points) < 2:
        return ""
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    fill = colour if not dashed else "none"
    return (
        f'<polygon points="{path}" fill="{fill}" fill-opacity="0.2" stroke="{colour}" '
        f'stroke-width="2"{dash}/>'
    )


def _grid(count: int, limit: float) -> list[str]:
    parts = []
    for ring in range(-int(limit), int(limit) + 1):
        ring_points = " ".join(
            "{:.1f},{:.1f}".format(*_point(index, count, ring, limit)) for index in range(count)
        )
        parts.append(f'<polygon points="{ring_points}" fill="none" stroke="#b1b4b6"/>')
    for index in range(count):
        x, y = _point(index, count, limit, limit)
        parts.append(
            f'<line x1="{CENTRE}" y1="{CENTRE}" x2="{x:.1f}" y2="{y:.1f}" stroke="#b1b4b6"/>'
        )
    return parts


def _labels(labels: list[str], limit: float) -> list[str]:
    parts = []
    for index, label in enumerate(labels):
        x, y = _spoke(index, len(labels), RADIUS + 16)
        anchor = "middle" if abs(x - CENTRE) < 10 else ("start" if x > CENTRE else "end")
        parts.append(
            f'<text x="{x:.1f}" y="{y:.1f}" font-size="12" text-anchor="{anchor}" '
            f'dominant-baseline="middle">{escape(label)}</text>'
        )
    return parts


def radar_svg(chart: dict, *, title: str, area: str, comparator: str) -> str:
    """The spider chart of an area profile (indicators.views.chart_of's figures) as SVG."""
    labels, limit = chart["labels"], chart["limit"]
    if len(labels) < 3:
        return ""
    legend = (
        f'<rect x="20" y="{SIZE - 40}" width="14" height="14" fill="{AREA}" fill-opacity="0.4"/>'
        f'<text x="40" y="{SIZE - 29}" font-size="12">{escape(area)}</text>'
        f'<line x1="220" y1="{SIZE - 33}" x2="244" y2="{SIZE - 33}" stroke="{COMPARATOR}" '
        f'stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="250" y="{SIZE - 29}" font-size="12">{escape(comparator)}</text>'
    )
    body = [
        *_grid(len(labels), limit),
        _polygon(chart["comparator"], limit, COMPARATOR, dashed=True),
        _polygon(chart["area"], limit, AREA, dashed=False),
        *_labels(labels, limit),
        legend,
    ]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" role="img" '
        f'font-family="Arial, sans-serif"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )
