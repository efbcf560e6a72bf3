"""Many people at once, on PostgreSQL (DESIGN §9): registrations, a register ticked on
several tablets, the same form sent twice at once, moderators acting on the same assets.
Each thread has its own database connection, closed when it ends."""

import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from assets.models import Asset, AssetCategory, AssetEndorsement, AssetStatus
from assets.services.assets import asset_merge, asset_publish, endorsement_set
from assets.tests.factories import AssetFactory
from core.models import Role
from participants.models import InformationSheet, Participant
from participants.services import participant_register
from participants.tests.factories import ParticipantFactory
from tests.data import restore_migrated_data
from tests.services import require_service
from workshops.models import Attendance
from workshops.tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
AT_ONCE = 20


@pytest.fixture(autouse=True)
def postgresql():
    require_service("PostgreSQL", connection.vendor == "postgresql")
    restore_migrated_data()


def at_once(*calls) -> list:
    """Run the calls in threads released together; each one's result or exception."""
    start, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(n, call):
        try:
            start.wait()
            results[n] = call()
        except Exception as error:  # noqa: BLE001 - reported to the test as a result
            results[n] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, c)) for n, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user, backend="core.backends.RoleBackend")
    return client


def register(by, name: str):
    return lambda: participant_register(
        by=by,
        profile={"cohort": "refugee", "display_name": name},
        personal={},
        sheet=InformationSheet.objects.get(version="1.0"),
        scopes=["take_part"],
        method="written",
    )


def test_twenty_registrations_at_once_get_twenty_different_codes(make_user):
    coordinator = make_user(Role.COORDINATOR)
    results = at_once(*(register(coordinator, f"Person {n}") for n in range(AT_ONCE)))
    assert [r for r in results if not isinstance(r, Participant)] == []
    codes = sorted(Participant.objects.values_list("code", flat=True))
    assert codes == [f"P-{n:03d}" for n in range(1, AT_ONCE + 1)]


def test_the_same_registration_sent_five_times_at_once_registers_one_person(make_user):
    user = make_user(Role.COORDINATOR)
    clients = [signed_in(user) for _ in range(5)]
    data = {
        "form_token": str(uuid.uuid4()),
        "cohort": "tenant",
        "display_name": "Gwen",
        "sheet": InformationSheet.objects.get(version="1.0").pk,
        "scopes": ["take_part"],
        "method": "written",
        "given_on": "2026-11-02",
    }
    url = reverse("participants:participant-register")
    responses = at_once(*(lambda c=c: c.post(url, data) for c in clients))
    participant = Participant.objects.get()
    assert {(r.status_code, r["Location"]) for r in responses} == {
        (302, reverse("participants:participant-detail", args=[participant.code]))
    }
    assert participant.consents.count() == 1


def test_the_same_asset_sent_five_times_at_once_adds_one(make_user):
    user = make_user(Role.PARTICIPANT)
    clients = [signed_in(user) for _ in range(5)]
    data = {
        "form_token": str(uuid.uuid4()),
        "category": AssetCategory.objects.get(slug="food-support").pk,
        "name": "Mayhill Community Pantry",
    }
    responses = at_once(*(lambda c=c: c.post(reverse("assets:asset-add"), data) for c in clients))
    assert {r.status_code for r in responses} == {302}
    assert Asset.objects.filter(name="Mayhill Community Pantry").count() == 1


def test_twenty_tablets_ticking_one_register_at_once_keep_every_tick(make_user):
    facilitator = make_user(Role.FACILITATOR)
    workshop = WorkshopFactory(facilitators=[facilitator])
    people = ParticipantFactory.create_batch(AT_ONCE)
    url = reverse("workshops:workshop-register", args=[workshop.pk])
    clients = [signed_in(facilitator) for _ in people]
    responses = at_once(
        *(
            lambda c=c, p=p: c.post(url, {"present": [p.pk], "ticked_before": ""})
            for c, p in zip(clients, people, strict=True)
        )
    )
    assert {r.status_code for r in responses} == {302}
    ticked = set(Attendance.objects.filter(workshop=workshop).values_list("participant", flat=True))
    assert ticked == {p.pk for p in people}


def test_two_moderators_publishing_at_once_publish_once_and_the_other_is_told(db):
    asset = AssetFactory(name="Brynmill Park", status=AssetStatus.SUBMITTED)

    def publish():
        return asset_publish(asset=Asset.objects.get(pk=asset.pk), not_a_home=True)

    results = at_once(*(publish,) * 5)
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert results.count(None) == 1 and len(refused) == 4
    assert {r.messages[0] for r in refused} == {
        "This asset is now “Published”: someone else may have just dealt with it."
    }


def test_merging_a_into_b_and_b_into_a_at_once_merges_once_without_a_deadlock(db):
    for _ in range(5):
        a = AssetFactory(name="Gors Park", status=AssetStatus.SUBMITTED)
        b = AssetFactory(name="Gors park", status=AssetStatus.SUBMITTED)
        results = at_once(
            lambda a=a, b=b: asset_merge(duplicate=a, keep=b),
            lambda a=a, b=b: asset_merge(duplicate=b, keep=a),
        )
        assert sum(isinstance(r, Asset) for r in results) == 1
        assert all(isinstance(r, Asset | ValidationError) for r in results), results
        archived = Asset.objects.filter(pk__in=[a.pk, b.pk], status=AssetStatus.ARCHIVED)
        assert archived.count() == 1


def test_valuing_an_asset_ten_times_at_once_leaves_one_mark(db):
    asset, person = AssetFactory(), ParticipantFactory()
    results = at_once(
        *(lambda: endorsement_set(asset=asset, participant=person, valued=True),) * 10
    )
    assert results == [None] * 10
    assert AssetEndorsement.objects.filter(asset=asset, participant=person).count() == 1


def test_two_facilitators_accepting_the_same_named_barrier_at_once_make_one_barrier(make_user):
    from workshops.models import Barrier, BarrierProposal, ProposalStatus
    from workshops.services import (
        barrier_proposal_accept,
        barrier_proposal_decline,
        barrier_propose,
    )

    person = ParticipantFactory()
    deciders = [make_user("facilitator", sites=[person.site]) for _ in range(3)]
    for round_ in range(3):
        proposal = barrier_propose(
            participant=person, fields={"title": f"No bus after six {round_}", "kind": "transport"}
        )

        def accept(by, proposal=proposal):
            return barrier_proposal_accept(
                proposal=proposal,
                fields={"title": "Evening buses", "kind": "transport", "affects": "both"},
                by=by,
            )

        results = at_once(
            lambda: accept(deciders[0]),
            lambda: accept(deciders[1]),
            lambda proposal=proposal: barrier_proposal_decline(proposal=proposal, by=deciders[2]),
        )
        decided = [r for r in results if not isinstance(r, ValidationError)]
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(decided) == 1 and len(refused) == 2, results
        assert all("has already been dealt with" in r.messages[0] for r in refused), [
            r.messages for r in refused
        ]
        proposal.refresh_from_db()
        if isinstance(decided[0], Barrier):  # an accept won: one barrier, linked
            assert proposal.status == ProposalStatus.ACCEPTED
            assert proposal.barrier == decided[0]
        else:  # the decline won: nothing published
            assert proposal.status == ProposalStatus.DECLINED and proposal.barrier is None
    assert (
        Barrier.objects.count()
        == BarrierProposal.objects.filter(status=ProposalStatus.ACCEPTED).count()
    )
