"""Published assets as GeoJSON for partners (/api/v1/assets/geojson/): the list's filters,
order and pages as a FeatureCollection, and — what docs/api.md promises — all published
assets of one MSOA agree with the map's list for the same area."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assets.geo import areas_save, place
from assets.models import Asset, AssetCategory, AssetStatus
from assets.tests.factories import AssetFactory, point
from core.tests.factories import api_key_make

GEOJSON = "/api/v1/assets/geojson/"
# Townhill (in Swansea 016, W02000174 here) and the Mumbles, another MSOA of Swansea.
TOWNHILL = (51.6290, -3.9565)
MUMBLES = (51.5720, -3.9980)


@pytest.fixture
def key(db):
    _key, secret = api_key_make("public")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def placed(name, at, **extra):
    """An asset at (latitude, longitude), in the areas it lies in."""
    asset = AssetFactory(name=name, **extra)
    place(asset, point(*at))
    asset.save()
    areas_save(asset)
    return asset


@pytest.mark.django_db
def test_the_geojson_is_a_feature_collection_of_shareable_assets(client, key):
    placed("Townhill Library", TOWNHILL, description="Books and a warm space")
    AssetFactory(name="Waiting garden", status=AssetStatus.SUBMITTED)
    AssetFactory(
        name="Sewing, shared gladly",
        category=AssetCategory.objects.get(slug="skills"),
        geometry=None,
        latitude=None,
        longitude=None,
        publish_consent=True,
    )

    response = client.get(GEOJSON, **key)
    body = response.json()

    assert response["Content-Type"] == "application/geo+json"
    assert body["type"] == "FeatureCollection"
    assert body["count"] == 2
    library, skill = sorted(body["features"], key=lambda f: f["properties"]["name"], reverse=True)
    assert library["geometry"] == {"type": "Point", "coordinates": [TOWNHILL[1], TOWNHILL[0]]}
    assert library["properties"]["description"] == "Books and a warm space"
    assert "latitude" not in library["properties"]
    assert skill["geometry"] is None
    assert "Waiting garden" not in response.content.decode()


@pytest.mark.django_db
def test_the_geojson_refuses_a_wrong_filter_naming_it(client, key):
    response = client.get(GEOJSON, {"area": "W0"}, **key)

    assert response.status_code == 400
    assert "area" in response.json()


@pytest.mark.django_db
def test_the_geojson_takes_as_many_queries_for_thirty_rows_as_for_one(client, key):
    AssetFactory()
    client.get(GEOJSON, **key)  # the key's last-used time is written on its first use
    AssetFactory()  # and the pages, kept until the assets change, are worked out again
    with CaptureQueriesContext(connection) as two:
        assert client.get(GEOJSON, **key).status_code == 200
    for _ in range(28):
        AssetFactory()
    with CaptureQueriesContext(connection) as thirty:
        assert len(client.get(GEOJSON, **key).json()["features"]) == 30

    assert len(thirty) == len(two) <= 3


@pytest.mark.django_db
def test_a_partner_pulls_every_published_asset_of_one_msoa_as_the_map_lists_them(
    client, key, swansea
):
    """docs/api.md's walk-through: page through ?area=<MSOA> following `next`; the features
    are the map list's assets for the same area, no more, no fewer; and the same as Open
    Referral UK services, page by page."""
    for n in range(7):
        placed(f"Townhill place {n}", (TOWNHILL[0] + n * 0.0002, TOWNHILL[1]))
    placed("Mumbles pier", MUMBLES)
    placed("Townhill, waiting", TOWNHILL, status=AssetStatus.SUBMITTED)
    msoa = Asset.objects.get(name="Townhill place 0").areas.msoa

    pulled, pages, url, params = [], 0, GEOJSON, {"area": msoa.code, "page_size": 3}
    counts = []
    while url:
        body = client.get(url, params, **key).json()
        pulled += body["features"]
        counts.append(body["count"])
        pages += 1
        url, params = body["next"], None
    on_the_map = client.get(reverse("assets:asset-map"), {"area": msoa.code})

    names = sorted(feature["properties"]["name"] for feature in pulled)
    listed = on_the_map.context["paginator"].count
    assert names == [f"Townhill place {n}" for n in range(7)]
    assert pages == 3
    assert counts[0] == listed == len(pulled) == 7
    assert counts[1:] == [None, None]  # the pages after the first never count
    assert {f["properties"]["areas"]["msoa"] for f in pulled} == {msoa.code}

    services, page = [], 1
    while True:
        body = client.get(
            "/api/openreferral/services", {"area": msoa.code, "per_page": 3, "page": page}, **key
        ).json()
        services += [service["name"] for service in body["contents"]]
        if body["last_page"]:
            break
        page += 1
    assert (body["total_items"], body["total_pages"]) == (listed, 3)
    assert sorted(services) == names


@pytest.mark.django_db
def test_an_open_referral_area_nobody_has_is_a_400_naming_it(client, key):
    response = client.get("/api/openreferral/services", {"area": "W02999999"}, **key)
    assert response.status_code == 400
    assert response.json() == {"area": ["No area has the code “W02999999”."]}
