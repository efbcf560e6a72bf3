"""Demo indicator values: made up, the same on every run, and marked illustrative so every page
and download that shows them says they are not real. Wales is added as the comparator."""

import hashlib
import math

from django.db import transaction

from assets.models import Area, AreaLevel
from indicators.models import Indicator, IndicatorValue, Unit
from indicators.statistics import Z95
from indicators.versions import indicators_changed

PERIOD = "2024-25"
WALES = {"code": "W92000004", "name_en": "Wales", "name_cy": "Cymru"}
# indicator: (the Wales value, how far an area may lie from it)
CENTRES = {
    "mental-wellbeing": (24.0, 2.0),
    "life-satisfaction": (7.4, 0.6),
    "resilience": (3.3, 0.3),
    "self-efficacy": (30.0, 2.5),
    "sense-of-community": (3.5, 0.4),
    "loneliness": (5.0, 0.8),
    "bridging-ties": (30.0, 10.0),
    "volunteering": (27.0, 6.0),
    "community-groups": (2.0, 1.0),
    "assets-per-1000": (6.0, 2.5),
    "community-buildings": (1.2, 0.5),
    "green-space": (1.0, 0.5),
    "advice-services": (0.4, 0.25),
    "free-low-cost": (60.0, 12.0),
    "welcoming-sanctuary": (25.0, 10.0),
}
# Who the made-up figures stand for, by level: residents (rates) and people asked (the rest).
RESIDENTS = {"ctry": 3_063_000, "la": 240_000, "msoa": 7_500, "lsoa": 1_550, "site": 12_000}
ASKED = {"ctry": 10_000, "la": 600, "msoa": 120, "lsoa": 40, "site": 60}


def _draw(*keys: str) -> float:
    """A number in [-1, 1) that depends only on the keys."""
    digest = hashlib.blake2b(":".join(keys).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**63 - 1


def _value(indicator: Indicator, area: Area) -> IndicatorValue:
    centre, reach = CENTRES[indicator.code]
    wales = area.level == AreaLevel.COUNTRY
    value = centre if wales else max(0.0, centre + reach * _draw(area.code, indicator.code))
    fields = {"numerator": None, "denominator": None, "lower": None, "upper": None}
    if indicator.unit == Unit.PER_1000:
        residents = area.population or RESIDENTS[area.level]
        fields.update(numerator=round(value * residents / 1000), denominator=residents)
        value = fields["numerator"] / residents * 1000
    elif indicator.unit == Unit.PERCENT:
        asked = ASKED[area.level]
        fields.update(numerator=round(min(value, 100) * asked / 100), denominator=asked)
        value = fields["numerator"] / asked * 100
    else:
        half = Z95 * reach / math.sqrt(ASKED[area.level])
        fields.update(lower=value - half, upper=value + half)
    return IndicatorValue(
        indicator=indicator,
        area=area,
        period=PERIOD,
        value=round(value, 3),
        source="Illustrative demo figures",
        illustrative=True,
        **fields,
    )


def seed() -> list[str]:
    Area.objects.update_or_create(
        code=WALES["code"], defaults={**WALES, "level": AreaLevel.COUNTRY}
    )
    indicators = [indicator for indicator in Indicator.objects.all() if indicator.code in CENTRES]
    areas = list(Area.objects.only("pk", "code", "level", "population"))
    values = [_value(indicator, area) for area in areas for indicator in indicators]
    with transaction.atomic():
        IndicatorValue.objects.bulk_create(
            values,
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["indicator", "area", "period"],
            update_fields=["value", "lower", "upper", "numerator", "denominator", "source",
                           "illustrative", "updated_at"],
        )  # fmt: skip
        indicators_changed()  # bulk_create sends no signal
    return [f"Indicators: {len(values)} illustrative values for {len(areas)} areas ({PERIOD})"]


def summaries_seed() -> list[str]:
    """Every area's summary from the demo's assets, barriers and workshops."""
    from indicators.summaries import area_summaries_compute

    return [f"Area summaries: {area_summaries_compute()} areas worked out"]
