"""Participants name barriers from their own page; the facilitators and coordinators of their
site accept them (a barrier of the site) or decline them (never published)."""

import pytest
from django.urls import reverse

from core.tests.factories import SiteFactory
from participants.erasure import run as erasure_run
from participants.tests.factories import ParticipantFactory
from tests.pages import hidden_value, page_text
from workshops.models import Barrier, BarrierProposal, ProposalStatus

pytestmark = pytest.mark.django_db
NAME = "/en/barriers/name/"


@pytest.fixture
def me(client_as):
    client = client_as("participant")
    client.person = ParticipantFactory(user=client.user)
    return client


def name_barrier(client, **data):
    url = reverse("workshops:barrier-name")
    token = hidden_value(client.get(url).content.decode(), "form_token")
    fields = {"title": "No bus after six", "description": "The 14 stops early", "kind": "transport"}
    return client.post(url, {**fields, **data, "form_token": token}, follow=True)


def test_a_participant_names_a_barrier_and_sees_it_waiting_on_their_page(me):
    response = name_barrier(me)
    proposal = BarrierProposal.objects.get()
    assert (proposal.title, proposal.kind, proposal.participant, proposal.site) == (
        "No bus after six",
        "transport",
        me.person,
        me.person.site,
    )
    text = page_text(response)
    assert "Thank you. A facilitator of your project will look at it" in text
    assert "No bus after six Waiting for a facilitator" in text
    assert not Barrier.objects.exists()  # nothing is published yet


def test_a_double_tap_names_it_once(me):
    url = reverse("workshops:barrier-name")
    token = hidden_value(me.get(url).content.decode(), "form_token")
    for _ in range(2):
        me.post(url, {"title": "No bus after six", "form_token": token})
    assert BarrierProposal.objects.count() == 1


def test_naming_nothing_says_what_to_do_and_saves_nothing(me):
    response = me.post(reverse("workshops:barrier-name"), {"title": " ", "kind": "nonsense"})
    text = page_text(response)
    assert "Say what gets in your way, in a few words" in text
    assert "Select a valid choice" in text
    assert not BarrierProposal.objects.exists()


def test_it_waits_for_the_facilitators_of_that_site_only(me, client_as):
    name_barrier(me)
    facilitator = client_as("facilitator")
    queue = page_text(facilitator.get(reverse("workshops:barrier-proposals")))
    assert "No bus after six" in queue and "The 14 stops early" in queue
    home = page_text(facilitator.get(reverse("core:home")))
    assert "Barriers participants named" in home and "1 waiting" in home
    elsewhere = client_as("facilitator", sites=[SiteFactory()])
    assert "No bus after six" not in page_text(
        elsewhere.get(reverse("workshops:barrier-proposals"))
    )
    proposal = BarrierProposal.objects.get()
    accept = reverse("workshops:barrier-proposal-accept", args=[proposal.pk])
    assert elsewhere.post(accept, {}).status_code == 404


def test_it_is_not_published_anywhere_until_accepted(me, client_as):
    name_barrier(me)
    coordinator = client_as("coordinator")
    assert (
        "No bus after six"
        not in coordinator.get(reverse("workshops:common-ground")).content.decode()
    )
    assert "No bus after six" not in coordinator.get("/api/v1/barriers/").content.decode()


def test_a_facilitator_accepts_it_as_a_barrier_of_the_site(me, client_as):
    name_barrier(me)
    proposal = BarrierProposal.objects.get()
    facilitator = client_as("facilitator")
    prefix = f"p{proposal.pk}"
    response = facilitator.post(
        reverse("workshops:barrier-proposal-accept", args=[proposal.pk]),
        {
            f"{prefix}-title": "Evening buses",
            f"{prefix}-kind": "transport",
            f"{prefix}-affects": "both",
        },
        follow=True,
    )
    barrier = Barrier.objects.get()
    assert (barrier.title, barrier.kind, barrier.affects, barrier.description) == (
        "Evening buses",
        "transport",
        "both",
        "The 14 stops early",
    )
    assert barrier.site == me.person.site and barrier.recorded_by == facilitator.user
    assert "“Evening buses” is now a barrier of your project." in page_text(response)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.barrier == barrier
    assert "Evening buses" in coordinator_common_ground(client_as)
    assert "Accepted" in page_text(me.get(reverse("participants:me")))
    again = facilitator.post(
        reverse("workshops:barrier-proposal-accept", args=[proposal.pk]),
        {f"{prefix}-title": "Twice", f"{prefix}-kind": "transport", f"{prefix}-affects": "both"},
        follow=True,
    )
    assert "has already been dealt with (Accepted)" in page_text(again)
    assert Barrier.objects.count() == 1


def coordinator_common_ground(client_as) -> str:
    return client_as("coordinator").get(reverse("workshops:common-ground")).content.decode()


def test_accepting_without_a_kind_asks_for_one(me, client_as):
    name_barrier(me, kind="")
    proposal = BarrierProposal.objects.get()
    prefix = f"p{proposal.pk}"
    response = client_as("facilitator").post(
        reverse("workshops:barrier-proposal-accept", args=[proposal.pk]),
        {f"{prefix}-title": "Evening buses", f"{prefix}-affects": "both"},
    )
    assert "Choose what kind of barrier it is" in page_text(response)
    assert not Barrier.objects.exists()


def test_a_declined_barrier_is_never_published(me, client_as):
    name_barrier(me)
    proposal = BarrierProposal.objects.get()
    response = client_as("coordinator").post(
        reverse("workshops:barrier-proposal-decline", args=[proposal.pk]), follow=True
    )
    assert "“No bus after six” is declined. It will not be published." in page_text(response)
    assert not Barrier.objects.exists()
    assert "Not taken up" in page_text(me.get(reverse("participants:me")))


def test_participants_cannot_decide_and_staff_cannot_name_for_themselves(me, client_as):
    name_barrier(me)
    proposal = BarrierProposal.objects.get()
    assert me.get(reverse("workshops:barrier-proposals")).status_code == 403
    assert (
        me.post(reverse("workshops:barrier-proposal-decline", args=[proposal.pk])).status_code
        == 403
    )
    assert client_as("facilitator").get(reverse("workshops:barrier-name")).status_code == 404


def test_withdrawal_erases_what_was_not_accepted_and_unlinks_what_was(me, client_as):
    name_barrier(me, title="Waiting one")
    name_barrier(me, title="Accepted one")
    accepted = BarrierProposal.objects.get(title="Accepted one")
    prefix = f"p{accepted.pk}"
    client_as("facilitator").post(
        reverse("workshops:barrier-proposal-accept", args=[accepted.pk]),
        {f"{prefix}-title": "Accepted one", f"{prefix}-kind": "cost", f"{prefix}-affects": "both"},
    )
    erasure_run(me.person, keep_anonymised=False)
    assert list(BarrierProposal.objects.values_list("title", "participant", "description")) == [
        ("Accepted one", None, "")
    ]
    assert Barrier.objects.get().title == "Accepted one"


def test_the_download_of_my_data_lists_the_barriers_i_named(me):
    name_barrier(me)
    data = me.get(reverse("participants:my-data"), {"format": "json"}).json()
    assert data["barriers_named"][0]["what"] == "No bus after six"
    assert data["barriers_named"][0]["status"] == "waiting"
