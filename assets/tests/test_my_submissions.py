"""A participant changes or withdraws what they sent while it still waits for a check: only
their own, only while it waits, once however often the form is sent."""

import json

import pytest
from django.urls import reverse

from assets.models import Asset, AssetCategory, AssetStatus
from assets.services.assets import asset_publish, asset_reject
from assets.tests.factories import AssetFactory, point
from participants.tests.factories import ParticipantFactory
from tests.pages import hidden_value, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def me(client_as):
    client = client_as("participant")
    client.person = ParticipantFactory(user=client.user)
    return client


def waiting(person, **kwargs):
    return AssetFactory(
        name="Mayhill Pantry",
        status=AssetStatus.SUBMITTED,
        on_behalf_of=person,
        category=AssetCategory.objects.get(slug="food-support"),
        **kwargs,
    )


def change_data(asset, **overrides):
    return {
        "category": asset.category_id,
        "name": "Mayhill Community Pantry",
        "description": "Fresh food on Fridays",
        "cost": "free",
        "geometry": json.dumps(point()),
        **overrides,
    }


def test_my_page_offers_change_and_withdraw_only_for_what_still_waits(me):
    mine = waiting(me.person)
    published = AssetFactory(name="Gors Park", on_behalf_of=me.person)
    page = me.get(reverse("participants:me")).content.decode()
    assert reverse("assets:my-change", args=[mine.pk]) in page
    assert reverse("assets:my-withdraw", args=[mine.pk]) in page
    assert reverse("assets:my-change", args=[published.pk]) not in page
    assert "Submitted – waiting for a check" in page_text(page)


def test_i_change_what_i_sent_and_it_still_waits(me):
    asset = waiting(me.person)
    url = reverse("assets:my-change", args=[asset.pk])
    assert 'value="Mayhill Pantry"' in me.get(url).content.decode()
    response = me.post(url, change_data(asset), follow=True)
    asset.refresh_from_db()
    assert (asset.name, asset.description, asset.cost) == (
        "Mayhill Community Pantry",
        "Fresh food on Fridays",
        "free",
    )
    assert asset.status == AssetStatus.SUBMITTED and asset.on_behalf_of == me.person
    assert "Your changes are saved. It still waits for a check." in page_text(response)


def test_a_bad_change_says_what_is_wrong_and_changes_nothing(me):
    asset = waiting(me.person)
    url = reverse("assets:my-change", args=[asset.pk])
    response = me.post(url, change_data(asset, name="", postcode="nonsense"))
    assert response.status_code == 200
    text = page_text(response)
    assert "Enter a real postcode, like SA1 6AA" in text
    asset.refresh_from_db()
    assert asset.name == "Mayhill Pantry"


def test_sent_twice_a_change_is_made_once(me):
    asset = waiting(me.person)
    url = reverse("assets:my-change", args=[asset.pk])
    token = hidden_value(me.get(url).content.decode(), "form_token")
    first = me.post(url, change_data(asset, form_token=token))
    asset_publish(asset=asset, not_a_home=True)  # checked between the two taps
    second = me.post(url, change_data(asset, form_token=token, name="Something else"))
    assert first["Location"] == second["Location"]
    asset.refresh_from_db()
    assert asset.name == "Mayhill Community Pantry" and asset.status == AssetStatus.PUBLISHED


def test_i_withdraw_what_i_sent_and_a_second_tap_says_it_is_done(me):
    asset = waiting(me.person)
    url = reverse("assets:my-withdraw", args=[asset.pk])
    page = me.get(url).content.decode()
    assert "Withdraw “Mayhill Pantry”" in page_text(page)
    token = hidden_value(page, "form_token")
    first = me.post(url, {"form_token": token}, follow=True)
    assert not Asset.objects.filter(pk=asset.pk).exists()
    assert "“Mayhill Pantry” is withdrawn." in page_text(first)
    second = me.post(url, {"form_token": token}, follow=True)
    assert second.status_code == 200 and "This was already withdrawn." in page_text(second)


@pytest.mark.parametrize("decide", ["publish", "reject"])
def test_once_checked_it_can_no_longer_be_changed_or_withdrawn(me, decide):
    asset = waiting(me.person)
    if decide == "publish":
        asset_publish(asset=asset, not_a_home=True)
    else:
        asset_reject(asset=asset, reason="Looks like a home")
    for name in ("assets:my-change", "assets:my-withdraw"):
        response = me.get(reverse(name, args=[asset.pk]), follow=True)
        assert "already been checked" in page_text(response)
    response = me.post(reverse("assets:my-withdraw", args=[asset.pk]), follow=True)
    assert "has already been checked, so it can no longer be changed or withdrawn" in (
        page_text(response)
    )
    response = me.post(reverse("assets:my-change", args=[asset.pk]), change_data(asset))
    asset.refresh_from_db()
    assert asset.name == "Mayhill Pantry" and Asset.objects.filter(pk=asset.pk).exists()


def test_another_participants_submission_is_not_found(me, client_as):
    asset = waiting(ParticipantFactory())
    for name in ("assets:my-change", "assets:my-withdraw"):
        url = reverse(name, args=[asset.pk])
        assert me.get(url).status_code == 404
        assert me.post(url, change_data(asset)).status_code == 404
    asset.refresh_from_db()
    assert asset.name == "Mayhill Pantry"
    coordinator = client_as("coordinator")  # staff use the moderation pages instead
    assert coordinator.get(reverse("assets:my-change", args=[asset.pk])).status_code == 404
