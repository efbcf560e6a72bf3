"""Indicators, their values and the area summaries for partners: values filtered by area,
indicator and period; a summary's participants through the disclosure rules, with an
`aggregates` key only; a constant number of queries per list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assets.models import Area, AreaLevel
from core.tests.factories import api_key_make
from indicators.models import AreaSummary, Indicator, IndicatorValue


@pytest.fixture
def api(client, db):
    _key, public = api_key_make("public")
    _key, aggregates = api_key_make("aggregates")

    def get(url, scope="public", **params):
        secret = public if scope == "public" else aggregates
        return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {secret}")

    return get


def msoa(code: str) -> Area:
    return Area.objects.create(code=code, name_en=code, level=AreaLevel.MSOA)


@pytest.mark.django_db
def test_indicators_are_listed_in_english_and_welsh(api):
    rows = api("/api/v1/indicators/", page_size=500).json()["results"]

    assert len(rows) == Indicator.objects.count() > 0
    assert all(row["name_en"] and row["name_cy"] for row in rows)


@pytest.mark.django_db
def test_indicator_values_are_filtered_by_area_indicator_and_period(api):
    first, second = Indicator.objects.all()[:2]
    here, there = msoa("W02000174"), msoa("W02000175")
    for indicator in (first, second):
        for area in (here, there):
            for period in ("2024", "2025"):
                IndicatorValue.objects.create(
                    indicator=indicator, area=area, period=period, value=1.5
                )

    def rows(**params):
        return api("/api/v1/indicator-values/", **params).json()["results"]

    picked = rows(area="W02000174", indicator=first.code, period="2025")
    assert [(r["indicator"], r["area"], r["period"]) for r in picked] == [
        (first.code, "W02000174", "2025")
    ]
    assert len(rows(area="W02000174")) == 4
    assert rows(area="W09999999") == []
    assert len(rows(updated_since="2000-01-01T00:00:00Z")) == 8
    assert api("/api/v1/indicator-values/", updated_since="soon").status_code == 400


@pytest.mark.django_db
def test_a_summary_shows_few_participants_as_under_five_and_needs_aggregates(api):
    AreaSummary.objects.create(
        area=msoa("W02000174"),
        assets=3,
        barriers_by_kind={"cost": 2},
        workshops=2,
        participants=4,
        computed_at=timezone.now(),
    )
    AreaSummary.objects.create(area=msoa("W02000175"), participants=0, computed_at=timezone.now())

    refused = api("/api/v1/area-summaries/")
    rows = api("/api/v1/area-summaries/", "aggregates").json()["results"]

    assert refused.status_code == 403
    assert [(row["area"], row["participants"]) for row in rows] == [
        ("W02000174", "<5"),
        ("W02000175", 0),
    ]
    assert rows[0]["assets"] == 3


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "scope"),
    [("/api/v1/indicator-values/", "public"), ("/api/v1/area-summaries/", "aggregates")],
)
def test_a_list_takes_as_many_queries_for_thirty_rows_as_for_one(api, url, scope):
    indicator = Indicator.objects.first()

    def make(n):
        area = msoa(f"W0200{n:04}")
        IndicatorValue.objects.create(indicator=indicator, area=area, period="2025", value=n)
        AreaSummary.objects.create(area=area, participants=n, computed_at=timezone.now())

    make(0)
    api(url, scope)
    with CaptureQueriesContext(connection) as one:
        assert api(url, scope).status_code == 200
    for n in range(1, 30):
        make(n)
    with CaptureQueriesContext(connection) as thirty:
        assert len(api(url, scope).json()["results"]) == 30

    assert len(thirty) == len(one) <= 3
