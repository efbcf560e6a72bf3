"""Every map has a base map: tiles from the tile server (here the stand-in route of the test
settings) with their attribution; when they cannot load, the site's and its LSOAs' outlines
with their names and a message saying so; Leaflet's controls in the page's language. Each map
at phone width, in English and Welsh, with tiles and without, passes axe."""

from importlib import import_module

import pytest
from django.apps import apps

from assets.models import Area, AreaLevel, AssetStatus
from assets.tests.factories import AssetFactory, mapped_site
from core.models import Role
from indicators.models import Indicator, IndicatorValue
from tests.browser import (
    ARTIFACTS,
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_fits_width,
    screenshot,
    sign_in,
)
from workshops.tests.factories import WorkshopFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SITE_NAME = {"en": "Townhill and Mayhill", "cy": "Townhill a Mayhill"}
NOTICE = {
    "en": "The street map could not load. The map shows the project's areas and their names "
    "instead.",
    "cy": "Nid oedd modd llwytho’r map strydoedd. Mae’r map yn dangos ardaloedd y prosiect a’u "
    "henwau yn lle hynny.",
}
ATTRIBUTION = {"en": "© OpenStreetMap contributors", "cy": "© cyfranwyr OpenStreetMap"}
ZOOM = {"en": ("Zoom in", "Zoom out"), "cy": ("Chwyddo i mewn", "Chwyddo allan")}


@pytest.fixture
def places(make_user):
    """A coordinator, the test site with its LSOAs, a published asset and a submission in it,
    a workshop, and values of one indicator across the local authority's MSOAs."""
    coordinator = make_user(Role.COORDINATOR)
    mapped_site()
    published = AssetFactory(name="Townhill Library")
    waiting = AssetFactory(name="Mayhill Garden", status=AssetStatus.SUBMITTED)
    workshop = WorkshopFactory(facilitators=[coordinator])
    # The flush between browser tests takes the seeded indicators too: seed them again.
    import_module("indicators.migrations.0002_seed_indicators").seed(apps, None)
    volunteering = Indicator.objects.get(code="volunteering")
    for number, area in enumerate(
        Area.objects.filter(level__in=[AreaLevel.LOCAL_AUTHORITY, AreaLevel.MSOA])
    ):
        IndicatorValue.objects.create(
            indicator=volunteering, area=area, period="2024-25", value=10.0 + number
        )
    return {
        "coordinator": coordinator,
        "pages": [
            ("map", "/map/", "asset-map"),
            ("add", "/assets/new/", "point-picker"),
            ("barrier", f"/workshops/{workshop.pk}/barriers/", "point-picker"),
            ("moderation", f"/moderation/{waiting.pk}/", "review-map"),
            ("profile", "/areas/W06000011/?indicator=volunteering", "profile-map"),
            ("asset", f"/assets/{published.pk}/", "location-map"),
        ],
    }


def map_screenshot(page, map_id: str, name: str) -> None:
    """The whole page, and the map with what is just above it (the message), to look at."""
    screenshot(page, name)
    top, bottom = page.evaluate(
        """id => {
            const map = document.getElementById(id);
            const above = map.previousElementSibling || map;
            return [above.getBoundingClientRect().top + scrollY - 60,
                    map.getBoundingClientRect().bottom + scrollY + 60];
        }""",
        map_id,
    )
    width = page.viewport_size["width"]
    page.screenshot(
        path=str(ARTIFACTS / f"{name}-map.png"),
        full_page=True,
        clip={"x": 0, "y": max(top, 0), "width": width, "height": bottom - max(top, 0)},
    )


def refuse_tiles(page) -> None:
    page.route("**/test-tiles/**", lambda route: route.abort())


def assert_tiles_shown(page, map_id: str, language: str) -> None:
    page.locator(f"#{map_id} img.leaflet-tile-loaded").first.wait_for()
    assert page.locator(f"#{map_id}").get_attribute("data-basemap") == "tiles"
    attribution = page.locator(f"#{map_id} .leaflet-control-attribution")
    assert ATTRIBUTION[language] in attribution.inner_text()
    assert (
        attribution.get_by_role("link", name="OpenStreetMap").get_attribute("href")
        == "https://www.openstreetmap.org/copyright"
    )
    assert page.locator(".app-map-notice").count() == 0


def assert_outlines_shown(page, map_id: str, language: str) -> None:
    page.locator(".app-map-notice").wait_for()
    assert page.locator(".app-map-notice").inner_text() == NOTICE[language]
    assert page.locator(f"#{map_id}").get_attribute("data-basemap") == "outlines"
    # Fetched once the tiles have failed (assets:map-outlines).
    assert page.locator(f"#{map_id} .app-area-label--site").inner_text() == SITE_NAME[language]
    lsoas = page.locator(f"#{map_id} .app-area-label--lsoa")
    assert sorted(lsoas.all_inner_texts()) == ["Swansea 019A", "Swansea 019B"]
    assert page.locator(f"#{map_id} path").count() >= 3  # the site and its two LSOAs


def visit_every_map(page, places, language: str, tiles: str, size: str) -> None:
    if tiles == "failing":
        refuse_tiles(page)
    sign_in(page, places["coordinator"].username, language=language)
    for name, path, map_id in places["pages"]:
        page.goto(f"/{language}{path}")
        if tiles == "stub":
            assert_tiles_shown(page, map_id, language)
        else:
            assert_outlines_shown(page, map_id, language)
        zoom_in = page.locator(f"#{map_id} .leaflet-control-zoom-in")
        assert (zoom_in.get_attribute("title"), zoom_in.get_attribute("aria-label")) == (
            ZOOM[language][0],
            ZOOM[language][0],
        )
        map_screenshot(page, map_id, f"basemap-{name}-{language}-{tiles}-{size}")
        assert_fits_width(page)
        assert_accessible(page)


# Phone width with the stub's tiles in English and with failing tiles in Welsh; the desktop
# test below covers failing tiles in English.
@pytest.mark.parametrize(("tiles", "language"), [("stub", "en"), ("failing", "cy")])
def test_every_map_has_a_base_map_or_says_it_could_not_load_and_draws_the_areas(
    new_page, places, language, tiles
):
    visit_every_map(new_page(PHONE), places, language, tiles, "phone")


def test_every_map_on_a_desktop_without_its_tiles(new_page, places):
    visit_every_map(new_page(DESKTOP), places, "en", "failing", "desktop")


def test_welsh_pages_give_leaflets_controls_in_welsh(new_page, places):
    page = new_page(PHONE)
    sign_in(page, places["coordinator"].username, language="cy")
    page.goto("/cy/map/")
    page.locator("#asset-map .leaflet-marker-icon").first.wait_for()

    assert page.locator(".leaflet-control-zoom-in").get_attribute("title") == "Chwyddo i mewn"
    assert page.locator(".leaflet-control-zoom-out").get_attribute("title") == "Chwyddo allan"
    assert (
        page.locator(".leaflet-control-attribution a[href='https://leafletjs.com']").get_attribute(
            "title"
        )
        == "Llyfrgell JavaScript ar gyfer mapiau rhyngweithiol"
    )
    page.locator("#asset-map .leaflet-marker-icon").first.click()
    close = page.locator(".leaflet-popup-close-button")
    close.wait_for()
    assert close.get_attribute("aria-label") == "Cau’r naidlen"

    page.goto("/cy/assets/new/")
    page.locator("#point-picker").click()
    assert page.locator("#point-picker .leaflet-marker-icon").get_attribute("alt") == "Marciwr"
    assert page.locator("#pin-status").inner_text() != ""
    assert "Pin placed" not in page.locator("#pin-status").inner_text()


def test_going_offline_draws_the_areas_and_says_the_street_map_could_not_load(new_page, places):
    page = new_page(PHONE)
    page.goto("/en/map/")
    page.locator("#asset-map img.leaflet-tile-loaded").first.wait_for()

    page.context.set_offline(True)

    assert_outlines_shown(page, "asset-map", "en")
    lsoa = page.locator("#asset-map .app-area-label--lsoa").first
    assert not lsoa.is_visible()  # at the site's zoom the names would cover each other
    page.locator("#asset-map .leaflet-control-zoom-in").click()
    lsoa.wait_for(state="visible")


def test_the_asset_page_shows_its_place_and_a_directions_link(new_page, places):
    page = new_page(PHONE)
    page.goto("/en/map/")
    page.get_by_role("link", name="Townhill Library").click()

    page.locator("#location-map .leaflet-marker-icon").wait_for()
    marker = page.locator("#location-map .leaflet-marker-icon")
    assert marker.get_attribute("alt") == "Townhill Library"
    link = page.get_by_role("link", name="Directions to here")
    assert link.get_attribute("href") == (
        "https://www.openstreetmap.org/directions?route=%3B51.629000%2C-3.956500"
    )
    assert link.get_attribute("target") is None  # opens as any link does, in the user's app
