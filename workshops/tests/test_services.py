import pytest
from django.core.exceptions import ValidationError

from assets.models import AssetCategory, AssetSource, AssetStatus
from assets.tests.conftest import swansea  # noqa: F401 (a fixture)
from assets.tests.factories import TOWNHILL, AssetFactory, point
from core.models import Role
from participants.models import (
    AuditEvent,
    Consent,
    ConsentScope,
    InformationSheet,
    Participant,
    ParticipantStatus,
)
from participants.tests.factories import ParticipantFactory
from workshops.models import Action, Attendance, Barrier
from workshops.services import (
    action_create,
    attendance_change,
    barrier_create,
    walk_in_register,
    workshop_asset_record,
    workshop_save,
)
from workshops.tests.factories import BarrierFactory, WorkshopFactory

pytestmark = pytest.mark.django_db
LONDON = (51.5074, -0.1278)
BARRIER = {"title": "Buses stop at six", "kind": "transport", "affects": "both"}


@pytest.fixture
def facilitator(make_user):
    return make_user(Role.FACILITATOR)


def register_of(workshop) -> set[str]:
    return set(
        Attendance.objects.filter(workshop=workshop).values_list("participant__code", flat=True)
    )


def test_attendance_change_ticks_and_unticks_only_those_named(facilitator):
    workshop = WorkshopFactory()
    gwen, amal, dawit, ifan = ParticipantFactory.create_batch(4)
    attendance_change(workshop=workshop, ticked=[gwen, amal, ifan], by=facilitator)
    count = attendance_change(workshop=workshop, ticked=[dawit], unticked=[gwen.pk], by=facilitator)
    assert count == 3
    assert register_of(workshop) == {amal.code, dawit.code, ifan.code}
    assert Attendance.objects.get(participant=dawit).recorded_by == facilitator


def test_ticking_someone_already_ticked_on_another_tablet_keeps_one_tick(facilitator):
    workshop = WorkshopFactory()
    amal = ParticipantFactory()
    attendance_change(workshop=workshop, ticked=[amal], by=facilitator)
    assert attendance_change(workshop=workshop, ticked=[amal], by=facilitator) == 1


def test_attendance_change_refuses_someone_withdrawn_and_changes_nothing(facilitator):
    workshop = WorkshopFactory()
    present, gone = ParticipantFactory(), ParticipantFactory(status=ParticipantStatus.WITHDRAWN)
    attendance_change(workshop=workshop, ticked=[present], by=facilitator)
    with pytest.raises(ValidationError) as refused:
        attendance_change(workshop=workshop, ticked=[gone], by=facilitator)
    assert refused.value.messages == [
        f"{gone.code} withdrew from the project and cannot be on a register."
    ]
    assert register_of(workshop) == {present.code}


def test_a_barrier_placed_outside_wales_is_explained_and_not_saved(facilitator):
    with pytest.raises(ValidationError) as refused:
        barrier_create(
            fields=BARRIER, geometry=point(*LONDON), workshop=WorkshopFactory(), by=facilitator
        )
    assert refused.value.message_dict["geometry"] == [
        "The location is outside Wales. Check the map or the address."
    ]
    assert not Barrier.objects.exists()


def test_a_barrier_placed_in_townhill_gets_its_areas(facilitator, swansea):  # noqa: F811
    barrier = barrier_create(
        fields=BARRIER, geometry=point(), workshop=WorkshopFactory(), by=facilitator
    )
    assert (barrier.latitude, barrier.longitude) == TOWNHILL
    assert barrier.areas.local_authority.name == "Swansea"
    assert barrier.areas.lsoa.code.startswith("W01")


def test_a_barrier_without_a_place_has_no_location(facilitator):
    barrier = barrier_create(fields=BARRIER, workshop=WorkshopFactory(), by=facilitator)
    assert barrier.geometry is None and barrier.areas.lsoa is None
    assert barrier.recorded_by == facilitator


def test_an_action_must_tackle_a_barrier():
    fields = {"title": "Ask for a later bus", "owner": "Tenants' association"}
    with pytest.raises(ValidationError) as refused:
        action_create(fields=fields, barriers=[], workshop=WorkshopFactory())
    assert refused.value.message_dict["barriers"] == [
        "Choose the barrier or barriers this action tackles."
    ]
    assert not Action.objects.exists()


def test_an_action_tackles_barriers_using_assets():
    barrier, asset = BarrierFactory(), AssetFactory()
    action = action_create(
        fields={"title": "Share lifts to the centre", "owner": "Gwen"},
        barriers=[barrier],
        assets=[asset],
        workshop=barrier.workshop,
    )
    assert list(action.barriers.all()) == [barrier] and list(action.assets.all()) == [asset]


def walk_in(workshop, by, consented=True, present=()):
    return walk_in_register(
        workshop=workshop,
        profile={"display_name": "Amal", "cohort": "refugee"},
        consented=consented,
        method="verbal_interpreter",
        interpreter_language="ar",
        ticked=present,
        by=by,
    )


def test_a_walk_in_without_consent_creates_nothing(facilitator):
    workshop = WorkshopFactory()
    with pytest.raises(ValidationError) as refused:
        walk_in(workshop, facilitator, consented=False)
    assert refused.value.message_dict["take_part"] == [
        "Record their consent to take part before adding them"
    ]
    assert not Participant.objects.exists() and not Attendance.objects.exists()
    assert not Consent.objects.exists() and not AuditEvent.objects.exists()


def test_a_walk_in_consents_on_the_latest_sheet_and_joins_the_register(facilitator):
    newer = InformationSheet.objects.create(
        version="2.0", published_on="2099-01-01", summary_en="…", summary_cy="…"
    )
    workshop, already_here = WorkshopFactory(), ParticipantFactory()
    person = walk_in(workshop, facilitator, present=[already_here])
    consent = Consent.objects.get(participant=person)
    assert (consent.scope, consent.sheet, consent.method) == (
        ConsentScope.TAKE_PART,
        newer,
        "verbal_interpreter",
    )
    assert person.status == ParticipantStatus.ACTIVE and person.display_name == "Amal"
    assert register_of(workshop) == {already_here.code, person.code}


def test_a_walk_in_is_not_kept_when_the_register_is_refused(facilitator):
    gone = ParticipantFactory(status=ParticipantStatus.WITHDRAWN)
    with pytest.raises(ValidationError, match="withdrew from the project"):
        walk_in(WorkshopFactory(), facilitator, present=[gone])
    assert list(Participant.objects.all()) == [gone]


def test_a_facilitator_runs_the_workshops_they_save(facilitator, make_user):
    colleague = make_user(Role.FACILITATOR)
    workshop = WorkshopFactory.build()
    workshop_save(workshop=workshop, facilitators=[colleague], by=facilitator)
    assert set(workshop.facilitators.all()) == {colleague, facilitator}
    coordinator = make_user(Role.COORDINATOR)
    workshop_save(workshop=workshop, facilitators=[colleague], by=coordinator)
    assert set(workshop.facilitators.all()) == {colleague}


def test_saving_a_workshop_that_ends_before_it_starts_is_refused(facilitator):
    workshop = WorkshopFactory.build()
    workshop.ends_at = workshop.starts_at
    with pytest.raises(ValidationError) as refused:
        workshop_save(workshop=workshop, facilitators=[], by=facilitator)
    assert refused.value.message_dict["ends_at"] == ["The end must be after the start."]
    assert workshop.pk is None


def test_a_new_asset_from_a_workshop_waits_for_moderation_and_is_linked(facilitator):
    workshop = WorkshopFactory()
    asset = workshop_asset_record(
        workshop=workshop,
        fields={
            "category": AssetCategory.objects.get(slug="community-centre"),
            "name": "Townhill Community Hall",
            "postcode": "SA1 6PQ",
        },
        by=facilitator,
    )
    assert (asset.status, asset.source) == (AssetStatus.SUBMITTED, AssetSource.WORKSHOP)
    assert asset.recorded_by == facilitator
    assert list(workshop.assets_identified.all()) == [asset]
