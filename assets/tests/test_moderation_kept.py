"""Each page of the moderation queue is rendered once per change of what moderation reads
(assets.versions) and kept per site scope and language: every kind of write shows on the
next request, one site's queue never reaches another's coordinator, and the permission is
still checked on every request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assets.models import AssetCategory, AssetStatus
from assets.services.assets import (
    asset_create,
    asset_merge,
    asset_submission_change,
    asset_submission_withdraw,
)
from assets.tests.factories import AssetFactory, point
from core.models import DataVersion, Role
from core.tests.factories import SiteFactory
from participants.services import participant_withdraw
from participants.tests.factories import ParticipantFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("assets:moderation")


def queue(client, url: str = QUEUE) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def rows(client, url: str = QUEUE) -> str:
    """The table of submissions ("" when nothing waits)."""
    page = queue(client, url)
    return page.split("<tbody", 1)[1].split("</tbody>", 1)[0] if "<tbody" in page else ""


def sent(name: str, **fields):
    return AssetFactory(name=name, status=AssetStatus.SUBMITTED, **fields)


def test_a_new_submission_shows_on_the_next_request(coordinator_client, participant_client):
    assert "Nothing is waiting" in queue(coordinator_client)
    sent("Brynmill Park")  # as the Django admin saves one
    assert "Brynmill Park" in rows(coordinator_client)
    asset_create(
        recorded_by=participant_client.user,
        fields={"name": "Mayhill Pantry", "category": AssetCategory.objects.get(slug="library")},
        geometry=point(),
    )
    page = queue(coordinator_client)
    assert "Mayhill Pantry" in page and "2 waiting" in page


def test_a_submission_published_rejected_or_merged_leaves_the_queue_at_once(coordinator_client):
    park, pantry, library = sent("Brynmill Park"), sent("Mayhill Pantry"), sent("Library copy")
    assert "3 waiting" in queue(coordinator_client)
    coordinator_client.post(
        reverse("assets:asset-publish", args=[park.pk]), {"home_check": "not_a_home"}
    )
    assert "Brynmill Park" not in rows(coordinator_client)
    coordinator_client.post(reverse("assets:asset-reject", args=[pantry.pk]), {"reason": "A home"})
    assert "Mayhill Pantry" not in rows(coordinator_client)
    asset_merge(duplicate=library, keep=AssetFactory(name="Townhill Library"))
    assert "Nothing is waiting" in queue(coordinator_client)


def test_a_participant_changing_or_withdrawing_their_submission_shows_at_once(
    coordinator_client,
):
    person = ParticipantFactory()
    theirs = sent("Bus stop bench", on_behalf_of=person)
    assert "Bus stop bench" in rows(coordinator_client)
    asset_submission_change(
        asset=theirs, participant=person, fields={"name": "Bench by the bus stop"}, geometry=None
    )
    assert "Bench by the bus stop" in rows(coordinator_client)
    asset_submission_withdraw(asset=theirs, participant=person)
    assert "Bench by the bus stop" not in rows(coordinator_client)


def test_who_sent_it_and_its_category_follow_their_changes(coordinator_client, make_user):
    facilitator = make_user(Role.FACILITATOR, username="gwen")
    person = ParticipantFactory(code="P-777")
    sent("Walking group", on_behalf_of=person, recorded_by=facilitator)
    assert "P-777" in rows(coordinator_client)
    participant_withdraw(participant=person, by=coordinator_client.user)
    table = rows(coordinator_client)
    assert "P-777" not in table and "gwen" in table  # erased: no longer linked to them

    facilitator.username = "gwen-h"
    facilitator.save()  # as the Django admin saves it
    assert "gwen-h" in rows(coordinator_client)
    category = AssetCategory.objects.get(slug="community-centre")
    category.name_en = "Community hall"
    category.save()
    assert "Community hall" in rows(coordinator_client)


def test_a_sign_in_does_not_change_what_moderation_reads(client, make_user):
    user = make_user(Role.COORDINATOR)
    before = list(DataVersion.objects.values_list("name", "value"))
    client.force_login(user)  # notes last_login: a save of the user naming that field only
    assert list(DataVersion.objects.values_list("name", "value")) == before


def test_each_sites_coordinator_sees_their_own_queue_and_a_move_shows_at_once(
    coordinator_client, client_as
):
    other_site = SiteFactory()
    elsewhere = client_as(Role.COORDINATOR, sites=[other_site])
    sent("Ours")
    sent("Theirs", site=other_site)
    assert "Ours" in rows(coordinator_client) and "Theirs" not in rows(coordinator_client)
    assert "Theirs" in rows(elsewhere) and "Ours" not in rows(elsewhere)
    coordinator_client.user.sites.set([other_site])
    assert "Theirs" in rows(coordinator_client) and "Ours" not in rows(coordinator_client)


def test_the_kept_queue_is_still_refused_to_a_facilitator(coordinator_client, facilitator_client):
    sent("Brynmill Park")
    assert "Brynmill Park" in rows(coordinator_client)
    assert facilitator_client.get(QUEUE).status_code == 403


def test_the_welsh_queue_is_kept_apart_from_the_english(coordinator_client):
    category = AssetCategory.objects.get(slug="community-centre")
    sent("Brynmill Park")
    assert category.name_en in rows(coordinator_client)
    welsh = queue(coordinator_client, QUEUE.replace("/en/", "/cy/", 1))
    assert "Cyflwyniadau i'w gwirio" in welsh and category.name_cy in welsh
    assert "Submissions to check" in queue(coordinator_client)


def test_each_page_of_the_queue_is_kept_apart(coordinator_client):
    for n in range(51):
        sent(f"Sent {n:02}")
    assert "Sent 49" in rows(coordinator_client) and "Sent 50" not in rows(coordinator_client)
    second = rows(coordinator_client, f"{QUEUE}?page=2")
    assert "Sent 50" in second and "Sent 49" not in second
    assert "Sent 50" in rows(coordinator_client, f"{QUEUE}?page=02")  # worked out, not kept
    assert coordinator_client.get(f"{QUEUE}?page=3").status_code == 404


def test_the_kept_queue_costs_one_query_more_than_a_page_with_nothing_of_its_own(
    coordinator_client,
):
    for n in range(3):
        sent(f"Sent {n}")
    queue(coordinator_client)
    with CaptureQueriesContext(connection) as bare:
        coordinator_client.get(reverse("core:accessibility"))
    with CaptureQueriesContext(connection) as kept:
        page = queue(coordinator_client)
    assert "3 waiting" in page and len(kept) == len(bare) + 1
