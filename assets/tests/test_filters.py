"""The asset map's filters (assets.filters.AssetFilterSet) at their edges, through the layer
(400 with the field's error when a value is not right) and the list beside the map (the
error shown, the other filters still applied)."""

import json
from datetime import timedelta
from html import unescape

import pytest
from django.utils import timezone

from assets.models import Area, AreaLevel, Asset, AssetCategory
from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db
LAYER = "/en/map/layer.geojson"
MAP = "/en/map/"


def names(client, **params) -> list[str]:
    response = client.get(LAYER, params)
    assert response.status_code == 200, response.content
    return sorted(f["properties"]["name"] for f in json.loads(response.content)["features"])


def refused(client, **params) -> dict:
    response = client.get(LAYER, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_search_takes_up_to_100_characters_and_says_so_beyond(client):
    AssetFactory(name="Hall " + "x" * 95)
    AssetFactory(name="Library")
    assert names(client, q="x" * 95) == ["Hall " + "x" * 95]
    assert names(client, q="  ") == sorted(["Hall " + "x" * 95, "Library"])
    assert "at most 100 characters" in refused(client, q="x" * 101)["q"][0]


def test_category_is_the_category_or_any_under_it_up_to_60_characters(client):
    AssetFactory(name="Hall")  # community centre, under places to meet
    AssetFactory(name="Library", category=AssetCategory.objects.get(slug="library"))
    assert names(client, category="library") == ["Library"]
    assert names(client, category="places-to-meet") == ["Hall", "Library"]
    assert names(client, category="no-such-category") == []
    assert "at most 60 characters" in refused(client, category="c" * 61)["category"][0]


@pytest.mark.parametrize(
    ("field", "bad"),
    [("domain", "civic"), ("welcoming", "everyone"), ("language", "xx"), ("cost", "cheap")],
)
def test_a_choice_that_is_not_one_is_refused_by_name(client, field, bad):
    assert f"{bad} is not one of the available choices" in refused(client, **{field: bad})[field][0]


def test_welcoming_language_and_cost_match_the_value_exactly(client):
    AssetFactory(name="Club", welcoming_to=["young_people"], languages=["ar"], cost="low")
    AssetFactory(name="Gym", welcoming_to=["women"], languages=["cy", "en"], cost="paid")
    assert names(client, welcoming="young_people") == ["Club"]
    assert names(client, welcoming="women") == ["Gym"]
    assert names(client, language="cy") == ["Gym"]
    assert names(client, cost="low") == ["Club"]
    assert names(client, cost="free") == []


@pytest.mark.parametrize(("value", "expected"), [("1", ["Free"]), ("true", ["Free"]), ("0", None)])
def test_free_is_on_with_1_or_true_and_off_otherwise(client, value, expected):
    AssetFactory(name="Free", cost="free")
    AssetFactory(name="Low", cost="low")
    assert names(client, free=value) == (expected or ["Free", "Low"])


@pytest.fixture
def areas():
    la = Area.objects.create(code="W06000011", name_en="Swansea", level=AreaLevel.LOCAL_AUTHORITY)
    msoa = Area.objects.create(code="W02000186", name_en="Swansea 019", level="msoa", parent=la)
    lsoa = Area.objects.create(code="W01000736", name_en="Swansea 028A", level="lsoa", parent=msoa)
    other = Area.objects.create(code="W01000737", name_en="Swansea 028B", level="lsoa", parent=msoa)
    site = Area.objects.create(code="SITE-1", name_en="Townhill", level=AreaLevel.SITE)
    AssetFactory(name="In 028A", lsoa=lsoa, msoa=msoa, local_authority=la)
    AssetFactory(name="In 028B", lsoa=other, msoa=msoa, local_authority=la)
    AssetFactory(name="Unplaced")
    return {"la": la, "msoa": msoa, "lsoa": lsoa, "site": site}


def test_area_is_an_lsoa_msoa_or_local_authority_by_its_code(client, areas):
    assert names(client, area="W01000736") == ["In 028A"]
    assert names(client, area="W02000186") == ["In 028A", "In 028B"]
    assert names(client, area="W06000011") == ["In 028A", "In 028B"]


@pytest.mark.parametrize("code", ["W01999999", "SITE-1", "<script>"])
def test_an_area_code_nobody_knows_is_refused_with_the_code(client, areas, code):
    assert refused(client, area=code)["area"] == [f"No area has the code “{code}”."]


def test_the_box_includes_what_is_on_its_edge(client):
    AssetFactory(name="Corner", latitude=51.6, longitude=-4.0)
    AssetFactory(name="Just outside", latitude=51.6, longitude=-4.00001)
    assert names(client, bbox="-4.0,51.6,-3.9,51.7") == ["Corner"]
    assert names(client, bbox="-4.0,51.6,-4.0,51.6") == ["Corner"]  # a box of one point


def test_updated_since_includes_the_instant_itself_and_takes_a_date_or_a_time(client):
    since = timezone.now().replace(microsecond=0) - timedelta(days=3)
    AssetFactory(name="At the instant")
    AssetFactory(name="A second before")
    Asset.objects.filter(name="At the instant").update(updated_at=since)
    Asset.objects.filter(name="A second before").update(updated_at=since - timedelta(seconds=1))
    assert names(client, updated_since=since.isoformat()) == ["At the instant"]
    day_before = timezone.localtime(since - timedelta(days=1)).date().isoformat()
    assert names(client, updated_since=day_before) == ["A second before", "At the instant"]
    assert "valid date/time" in refused(client, updated_since="last week")["updated_since"][0]


def test_every_wrong_filter_is_named_at_once(client):
    errors = refused(client, domain="x", bbox="1,2", area="nowhere")
    assert set(errors) == {"domain", "bbox", "area"}


def test_the_list_says_what_is_wrong_and_still_applies_the_filters_that_are_right(client):
    AssetFactory(name="Library", category=AssetCategory.objects.get(slug="library"))
    AssetFactory(name="Hall")
    response = client.get(MAP, {"category": "library", "domain": "civic"})
    page = unescape(response.content.decode())
    assert response.status_code == 200
    assert "There is a problem" in page
    assert 'href="#filter-domain">Select a valid choice. civic is not one' in page
    assert "Library" in page and "Hall" not in page
    # The map beside it asks for what the list shows: the filters that are right.
    assert response.context["map_config"]["query"] == "category=library"


def test_what_is_wrong_is_said_in_welsh_on_a_welsh_address(client):
    response = client.get("/cy/map/layer.geojson", {"area": "W0", "bbox": "x"})
    assert response.json()["area"] == ["Does dim ardal â’r cod “W0”."]
    assert response.json()["bbox"][0].startswith("Rhowch y blwch fel pedwar rhif")
