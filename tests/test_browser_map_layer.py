"""The asset map in a browser, as a person on a phone network meets it: with 10,000 published
assets the map page asks for its layer once and transfers under 400 KB in all (compressed, as
production serves it); a tapped pin's popup stays open; while the layer loads the map says
so, and when it fails it says so with Try again, which loads it."""

import random

import pytest
from django.test.testcases import LiveServerThread

from assets.models import Area, AreaLevel, Asset, AssetCategory, AssetSource, AssetStatus, Domain
from assets.tests.factories import point
from tests.browser import ARTIFACTS, DESKTOP, PHONE, assert_accessible, screenshot
from tests.data import restore_migrated_data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SITE = (-3.9794, 51.6082, -3.9282, 51.6348)  # west, south, east, north: Townhill and Mayhill
BUDGET_BYTES = 400 * 1024
LAYER = "/map/layer.geojson"


def site_outline() -> None:
    west, south, east, north = SITE
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    Area.objects.create(
        code="SITE-TEST",
        name_en="Townhill and Mayhill",
        level=AreaLevel.SITE,
        boundary={"type": "Polygon", "coordinates": [ring]},
    )


def published(count: int, seed: int = 2026) -> None:
    """`count` published community centres at random points in the site, in bulk."""
    rng = random.Random(seed)
    restore_migrated_data()  # a transactional test before this one may have flushed them
    category = AssetCategory.objects.get(slug="community-centre")
    west, south, east, north = SITE
    rows = []
    for n in range(count):
        lat, lng = round(rng.uniform(south, north), 6), round(rng.uniform(west, east), 6)
        rows.append(
            Asset(
                name=f"Community place {n}",
                category=category,
                domain=category.domain,
                geometry=point(lat, lng),
                latitude=lat,
                longitude=lng,
                status=AssetStatus.PUBLISHED,
                source=AssetSource.IMPORT,
            )
        )
    Asset.objects.bulk_create(rows, batch_size=2000)


@pytest.fixture
def served(transactional_db):
    """A live server whose static files go through the middleware, compressed as WhiteNoise
    serves them in production (pytest-django's live_server sends them uncompressed)."""
    thread = LiveServerThread("127.0.0.1", static_handler=lambda handler: handler, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield f"http://127.0.0.1:{thread.port}"
    thread.terminate()


def counting(page) -> dict:
    """Count the layer requests and every response's bytes on the wire (Chromium's own
    figure: headers and the encoded body)."""
    seen = {"layer": 0, "bytes": 0}
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on(
        "Network.loadingFinished",
        lambda e: seen.update(bytes=seen["bytes"] + e["encodedDataLength"]),
    )
    page.on("request", lambda r: seen.update(layer=seen["layer"] + (LAYER in r.url)))
    return seen


def test_ten_thousand_assets_one_layer_request_under_400_kb(browser, served):
    site_outline()
    published(10_000)
    context = browser.new_context(viewport=PHONE, base_url=served, has_touch=True)
    page = context.new_page()
    seen = counting(page)
    page.goto("/en/map/")
    page.wait_for_selector("#asset-map[data-state='loaded']")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(800)  # time for a second load, were one to come
    assert seen["layer"] == 1
    assert page.locator("#asset-map").get_attribute("data-mode") == "cells"
    assert page.locator("#asset-map").get_attribute("data-loaded") == "10000"
    assert "10,000 assets in this view" in page.locator("#map-status").inner_text()
    print(
        f"map page, first view: {seen['bytes']:,} bytes on the wire, {seen['layer']} layer request"
    )
    assert seen["bytes"] < BUDGET_BYTES, f"{seen['bytes']:,} bytes"
    screenshot(page, "map-10000-phone")
    assert_accessible(page)

    # A count zooms in when selected; close enough, each asset is a pin.
    page.locator(".app-map-cell").first.click()
    page.wait_for_selector("#asset-map[data-state='loaded'][data-mode='points']", timeout=15_000)
    assert seen["layer"] >= 2
    context.close()


def test_a_tapped_pins_popup_stays_open(new_page):
    site_outline()
    west, south, east, north = SITE
    # At the top edge of the site: its popup has to pan the map to fit.
    Asset.objects.create(
        name="Mayhill Tuesday Tea",
        category=AssetCategory.objects.get(slug="community-centre"),
        domain=Domain.STRUCTURAL,
        geometry=point(north - 0.0005, (west + east) / 2),
        latitude=north - 0.0005,
        longitude=(west + east) / 2,
        status=AssetStatus.PUBLISHED,
        source=AssetSource.COORDINATOR,
    )
    page = new_page(PHONE)
    requests = []
    page.on("request", lambda r: requests.append(r.url) if LAYER in r.url else None)
    page.goto("/en/map/")
    page.wait_for_selector("#asset-map[data-loaded='1']")
    page.locator(".leaflet-marker-icon.app-marker").first.tap()
    page.wait_for_timeout(2000)
    popup = page.locator(".leaflet-popup-content")
    assert popup.is_visible()
    assert popup.inner_text().startswith("Mayhill Tuesday Tea")
    assert len(requests) == 1
    screenshot(page, "map-popup-phone")


@pytest.mark.parametrize("language", ["en", "cy"])
def test_a_failed_layer_says_so_and_try_again_loads_it(new_page, language):
    Asset.objects.create(
        name="Gors Community Garden",
        category=AssetCategory.objects.get(slug="community-centre"),
        domain=Domain.STRUCTURAL,
        geometry=point(),
        latitude=point()["coordinates"][1],
        longitude=point()["coordinates"][0],
        status=AssetStatus.PUBLISHED,
        source=AssetSource.COORDINATOR,
    )
    page = new_page(DESKTOP)
    failures = {"left": 1}

    def layer(route):
        if failures["left"]:
            failures["left"] -= 1
            route.fulfill(status=503, body="down")
        else:
            route.continue_()

    page.route(f"**{LAYER}*", layer)
    page.goto(f"/{language}/map/")
    page.wait_for_selector("#asset-map[data-state='failed']")
    status = page.locator("#map-status")
    retry = page.get_by_role(
        "button", name={"en": "Try again", "cy": "Rhoi cynnig arall arni"}[language]
    )
    assert retry.is_visible()
    assert status.get_attribute("role") == "status"
    expected = {
        "en": "The assets could not be loaded onto the map.",
        "cy": "Nid oedd modd llwytho",
    }[language]
    assert expected in status.inner_text()
    assert_accessible(page)
    # The viewport only: a full-page shot resizes the map, which (rightly) loads it again.
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator("main").screenshot(path=str(ARTIFACTS / f"map-failed-{language}.png"))

    # While it loads, the status says so.
    held = []
    page.unroute(f"**{LAYER}*")
    page.route(f"**{LAYER}*", lambda route: held.append(route))
    retry.click()
    loading = {"en": "Loading the assets on the map", "cy": "Wrthi'n llwytho"}[language]
    page.wait_for_function(
        "text => document.getElementById('map-status').textContent.includes(text)", arg=loading
    )
    assert page.locator("#asset-map").get_attribute("data-state") == "loading"
    assert not retry.is_visible()
    page.wait_for_function("() => true")  # let the held request reach the handler
    while not held:
        page.wait_for_timeout(50)
    held[0].continue_()
    page.wait_for_selector("#asset-map[data-state='loaded'][data-loaded='1']")
    assert page.locator(".leaflet-marker-icon.app-marker").count() == 1


def test_the_barrier_layer_is_fetched_again_only_when_the_view_leaves_what_it_has(
    new_page, make_user
):
    """Signed in, the map shows barriers as their own layer. Panning a little stays inside
    the area already fetched (half a view more on every side): no new request; a filter or a
    view far away fetches again, and the count says how many are in view."""
    from tests.browser import sign_in
    from workshops.models import Affects, BarrierKind
    from workshops.tests.factories import BarrierFactory

    site_outline()
    west, south, east, north = SITE
    middle = ((south + north) / 2, (west + east) / 2)
    for title, kind, (lat, lng) in [
        ("No buses after six", BarrierKind.TRANSPORT, middle),
        ("Forms only in English", BarrierKind.LANGUAGE, (middle[0] + 0.002, middle[1])),
    ]:
        BarrierFactory(
            title=title,
            kind=kind,
            affects=Affects.BOTH,
            geometry=point(lat, lng),
            latitude=lat,
            longitude=lng,
        )
    user = make_user("facilitator")
    page = new_page(DESKTOP)
    fetched = []
    layer = "/barriers/layer.geojson"
    page.on("request", lambda r: fetched.append(r.url) if layer in r.url else None)
    sign_in(page, user.username)
    page.goto("/en/map/")
    status = page.locator("#barrier-status")
    status.get_by_text("2 barriers").wait_for()
    assert page.locator(".app-barrier-marker").count() == 2
    assert len(fetched) == 1

    page.locator("#asset-map").focus()
    page.keyboard.press("ArrowRight")  # a small pan with the keyboard, inside what was fetched
    page.wait_for_timeout(800)
    assert len(fetched) == 1
    page.keyboard.press("Minus")  # zoomed out twice: the view now holds more than was fetched
    page.wait_for_timeout(400)
    page.keyboard.press("Minus")
    page.wait_for_timeout(800)
    assert len(fetched) == 2
    status.get_by_text("2 barriers").wait_for()

    page.get_by_label("Kind of barrier").select_option(label="Transport")
    status.get_by_text("1 barrier").wait_for()
    assert len(fetched) == 3
    assert page.locator(".app-barrier-marker").count() == 1
