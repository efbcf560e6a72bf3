"""A coordinator edits an asset, and places an unplaced one at moderation: tested by what the
database holds and what the pages show afterwards, not by status codes."""

import json

import pytest
from django.urls import reverse

from assets.geo import areas_for_points
from assets.models import Asset, AssetCategory, AssetStatus
from assets.tests.factories import TOWNHILL, AssetFactory, point

pytestmark = pytest.mark.django_db
MAYHILL = (51.6214, -3.9436)

NOT_A_HOME = {"home_check": "not_a_home"}


def form_data(asset: Asset, **changes) -> dict:
    """The edit form as the coordinator's browser sends it, with `changes` typed in."""
    data = {
        "category": asset.category_id,
        "name": asset.name,
        "description": asset.description,
        "geometry": json.dumps(asset.geometry) if asset.geometry else "",
        "address": asset.address,
        "postcode": asset.postcode,
        "cost": asset.cost,
        "languages": asset.languages,
        "welcoming_to": asset.welcoming_to,
    }
    return {**data, **changes}


def test_an_edit_is_saved_and_shown_on_the_detail_page_and_the_map(
    coordinator_client, client, swansea
):
    asset = AssetFactory(name="Townhill Hall", cost="paid", description="Old words")
    response = coordinator_client.post(
        reverse("assets:asset-edit", args=[asset.pk]),
        form_data(
            asset,
            name="Townhill Community Hall",
            description="Warm space on Tuesdays",
            cost="free",
            languages=["cy", "ar"],
            welcoming_to=["sanctuary"],
            geometry=json.dumps(point(*MAYHILL)),
        ),
        follow=True,
    )
    asset.refresh_from_db()
    assert (asset.name, asset.description, asset.cost) == (
        "Townhill Community Hall",
        "Warm space on Tuesdays",
        "free",
    )
    assert (asset.languages, asset.welcoming_to) == (["cy", "ar"], ["sanctuary"])
    assert (asset.latitude, asset.longitude) == MAYHILL
    [(lsoa_id, msoa_id, _la_id)] = areas_for_points([MAYHILL])
    assert (asset.areas.lsoa_id, asset.areas.msoa_id) == (lsoa_id, msoa_id) and lsoa_id is not None
    page = response.content.decode()
    assert "Saved." in page and "Townhill Community Hall" in page
    assert "Warm space on Tuesdays" in page and "Old words" not in page
    public = client.get(reverse("assets:asset-map")).content.decode()
    assert "Townhill Community Hall" in public and "Townhill Hall<" not in public
    layer = json.loads(client.get(reverse("assets:asset-layer")).content)["features"]
    assert [f["geometry"]["coordinates"] for f in layer] == [[MAYHILL[1], MAYHILL[0]]]


def test_a_bad_edit_explains_and_changes_nothing(coordinator_client):
    asset = AssetFactory(name="Townhill Hall")
    before = Asset.objects.values().get(pk=asset.pk)
    page = coordinator_client.post(
        reverse("assets:asset-edit", args=[asset.pk]), form_data(asset, name="", cost="priceless")
    ).content.decode()
    assert "Enter the name of the place, group or skill" in page
    assert Asset.objects.values().get(pk=asset.pk) == before


def test_a_pin_outside_wales_is_refused_and_the_place_kept(coordinator_client):
    asset = AssetFactory(name="Townhill Hall")
    page = coordinator_client.post(
        reverse("assets:asset-edit", args=[asset.pk]),
        form_data(asset, geometry=json.dumps(point(51.45, -2.59))),  # Bristol
    ).content.decode()
    assert "The location is outside Wales" in page
    asset.refresh_from_db()
    assert (asset.latitude, asset.longitude) == TOWNHILL


def test_an_unplaced_asset_is_placed_at_moderation_then_published_onto_the_map(
    coordinator_client, client, swansea
):
    asset = AssetFactory(
        name="Cwmbwrla Pantry",
        category=AssetCategory.objects.get(slug="food-support"),
        status=AssetStatus.SUBMITTED,
        geometry=None,
        latitude=None,
        longitude=None,
        address="Behind the chapel, Cwmbwrla",
    )
    refused = coordinator_client.post(
        reverse("assets:asset-publish", args=[asset.pk]), NOT_A_HOME, follow=True
    )
    assert "Place this asset on the map before publishing it" in refused.content.decode()
    asset.refresh_from_db()
    assert asset.status == AssetStatus.SUBMITTED

    review = coordinator_client.get(reverse("assets:moderation-review", args=[asset.pk]))
    assert reverse("assets:asset-edit", args=[asset.pk]) in review.content.decode()
    coordinator_client.post(
        reverse("assets:asset-edit", args=[asset.pk]),
        form_data(asset, geometry=json.dumps(point())),
    )
    asset.refresh_from_db()
    assert (asset.latitude, asset.longitude, asset.status) == (*TOWNHILL, AssetStatus.SUBMITTED)
    assert asset.areas.lsoa is not None and asset.address == "Behind the chapel, Cwmbwrla"
    assert "Cwmbwrla Pantry" not in client.get(reverse("assets:asset-map")).content.decode()

    published = coordinator_client.post(
        reverse("assets:asset-publish", args=[asset.pk]), NOT_A_HOME, follow=True
    )
    assert "Published “Cwmbwrla Pantry”" in published.content.decode()
    asset.refresh_from_db()
    assert asset.status == AssetStatus.PUBLISHED and asset.published_at is not None
    layer = json.loads(client.get(reverse("assets:asset-layer")).content)["features"]
    assert [(f["properties"]["name"], f["geometry"]["coordinates"]) for f in layer] == [
        ("Cwmbwrla Pantry", [TOWNHILL[1], TOWNHILL[0]])
    ]
