"""The area profile: each indicator against Wales or the parent area with its interval and
the comparison a reader sees, in a constant number of queries, for any input."""

from importlib import import_module

import pytest
from django.apps import apps

from assets.models import Area, AreaLevel
from assets.services.areas import areas_import_geojson
from indicators.models import Indicator, IndicatorValue
from indicators.selectors import area_profile, choropleth, comparator_of
from indicators.statistics import Comparison

pytestmark = pytest.mark.django_db

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-4, 51.6], [-3.9, 51.6], [-3.9, 51.7], [-4, 51.7], [-4, 51.6]]],
}


@pytest.fixture
def places(db):
    wales = Area.objects.create(
        code="W92000004", name_en="Wales", name_cy="Cymru", level=AreaLevel.COUNTRY
    )
    county = Area.objects.create(
        code="W06000011", name_en="Swansea", name_cy="Abertawe", level=AreaLevel.LOCAL_AUTHORITY
    )
    msoas = [
        Area.objects.create(
            code=f"W0200017{n}",
            name_en=f"Swansea 02{n}",
            level=AreaLevel.MSOA,
            parent=county,
            boundary=SQUARE,
        )
        for n in range(3)
    ]
    return wales, county, msoas


def value(code, area, number, **fields):
    return IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code=code),
        area=area,
        period=fields.pop("period", "2024-25"),
        value=number,
        **fields,
    )


def row_of(rows, code):
    return next(row for row in rows if row.indicator.code == code)


def test_an_area_is_better_worse_or_similar_by_its_interval_against_the_comparator(places):
    wales, county, (first, second, third) = places
    value("volunteering", wales, 27.0)
    value("volunteering", first, 40.0, numerator=80, denominator=200)  # 33.5% to 46.9%
    value("loneliness", wales, 5.0)
    value("loneliness", first, 5.6, lower=5.1, upper=6.1)  # higher loneliness is worse
    value("mental-wellbeing", wales, 24.0)
    value("mental-wellbeing", first, 24.5, lower=23.0, upper=26.0)
    rows = area_profile(area=first, comparator=comparator_of(first, "wales"))
    assert row_of(rows, "volunteering").comparison == Comparison.BETTER
    assert row_of(rows, "volunteering").lower == pytest.approx(33.46, abs=0.01)
    assert row_of(rows, "loneliness").comparison == Comparison.WORSE
    assert row_of(rows, "mental-wellbeing").comparison == Comparison.SIMILAR
    assert row_of(rows, "resilience").comparison == Comparison.NOT_COMPARED


def test_the_comparator_is_wales_or_the_parent_and_its_value_is_from_the_same_period(places):
    wales, county, (first, *_rest) = places
    assert comparator_of(first, "wales") == wales
    assert comparator_of(first, "parent") == county
    assert comparator_of(county, "parent") == wales  # no parent: Wales
    value("volunteering", county, 30.0, period="2023-24")
    value("volunteering", county, 31.0, period="2025-26")
    value("volunteering", first, 35.0, period="2023-24")
    assert (
        row_of(area_profile(area=first, comparator=county), "volunteering").comparator.value == 30.0
    )


def test_the_spider_chart_scale_counts_spreads_from_peers_of_the_same_level(places):
    wales, county, msoas = places
    for msoa, number in zip(msoas, (20.0, 30.0, 40.0), strict=True):
        value("volunteering", msoa, number)
    value("volunteering", wales, 30.0)
    row = row_of(area_profile(area=msoas[2], comparator=wales), "volunteering")
    assert row.scale == pytest.approx(1.0)
    assert row.comparator_scale == pytest.approx(0.0)


def test_a_profile_takes_the_same_few_queries_however_many_indicators_have_values(
    places, django_assert_max_num_queries
):
    wales, county, msoas = places
    for indicator in Indicator.objects.all():
        for area in (wales, *msoas):
            value(indicator.code, area, 10.0)
    with django_assert_max_num_queries(5):
        rows = area_profile(area=msoas[0], comparator=wales)
    assert len(rows) == Indicator.objects.count()


def test_the_map_lists_every_smaller_area_with_its_value_or_none(places):
    wales, county, msoas = places
    value("volunteering", msoas[1], 31.5, illustrative=True)
    value("volunteering", msoas[2], 20.0, period="2023-24")  # older: not mixed in
    mapped = choropleth(area=county, indicator=Indicator.objects.get(code="volunteering"))
    shown = mapped["areas"]
    assert mapped["period"] == "2024-25"
    assert [(row["code"], row["value"], row["illustrative"]) for row in shown] == [
        ("W02000170", None, False),
        ("W02000171", 31.5, True),
        ("W02000172", None, False),
    ]
    assert shown[0]["boundary"]["type"] == "Polygon"


def test_the_map_draws_new_boundaries_once_they_are_imported(places):
    wales, county, msoas = places
    volunteering = Indicator.objects.get(code="volunteering")
    assert corner_of(choropleth(area=county, indicator=volunteering)) == [-4, 51.6]
    moved = [[[-3, 51.6], [-2.9, 51.6], [-2.9, 51.7], [-3, 51.7], [-3, 51.6]]]
    feature = {
        "type": "Feature",
        "properties": {"code": "W02000170", "name": "Swansea 020", "parent": "W06000011"},
        "geometry": {"type": "Polygon", "coordinates": moved},
    }
    areas_import_geojson(
        collection={"type": "FeatureCollection", "features": [feature]},
        level=AreaLevel.MSOA,
        code_field="code",
        name_field="name",
        parent_field="parent",
    )

    assert corner_of(choropleth(area=county, indicator=volunteering)) == [-3, 51.6]


def corner_of(mapped: dict) -> list[float]:
    """The south-west corner of the first smaller area's drawn boundary."""
    return min(map(list, mapped["areas"][0]["boundary"]["coordinates"][0]))


def test_the_profile_page_shows_each_figure_and_says_when_it_is_illustrative(client, places):
    wales, county, msoas = places
    value("volunteering", wales, 27.0, illustrative=True)
    value("volunteering", county, 40.0, numerator=80, denominator=200, illustrative=True)
    page = client.get("/en/areas/w06000011/").content.decode()
    assert "Swansea" in page and "40.0%" in page and "33.5% to 46.9%" in page
    assert "Better than the comparator" in page
    assert "illustrative: made up for the demo" in page
    assert "Swansea 020" in page  # the smaller areas' table


def test_the_profile_page_in_welsh_names_the_area_in_welsh(client, places):
    page = client.get("/cy/areas/W06000011/").content.decode()
    assert "Abertawe" in page


@pytest.mark.parametrize(
    "query",
    [
        "?compare=<script>",
        "?indicator=nothing",
        "?compare=parent&indicator=%00",
        "?indicator=loneliness",
    ],
)
def test_any_query_gives_the_page_not_an_error(client, places, query):
    assert client.get("/en/areas/W06000011/" + query.replace("%00", "")).status_code == 200


def test_an_unknown_area_is_not_found(client, places):
    assert client.get("/en/areas/W99999999/").status_code == 404


def test_the_list_of_areas_links_to_each_profile(client, places):
    page = client.get("/en/areas/").content.decode()
    assert 'href="/en/areas/W06000011/"' in page and 'href="/en/areas/W92000004/"' in page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    ("language", "viewport"), [("en", "phone"), ("cy", "phone"), ("en", "desktop")]
)
def test_a_profile_draws_its_spider_chart_and_map_and_passes_axe(
    new_page, places, language, viewport
):
    from tests.browser import DESKTOP, PHONE, assert_accessible, assert_fits_width, screenshot

    # The flush between browser tests takes the seeded indicators too: seed them again.
    import_module("indicators.migrations.0002_seed_indicators").seed(apps, None)
    wales, county, msoas = places
    for indicator in Indicator.objects.all():
        for number, area in enumerate((wales, county, *msoas)):
            value(
                indicator.code,
                area,
                10.0 + number,
                lower=9.0 + number,
                upper=11.0 + number,
                illustrative=True,
            )
    page = new_page(PHONE if viewport == "phone" else DESKTOP)
    page.goto(f"/{language}/areas/{msoas[1].code}/")
    assert page.evaluate("() => Boolean(window.Chart && Chart.getChart('profile-chart'))")
    assert page.locator("table").first.is_visible()
    page.goto(f"/{language}/areas/{county.code}/?indicator=volunteering")
    page.locator("#profile-map path.leaflet-interactive").first.wait_for()
    assert page.locator("#profile-map path.leaflet-interactive").count() == 3
    assert "Swansea 020" in page.locator("main").inner_text()
    screenshot(page, f"area-profile-{language}-{viewport}")
    assert_fits_width(page)
    assert_accessible(page)


def test_the_profile_shows_the_areas_summary_once_worked_out(client, places):
    from assets.tests.factories import AssetFactory
    from indicators.summaries import area_summaries_compute

    wales, county, msoas = places
    assert (
        "What the programme's map shows" not in client.get("/en/areas/W06000011/").content.decode()
    )
    AssetFactory(local_authority=county, msoa=msoas[0])
    area_summaries_compute()
    page = client.get("/en/areas/W06000011/").content.decode()
    assert (
        'Published assets with a place here</dt><dd class="govuk-summary-list__value">1</dd>'
        in page
    )
    assert "Community centre" in page
    welsh = client.get("/cy/areas/W06000011/").content.decode()
    assert "Canolfan gymunedol" in welsh


def test_the_map_draws_boundaries_to_about_a_metre(places):
    wales, county, msoas = places
    msoas[0].boundary = {
        "type": "Polygon",
        "coordinates": [[[-4.0000004, 51.6], [-3.9, 51.6000001], [-3.9, 51.7], [-4, 51.6]]],
    }
    msoas[0].save()
    volunteering = Indicator.objects.get(code="volunteering")
    [ring] = choropleth(area=county, indicator=volunteering)["areas"][0]["boundary"]["coordinates"]
    assert sorted(set(map(tuple, ring))) == [(-4, 51.6), (-3.9, 51.6), (-3.9, 51.7)]
