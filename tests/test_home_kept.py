"""The signed-in home page's own part is kept per person, language, data version and day
(core.home): every kind of write to what its counts read shows on the next request, as
does a new day, a new site or a new permission; one person's counts never reach another."""

import html
import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assets.models import Asset, AssetCategory, AssetStatus
from assets.services.assets import asset_create, asset_reject, asset_verify
from assets.tests.factories import AssetFactory, point
from core.models import Role
from core.tests.factories import SiteFactory
from participants.tests.factories import ParticipantFactory
from workshops.models import Action, ActionStatus, Affects, BarrierKind
from workshops.services import (
    action_status_change,
    barrier_proposal_accept,
    barrier_proposal_decline,
    barrier_propose,
)
from workshops.tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db

HOME = "/en/"
CHECK, RECHECK, ACTIONS, NAMED = (
    "Check new assets",
    "Re-check assets",
    "Action tracker",
    "Barriers participants named",
)


def counts(client, url: str = HOME) -> dict[str, int]:
    """Each card's count as the home page shows it, by the card's title."""
    page = html.unescape(client.get(url).content.decode())
    found = {}
    for card in re.findall(r'<li class="app-card">(.*?)</li>', page, re.S):
        title = re.search(r'href="[^"]*">([^<]+)</a>', card).group(1)
        number = re.search(r'govuk-tag[^"]*">(\d+)</strong>', card)
        if number:
            found[title] = int(number.group(1))
    return found


def needs_action(client) -> str:
    page = html.unescape(client.get(HOME).content.decode())
    return (
        page.split('id="needs-action"', 1)[1].split("</div>", 1)[0]
        if "needs-action" in page
        else ""
    )


def overdue_action(workshop=None, *, site=None, due_on=None) -> Action:
    """An action agreed and due yesterday, as the Django admin saves one."""
    return Action.objects.create(
        workshop=workshop,
        site=site or workshop.site,
        title="Ask for a later bus",
        owner="Gwen",
        due_on=due_on or timezone.localdate() - timedelta(days=1),
    )


def test_a_submission_shows_in_the_count_on_the_next_request_until_it_is_decided(
    coordinator_client, participant_client
):
    assert counts(coordinator_client)[CHECK] == 0
    AssetFactory(status=AssetStatus.SUBMITTED)  # as the Django admin saves one
    assert counts(coordinator_client)[CHECK] == 1
    sent = asset_create(
        recorded_by=participant_client.user,
        fields={
            "name": "Mayhill Pantry",
            "category": AssetCategory.objects.get(slug="food-support"),
        },
        geometry=point(),
    )
    assert counts(coordinator_client)[CHECK] == 2
    assert "<strong>2</strong> waiting: Check new assets" in needs_action(coordinator_client)

    coordinator_client.post(
        reverse("assets:asset-publish", args=[sent.pk]), {"home_check": "not_a_home"}
    )
    assert counts(coordinator_client)[CHECK] == 1
    asset_reject(asset=Asset.objects.get(status=AssetStatus.SUBMITTED), reason="A home")
    assert counts(coordinator_client)[CHECK] == 0
    assert needs_action(coordinator_client) == ""


def test_an_asset_rechecked_leaves_the_count_on_the_next_request(coordinator_client):
    due = AssetFactory(last_verified_on=timezone.localdate() - timedelta(days=400))
    assert counts(coordinator_client)[RECHECK] == 1
    asset_verify(asset=due)  # a queryset update(): no signal
    assert counts(coordinator_client)[RECHECK] == 0


def test_an_action_done_or_due_later_leaves_the_overdue_count(coordinator_client):
    action = overdue_action(WorkshopFactory())
    assert counts(coordinator_client)[ACTIONS] == 1
    action_status_change(action=action, status=ActionStatus.DONE, note="Done", by=None)
    assert counts(coordinator_client)[ACTIONS] == 0
    action.status, action.due_on = ActionStatus.AGREED, timezone.localdate() + timedelta(days=9)
    action.save()  # as the Django admin saves it
    assert counts(coordinator_client)[ACTIONS] == 0
    action.due_on = timezone.localdate() - timedelta(days=2)
    action.save()
    assert counts(coordinator_client)[ACTIONS] == 1
    action.delete()
    assert counts(coordinator_client)[ACTIONS] == 0


def test_an_action_due_today_is_overdue_tomorrow_with_nothing_written(
    coordinator_client, monkeypatch
):
    overdue_action(WorkshopFactory(), due_on=timezone.localdate())
    assert counts(coordinator_client)[ACTIONS] == 0
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)
    assert counts(coordinator_client)[ACTIONS] == 1


def test_barriers_named_accepted_or_declined_show_on_the_next_request(coordinator_client):
    participant = ParticipantFactory()
    assert counts(coordinator_client)[NAMED] == 0
    named = [
        barrier_propose(participant=participant, fields={"title": title})
        for title in ("No bus after six", "No ramp at the library")
    ]
    assert counts(coordinator_client)[NAMED] == 2
    barrier_proposal_decline(proposal=named[0], by=coordinator_client.user)  # an update()
    assert counts(coordinator_client)[NAMED] == 1
    fields = {"title": "No ramp", "kind": BarrierKind.TRANSPORT, "affects": Affects.BOTH}
    barrier_proposal_accept(proposal=named[1], fields=fields, by=coordinator_client.user)
    assert counts(coordinator_client)[NAMED] == 0


def test_a_facilitator_counts_only_the_actions_of_their_own_workshops(
    client_as, coordinator_client
):
    facilitator, colleague = client_as(Role.FACILITATOR), client_as(Role.FACILITATOR)
    theirs, another = WorkshopFactory(facilitators=[facilitator.user]), WorkshopFactory()
    overdue_action(theirs)
    overdue_action(another)
    assert counts(coordinator_client)[ACTIONS] == 2
    assert counts(facilitator)[ACTIONS] == 1
    assert counts(colleague)[ACTIONS] == 0  # same site, same role: not the same workshops
    assert counts(coordinator_client)[ACTIONS] == 2

    another.facilitators.add(facilitator.user)  # a many-to-many change
    assert counts(facilitator)[ACTIONS] == 2


def test_a_permission_granted_to_a_facilitator_shows_on_the_next_request(client_as):
    facilitator = client_as(Role.FACILITATOR)
    overdue_action(WorkshopFactory())
    assert counts(facilitator)[ACTIONS] == 0
    facilitator.user.user_permissions.add(Permission.objects.get(codename="view_all_workshops"))
    assert counts(facilitator)[ACTIONS] == 1


def test_each_sites_coordinator_sees_their_own_counts_and_a_move_shows_at_once(
    client_as, coordinator_client
):
    other_site = SiteFactory()
    elsewhere = client_as(Role.COORDINATOR, sites=[other_site])
    AssetFactory.create_batch(2, status=AssetStatus.SUBMITTED)
    AssetFactory(status=AssetStatus.SUBMITTED, site=other_site)
    overdue_action(WorkshopFactory(site=other_site))
    assert counts(coordinator_client)[CHECK] == 2 and counts(coordinator_client)[ACTIONS] == 0
    assert counts(elsewhere)[CHECK] == 1 and counts(elsewhere)[ACTIONS] == 1
    assert counts(coordinator_client)[CHECK] == 2

    coordinator_client.user.sites.set([other_site])  # nothing counted was written
    assert counts(coordinator_client)[CHECK] == 1 and counts(coordinator_client)[ACTIONS] == 1


def test_the_welsh_home_is_kept_apart_from_the_english(coordinator_client):
    AssetFactory(status=AssetStatus.SUBMITTED)
    assert counts(coordinator_client)[CHECK] == 1
    welsh = html.unescape(coordinator_client.get("/cy/").content.decode())
    assert "<strong>1</strong> yn aros: Gwirio asedau newydd" in welsh
    assert "Check new assets" not in welsh
    assert "<strong>1</strong> waiting: Check new assets" in needs_action(coordinator_client)


def test_the_kept_home_costs_one_query_more_than_a_page_with_nothing_of_its_own(
    coordinator_client, participant_client
):
    AssetFactory(status=AssetStatus.SUBMITTED)
    overdue_action(WorkshopFactory())
    for client, extra in ((coordinator_client, 1), (participant_client, 0)):
        client.get(HOME)
        with CaptureQueriesContext(connection) as bare:
            client.get(reverse("core:accessibility"))
        with CaptureQueriesContext(connection) as home:
            page = client.get(HOME).content.decode()
        assert len(home) == len(bare) + extra
        assert ("Check new assets" in page) is (client is coordinator_client)
