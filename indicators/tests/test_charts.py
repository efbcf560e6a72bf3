"""The spider chart drawn on the server for PDFs: well-formed SVG, the same scale as the page's
chart, names escaped."""

import xml.etree.ElementTree as ET

import pytest

from indicators.charts import CENTRE, RADIUS, radar_svg

SVG = "{http://www.w3.org/2000/svg}"


def chart(area, comparator=None, labels=None):
    labels = labels or [f"Indicator {n}" for n in range(len(area))]
    return {
        "labels": labels,
        "area": area,
        "comparator": comparator or [None] * len(area),
        "limit": 3,
    }


def polygon_points(svg: str, colour: str) -> list[tuple[float, float]]:
    root = ET.fromstring(svg)
    for polygon in root.iter(f"{SVG}polygon"):
        if polygon.get("stroke") == colour:
            return [tuple(map(float, pair.split(","))) for pair in polygon.get("points").split()]
    return []


def test_a_score_of_zero_sits_halfway_and_the_limit_on_the_rim_pointing_up_first():
    svg = radar_svg(chart([3, 0, -3, 0]), title="T", area="A", comparator="Wales")
    first, second, third, _fourth = polygon_points(svg, "#1d70b8")
    assert first == pytest.approx((CENTRE, CENTRE - RADIUS), abs=0.1)
    assert second == pytest.approx((CENTRE + RADIUS / 2, CENTRE), abs=0.1)
    assert third == pytest.approx((CENTRE, CENTRE), abs=0.1)


def test_scores_beyond_the_limit_sit_on_the_rim():
    svg = radar_svg(chart([9, 0, 0]), title="T", area="A", comparator="W")
    assert polygon_points(svg, "#1d70b8")[0] == pytest.approx((CENTRE, CENTRE - RADIUS), abs=0.1)


def test_names_are_escaped_and_the_chart_has_a_title():
    svg = radar_svg(
        chart([1, 1, 1], labels=["<b>", "A & B", "C"]),
        title="Swansea <021>",
        area="x",
        comparator="y",
    )
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Swansea <021>"
    assert [text.text for text in root.iter(f"{SVG}text")][:3] == ["<b>", "A & B", "C"]


def test_fewer_than_three_indicators_draw_no_chart():
    assert radar_svg(chart([1, 1]), title="T", area="A", comparator="W") == ""
