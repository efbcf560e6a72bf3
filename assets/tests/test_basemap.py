"""Every map's base: OpenStreetMap's tiles unless a setting names others (or none), the outlines
a map falls back on when they cannot load, the stand-in tile route of the tests, and an asset's
own small map with its directions link."""

import json
import struct

import pytest
from django.urls import reverse
from django.utils import translation

from assets.maps import basemap_config, location_config, map_context
from assets.models import Area, AreaLevel, AssetCategory, AssetStatus
from assets.services.areas import site_define
from assets.tests.factories import AssetFactory, box, mapped_site
from core.models import Role

pytestmark = pytest.mark.django_db

OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"


def test_the_default_tiles_are_openstreetmaps_with_its_attribution_in_the_pages_language(
    settings,
):
    settings.MAP_TILES_URL = OSM
    settings.MAP_TILES_ATTRIBUTION = ""

    english = basemap_config()
    with translation.override("cy"):
        welsh = basemap_config()

    assert english["tiles"] == {
        "url": OSM,
        "attribution": '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
        " contributors",
    }
    assert welsh["tiles"]["attribution"] == (
        '© cyfranwyr <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    )
    assert english["labels"]["zoomIn"] == "Zoom in"
    assert welsh["labels"]["zoomIn"] == "Chwyddo i mewn"
    assert welsh["labels"]["zoomOut"] == "Chwyddo allan"


def test_another_tile_server_is_used_with_its_own_attribution(settings):
    settings.MAP_TILES_URL = "https://api.os.uk/maps/raster/v1/zxy/Road_3857/{z}/{x}/{y}.png"
    settings.MAP_TILES_ATTRIBUTION = "Contains OS data © Crown copyright and database right 2026"

    tiles = basemap_config()["tiles"]

    assert tiles["url"].startswith("https://api.os.uk/")
    assert tiles["attribution"] == "Contains OS data © Crown copyright and database right 2026"


@pytest.mark.parametrize("off", ["", "none", "None ", " "])
def test_tiles_can_be_switched_off(settings, off):
    settings.MAP_TILES_URL = off
    assert basemap_config()["tiles"] is None


def test_the_fallback_outlines_are_the_site_and_the_lsoas_inside_it_with_their_names():
    mapped_site()

    features = map_context()["features"]
    with translation.override("cy"):
        welsh = map_context()["features"]

    named = [(f["properties"]["kind"], f["properties"]["name"]) for f in features]
    assert named == [
        ("site", "Townhill and Mayhill"),
        ("lsoa", "Swansea 019A"),
        ("lsoa", "Swansea 019B"),
    ]  # not Swansea 020A, which only touches the site
    assert welsh[0]["properties"]["name"] == "Townhill a Mayhill"
    latitude, longitude = features[1]["properties"]["label"]  # well inside 019A
    assert 51.625 <= latitude <= 51.635 and longitude == -3.9625
    ring = features[1]["geometry"]["coordinates"][0]
    assert all(round(n, 5) == n for position in ring for n in position)


def test_the_fallback_outlines_are_cached_until_the_boundaries_change(
    django_assert_num_queries,
):
    mapped_site()
    map_context()

    with django_assert_num_queries(0):
        assert len(map_context()["features"]) == 3


def test_a_new_site_boundary_shows_in_the_outlines_once_committed(
    django_capture_on_commit_callbacks,
):
    mapped_site()
    map_context()
    with django_capture_on_commit_callbacks(execute=True):
        site_define(
            code="SITE-TOWNHILL", name_en="Townhill", name_cy="", member_codes=["W02000187"]
        )

    features = map_context()["features"]

    assert features[0]["properties"]["name"] == "Townhill"
    assert [f["properties"]["name"] for f in features[1:]] == ["Swansea 020A"]


def test_a_sites_name_goes_in_its_largest_part_not_between_it_and_an_island():
    island = {"type": "Polygon", "coordinates": [[[-3.2, 51.38], [-3.19, 51.38], [-3.19, 51.39],
              [-3.2, 51.38]]]}  # fmt: skip
    mapped_site()
    Area.objects.filter(level=AreaLevel.SITE).update(
        boundary={
            "type": "MultiPolygon",
            "coordinates": [island["coordinates"], box(-3.97, 51.62, -3.94, 51.64)["coordinates"]],
        }
    )

    latitude, longitude = map_context()["features"][0]["properties"]["label"]

    assert 51.62 < latitude < 51.64 and -3.97 < longitude < -3.94


OUTLINES = "assets:map-outlines"


@pytest.mark.parametrize(
    "role", [None, "participant", "facilitator", "coordinator", "evaluator", "partner"]
)
def test_every_map_fetches_the_outlines_from_a_url_kept_until_the_boundaries_change(
    client_as, role, settings
):
    settings.MAP_PUBLIC = False  # public all the same: the public area profiles draw them
    mapped_site()
    client = client_as(role)
    url = basemap_config()["contextUrl"]
    assert url.startswith(reverse(OUTLINES) + "?v=") and len(url) > len(reverse(OUTLINES)) + 3

    response = client.get(url)

    assert response.status_code == 200
    assert response.json() == json.loads(json.dumps(map_context()))
    assert [f["properties"]["name"] for f in response.json()["features"]][
        0
    ] == "Townhill and Mayhill"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_the_outlines_url_changes_with_the_boundaries_and_an_old_one_is_not_kept(
    client, django_capture_on_commit_callbacks
):
    mapped_site()
    before = basemap_config()["contextUrl"]
    with django_capture_on_commit_callbacks(execute=True):
        site_define(
            code="SITE-TOWNHILL", name_en="Townhill", name_cy="", member_codes=["W02000187"]
        )

    after = basemap_config()["contextUrl"]

    assert after != before
    assert client.get(before)["Cache-Control"] == "no-cache"
    assert client.get(after).json()["features"][0]["properties"]["name"] == "Townhill"


def test_the_outlines_are_in_the_pages_language(client):
    mapped_site()
    with translation.override("cy"):
        url = basemap_config()["contextUrl"]
    assert url.startswith("/cy/")
    assert client.get(url).json()["features"][0]["properties"]["name"] == "Townhill a Mayhill"


def test_a_map_page_no_longer_carries_the_outlines(coordinator_client):
    mapped_site()
    page = coordinator_client.get(reverse("assets:asset-map")).content.decode()
    assert "contextUrl" in page and "Swansea 019A" not in page


def test_no_site_no_outlines():
    assert map_context() == {"type": "FeatureCollection", "features": []}


def test_the_stub_tile_is_a_256_pixel_png(client):
    response = client.get(reverse("test-tile", kwargs={"z": 12, "x": 2010, "y": 1360}))

    body = response.content
    assert response["Content-Type"] == "image/png"
    assert body.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", body[16:24]) == (256, 256)


def test_a_published_asset_gives_its_place_and_directions_to_it(settings):
    settings.MAP_DIRECTIONS_URL = "https://www.openstreetmap.org/directions?route=%3B{lat}%2C{lng}"
    asset = AssetFactory(name="Townhill Library")

    location = location_config(asset)

    assert location["geometry"] == {"type": "Point", "coordinates": [-3.9565, 51.629]}
    assert location["label"] == "Townhill Library"
    assert location["directions"] == (
        "https://www.openstreetmap.org/directions?route=%3B51.629000%2C-3.956500"
    )


def test_a_submission_or_a_persons_skill_has_no_place_on_its_page():
    waiting = AssetFactory(status=AssetStatus.SUBMITTED)
    skill = AssetFactory(
        category=AssetCategory.objects.filter(domain="individual").first(),
        geometry=None,
        latitude=None,
        longitude=None,
    )

    assert location_config(waiting) is None
    assert location_config(skill) is None


def test_the_asset_page_has_a_map_and_a_directions_link_that_works_without_script(client):
    asset = AssetFactory(name="Townhill Library")

    page = client.get(reverse("assets:asset-detail", args=[asset.pk])).content.decode()

    assert 'id="location-map"' in page
    assert 'aria-label="Map of where Townhill Library is"' in page
    assert (
        '<a class="govuk-link" href="https://www.openstreetmap.org/directions?route=%3B51.629000'
        '%2C-3.956500" id="directions">Directions to here</a>'
    ) in page
    assert "js/basemap.js" in page and "js/location-map.js" in page


def test_ones_own_waiting_submission_shows_no_map(client_as):
    client = client_as(Role.PARTICIPANT)
    asset = AssetFactory(status=AssetStatus.SUBMITTED, recorded_by=client.user)

    response = client.get(reverse("assets:asset-detail", args=[asset.pk]))

    assert response.status_code == 200
    assert 'id="location-map"' not in response.content.decode()
    assert "leaflet" not in response.content.decode()


def test_the_moderation_review_shows_where_the_submission_is(coordinator_client):
    asset = AssetFactory(status=AssetStatus.SUBMITTED, name="Mayhill Garden")

    page = coordinator_client.get(reverse("assets:moderation-review", args=[asset.pk]))

    content = page.content.decode()
    assert 'id="review-map"' in content
    assert '<script id="basemap-config" type="application/json">' in content


@pytest.mark.parametrize("name", ["assets:asset-map", "assets:asset-add", "assets:asset-detail"])
def test_every_map_page_carries_the_base_map(coordinator_client, name):
    asset = AssetFactory()
    args = [asset.pk] if name == "assets:asset-detail" else []

    page = coordinator_client.get(reverse(name, args=args)).content.decode()

    assert '<script id="basemap-config" type="application/json">' in page
    assert page.index("leaflet/leaflet.js") < page.index("js/basemap.js")
