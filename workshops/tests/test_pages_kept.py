"""The workshop list and common ground are rendered once per change of what they show
(workshops.versions) and kept per person: every kind of write shows on the next request,
and one person's copy never reaches another (another site, another role)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Role
from core.tests.factories import SiteFactory
from workshops.models import Barrier, BarrierKind, Workshop
from workshops.services import barrier_vote
from workshops.tests.test_tracking import NUMBER_CELL, barrier, shared, workshop  # noqa: F401

pytestmark = pytest.mark.django_db

LIST = reverse("workshops:workshop-list")
COMMON_GROUND = reverse("workshops:common-ground")


def page(client, url=LIST) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_workshop_saved_renamed_or_deleted_shows_on_the_next_request(coordinator_client):
    held = workshop("Getting about")
    assert "Getting about" in page(coordinator_client)
    held.title = "Getting about town"
    held.save()  # as the Django admin saves
    assert "Getting about town" in page(coordinator_client)
    Workshop.objects.filter(pk=held.pk).delete()
    assert "Getting about" not in page(coordinator_client)


def test_a_new_facilitator_sees_the_workshop_on_the_next_request(make_user, client):
    facilitator = make_user(Role.FACILITATOR)
    held = workshop("Walking group")
    client.force_login(facilitator, backend="core.backends.RoleBackend")
    assert "Walking group" not in page(client)
    held.facilitators.add(facilitator)  # a many-to-many change
    assert "Walking group" in page(client)


def test_a_workshop_coming_up_moves_to_the_past_when_it_ends(coordinator_client, monkeypatch):
    now = timezone.now()
    Workshop.objects.create(
        site=workshop().site,
        title="Soon over",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(minutes=1),
    )
    coming_up = page(coordinator_client).split('id="past"')[0]
    assert "Soon over" in coming_up
    later = now + timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)  # nothing written: time passes
    coming_up, past = page(coordinator_client).split('id="past"')
    assert "Soon over" not in coming_up and "Soon over" in past


def test_one_facilitators_list_never_reaches_another_at_another_site(make_user, client_as):
    own = client_as(Role.FACILITATOR)
    other_site = SiteFactory()
    elsewhere = client_as(Role.FACILITATOR, sites=[other_site])
    workshop("Ours", facilitators=[own.user])
    Workshop.objects.create(
        site=other_site,
        title="Theirs",
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2, hours=-1),
    ).facilitators.add(elsewhere.user)
    assert "Ours" in page(own) and "Theirs" not in page(own)
    assert "Theirs" in page(elsewhere) and "Ours" not in page(elsewhere)


def test_a_coordinators_exact_counts_never_reach_a_facilitator(client_as, shared):  # noqa: F811
    assert "(tenants: 3; people seeking sanctuary: 3)" in page(
        client_as(Role.COORDINATOR), COMMON_GROUND
    )
    shown = page(client_as(Role.FACILITATOR), COMMON_GROUND)
    assert "(tenants: 3; people seeking sanctuary: 3)" not in shown
    assert "&lt;5" in shown


def test_a_vote_and_a_new_barrier_show_on_common_ground_next_request(
    coordinator_client,
    shared,  # noqa: F811
):
    assert "Lifts out of order" not in page(coordinator_client, COMMON_GROUND)
    barrier("Lifts out of order", affects="both", kind=BarrierKind.HOUSING)
    assert "Lifts out of order" in page(coordinator_client, COMMON_GROUND)
    fares = Barrier.objects.get(title="Bus fares")
    barrier_vote(barrier=fares)  # a queryset update(): no signal
    assert fares.priority_votes == 8
    row = page(coordinator_client, COMMON_GROUND).split("Bus fares", 1)[1].split("</tr>")[0]
    assert 'data-label="Priority votes">8</td>' in row
