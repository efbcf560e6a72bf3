"""Every service that changes what indicators summarise writes exactly one outbox row
(core.ChangeEvent) naming the areas that changed, in its own transaction: rolled back with it
when it fails (core/changes.py, docs/architecture.md)."""

import contextlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from assets.models import Area, AreaLevel, AssetCategory, AssetStatus
from assets.services.areas import areas_assign
from assets.services.assets import (
    asset_create,
    asset_merge,
    asset_publish,
    asset_reject,
    asset_update,
)
from assets.tests.conftest import swansea  # noqa: F401 - a fixture
from assets.tests.factories import AssetFactory, point
from core import registry
from core.changes import changes_drain
from core.models import ChangeEvent, Role
from participants.services import participant_withdraw
from participants.tests.factories import ParticipantFactory
from tests.data import restore_migrated_data
from tests.services import require_service
from workshops.models import Attendance
from workshops.services import attendance_change, barrier_create, barrier_vote
from workshops.tests.factories import BarrierFactory, WorkshopFactory

# Two places in Swansea in different LSOAs and MSOAs: Townhill, and the city centre.
TOWNHILL = point()
CITY = point(51.6195, -3.9437)


def areas(name: str) -> dict:
    la = Area.objects.get_or_create(code="W06-T", level=AreaLevel.LOCAL_AUTHORITY)[0]
    msoa = Area.objects.create(code=f"M-{name}", level=AreaLevel.MSOA, parent=la)
    lsoa = Area.objects.create(code=f"L-{name}", level=AreaLevel.LSOA, parent=msoa)
    return {"lsoa": lsoa, "msoa": msoa, "local_authority": la}


def ids(place: dict) -> list[int]:
    return sorted(area.pk for area in place.values())


def only_change() -> ChangeEvent:
    (event,) = ChangeEvent.objects.all()
    return event


@pytest.mark.django_db
def test_publishing_an_asset_records_its_areas():
    here = areas("a")
    asset = AssetFactory(status=AssetStatus.SUBMITTED, **here)
    asset_publish(asset=asset, not_a_home=True)
    assert (only_change().reason, only_change().area_ids) == ("asset published", ids(here))


@pytest.mark.django_db
def test_publishing_refused_records_nothing():
    asset = AssetFactory(status=AssetStatus.SUBMITTED, latitude=None, geometry=None)
    with pytest.raises(ValidationError):
        asset_publish(asset=asset, not_a_home=True)
    assert not ChangeEvent.objects.exists()


@pytest.mark.django_db
def test_a_publication_rolled_back_takes_its_change_with_it():
    asset = AssetFactory(status=AssetStatus.SUBMITTED, **areas("a"))
    with pytest.raises(RuntimeError), transaction.atomic():
        asset_publish(asset=asset, not_a_home=True)
        assert ChangeEvent.objects.count() == 1
        raise RuntimeError("what came next failed")
    asset.refresh_from_db()
    assert asset.status == AssetStatus.SUBMITTED
    assert not ChangeEvent.objects.exists()


@pytest.mark.django_db
def test_attendance_rolled_back_takes_its_change_with_it(make_user):
    workshop = WorkshopFactory(venue=AssetFactory(**areas("a")))
    with pytest.raises(RuntimeError), transaction.atomic():
        attendance_change(workshop=workshop, ticked=[ParticipantFactory()], by=make_user())
        raise RuntimeError("what came next failed")
    assert not Attendance.objects.exists() and not ChangeEvent.objects.exists()


@pytest.mark.django_db
def test_rejecting_an_asset_records_its_areas():
    here = areas("a")
    asset_reject(asset=AssetFactory(**here), reason="Closed down")
    assert (only_change().reason, only_change().area_ids) == ("asset rejected", ids(here))


@pytest.mark.django_db
def test_merging_records_the_areas_of_both_assets():
    one, other = areas("a"), areas("b")
    asset_merge(duplicate=AssetFactory(**one), keep=AssetFactory(**other))
    assert only_change().reason == "asset merged"
    assert only_change().area_ids == sorted({*ids(one), *ids(other)})


@pytest.mark.django_db
def test_merging_refused_records_nothing():
    asset = AssetFactory(**areas("a"))
    with pytest.raises(ValidationError):
        asset_merge(duplicate=asset, keep=asset)
    assert not ChangeEvent.objects.exists()


def test_moving_an_asset_records_the_areas_it_left_and_joined(swansea, make_user):  # noqa: F811
    user = make_user(Role.COORDINATOR)
    asset = asset_create(
        recorded_by=user, fields={"name": "Pantry", "category": category()}, geometry=TOWNHILL
    )
    assert not ChangeEvent.objects.exists()  # waiting for moderation: nothing published
    before = asset.area_ids
    asset = asset_update(asset=asset, fields={}, geometry=CITY)
    assert set(before) != set(asset.area_ids) and len(before) == 3
    assert (only_change().reason, only_change().area_ids) == (
        "asset changed",
        sorted({*before, *asset.area_ids}),
    )


def test_an_asset_published_as_it_is_created_records_its_areas(swansea, make_user):  # noqa: F811
    fields = {"name": "Library", "category": category()}
    asset = asset_create(
        recorded_by=make_user(Role.COORDINATOR), fields=fields, geometry=TOWNHILL, publish=True
    )
    assert (only_change().reason, only_change().area_ids) == (
        "asset published",
        sorted(asset.area_ids),
    )


def test_bulk_area_assignment_records_one_change_for_every_row(swansea):  # noqa: F811
    assets = AssetFactory.create_batch(3)
    assert areas_assign(ids=[a.pk for a in assets]) == 3
    for asset in assets:
        asset.refresh_from_db()
    assert only_change().reason == "areas reassigned"
    assert only_change().area_ids == sorted({pk for a in assets for pk in a.area_ids})


@pytest.mark.django_db
def test_recording_a_barrier_records_its_areas(swansea, make_user):  # noqa: F811
    barrier = barrier_create(
        fields={"title": "No bus after 6", "kind": "transport", "affects": "both"},
        geometry=TOWNHILL,
        by=make_user(Role.FACILITATOR),
    )
    assert len(barrier.area_ids) == 3
    assert (only_change().reason, only_change().area_ids) == (
        "barrier recorded",
        sorted(barrier.area_ids),
    )


@pytest.mark.django_db
def test_a_barrier_refused_records_nothing(make_user):
    with pytest.raises(ValidationError):
        barrier_create(fields={"title": ""}, by=make_user(Role.FACILITATOR))
    assert not ChangeEvent.objects.exists()


@pytest.mark.django_db
def test_voting_for_a_barrier_records_its_areas():
    here = areas("a")
    barrier_vote(barrier=BarrierFactory(**here))
    assert (only_change().reason, only_change().area_ids) == ("barrier voted", ids(here))


@pytest.mark.django_db
def test_recording_attendance_records_the_venues_areas(make_user):
    here = areas("a")
    workshop = WorkshopFactory(venue=AssetFactory(**here))
    attendance_change(workshop=workshop, ticked=[ParticipantFactory()], by=make_user())
    assert (only_change().reason, only_change().area_ids) == ("attendance recorded", ids(here))


@pytest.mark.django_db
def test_attendance_refused_records_nothing(make_user):
    withdrawn = ParticipantFactory(status="withdrawn")
    with pytest.raises(ValidationError):
        attendance_change(workshop=WorkshopFactory(), ticked=[withdrawn], by=make_user())
    assert not ChangeEvent.objects.exists()


@pytest.mark.django_db
def test_withdrawing_a_participant_records_one_change(make_user):
    participant_withdraw(participant=ParticipantFactory(), by=make_user(Role.COORDINATOR))
    assert (only_change().reason, only_change().area_ids) == ("participant erased", [])


@pytest.mark.django_db
def test_withdrawing_twice_is_refused_and_records_nothing_more(make_user):
    participant = ParticipantFactory()
    participant_withdraw(participant=participant, by=make_user(Role.COORDINATOR))
    with pytest.raises(ValidationError):
        participant_withdraw(participant=participant, by=make_user(Role.COORDINATOR))
    assert ChangeEvent.objects.count() == 1


def category():
    return AssetCategory.objects.get(slug="community-centre")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_drains_at_once_on_postgresql_never_hand_on_the_same_row():
    require_service("PostgreSQL", connection.vendor == "postgresql")
    restore_migrated_data()  # the flush at the end leaves what the migrations made
    # Written directly: change_record would queue (and, without a broker, run) a drain.
    ChangeEvent.objects.bulk_create(
        ChangeEvent(reason="asset published", area_ids=[area]) for area in range(200)
    )
    seen, lock = [], threading.Lock()
    inside = threading.Barrier(2, timeout=2)

    def handle(*, area_ids, site_ids):
        with lock:
            seen.extend(area_ids)
        with contextlib.suppress(threading.BrokenBarrierError):
            inside.wait()  # both drains hold their claims at the same moment

    saved = registry.snapshot()
    registry.register(registry.ChangeHandler(app="indicators", name="slow", handle=handle))
    start, results = threading.Barrier(2), []

    def drain():
        try:
            start.wait()
            results.append(changes_drain(batch=150))
        finally:
            connection.close()

    try:
        threads = [threading.Thread(target=drain) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        registry.restore(saved)
    assert sorted(seen) == list(range(200))  # every area once: no row handed on twice
    assert sum(results) == 200
    assert not ChangeEvent.objects.pending().exists()
