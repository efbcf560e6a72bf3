import html
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assets.models import Asset, AssetCategory, AssetSource, AssetStatus
from assets.tests.factories import AssetFactory
from core.models import Role
from participants.models import InformationSheet, Participant, ParticipantStatus
from participants.services import participant_register
from participants.tests.factories import ParticipantFactory
from tests.pages import hidden_value
from workshops.models import Action, Attendance, Barrier, Workshop
from workshops.tests.factories import BarrierFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def workshop_data(**overrides):
    data = {
        "title": "Getting about Townhill",
        "theme": "Transport",
        "starts_at": "2026-03-14T10:00",
        "ends_at": "2026-03-14T12:30",
        "venue": AssetFactory(name="Townhill Community Centre").pk,
        "languages": ["ar", "ti"],
        "support": ["childcare", "travel"],
        "status": "planned",
        "notes": "Bring the big map.",
    }
    data.update(overrides)
    return data


def page_of(response) -> str:
    return response.content.decode()


def test_a_coordinator_logs_a_workshop(coordinator_client, make_user):
    facilitator = make_user(Role.FACILITATOR, first_name="Siân")
    response = coordinator_client.post(
        reverse("workshops:workshop-add"), workshop_data(facilitators=[facilitator.pk]), follow=True
    )
    workshop = Workshop.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "workshops:workshop-detail", args=[workshop.pk]
    )
    assert "“Getting about Townhill” is saved." in page_of(response)
    assert list(workshop.facilitators.all()) == [facilitator]
    assert workshop.languages == ["ar", "ti"] and workshop.support == ["childcare", "travel"]
    assert timezone.localtime(workshop.starts_at).strftime("%Y-%m-%d %H:%M") == "2026-03-14 10:00"
    assert workshop.venue.name == "Townhill Community Centre"
    page = page_of(response)
    assert "Siân" in page and "Arabic" in page and "Travel costs" in page


def test_an_end_before_the_start_is_explained_on_the_end_field_and_nothing_is_saved(
    coordinator_client,
):
    response = coordinator_client.post(
        reverse("workshops:workshop-add"), workshop_data(ends_at="2026-03-14T09:00")
    )
    assert response.context["form"].errors == {"ends_at": ["The end must be after the start."]}
    page = page_of(response)
    assert "<title>Error:" in page and 'href="#id_ends_at"' in page
    assert not Workshop.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title for the workshop"),
        ({"starts_at": ""}, "starts_at", "Enter when it starts"),
        ({"ends_at": "soon"}, "ends_at", "Enter a date and a time, like 14/03/2026 10:30"),
        ({"status": ""}, "status", "Choose whether it is planned, held or cancelled"),
    ],
)
def test_bad_input_says_what_is_wrong_and_saves_nothing(
    coordinator_client, overrides, field, message
):
    response = coordinator_client.post(
        reverse("workshops:workshop-add"), workshop_data(**overrides)
    )
    assert response.context["form"].errors[field] == [message]
    assert not Workshop.objects.exists()


def test_a_new_workshop_starts_planned_and_run_by_whoever_adds_it(facilitator_client):
    form = facilitator_client.get(reverse("workshops:workshop-add")).context["form"]
    assert form["status"].value() == "planned"
    assert form["facilitators"].value() == [facilitator_client.user.pk]


def test_a_facilitator_runs_the_workshop_they_add(facilitator_client):
    facilitator_client.post(reverse("workshops:workshop-add"), workshop_data())
    assert list(Workshop.objects.get().facilitators.all()) == [facilitator_client.user]


def test_a_facilitator_sees_only_the_workshops_they_run(facilitator_client, make_user):
    mine = WorkshopFactory(title="Food and friends", facilitators=[facilitator_client.user])
    theirs = WorkshopFactory(title="Feeling safe", facilitators=[make_user(Role.FACILITATOR)])
    WorkshopFactory(title="Staff planning day", facilitators=[make_user(Role.COORDINATOR)])
    WorkshopFactory(title="Nobody named")
    page = page_of(facilitator_client.get(reverse("workshops:workshop-list")))
    assert "Food and friends" in page
    assert "Feeling safe" not in page and "Staff planning day" not in page
    assert "Nobody named" not in page
    assert (
        facilitator_client.get(reverse("workshops:workshop-detail", args=[mine.pk])).status_code
        == 200
    )
    for name in (
        "workshops:workshop-detail",
        "workshops:workshop-edit",
        "workshops:workshop-register",
    ):
        assert facilitator_client.get(reverse(name, args=[theirs.pk])).status_code == 404
    vote = facilitator_client.post(
        reverse("workshops:barrier-vote", args=[BarrierFactory(workshop=theirs).pk])
    )
    assert vote.status_code == 404


def test_a_coordinator_sees_every_workshop(coordinator_client, make_user):
    WorkshopFactory(title="Feeling safe", facilitators=[make_user(Role.FACILITATOR)])
    WorkshopFactory(title="Nobody named")
    page = page_of(coordinator_client.get(reverse("workshops:workshop-list")))
    assert "Feeling safe" in page and "Nobody named" in page


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.EVALUATOR, Role.PARTNER])
def test_other_roles_are_refused(client_as, role):
    client = client_as(role)
    workshop = WorkshopFactory(facilitators=[client.user])
    for name in ("workshops:workshop-list", "workshops:workshop-add"):
        assert client.get(reverse(name)).status_code == 403
    for name in (
        "workshops:workshop-detail",
        "workshops:workshop-edit",
        "workshops:workshop-register",
    ):
        assert client.get(reverse(name, args=[workshop.pk])).status_code == 403
    for name in (
        "workshops:workshop-barrier",
        "workshops:workshop-action",
        "workshops:workshop-walk-in",
        "workshops:workshop-asset",
    ):
        assert client.post(reverse(name, args=[workshop.pk])).status_code == 403
    assert not Barrier.objects.exists()


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get(reverse("workshops:workshop-list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/en/sign-in/")


def test_the_walk_in_form_only_posts(coordinator_client):
    url = reverse("workshops:workshop-walk-in", args=[WorkshopFactory().pk])
    assert coordinator_client.get(url).status_code == 405


def test_barrier_votes_refuse_a_get(coordinator_client):
    response = coordinator_client.get(reverse("workshops:barrier-vote", args=[BarrierFactory().pk]))
    assert response.status_code == 405


def attend(workshop, count: int) -> None:
    for person in ParticipantFactory.create_batch(count):
        Attendance.objects.create(workshop=workshop, participant=person)


def test_the_list_uses_a_constant_number_of_queries(
    coordinator_client, django_assert_max_num_queries
):
    venue = AssetFactory()
    soon = timezone.now() + timedelta(days=3)
    for _ in range(3):
        attend(WorkshopFactory(venue=venue), 2)
        attend(WorkshopFactory(venue=venue, starts_at=soon, ends_at=soon + timedelta(hours=2)), 1)
    with django_assert_max_num_queries(9) as few:
        coordinator_client.get(reverse("workshops:workshop-list"))
    for _ in range(10):
        attend(WorkshopFactory(venue=AssetFactory()), 3)
        WorkshopFactory(starts_at=soon, ends_at=soon + timedelta(hours=2))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = coordinator_client.get(reverse("workshops:workshop-list"))
    assert len(response.context["upcoming"]) == 13 and len(response.context["object_list"]) == 13


def test_small_numbers_attending_show_as_fewer_than_five_outside_coordinators(
    coordinator_client, facilitator_client
):
    workshop = WorkshopFactory(facilitators=[facilitator_client.user])
    attend(workshop, 3)
    for name, args in (
        ("workshops:workshop-list", []),
        ("workshops:workshop-detail", [workshop.pk]),
    ):
        assert ">&lt;5<" in page_of(facilitator_client.get(reverse(name, args=args)))
        coordinator_page = page_of(coordinator_client.get(reverse(name, args=args)))
        assert ">3<" in coordinator_page and "&lt;5" not in coordinator_page


def register_someone(by, display_name: str, full_name: str, cohort: str = "tenant"):
    return participant_register(
        by=by,
        profile={"cohort": cohort, "display_name": display_name},
        personal={"full_name": full_name},
        sheet=InformationSheet.objects.get(version="1.0"),
        scopes=["take_part"],
        method="written",
    )


def test_the_register_shows_known_as_names_and_codes_only(facilitator_client, make_user):
    coordinator = make_user(Role.COORDINATOR)
    workshop = WorkshopFactory(facilitators=[facilitator_client.user])
    zainab = register_someone(coordinator, "Zainab", "Zainab Ahmadi", cohort="refugee")
    gwen = register_someone(coordinator, "gwen", "Gwenllian Morgan")
    gone = register_someone(coordinator, "Ifan", "Ifan Rees")
    gone.status = ParticipantStatus.WITHDRAWN
    gone.save()
    page = page_of(
        facilitator_client.get(reverse("workshops:workshop-register", args=[workshop.pk]))
    )
    assert f"gwen ({gwen.code})" in page and f"Zainab ({zainab.code})" in page
    assert page.index(f"gwen ({gwen.code})") < page.index(f"Zainab ({zainab.code})")
    assert "Ifan" not in page
    for private in ("Ahmadi", "Gwenllian", "Morgan"):
        assert private not in page


def test_saving_the_register_replaces_it(facilitator_client):
    workshop = WorkshopFactory(facilitators=[facilitator_client.user])
    gwen, amal, dawit = ParticipantFactory.create_batch(3)
    Attendance.objects.create(workshop=workshop, participant=gwen)
    response = facilitator_client.post(
        reverse("workshops:workshop-register", args=[workshop.pk]), {"present": [amal.pk, dawit.pk]}
    )
    assert response.status_code == 302
    assert set(workshop.attendance.values_list("participant", flat=True)) == {amal.pk, dawit.pk}


def test_ticking_someone_withdrawn_is_explained_and_changes_nothing(facilitator_client):
    workshop = WorkshopFactory(facilitators=[facilitator_client.user])
    here = ParticipantFactory()
    Attendance.objects.create(workshop=workshop, participant=here)
    gone = ParticipantFactory(status=ParticipantStatus.WITHDRAWN)
    response = facilitator_client.post(
        reverse("workshops:workshop-register", args=[workshop.pk]), {"present": [here.pk, gone.pk]}
    )
    page = page_of(response)
    assert f"{gone.code} withdrew from the project and cannot be on a register." in page
    assert "<title>Error:" in page and 'href="#form-errors"' in page
    assert list(workshop.attendance.values_list("participant", flat=True)) == [here.pk]


def walk_in_data(**overrides):
    data = {
        "walk-in-display_name": "Dawit",
        "walk-in-cohort": "asylum_seeker",
        "walk-in-take_part": "on",
        "walk-in-method": "verbal_interpreter",
        "walk-in-interpreter_language": "ti",
    }
    data.update(overrides)
    return data


def test_a_walk_in_is_registered_and_ticked_with_the_others(facilitator_client):
    workshop = WorkshopFactory(facilitators=[facilitator_client.user])
    here = ParticipantFactory()
    response = facilitator_client.post(
        reverse("workshops:workshop-walk-in", args=[workshop.pk]),
        walk_in_data(present=[here.pk]),
        follow=True,
    )
    walk_in = Participant.objects.get(display_name="Dawit")
    assert walk_in.cohort == "asylum_seeker" and walk_in.consents.get().scope == "take_part"
    assert f"{walk_in.code} is added and the register is saved" in page_of(response)
    assert f'value="{walk_in.pk}"' in page_of(response)
    assert set(workshop.attendance.values_list("participant", flat=True)) == {here.pk, walk_in.pk}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"walk-in-take_part": ""}, "Record their consent to take part before adding them"),
        ({"walk-in-interpreter_language": ""}, "Choose the language the interpreter used"),
        ({"walk-in-cohort": ""}, "Choose which group they are in"),
    ],
)
def test_a_walk_in_without_what_is_needed_creates_nothing(facilitator_client, overrides, message):
    workshop = WorkshopFactory(facilitators=[facilitator_client.user])
    response = facilitator_client.post(
        reverse("workshops:workshop-walk-in", args=[workshop.pk]), walk_in_data(**overrides)
    )
    page = page_of(response)
    assert message in page and "There is a problem" in page
    assert not Participant.objects.exists() and not Attendance.objects.exists()


@pytest.fixture
def logged(facilitator_client):
    """A facilitator's client and a workshop they ran."""
    return facilitator_client, WorkshopFactory(facilitators=[facilitator_client.user])


def test_linking_an_asset_already_on_the_map(logged):
    client, workshop = logged
    asset = AssetFactory(name="Townhill Library")
    response = client.post(
        reverse("workshops:workshop-asset", args=[workshop.pk]),
        {"link-asset": asset.pk},
        follow=True,
    )
    assert "“Townhill Library” is linked to this workshop." in page_of(response)
    assert list(workshop.assets_identified.all()) == [asset]


def test_a_new_asset_from_the_workshop_waits_for_moderation(logged):
    client, workshop = logged
    category = AssetCategory.objects.get(slug="community-centre")
    response = client.post(
        reverse("workshops:workshop-asset", args=[workshop.pk]),
        {"asset-category": category.pk, "asset-name": "The Phoenix Centre"},
        follow=True,
    )
    asset = Asset.objects.get()
    assert (asset.status, asset.source) == (AssetStatus.SUBMITTED, AssetSource.WORKSHOP)
    assert list(workshop.assets_identified.all()) == [asset]
    assert "The Phoenix Centre" in page_of(response)


def test_a_new_asset_without_a_name_reshows_the_page_with_its_error(logged):
    client, workshop = logged
    response = client.post(
        reverse("workshops:workshop-asset", args=[workshop.pk]), {"asset-name": ""}
    )
    page = page_of(response)
    assert "<title>Error:" in page
    assert 'href="#id_asset-name"' in page and "Enter the name of the place" in page
    assert not Asset.objects.exists()


def test_recording_a_barrier_and_voting_for_it(logged):
    client, workshop = logged
    response = client.post(
        reverse("workshops:workshop-barrier", args=[workshop.pk]),
        {"title": "No buses after six", "kind": "transport", "affects": "both"},
        follow=True,
    )
    barrier = Barrier.objects.get()
    assert (barrier.workshop, barrier.affects, barrier.geometry) == (workshop, "both", None)
    assert "No buses after six" in page_of(response)
    client.post(reverse("workshops:barrier-vote", args=[barrier.pk]))
    response = client.post(reverse("workshops:barrier-vote", args=[barrier.pk]), follow=True)
    assert "“No buses after six” now has 2 votes." in page_of(response)
    barrier.refresh_from_db()
    assert barrier.priority_votes == 2


def add_actions(workshop, count: int) -> None:
    barrier = BarrierFactory(workshop=workshop)
    asset = AssetFactory()
    workshop.assets_identified.add(asset)
    for number in range(count):
        action = Action.objects.create(
            workshop=workshop, site=workshop.site, title=f"Action {number}", owner="Gwen"
        )
        action.barriers.add(barrier)
        action.assets.add(asset)


@pytest.mark.parametrize(
    "name",
    [
        "workshops:workshop-detail",
        "workshops:workshop-asset",
        "workshops:workshop-barrier",
        "workshops:workshop-action",
    ],
)
def test_each_workshop_page_uses_a_constant_number_of_queries(
    logged, django_assert_max_num_queries, name
):
    client, workshop = logged
    add_actions(workshop, 2)
    client.get(reverse("workshops:workshop-detail", args=[workshop.pk]))  # caches the base map
    with django_assert_max_num_queries(20) as few:
        client.get(reverse(name, args=[workshop.pk]))
    add_actions(workshop, 8)
    attend(workshop, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(name, args=[workshop.pk]))
    assert response.status_code == 200


def test_a_barrier_placed_outside_wales_is_explained_in_the_summary(logged):
    client, workshop = logged
    response = client.post(
        reverse("workshops:workshop-barrier", args=[workshop.pk]),
        {
            "title": "Too far",
            "kind": "cost",
            "affects": "tenants",
            "geometry": '{"type": "Point", "coordinates": [-0.1278, 51.5074]}',
        },
    )
    page = page_of(response)
    assert 'href="#form-errors"' in page and "The location is outside Wales." in page
    assert not Barrier.objects.exists()


def test_recording_an_action_that_tackles_a_barrier_with_an_asset(logged):
    client, workshop = logged
    barrier = BarrierFactory(workshop=workshop, title="No buses after six")
    asset = AssetFactory(name="Community minibus")
    workshop.assets_identified.add(asset)
    response = client.post(
        reverse("workshops:workshop-action", args=[workshop.pk]),
        {
            "action-title": "Run the minibus on Thursday evenings",
            "action-barriers": [barrier.pk],
            "action-assets": [asset.pk],
            "action-owner": "Tenants' association",
            "action-due_on": "2026-05-01",
            "action-status": "agreed",
        },
        follow=True,
    )
    action = Action.objects.get()
    assert list(action.barriers.all()) == [barrier] and list(action.assets.all()) == [asset]
    assert "Run the minibus on Thursday evenings" in page_of(response)


def test_an_action_without_a_barrier_is_explained(logged):
    client, workshop = logged
    BarrierFactory(workshop=workshop)
    response = client.post(
        reverse("workshops:workshop-action", args=[workshop.pk]),
        {"action-title": "Something", "action-owner": "Gwen", "action-status": "agreed"},
    )
    page = page_of(response)
    assert "Choose the barrier or barriers this action tackles." in page
    assert 'href="#id_action-barriers_0"' in page
    assert not Action.objects.exists()


def test_an_action_cannot_tackle_another_workshops_barrier(logged):
    client, workshop = logged
    elsewhere = BarrierFactory()
    client.post(
        reverse("workshops:workshop-action", args=[workshop.pk]),
        {
            "action-title": "Something",
            "action-barriers": [elsewhere.pk],
            "action-owner": "Gwen",
            "action-status": "agreed",
        },
    )
    assert not Action.objects.exists()


def test_a_facilitator_edits_a_workshop_they_run(logged):
    client, workshop = logged
    data = workshop_data(title="Getting about, again", status="held")
    response = client.post(reverse("workshops:workshop-edit", args=[workshop.pk]), data)
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert (workshop.title, workshop.status) == ("Getting about, again", "held")
    assert list(workshop.facilitators.all()) == [client.user]


def test_the_pages_are_in_welsh_too(logged):
    client, workshop = logged
    for name, args, welsh in (
        ("workshops:workshop-list", [], "Gweithdai rydych chi'n eu cynnal"),
        ("workshops:workshop-add", [], "Ychwanegu gweithdy"),
        ("workshops:workshop-detail", [workshop.pk], "Rhwystrau a nodwyd"),
        ("workshops:workshop-barrier", [workshop.pk], "Cofnodi rhwystr"),
        ("workshops:workshop-register", [workshop.pk], f"Cofrestr: {workshop.title}"),
    ):
        url = reverse(name, args=args).replace("/en/", "/cy/", 1)
        response = client.get(url)
        page = html.unescape(page_of(response))
        assert response.status_code == 200 and 'lang="cy"' in page
        assert welsh in page, name


def test_editing_keeps_a_venue_that_is_no_longer_published(coordinator_client):
    venue = AssetFactory(name="The old library", status=AssetStatus.ARCHIVED)
    workshop = WorkshopFactory(venue=venue)
    data = workshop_data(venue=venue.pk, title="Renamed")
    response = coordinator_client.post(reverse("workshops:workshop-edit", args=[workshop.pk]), data)
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert (workshop.title, workshop.venue) == ("Renamed", venue)
    added = coordinator_client.post(
        reverse("workshops:workshop-add"), workshop_data(venue=venue.pk)
    )
    assert added.context["form"].errors["venue"] == ["Choose a venue from the list"]


def register_page(client, workshop) -> str:
    return page_of(client.get(reverse("workshops:workshop-register", args=[workshop.pk])))


def test_two_tablets_ticking_one_register_each_keep_their_ticks(facilitator_client, client_as):
    workshop = WorkshopFactory(facilitators=[facilitator_client.user])
    other_tablet = client_as(Role.COORDINATOR)
    gwen, amal, dawit, ifan = ParticipantFactory.create_batch(4)
    Attendance.objects.create(workshop=workshop, participant=gwen)
    Attendance.objects.create(workshop=workshop, participant=ifan)
    url = reverse("workshops:workshop-register", args=[workshop.pk])
    loaded = [
        hidden_value(register_page(c, workshop), "ticked_before")
        for c in (facilitator_client, other_tablet)
    ]
    assert loaded[0] == loaded[1] == f"{gwen.pk},{ifan.pk}"
    # This tablet ticks Amal and unticks Ifan; the other ticks Dawit, leaving the rest.
    facilitator_client.post(url, {"present": [gwen.pk, amal.pk], "ticked_before": loaded[0]})
    other_tablet.post(url, {"present": [gwen.pk, ifan.pk, dawit.pk], "ticked_before": loaded[1]})
    on_register = set(workshop.attendance.values_list("participant", flat=True))
    assert on_register == {gwen.pk, amal.pk, dawit.pk}


def test_the_register_leaves_people_it_does_not_show_as_they_are(facilitator_client):
    workshop = WorkshopFactory(facilitators=[facilitator_client.user])
    here, gone = ParticipantFactory(), ParticipantFactory(status=ParticipantStatus.WITHDRAWN)
    Attendance.objects.create(workshop=workshop, participant=gone)
    ticked_before = hidden_value(register_page(facilitator_client, workshop), "ticked_before")
    assert ticked_before == ""
    facilitator_client.post(
        reverse("workshops:workshop-register", args=[workshop.pk]),
        {"present": [here.pk], "ticked_before": ticked_before},
    )
    assert set(workshop.attendance.values_list("participant", flat=True)) == {here.pk, gone.pk}


def test_a_double_tap_on_add_a_walk_in_adds_them_once(facilitator_client):
    workshop = WorkshopFactory(facilitators=[facilitator_client.user])
    token = hidden_value(register_page(facilitator_client, workshop), "walk-in-form_token")
    url = reverse("workshops:workshop-walk-in", args=[workshop.pk])
    data = walk_in_data(**{"walk-in-form_token": token, "ticked_before": ""})
    facilitator_client.post(url, data)
    again = facilitator_client.post(url, data, follow=True)
    assert "This form was already sent: they are on the register." in page_of(again)
    walk_in = Participant.objects.get(display_name="Dawit")
    assert list(workshop.attendance.values_list("participant", flat=True)) == [walk_in.pk]
    fresh = hidden_value(page_of(again), "walk-in-form_token")
    assert fresh != token


def test_an_edit_over_someone_elses_change_shows_both_versions_and_saves_nothing(logged):
    client, workshop = logged
    url = reverse("workshops:workshop-edit", args=[workshop.pk])
    data = workshop_data(title="Getting about", notes="Bring the big map.")
    data["version"] = hidden_value(page_of(client.get(url)), "version")
    Workshop.objects.filter(pk=workshop.pk).update(title="Getting about Townhill", notes="")
    workshop.refresh_from_db()
    workshop.save()  # someone else saved, meanwhile
    page = page_of(client.post(url, data))
    assert "Someone else changed this since you opened it." in page
    rows = re.findall(
        r'<th scope="row"[^>]*>([^<]*)</th><td[^>]*>([^<]*)</td><td[^>]*>([^<]*)</td>', page
    )
    assert ("Title", "Getting about Townhill", "Getting about") in rows
    assert ("Notes", "–", "Bring the big map.") in rows
    workshop.refresh_from_db()
    assert (workshop.title, workshop.notes) == ("Getting about Townhill", "")
    data["version"] = hidden_value(page, "version")
    assert client.post(url, data).status_code == 302
    workshop.refresh_from_db()
    assert (workshop.title, workshop.notes) == ("Getting about", "Bring the big map.")
