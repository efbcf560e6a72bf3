"""Pages and parts of pages kept per language and data version (core.pagecache): the map
page for people signed out, and its body for people inside the project. A change to the
data shows on the next request; nothing kept for one group of people is shown to another."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from assets.models import AssetCategory, AssetStatus
from assets.services.assets import asset_publish
from assets.tests.factories import AssetFactory
from core import pagecache
from core.localmemo import LocalMemo

pytestmark = pytest.mark.django_db
MAP = reverse("assets:asset-map")


def listed(client, url: str = MAP) -> str:
    """The list beside the map, as the page shows it."""
    html = client.get(url).content.decode()
    return html.split('id="asset-list-heading"', 1)[1].split("</ul>", 1)[0]


def test_a_newly_published_asset_shows_on_the_next_signed_out_request(client):
    AssetFactory(name="Townhill Library")
    waiting = AssetFactory(name="Mayhill Pantry", status=AssetStatus.SUBMITTED)
    assert "Mayhill Pantry" not in listed(client)

    asset_publish(asset=waiting, not_a_home=True)

    assert "Mayhill Pantry" in listed(client) and "Townhill Library" in listed(client)


def test_a_page_kept_for_people_signed_out_is_not_shown_to_someone_signed_in(
    client, participant_client
):
    AssetFactory(name="Townhill Library")
    assert "Sign in" in client.get(MAP).content.decode()

    page = participant_client.get(MAP).content.decode()

    assert "Sign out" in page and "Add an asset" in page and "Sign in</a>" not in page


def test_the_welsh_page_is_kept_apart_from_the_english(client):
    AssetFactory(name="Townhill Library")
    assert 'lang="en"' in client.get(MAP).content.decode()[:200]

    welsh = client.get(MAP.replace("/en/", "/cy/", 1)).content.decode()

    assert 'lang="cy"' in welsh[:200] and "gryf yn yr ardal hon" in welsh


def test_a_kept_page_carries_the_nonce_of_its_own_response(client):
    AssetFactory(name="Townhill Library")
    nonces = []
    for _ in range(2):
        response = client.get(MAP)
        header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert f'nonce="{header}"' in response.content.decode()
        nonces.append(header)
    assert nonces[0] != nonces[1]


def test_a_search_is_never_kept(client):
    AssetFactory(name="Townhill Library")
    assert "Townhill Library" in listed(client, f"{MAP}?q=library")
    AssetFactory(name="Mayhill Library")  # behind the services' back: no new version

    assert "Mayhill Library" in listed(client, f"{MAP}?q=library")


def skill(name: str):
    """A person's skill whose owner has not agreed to show it outside the project."""
    return AssetFactory(
        name=name,
        category=AssetCategory.objects.get(slug="skills"),
        geometry=None,
        latitude=None,
        longitude=None,
        publish_consent=False,
    )


def test_the_list_kept_for_the_project_is_not_shown_outside_it(
    client, facilitator_client, partner_client, evaluator_client
):
    skill("Welsh conversation practice")
    assert "Welsh conversation practice" in listed(facilitator_client)

    for outside in (partner_client, evaluator_client, client):
        assert "Welsh conversation practice" not in listed(outside)


def test_the_list_kept_for_the_project_shows_a_change_on_the_next_request(
    facilitator_client, participant_client
):
    waiting = AssetFactory(name="Mayhill Pantry", status=AssetStatus.SUBMITTED)
    assert "Mayhill Pantry" not in listed(facilitator_client)

    asset_publish(asset=waiting, not_a_home=True)

    assert "Mayhill Pantry" in listed(participant_client)


def menu(html: str) -> str:
    return html.split('id="navigation"', 1)[1].split("</ul>", 1)[0]


def test_the_map_page_kept_for_the_project_has_each_persons_own_menu(
    participant_client, coordinator_client
):
    AssetFactory(name="Townhill Library")
    participant_page = participant_client.get(MAP).content.decode()

    coordinator_page = coordinator_client.get(MAP).content.decode()

    assert "Townhill Library" in listed(coordinator_client)
    assert "Moderation" in menu(coordinator_page) and "My page" not in menu(coordinator_page)
    assert "My page" in menu(participant_page) and "Moderation" not in menu(participant_page)


def test_the_map_page_kept_for_the_project_carries_the_nonce_of_its_own_response(
    facilitator_client,
):
    facilitator_client.get(MAP)
    for _ in range(2):
        response = facilitator_client.get(MAP)
        nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
        assert f'nonce="{nonce}"' in response.content.decode()


def test_kept_values_come_from_memory_then_the_cache_and_the_oldest_are_forgotten(monkeypatch):
    monkeypatch.setattr(pagecache, "fragments", LocalMemo(max_entries=2, max_bytes=2**20))
    computed = []

    def compute(value):
        return lambda: computed.append(value) or value

    assert pagecache.kept("a", compute("A")) == "A"
    assert pagecache.kept("a", compute("changed")) == "A"  # the key names what it depends on
    assert pagecache.kept(None, compute("B")) == "B" and pagecache.kept(None, compute("B")) == "B"
    pagecache.kept("c", compute("C"))
    pagecache.kept("d", compute("D"))  # "a" is forgotten in this process, not in the cache
    assert pagecache.fragments.get("a") is None and pagecache.fragments.get("d") == "D"
    assert pagecache.kept("a", compute("again")) == "A"
    cache.clear()
    pagecache.kept_forget()
    assert pagecache.kept("a", compute("again")) == "again"
    assert computed == ["A", "B", "B", "C", "D", "again"]
