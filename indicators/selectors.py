"""Reads of the indicators app: an area's profile against a comparator, and one indicator
across an area's smaller areas (the choropleth)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import shapely
from django.core.cache import cache
from django.db.models import Avg, Count, F, Sum
from django.utils.translation import get_language
from shapely.geometry import mapping, shape

from assets.geo import area_version
from assets.models import Area, AreaLevel, AssetCategory, Domain
from core.pagecache import cache_call
from indicators.models import AreaSummary, Indicator, IndicatorValue
from indicators.statistics import Comparison, compare, interval_for, standardise
from participants.disclosure import count_shown, sees_exact_numbers
from workshops.models import BarrierKind

# Boundaries drawn on the profile map are simplified to about 50 m: plenty at that zoom, and
# a local authority's MSOAs then weigh tens of kilobytes rather than megabytes.
DRAWN_TOLERANCE = 0.0005
DRAWN_PRECISION = 0.00001  # about a metre: the outlines' coordinates to 5 decimal places
DRAWN_KEEP = 60 * 60 * 24  # a day: outlines nobody asks for leave the cache
SMALLER = (AreaLevel.MSOA, AreaLevel.LSOA)  # the areas a profile's map divides an area into


@dataclass(frozen=True)
class ProfileRow:
    indicator: Indicator
    value: IndicatorValue | None
    lower: float | None
    upper: float | None
    comparator: IndicatorValue | None
    comparison: Comparison
    scale: float | None
    comparator_scale: float | None


def comparator_of(area: Area, which: str) -> Area | None:
    """Wales, or the area's parent when asked for and it has one."""
    if which == "parent" and area.parent_id:
        return area.parent
    return Area.objects.filter(level=AreaLevel.COUNTRY).exclude(pk=area.pk).first()


def _latest(values) -> dict[int, IndicatorValue]:
    latest: dict[int, IndicatorValue] = {}
    for value in values:
        held = latest.get(value.indicator_id)
        if held is None or value.period > held.period:
            latest[value.indicator_id] = value
    return latest


def _comparator_values(comparator: Area | None, own: dict) -> dict[int, IndicatorValue]:
    """The comparator's value for the same period as the area's where it has one, else its
    latest."""
    if comparator is None:
        return {}
    values = list(IndicatorValue.objects.filter(area=comparator))
    chosen = _latest(values)
    for value in values:
        mine = own.get(value.indicator_id)
        if mine is not None and value.period == mine.period:
            chosen[value.indicator_id] = value
    return chosen


def _peers(level: str, own: dict) -> dict[tuple[int, str], dict]:
    rows = (
        IndicatorValue.objects.filter(
            area__level=level,
            indicator_id__in=own,
            period__in={value.period for value in own.values()},
        )
        .values("indicator_id", "period")
        .annotate(mean=Avg("value"), squares=Sum(F("value") * F("value")), peers=Count("id"))
        .order_by()
    )
    return {(row["indicator_id"], row["period"]): _spread(row) for row in rows}


def _spread(row: dict) -> dict:
    """Mean and sample standard deviation from the sums SQL gives on every database (SQLite's
    STDDEV fails on a single value)."""
    n, mean = row["peers"], row["mean"]
    variance = (row["squares"] - n * mean * mean) / (n - 1) if n > 1 else 0.0
    return {"mean": mean, "spread": math.sqrt(max(variance, 0.0)), "peers": n}


def _scale(value: IndicatorValue | None, peers: dict, polarity: str) -> float | None:
    if value is None:
        return None
    spread = peers.get((value.indicator_id, value.period))
    if spread is None:
        return None
    return standardise(value.value, **spread, polarity=polarity)


def _row(indicator, value, comparator, peers) -> ProfileRow:
    lower = upper = None
    if value is not None:
        lower, upper = interval_for(
            unit=indicator.unit,
            value=value.value,
            lower=value.lower,
            upper=value.upper,
            numerator=value.numerator,
            denominator=value.denominator,
        )
    comparison = compare(
        lower=lower,
        upper=upper,
        comparator=comparator.value if comparator else None,
        polarity=indicator.polarity,
    )
    return ProfileRow(
        indicator=indicator,
        value=value,
        lower=lower,
        upper=upper,
        comparator=comparator,
        comparison=comparison,
        scale=_scale(value, peers, indicator.polarity),
        comparator_scale=_scale(comparator, peers, indicator.polarity) if value else None,
    )


def area_profile(*, area: Area, comparator: Area | None) -> list[ProfileRow]:
    """Every indicator for `area`: its latest value with a 95% interval, the comparator's
    value for the same period, whether the area is significantly better, similar or worse,
    and both on the common scale of the spider chart. Five queries, whatever the number of
    indicators or areas."""
    own = _latest(IndicatorValue.objects.filter(area=area))
    theirs = _comparator_values(comparator, own)
    peers = _peers(area.level, own) if own else {}
    return [
        _row(indicator, own.get(indicator.pk), theirs.get(indicator.pk), peers)
        for indicator in Indicator.objects.all()
    ]


def choropleth(*, area: Area, indicator: Indicator) -> dict:
    """The smaller areas inside `area`, each with its name, the indicator's value for one
    period (the latest any of them has: areas are compared like with like; None where an area
    has no value for it) and its boundary simplified for drawing."""
    children = list(
        Area.objects.filter(parent=area, level__in=SMALLER).defer("boundary").order_by("code")
    )
    values = IndicatorValue.objects.filter(
        indicator=indicator, area__parent=area, area__level__in=SMALLER
    )
    period = values.order_by("-period").values_list("period", flat=True).first()
    by_area = {value.area_id: value for value in values.filter(period=period)}
    drawn = drawn_boundaries(area)
    return {
        "period": period,
        "areas": [
            {
                "code": child.code,
                "name": child.name,
                "value": by_area[child.pk].value if child.pk in by_area else None,
                "illustrative": by_area[child.pk].illustrative if child.pk in by_area else False,
                "boundary": drawn.get(child.pk),
            }
            for child in children
        ],
    }


def drawn_boundaries(area: Area) -> dict[int, dict]:
    """The boundaries of the smaller areas inside `area`, simplified for drawing, by primary
    key: worked out once per change of the boundaries (assets.geo.area_version), not on every
    view of the profile (reading and simplifying them took most of its time)."""
    key = f"drawn-boundaries:{DRAWN_PRECISION}:{area.pk}:{area_version()}"
    drawn = cache_call(cache.get, key)
    if drawn is None:
        children = Area.objects.filter(parent=area, level__in=SMALLER).exclude(boundary=None)
        drawn = {
            child.pk: mapping(
                shapely.set_precision(
                    shape(child.boundary).simplify(DRAWN_TOLERANCE), DRAWN_PRECISION
                )
            )
            for child in children.only("pk", "boundary")
        }
        cache_call(cache.set, key, drawn, DRAWN_KEEP)
    return drawn


def area_summary_shown(*, area: Area, user) -> dict | None:
    """The area's summary as a reader may see it: assets by domain and by category and
    barriers by kind (things, not people: exact), workshops, and participants through the
    disclosure rules. None before the first summary job has run for the area."""
    summary = AreaSummary.objects.filter(area=area).first()
    if summary is None:
        return None
    names = dict(
        AssetCategory.objects.filter(slug__in=summary.assets_by_category).values_list(
            "slug", "name_cy" if get_language() == "cy" else "name_en"
        )
    )
    by_count = sorted(summary.assets_by_category.items(), key=lambda item: (-item[1], item[0]))
    participants = summary.participants
    return {
        "summary": summary,
        "domains": [
            (label, summary.assets_by_domain.get(value, 0)) for value, label in Domain.choices
        ],
        "categories": [(names.get(slug, slug), n) for slug, n in by_count],
        "barriers": sorted(
            ((BarrierKind(kind).label, n) for kind, n in summary.barriers_by_kind.items()),
            key=lambda item: (-item[1], str(item[0])),
        ),
        "participants": None
        if participants is None
        else count_shown(participants, exact=sees_exact_numbers(user)),
    }
