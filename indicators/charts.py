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


# --- Change over time: a line chart of means by group ---------------------------------------

LINE_WIDTH, LINE_HEIGHT = 560, 260
PLOT = (60, 510, 20, 200)  # left, right, top, bottom of the plotting area
# Colours 3:1 or more against white, told apart without colour too: a dash and a marker each.
SERIES_STYLES = (
    ("#1d5fa0", "", "circle"),
    ("#a33c00", "8 4", "square"),
    ("#0b0c0c", "2 3", "diamond"),
)


def _nice_range(values: list[float]) -> tuple[float, float]:
    low, high = min(values), max(values)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.1
    return math.floor(low - pad), math.ceil(high + pad)


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "diamond":
        return (
            f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
            f'{x - 5:.1f},{y:.1f}" fill="{colour}"/>'
        )
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def line_svg(chart, *, title: str) -> str:
    """Means at each time point, one line per group (indicators.evaluation.Chart), as SVG;
    empty when no mean may be shown. Time points where no group has a mean are left out (no
    midpoint yet); elsewhere a gap where a mean is not shown."""
    kept = [
        index
        for index in range(len(chart.points))
        if any(series.values[index] is not None for series in chart.series)
    ]
    if not kept:
        return ""
    chart = type(chart)(
        title=chart.title,
        points=[chart.points[index] for index in kept],
        series=[
            type(series)(label=series.label, values=[series.values[index] for index in kept])
            for series in chart.series
        ],
    )
    values = [v for series in chart.series for v in series.values if v is not None]
    low, high = _nice_range(values)
    left, right, top, bottom = PLOT
    step = (right - left) / max(len(chart.points) - 1, 1)

    def y_of(value: float) -> float:
        return bottom - (value - low) / (high - low) * (bottom - top)

    parts = [f'<rect x="0" y="0" width="{LINE_WIDTH}" height="{LINE_HEIGHT}" fill="#ffffff"/>']
    for tick in range(5):
        value = low + (high - low) * tick / 4
        y = y_of(value)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#b1b4b6"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">'
            f"{value:g}</text>"
        )
    for index, point in enumerate(chart.points):
        x = left + index * step
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 18}" font-size="11" text-anchor="middle">'
            f"{escape(point)}</text>"
        )
    for (colour, dash, marker), series in zip(SERIES_STYLES, chart.series, strict=False):
        points = [
            (left + index * step, y_of(value))
            for index, value in enumerate(series.values)
            if value is not None
        ]
        for i in range(len(series.values) - 1):
            a, b = series.values[i], series.values[i + 1]
            if a is None or b is None:
                continue
            dashed = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<line x1="{left + i * step:.1f}" y1="{y_of(a):.1f}" '
                f'x2="{left + (i + 1) * step:.1f}" y2="{y_of(b):.1f}" stroke="{colour}" '
                f'stroke-width="2"{dashed}/>'
            )
        parts += [_marker(marker, x, y, colour) for x, y in points]
    legend_x = left
    for (colour, dash, marker), series in zip(SERIES_STYLES, chart.series, strict=False):
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        y = LINE_HEIGHT - 18
        parts.append(
            f'<line x1="{legend_x}" y1="{y}" x2="{legend_x + 28}" y2="{y}" stroke="{colour}" '
            f'stroke-width="2"{dashed}/>{_marker(marker, legend_x + 14, y, colour)}'
            f'<text x="{legend_x + 34}" y="{y + 4}" font-size="11">{escape(series.label)}</text>'
        )
        legend_x += 40 + 7 * len(series.label)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {LINE_WIDTH} {LINE_HEIGHT}" '
        f'width="100%" role="img" font-family="Arial, sans-serif"><title>{escape(title)}</title>'
        f"{''.join(parts)}</svg>"
    )


# --- The sociogram: nodes from participants.networks.sociogram, labels that do not overlap --

NODE_RADIUS = 12
LABEL_HEIGHT = 14
CHAR_WIDTH = 7.5
# Where a label may go, tried in turn: below, above, right, left, then further out.
LABEL_PLACES = ((0, 26), (0, -18), (1, 5), (-1, 5), (0, 40), (0, -32))


def _label_box(node: dict, place: tuple[int, int]) -> tuple[float, float, float, float]:
    width = CHAR_WIDTH * len(node["code"])
    across, down = place
    if across == 0:
        x = node["x"] - width / 2
    elif across > 0:
        x = node["x"] + NODE_RADIUS + 3
    else:
        x = node["x"] - NODE_RADIUS - 3 - width
    y = node["y"] + down - LABEL_HEIGHT + 3
    return x, y, x + width, y + LABEL_HEIGHT


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def label_places(nodes: list[dict], *, width: float, height: float) -> list[dict]:
    """For each node, where its code goes: the first of LABEL_PLACES whose box clears every
    circle, every label already placed and the edge of the drawing (a greedy collision pass,
    busiest nodes first); where none clears, the one that overlaps least. Each entry has x,
    y (the text's baseline start), anchor and box."""
    circles = [
        (n["x"] - NODE_RADIUS, n["y"] - NODE_RADIUS, n["x"] + NODE_RADIUS, n["y"] + NODE_RADIUS)
        for n in nodes
    ]
    placed: dict[int, tuple] = {}
    order = sorted(range(len(nodes)), key=lambda i: (-nodes[i].get("degree", 0), i))
    for index in order:
        node = nodes[index]

        def clashes(box, index=index):
            inside = box[0] >= 0 and box[2] <= width and box[1] >= 0 and box[3] <= height
            return (
                sum(_overlaps(box, other) for other in placed.values())
                + sum(_overlaps(box, c) for i, c in enumerate(circles) if i != index)
                + (0 if inside else 1)
            )

        boxes = [(_label_box(node, place), place) for place in LABEL_PLACES]
        box, place = min(boxes, key=lambda item: clashes(item[0]))
        placed[index] = box
        node["label_box"] = box
        node["label_x"] = round(box[0], 1)
        node["label_y"] = round(box[3] - 3, 1)
    return nodes


def sociogram_svg(drawing: dict, *, title: str, description: str, styles: dict) -> str:
    """The network between participants (participants.networks.sociogram's drawing) as SVG:
    a circle per participant with its group's letter, dashed bridging edges, thicker closer
    ties, and each code placed clear of the others (`label_places`)."""
    width, height = drawing["width"], drawing["height"]
    nodes = label_places([dict(node) for node in drawing["nodes"]], width=width, height=height)
    parts = [
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff" stroke="#505a5f"/>'
    ]
    for edge in drawing["edges"]:
        dash = ' stroke-dasharray="8 5"' if edge["bridging"] else ""
        parts.append(
            f'<line x1="{edge["x1"]}" y1="{edge["y1"]}" x2="{edge["x2"]}" y2="{edge["y2"]}" '
            f'stroke="#505a5f" stroke-width="{edge["weight"]}"{dash}/>'
        )
    for node in nodes:
        style = styles[node["group"]]
        parts.append(
            f'<circle cx="{node["x"]}" cy="{node["y"]}" r="{NODE_RADIUS}" fill="{style["fill"]}" '
            f'stroke="#0b0c0c"/><text x="{node["x"]}" y="{node["y"] + 5}" text-anchor="middle" '
            f'font-size="13" font-weight="700" fill="#ffffff">{escape(str(style["marker"]))}</text>'
        )
    for node in nodes:  # labels last, so no circle covers one
        parts.append(
            f'<text x="{node["label_x"]}" y="{node["label_y"]}" font-size="12" fill="#0b0c0c" '
            f'stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">'
            f"{escape(node['code'])}</text>"
        )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" font-family="Arial, sans-serif" direction="ltr"><title>{escape(title)}</title>'
        f"<desc>{escape(description)}</desc>{''.join(parts)}</svg>"
    )
