"""The published layer as the map fetches it: built once per data version and served from the
cache with an ETag and Last-Modified (304 when unchanged); every service that changes
published assets makes the next request see the change; zoomed out over many assets, counts
per grid cell instead of points; never an asset that is not published."""

import gzip
import json

import brotli
import pytest
from django.core.cache import cache

from assets.erasure import endorsements_erase, own_skills_erase
from assets.forms import CategoryForm
from assets.maps import LAYER_VERSION, cell_degrees, published_changed
from assets.models import (
    Area,
    AreaLevel,
    Asset,
    AssetCategory,
    AssetEndorsement,
    AssetStatus,
    Domain,
)
from assets.services.assets import (
    asset_merge,
    asset_publish,
    asset_reject,
    asset_update,
    endorsement_set,
)
from assets.tests.factories import AssetFactory, point
from assets.views.map import AssetLayerView
from core.tests.factories import api_key_make
from core.versions import version_get
from participants.models import Cohort
from participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db
LAYER = "/en/map/layer.geojson"
ZOOM = 16  # MAP_POINTS_ZOOM in these tests
BOX = "-4.0,51.6,-3.9,51.7"


@pytest.fixture(autouse=True)
def _thresholds(settings):
    settings.MAP_POINTS_ZOOM = ZOOM
    settings.MAP_POINTS_MAX = 2


def features(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return json.loads(response.content)["features"]


def names(client, **params) -> list[str]:
    return sorted(f["properties"]["name"] for f in features(client.get(LAYER, params)))


def placed(name: str, lat: float, lng: float, **kwargs):
    return AssetFactory(name=name, geometry=point(lat, lng), latitude=lat, longitude=lng, **kwargs)


# --- Cached per data version, with conditional requests -------------------------------------


def test_a_repeat_request_is_304_with_the_etag_or_the_last_modified_time(client):
    asset = AssetFactory(name="Gors Garden", status=AssetStatus.SUBMITTED)
    asset_publish(asset=asset, not_a_home=True)
    first = client.get(LAYER)
    assert first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"] == "private, no-cache"
    again = client.get(LAYER, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    since = client.get(LAYER, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_publishing_an_asset_changes_the_layer_and_its_etag(client):
    AssetFactory(name="Already there")
    first = client.get(LAYER)
    waiting = AssetFactory(name="Just published", status=AssetStatus.SUBMITTED)
    assert names(client) == ["Already there"]  # the cached layer: nothing published yet
    asset_publish(asset=waiting, not_a_home=True)
    after = client.get(LAYER, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and after["ETag"] != first["ETag"]
    assert sorted(f["properties"]["name"] for f in features(after)) == [
        "Already there",
        "Just published",
    ]


def _not_the_view(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the layer view ran")

    monkeypatch.setattr(AssetLayerView, "get", refuse)


def _published(name: str):
    asset_publish(asset=AssetFactory(name=name, status=AssetStatus.SUBMITTED), not_a_home=True)


def _vary(response) -> set[str]:
    return {part.strip().lower() for part in response["Vary"].split(",")}


@pytest.mark.parametrize("language", ["en", "cy"])
def test_asking_again_signed_out_is_answered_304_before_the_view(client, monkeypatch, language):
    _published("Gors Garden")
    layer = LAYER.replace("/en/", f"/{language}/")
    first = client.get(layer, {"bbox": BOX})
    _not_the_view(monkeypatch)

    again = client.get(layer, {"bbox": BOX}, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304 and again.content == b""
    for name in ("ETag", "Last-Modified", "Cache-Control", "Content-Language"):
        assert again[name] == first[name]
    assert again["Content-Language"] == language
    assert _vary(again) == _vary(first) == {"accept-encoding", "cookie"}


def test_asking_again_after_a_change_or_with_another_etag_goes_to_the_view(client, monkeypatch):
    _published("Already there")
    first = client.get(LAYER, {"bbox": BOX})
    other = client.get(LAYER, {"bbox": BOX, "domain": Domain.STRUCTURAL})
    _not_the_view(monkeypatch)

    with pytest.raises(AssertionError, match="the layer view ran"):
        client.get(LAYER, {"bbox": BOX}, HTTP_IF_NONE_MATCH=other["ETag"])
    with pytest.raises(AssertionError, match="the layer view ran"):  # not a URL answered yet
        client.get(LAYER, {"bbox": BOX, "zoom": 3}, HTTP_IF_NONE_MATCH=first["ETag"])
    _published("Just published")  # a new version of the published assets
    with pytest.raises(AssertionError, match="the layer view ran"):
        client.get(LAYER, {"bbox": BOX}, HTTP_IF_NONE_MATCH=first["ETag"])


def test_asking_again_signed_in_is_answered_by_the_view_for_that_person(client_as, client):
    AssetFactory(name="Gors Garden")
    coordinator = client_as("coordinator")
    theirs = coordinator.get(LAYER)
    public = client.get(LAYER)
    assert theirs["ETag"] != public["ETag"]  # a layer of the project's, not the public's

    # The coordinator's ETag, shown without their session, is not the public layer's.
    assert client.get(LAYER, HTTP_IF_NONE_MATCH=theirs["ETag"]).status_code == 200
    assert coordinator.get(LAYER, HTTP_IF_NONE_MATCH=theirs["ETag"]).status_code == 304


def test_asking_again_signed_out_while_the_map_is_private_is_refused(client, settings):
    AssetFactory(name="Gors Garden")
    first = client.get(LAYER)
    settings.MAP_PUBLIC = False

    again = client.get(LAYER, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code in (302, 403) and again.status_code != 304


def test_the_layer_is_encoded_once_and_then_served_from_the_cache(
    client, django_assert_max_num_queries
):
    AssetFactory(name="Gors Garden")
    first = client.get(LAYER, {"bbox": BOX})
    # Anonymous: the version is the only query; the body comes from the cache.
    with django_assert_max_num_queries(1):
        again = client.get(LAYER, {"bbox": BOX})
    assert again.content == first.content


def test_a_different_filter_set_gets_its_own_entry(client):
    AssetFactory(name="Community centre")
    AssetFactory(name="Library", category=AssetCategory.objects.get(slug="library"))
    everything = client.get(LAYER)
    libraries = client.get(LAYER, {"category": "library", "domain": Domain.STRUCTURAL})
    assert everything["ETag"] != libraries["ETag"]
    assert len(features(everything)) == 2
    assert [f["properties"]["name"] for f in features(libraries)] == ["Library"]
    # The same filters in another order, or with empty ones, are the same entry.
    same = client.get(f"{LAYER}?q=&domain={Domain.STRUCTURAL}&free=&category=library")
    assert same["ETag"] == libraries["ETag"]


def test_people_inside_the_project_and_the_public_get_different_etags(client_as):
    public, inside = client_as(None).get(LAYER), client_as("participant").get(LAYER)
    assert public["ETag"] != inside["ETag"]


@pytest.fixture
def cached(client):
    """The layer fetched once, so that a change not seen would leave it stale."""

    def fetch() -> list[str]:
        return names(client)

    return fetch


def test_an_edit_of_a_published_asset_is_on_the_next_layer(cached):
    asset = AssetFactory(name="Old name")
    assert cached() == ["Old name"]
    asset_update(asset=asset, fields={"name": "New name"}, geometry=asset.geometry)
    assert cached() == ["New name"]


def test_rejecting_a_published_asset_takes_it_off_the_layer(cached):
    asset = AssetFactory(name="Closed")
    assert cached() == ["Closed"]
    asset_reject(asset=asset, reason="It closed down.")
    assert cached() == []


def test_a_merged_duplicate_leaves_the_layer(cached):
    keep, duplicate = AssetFactory(name="Keep"), AssetFactory(name="Duplicate")
    assert cached() == ["Duplicate", "Keep"]
    asset_merge(duplicate=duplicate, keep=keep)
    assert cached() == ["Keep"]


def test_endorsements_and_their_erasure_change_the_valued_by_both_layer(client):
    asset = AssetFactory(name="Bridging place")
    tenant = ParticipantFactory(cohort=Cohort.TENANT)
    sanctuary = ParticipantFactory(cohort=Cohort.ASYLUM_SEEKER)
    endorsement_set(asset=asset, participant=tenant, valued=True)
    assert names(client, both="1") == []
    endorsement_set(asset=asset, participant=sanctuary, valued=True)
    assert names(client, both="1") == ["Bridging place"]
    endorsements_erase(sanctuary, keep_anonymised=False)
    assert not AssetEndorsement.objects.filter(participant=sanctuary).exists()
    assert names(client, both="1") == []


def test_a_category_moved_to_another_domain_is_on_the_next_layer(client):
    AssetFactory(name="Hall")
    assert names(client, domain=Domain.STRUCTURAL) == ["Hall"]
    category = AssetCategory.objects.get(slug="community-centre")
    form = CategoryForm(
        instance=category,
        data={
            "name_en": category.name_en,
            "name_cy": category.name_cy,
            "domain": Domain.COMMUNITY,
            "parent": category.parent_id or "",
            "slug": category.slug,
            "order": category.order,
        },
    )
    assert form.is_valid(), form.errors
    form.save()
    assert names(client, domain=Domain.STRUCTURAL) == []
    assert names(client, domain=Domain.COMMUNITY) == ["Hall"]


def test_erasure_on_withdrawal_that_touches_assets_bumps_the_layers_version():
    participant = ParticipantFactory()
    place = AssetFactory(name="Their allotment", on_behalf_of=participant)
    version = version_get(LAYER_VERSION)[0]
    own_skills_erase(ParticipantFactory(), keep_anonymised=False)  # nothing of theirs
    assert version_get(LAYER_VERSION)[0] == version
    own_skills_erase(participant, keep_anonymised=False)
    assert version_get(LAYER_VERSION)[0] == version + 1
    place.refresh_from_db()
    assert place.on_behalf_of is None


# --- Counts per grid cell when zoomed out ---------------------------------------------------


@pytest.fixture
def three_assets():
    """Two assets in one cell of the grid at zoom 15 and one a few cells east."""
    step = cell_degrees(ZOOM - 1)
    west = -180 + (int((-3.96 + 180) / step) + 0.25) * step
    south = -90 + (int((51.62 + 90) / step) + 0.25) * step
    placed("A", south, west)
    placed("B", south + step / 2, west + step / 2)
    placed("C", south, west + 3 * step)
    return west, south, step


@pytest.mark.parametrize(
    ("zoom", "mode"), [(ZOOM - 1, "cells"), (ZOOM, "points"), (ZOOM + 1, "points")]
)
def test_zoomed_out_below_the_threshold_the_layer_is_counts_per_cell(
    client, three_assets, zoom, mode
):
    shown = features(client.get(LAYER, {"bbox": BOX, "zoom": zoom}))
    if mode == "points":
        assert sorted(f["properties"]["name"] for f in shown) == ["A", "B", "C"]
        return
    west, south, step = three_assets
    assert [f["properties"]["count"] for f in shown] == [2, 1]
    two = shown[0]
    assert two["properties"]["bounds"] == [west, south, west + step / 2, south + step / 2]
    assert two["geometry"]["coordinates"] == [
        round(west + step / 4, 6),
        round(south + step / 4, 6),
    ]
    assert all("name" not in f["properties"] for f in shown)


@pytest.mark.parametrize(("most", "mode"), [(3, "points"), (2, "cells")])
def test_a_zoomed_out_view_with_few_assets_still_shows_each_one(
    client, settings, three_assets, most, mode
):
    settings.MAP_POINTS_MAX = most
    shown = features(client.get(LAYER, {"bbox": BOX, "zoom": ZOOM - 4}))
    assert ("count" in shown[0]["properties"]) == (mode == "cells")


def test_without_a_zoom_the_layer_is_points_as_partners_use_it(client, three_assets):
    assert names(client, bbox=BOX) == ["A", "B", "C"]


def test_the_box_is_grown_to_whole_cells_so_nearby_views_share_an_entry(client, three_assets):
    one = client.get(LAYER, {"bbox": "-3.9601,51.6201,-3.9501,51.6301", "zoom": 12})
    two = client.get(LAYER, {"bbox": "-3.9602,51.6202,-3.9502,51.6302", "zoom": 12})
    assert one["ETag"] == two["ETag"]


@pytest.mark.parametrize("zoom", ["x", "-1", "25", "1.5"])
def test_a_bad_zoom_is_refused_with_what_is_wrong(client, zoom):
    response = client.get(LAYER, {"zoom": zoom, "bbox": BOX})
    assert response.status_code == 400
    assert list(response.json()) == ["zoom"]


def test_a_bad_zoom_and_a_bad_box_are_both_named(client):
    response = client.get(LAYER, {"zoom": "x", "bbox": "x"})
    assert sorted(response.json()) == ["bbox", "zoom"]


# --- Never what is not published ------------------------------------------------------------


@pytest.mark.parametrize("zoom", [None, ZOOM - 1])
@pytest.mark.parametrize("role", [None, "participant"])
def test_nothing_unpublished_is_ever_on_the_layer_nor_in_its_counts(client_as, role, zoom):
    for n in range(3):
        AssetFactory(name=f"Published {n}")
    for status in [AssetStatus.SUBMITTED, AssetStatus.REJECTED, AssetStatus.ARCHIVED]:
        AssetFactory(name=f"Not published: {status}", status=status)
    params = {"bbox": BOX} | ({"zoom": zoom} if zoom else {})
    shown = features(client_as(role).get(LAYER, params))
    if zoom:
        assert sum(f["properties"]["count"] for f in shown) == 3
    else:
        assert sorted(f["properties"]["name"] for f in shown) == [
            "Published 0",
            "Published 1",
            "Published 2",
        ]


# --- Compressed --------------------------------------------------------------------------------


def _decoded(response) -> bytes:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    coding = response.get("Content-Encoding")
    return {"gzip": gzip.decompress, "br": brotli.decompress, None: lambda b: b}[coding](body)


@pytest.mark.parametrize("coding", ["gzip", "br"])
def test_the_layer_is_compressed_and_its_etag_still_answers_304(client, coding):
    for n in range(30):
        AssetFactory(name=f"Place {n}")
    response = client.get(LAYER, HTTP_ACCEPT_ENCODING=coding)
    assert response["Content-Encoding"] == coding
    assert "accept-encoding" in response["Vary"].lower()
    assert len(json.loads(_decoded(response))["features"]) == 30
    again = client.get(LAYER, HTTP_ACCEPT_ENCODING=coding, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize("coding", ["gzip", "br"])
@pytest.mark.parametrize("url", ["/en/map/", "/cy/", "/api/v1/assets/", "/api/v1/assets/geojson/"])
def test_pages_and_the_api_are_compressed(client, coding, url):
    AssetFactory(name="Gors Garden")
    _key, secret = api_key_make("public")
    response = client.get(url, HTTP_ACCEPT_ENCODING=coding, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200
    assert response["Content-Encoding"] == coding
    assert len(_decoded(response)) > len(response.content)


def test_without_accept_encoding_nothing_is_compressed(client):
    AssetFactory(name="Gors Garden")
    response = client.get("/en/map/")
    assert "Content-Encoding" not in response
    assert b"Gors Garden" in response.content


def test_counts_per_cell_follow_the_valued_by_both_filter(client, settings, three_assets):
    settings.MAP_POINTS_MAX = 1
    tenant = ParticipantFactory(cohort=Cohort.TENANT)
    sanctuary = ParticipantFactory(cohort=Cohort.ASYLUM_SEEKER)
    for asset in Asset.objects.filter(name__in=["A", "B"]):
        endorsement_set(asset=asset, participant=tenant, valued=True)
        endorsement_set(asset=asset, participant=sanctuary, valued=True)
    shown = features(client.get(LAYER, {"bbox": BOX, "zoom": ZOOM - 1, "both": "1"}))
    assert [f["properties"]["count"] for f in shown] == [2]  # A and B; C is valued by no one


# --- Known to the process: no filters built, no body read from the cache -------------------


def test_a_known_layer_is_one_query_and_stays_right_after_a_change(
    client, django_assert_max_num_queries, monkeypatch
):
    from assets.views import map as map_views

    AssetFactory(name="Gors Garden")
    published_changed()
    first = client.get(LAYER, {"bbox": BOX, "zoom": ZOOM})
    built = []
    monkeypatch.setattr(map_views, "AssetFilterSet", lambda *a, **k: built.append(1))
    cache.clear()  # the body is this process's copy now
    with django_assert_max_num_queries(1):
        again = client.get(LAYER, {"bbox": BOX, "zoom": ZOOM})
    assert again.content == first.content and again["ETag"] == first["ETag"] and not built
    monkeypatch.undo()
    AssetFactory(name="Hill Library")
    published_changed()
    assert names(client, bbox=BOX, zoom=ZOOM) == ["Gors Garden", "Hill Library"]


def test_a_wrong_query_is_refused_every_time(client):
    for _ in range(2):
        assert client.get(LAYER, {"bbox": "west"}).status_code == 400


def test_an_area_code_is_checked_on_every_request(client):
    area = Area.objects.create(code="W01009999", name_en="Somewhere", level=AreaLevel.LSOA)
    published_changed()
    assert client.get(LAYER, {"area": "W01009999"}).status_code == 200
    area.delete()  # the areas' admin sends no new version
    assert client.get(LAYER, {"area": "W01009999"}).status_code == 400


def test_the_same_query_is_a_layer_of_its_own_inside_and_outside_the_project(client_as):
    placed("Gors Garden", 51.63, -3.95)
    published_changed()
    inside, public = client_as("participant"), client_as(None)
    for _ in range(2):  # checked, then known
        tags = {inside.get(LAYER, {"bbox": BOX})["ETag"], public.get(LAYER, {"bbox": BOX})["ETag"]}
        assert len(tags) == 2
