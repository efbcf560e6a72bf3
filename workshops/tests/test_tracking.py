"""Following up workshops: the barrier layer, common ground, the action tracker and the
workshop report (selectors and views, disclosure control, permissions, query counts).

The view tests reverse the names in workshops.views_tracking.urlpatterns, so they need those
patterns included under the i18n prefix in config/urls.py.
"""

import csv
import io
import json
import re
import zlib
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assets.models import AssetEndorsement, AssetStatus
from assets.tests.factories import AssetFactory, point
from core.models import Role
from core.tests.factories import default_site
from participants.disclosure import SUPPRESSED, WITHHELD
from participants.models import Cohort
from participants.tests.factories import ParticipantFactory
from tests.browser import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_fits_width,
    screenshot,
    sign_in,
)
from workshops.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    Affects,
    Attendance,
    Barrier,
    BarrierKind,
    BarrierStatus,
    Workshop,
)
from workshops.selectors import (
    barrier_layer,
    common_ground,
    current_barriers,
    workshop_report,
)
from workshops.services import action_create, action_status_change
from workshops.tests.factories import BarrierFactory

pytestmark = pytest.mark.django_db

TOWNHILL = (51.6290, -3.9565)
BANGOR = (53.2270, -4.1290)
BOX = "-4.0,51.6,-3.9,51.7"


def workshop(title="Getting about", *, facilitators=(), **cohorts) -> Workshop:
    """A held workshop whose register has `tenant=3, refugee=2`… people of each cohort."""
    start = timezone.now() - timedelta(days=7)
    held = Workshop.objects.create(
        site=default_site(),
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status="held",
    )
    held.facilitators.set(facilitators)
    for cohort, count in cohorts.items():
        for _ in range(count):
            Attendance.objects.create(workshop=held, participant=ParticipantFactory(cohort=cohort))
    return held


def barrier(title, *, at=None, kind=BarrierKind.TRANSPORT, affects=Affects.TENANTS, **fields):
    located = {}
    if at:
        located = {"geometry": point(*at), "latitude": at[0], "longitude": at[1]}
    fields = {"workshop": None, "site": default_site(), **located, **fields}
    return BarrierFactory(title=title, kind=kind, affects=affects, **fields)


def action(
    title, barriers, *, due_in_days=None, owner="Housing officer", workshop=None, **fields
) -> Action:
    due = timezone.localdate() + timedelta(days=due_in_days) if due_in_days is not None else None
    return action_create(
        fields={"title": title, "owner": owner, "due_on": due, **fields},
        barriers=barriers,
        workshop=workshop,
    )


def endorse(asset, *cohorts):
    for cohort in cohorts:
        AssetEndorsement.objects.create(asset=asset, participant=ParticipantFactory(cohort=cohort))


def layer_titles(client, **params) -> list[str]:
    response = client.get(reverse("workshops:barrier-layer"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    return sorted(f["properties"]["title"] for f in json.loads(response.content)["features"])


# --- The barrier layer -----------------------------------------------------------------------


def test_barrier_layer_is_lean_geojson_of_located_barriers():
    barrier("Bus stops at six", at=TOWNHILL)
    barrier("Forms only online", kind=BarrierKind.DIGITAL)  # no place: not on the map
    collection = json.loads(barrier_layer(Barrier.objects.all()))
    [feature] = collection["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [TOWNHILL[1], TOWNHILL[0]]}
    assert feature["properties"] == {
        "title": "Bus stops at six",
        "kind": "transport",
        "affects": "tenants",
    }


def test_barrier_layer_lists_only_located_current_barriers_in_the_box(participant_client):
    barrier("Bus stops at six", at=TOWNHILL)
    barrier("Far away", at=BANGOR)
    barrier("No place given")
    barrier("Fixed already", at=TOWNHILL, status=BarrierStatus.RESOLVED)
    barrier("Being tackled", at=TOWNHILL, status=BarrierStatus.ADDRESSED)
    assert layer_titles(participant_client, bbox=BOX) == ["Being tackled", "Bus stops at six"]


def test_barrier_layer_filters_by_kind_and_by_who_it_affects(participant_client):
    barrier("Bus fares", at=TOWNHILL, kind=BarrierKind.COST, affects=Affects.BOTH)
    barrier("Letters in English", at=TOWNHILL, kind=BarrierKind.LANGUAGE, affects="sanctuary")
    barrier("Late buses", at=TOWNHILL, kind=BarrierKind.TRANSPORT, affects=Affects.TENANTS)
    assert layer_titles(participant_client, kind="cost") == ["Bus fares"]
    # A barrier affecting both groups affects each of them.
    assert layer_titles(participant_client, affects="sanctuary") == [
        "Bus fares",
        "Letters in English",
    ]
    assert layer_titles(participant_client, affects="both") == ["Bus fares"]
    assert layer_titles(participant_client, kind="language", affects="tenants") == []


def test_barrier_layer_refuses_filters_it_does_not_know_with_their_errors(participant_client):
    barrier("Bus fares", at=TOWNHILL, kind=BarrierKind.COST, affects=Affects.BOTH)
    response = participant_client.get(
        reverse("workshops:barrier-layer"), {"kind": "<script>", "affects": "everyone"}
    )
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "affects"}
    assert "<script> is not one of the available choices" in response.json()["kind"][0]


@pytest.mark.parametrize("bbox", ["x", "1,2,3", "10,10,-10,-10", "nan,1,2,3"])
def test_a_bad_bounding_box_is_refused_with_what_is_wrong(participant_client, bbox):
    barrier("Here", at=TOWNHILL)
    response = participant_client.get(reverse("workshops:barrier-layer"), {"bbox": bbox})
    assert response.status_code == 400
    assert "west,south,east,north" in response.json()["bbox"][0]


@pytest.mark.parametrize("bbox", ["", "-200,-95,200,95"])
def test_no_box_or_one_past_the_edge_of_the_world_shows_everywhere(participant_client, bbox):
    barrier("Here", at=TOWNHILL)
    barrier("There", at=BANGOR)
    assert layer_titles(participant_client, bbox=bbox) == ["Here", "There"]


def test_barrier_layer_is_only_for_people_in_the_project(client, make_user):
    # Barriers are people's own words and are not moderated: never public.
    barrier("Here", at=TOWNHILL)
    for name in ("workshops:barrier-layer", "workshops:barrier-layer-options"):
        assert client.get(reverse(name))["Location"].startswith("/en/sign-in/")
    client.force_login(make_user(None), backend="core.backends.RoleBackend")
    assert client.get(reverse("workshops:barrier-layer")).status_code == 403


def test_barrier_layer_options_give_the_words_and_choices_in_the_active_language(
    participant_client,
):
    options = participant_client.get(reverse("workshops:barrier-layer-options")).json()
    assert options["layerUrl"] == reverse("workshops:barrier-layer")
    assert ["both", "Both groups"] in options["affects"]
    assert options["labels"]["show"] == "Show barriers"
    assert options["listUrl"] == reverse("workshops:common-ground") + "#barriers"
    welsh = participant_client.get("/cy/barriers/layer-options.json").json()
    assert welsh["layerUrl"].startswith("/cy/")


def test_barrier_layer_uses_a_constant_number_of_queries(
    participant_client, django_assert_max_num_queries
):
    for n in range(25):
        barrier(f"Barrier {n}", at=TOWNHILL)
    # Session, user and role lookups, then one query for the layer, however many barriers.
    with django_assert_max_num_queries(4):
        assert len(layer_titles(participant_client, bbox=BOX)) == 25


# --- Common ground ---------------------------------------------------------------------------


@pytest.fixture
def shared():
    """Barriers and assets the two groups share, and what is not shared."""
    together = workshop("Together", tenant=3, refugee=2, asylum_seeker=1)
    tenants_only = workshop("Tenants' evening", tenant=6)
    both = barrier("Bus fares", affects=Affects.BOTH, kind=BarrierKind.COST, priority_votes=7)
    raised_together = barrier("Nowhere to meet", workshop=together, kind=BarrierKind.HOUSING)
    tenants_only_barrier = barrier("Repairs take months", workshop=tenants_only)
    bridging = AssetFactory(name="Townhill Library")
    endorse(bridging, *[Cohort.TENANT] * 3, *[Cohort.REFUGEE] * 3)
    one_sided = AssetFactory(name="Bowls club")
    endorse(one_sided, Cohort.TENANT, Cohort.TENANT)
    hidden = AssetFactory(name="Not published yet", status=AssetStatus.SUBMITTED)
    endorse(hidden, Cohort.TENANT, Cohort.REFUGEE)
    return {
        "both": both,
        "raised_together": raised_together,
        "tenants_only": tenants_only_barrier,
        "fares_action": action("Ask for a community bus pass", [both], due_in_days=-3),
        "repairs_action": action("Repairs surgery", [tenants_only_barrier], due_in_days=10),
    }


@pytest.fixture
def outsider(make_user):
    """Someone outside the project who reaches every site (a partner): of assets they see
    what the public sees. Their role is read once here, so query counts below are the
    selectors' own."""
    user = make_user(Role.PARTNER)
    assert user.role == Role.PARTNER
    return user


def test_common_ground_lists_barriers_both_groups_raised_but_not_one_groups(shared, outsider):
    ground = common_ground(user=outsider, exact=True)
    titles = [row["barrier"].title for row in ground["barriers"]]
    assert titles == ["Bus fares", "Nowhere to meet"]
    fares, meet = ground["barriers"]
    assert (fares["affects_both"], fares["together"]) == (True, False)
    assert (meet["affects_both"], meet["together"]) == (False, True)
    assert (meet["tenants"], meet["sanctuary"]) == (3, 3)
    assert [a["action"].title for a in fares["actions"]] == ["Ask for a community bus pass"]
    assert fares["actions"][0]["overdue"] is True


def test_common_ground_lists_published_assets_both_groups_value(shared, outsider):
    [row] = common_ground(user=outsider, exact=True)["assets"]
    assert (row["asset"].name, row["tenants"], row["sanctuary"]) == ("Townhill Library", 3, 3)


def test_common_ground_counts_under_five_are_suppressed_unless_exact(shared, outsider):
    ground = common_ground(user=outsider, exact=False)
    assert (ground["assets"][0]["tenants"], ground["assets"][0]["sanctuary"]) == ("<5", "<5")
    assert ground["barriers"][1]["tenants"] == SUPPRESSED


def test_common_ground_lists_only_actions_on_shared_barriers(shared, outsider):
    rows = common_ground(user=outsider, exact=True)["actions"]
    assert [(row["action"].title, row["overdue"]) for row in rows] == [
        ("Ask for a community bus pass", True)
    ]


def test_common_ground_takes_the_same_queries_however_many_rows(shared, outsider):
    with CaptureQueriesContext(connection) as few:
        common_ground(user=outsider, exact=False)
    for n in range(5):
        together = workshop(f"More {n}", tenant=1, refugee=1)
        raised = barrier(f"More barrier {n}", workshop=together)
        action(f"More action {n}", [raised], due_in_days=n)
        endorse(AssetFactory(), Cohort.TENANT, Cohort.ASYLUM_SEEKER)
    with CaptureQueriesContext(connection) as many:
        ground = common_ground(user=outsider, exact=False)
    assert len(ground["barriers"]) == 7
    assert len(few) == len(many) == 5


NUMBER_CELL = r'<td class="govuk-table__cell govuk-table__cell--numeric"[^>]*>{}</td>'


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.EVALUATOR, Role.PARTICIPANT])
def test_common_ground_shows_small_counts_as_under_five_outside_coordinators(
    client_as, shared, role
):
    page = client_as(role).get(reverse("workshops:common-ground")).content.decode()
    assert "Townhill Library" in page and "Bowls club" not in page
    assert "Not published yet" not in page
    assert re.search(
        r'<td class="govuk-table__cell govuk-table__cell--numeric"[^>]*>&lt;5</td>', page
    )
    assert not re.search(
        r'<td class="govuk-table__cell govuk-table__cell--numeric"[^>]*>3</td>', page
    )
    assert "counts of 1 to 4 people are shown as “&lt;5”" in page


def test_common_ground_shows_coordinators_exact_counts(coordinator_client, shared):
    page = coordinator_client.get(reverse("workshops:common-ground")).content.decode()
    assert re.search(NUMBER_CELL.format("3"), page)
    assert "&lt;5" not in page
    assert "(tenants: 3; people seeking sanctuary: 3)" in page


def test_common_ground_page_shows_shared_barriers_and_their_actions(participant_client, shared):
    page = participant_client.get(reverse("workshops:common-ground")).content.decode()
    shared_section = page.split('id="bridging-assets"')[0]
    assert "Bus fares" in shared_section and "Nowhere to meet" in shared_section
    assert "Repairs take months" not in shared_section
    assert "Ask for a community bus pass" in shared_section
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in shared_section


def test_every_current_barrier_is_listed_without_the_map(participant_client):
    located = barrier("Bus stops at six", at=TOWNHILL, kind=BarrierKind.TRANSPORT)
    barrier("Forms only online", kind=BarrierKind.DIGITAL, affects=Affects.SANCTUARY)
    barrier("Fixed already", at=TOWNHILL, status=BarrierStatus.RESOLVED)
    page = participant_client.get(reverse("workshops:common-ground")).content.decode()
    listing = page.split('id="barriers"')[1]
    assert f'id="barrier-{located.pk}"' in listing
    assert "Bus stops at six" in listing and "Forms only online" in listing
    assert "Fixed already" not in listing
    filtered = participant_client.get(reverse("workshops:common-ground"), {"kind": "digital"})
    listing = filtered.content.decode().split('id="barriers"')[1]
    assert "Forms only online" in listing and "Bus stops at six" not in listing


def test_common_ground_page_uses_a_constant_number_of_queries(
    client_as, shared, django_assert_max_num_queries
):
    client = client_as(Role.FACILITATOR)
    for n in range(10):
        barrier(f"Extra {n}", at=TOWNHILL, affects=Affects.BOTH)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("workshops:common-ground"))
    assert "Extra 9" in response.content.decode()


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_common_ground_is_for_every_role(client_as, role):
    assert client_as(role).get(reverse("workshops:common-ground")).status_code == 200


def test_common_ground_sends_anonymous_people_to_sign_in_and_refuses_no_role(client, make_user):
    assert client.get(reverse("workshops:common-ground"))["Location"].startswith("/en/sign-in/")
    client.force_login(make_user(None), backend="core.backends.RoleBackend")
    assert client.get(reverse("workshops:common-ground")).status_code == 403


# --- The action tracker ----------------------------------------------------------------------


@pytest.fixture
def actions(facilitator_client):
    """Actions agreed at a workshop that facilitator_client's facilitator runs."""
    held = workshop("Getting about", facilitators=[facilitator_client.user])
    stop = barrier("Bus stops at six", at=TOWNHILL, workshop=held)
    at = {"workshop": held}
    return {
        "later": action("Timetable in Arabic", [stop], due_in_days=20, owner="Zainab", **at),
        "overdue": action(
            "Ask the council about buses", [stop], due_in_days=-2, owner="Aled", **at
        ),
        "soon": action("Walk to the library together", [stop], due_in_days=3, owner="bethan", **at),
        "undated": action("Find a minibus", [stop], owner="Aled", **at),
        "done": action("Print a map", [stop], due_in_days=-9, status=ActionStatus.DONE, **at),
    }


@pytest.fixture
def others_actions(make_user):
    """An action agreed at a workshop someone else runs, and one agreed at no workshop."""
    theirs = workshop("Their workshop", facilitators=[make_user(Role.FACILITATOR)])
    damp = barrier("Damp flats", workshop=theirs)
    return {
        "theirs": action("Survey the damp flats", [damp], due_in_days=5, workshop=theirs),
        "nobodys": action("Write to the council", [barrier("Forms only online")], due_in_days=6),
    }


def test_a_facilitator_tracks_only_actions_agreed_at_workshops_they_run(
    facilitator_client, coordinator_client, actions, others_actions
):
    page = facilitator_client.get(reverse("workshops:action-tracker")).content.decode()
    assert "Walk to the library together" in page
    assert "Survey the damp flats" not in page and "Write to the council" not in page
    everything = coordinator_client.get(reverse("workshops:action-tracker")).content.decode()
    assert "Survey the damp flats" in everything and "Write to the council" in everything
    assert "Walk to the library together" in everything


@pytest.mark.parametrize("whose", ["theirs", "nobodys"])
def test_a_facilitator_cannot_change_an_action_they_do_not_follow_up(
    facilitator_client, actions, others_actions, whose
):
    item = others_actions[whose]
    prefix = f"action-{item.pk}"
    response = facilitator_client.post(
        reverse("workshops:action-update", args=[item.pk]),
        {f"{prefix}-status": "done", f"{prefix}-note": "Done, honest"},
    )
    assert response.status_code == 404
    item.refresh_from_db()
    assert (item.status, item.outcome) == (ActionStatus.AGREED, "")
    assert not ActionUpdate.objects.exists()


def test_a_coordinator_changes_any_action(coordinator_client, others_actions):
    item = others_actions["theirs"]
    prefix = f"action-{item.pk}"
    coordinator_client.post(
        reverse("workshops:action-update", args=[item.pk]),
        {f"{prefix}-status": "in_progress", f"{prefix}-note": "Survey booked"},
    )
    item.refresh_from_db()
    assert (item.status, item.outcome) == (ActionStatus.IN_PROGRESS, "Survey booked")
    assert ActionUpdate.objects.get().by == coordinator_client.user


def test_the_status_change_service_refuses_someone_who_does_not_follow_the_action_up(
    facilitator_client, others_actions
):
    item = others_actions["theirs"]
    with pytest.raises(PermissionDenied):
        action_status_change(action=item, status="done", note="Done", by=facilitator_client.user)
    item.refresh_from_db()
    assert item.status == ActionStatus.AGREED and not ActionUpdate.objects.exists()


def test_a_facilitator_cannot_add_an_action_to_a_workshop_they_do_not_run(
    facilitator_client, others_actions
):
    theirs = others_actions["theirs"].workshop
    damp = theirs.barriers.get()
    response = facilitator_client.post(
        reverse("workshops:workshop-action", args=[theirs.pk]),
        {"action-title": "Sneaked in", "action-owner": "Me", "action-barriers": [damp.pk]},
    )
    assert response.status_code == 404
    assert not Action.objects.filter(title="Sneaked in").exists()


def card(page: str, item: Action) -> str:
    return page.split(f'id="action-{item.pk}"')[1].split("</li>")[0]


def test_tracker_lists_open_actions_soonest_due_first_and_tags_the_overdue(
    facilitator_client, actions
):
    page = facilitator_client.get(reverse("workshops:action-tracker")).content.decode()
    order = [page.index(f'id="action-{actions[key].pk}"') for key in ("overdue", "soon", "later")]
    assert order == sorted(order)
    assert page.index(f'id="action-{actions["undated"].pk}"') > order[-1]
    assert "Print a map" not in page
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in card(
        page, actions["overdue"]
    )
    assert "Overdue" not in card(page, actions["soon"])


def test_tracker_groups_by_owner_when_asked(coordinator_client, actions):
    page = coordinator_client.get(
        reverse("workshops:action-tracker"), {"sort": "owner"}
    ).content.decode()
    headings = [part.split("</h2>")[0] for part in page.split('<h2 class="govuk-heading-m">')[1:]]
    assert headings == ["Aled", "bethan", "Zainab"]
    aled = page.split("Aled</h2>")[1].split('<h2 class="govuk-heading-m">')[0]
    assert "Ask the council about buses" in aled and "Find a minibus" in aled


def test_tracker_says_an_unknown_sort_is_not_one_and_sorts_by_due_date(coordinator_client, actions):
    response = coordinator_client.get(reverse("workshops:action-tracker"), {"sort": "pk; drop"})
    assert response.status_code == 200 and response.context["sort"] == "due"
    assert "pk; drop is not one of the available choices" in response.content.decode()


def test_a_status_change_without_a_note_explains_and_changes_nothing(facilitator_client, actions):
    item = actions["soon"]
    prefix = f"action-{item.pk}"
    response = facilitator_client.post(
        reverse("workshops:action-update", args=[item.pk]),
        {f"{prefix}-status": "in_progress", f"{prefix}-note": "   "},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Say what happened, so others can follow it." in page
    assert f'href="#id_{prefix}-note"' in page
    item.refresh_from_db()
    assert item.status == ActionStatus.AGREED
    assert not ActionUpdate.objects.exists()


def test_a_status_change_with_a_note_is_recorded_and_shown_in_the_history(
    facilitator_client, actions
):
    item = actions["soon"]
    prefix = f"action-{item.pk}"
    response = facilitator_client.post(
        reverse("workshops:action-update", args=[item.pk]),
        {f"{prefix}-status": "in_progress", f"{prefix}-note": "Route walked with six people."},
        follow=True,
    )
    assert (
        response.redirect_chain[-1][0] == reverse("workshops:action-tracker") + f"#action-{item.pk}"
    )
    update = ActionUpdate.objects.get(action=item)
    assert (update.status, update.note, update.by) == (
        "in_progress",
        "Route walked with six people.",
        facilitator_client.user,
    )
    item.refresh_from_db()
    assert (item.status, item.outcome) == ("in_progress", "Route walked with six people.")
    history = card(response.content.decode(), item)
    assert "History: 1 update" in history and "Route walked with six people." in history


def test_only_open_actions_can_be_moved_on_from_the_tracker(coordinator_client, actions):
    done = actions["done"]
    response = coordinator_client.post(
        reverse("workshops:action-update", args=[done.pk]),
        {f"action-{done.pk}-status": "agreed", f"action-{done.pk}-note": "Again"},
    )
    assert response.status_code == 404


def test_tracker_uses_a_constant_number_of_queries(
    coordinator_client, actions, django_assert_max_num_queries
):
    stop = Barrier.objects.get()
    for n in range(10):
        more = action(f"More {n}", [stop], due_in_days=n)
        action_status_change(action=more, status="in_progress", note="Started", by=None)
    with django_assert_max_num_queries(10):
        response = coordinator_client.get(reverse("workshops:action-tracker"))
    assert "More 9" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 302),
        ("participant", 403),
        ("facilitator", 200),
        ("coordinator", 200),
        ("evaluator", 403),
        ("partner", 403),
    ],
)
def test_tracker_is_for_coordinators_and_facilitators(client_as, role, status):
    assert client_as(role).get(reverse("workshops:action-tracker")).status_code == status


@pytest.mark.parametrize("role", ["participant", "evaluator", "partner"])
def test_only_coordinators_and_facilitators_change_actions(client_as, actions, role):
    item = actions["soon"]
    response = client_as(role).post(
        reverse("workshops:action-update", args=[item.pk]),
        {f"action-{item.pk}-status": "done", f"action-{item.pk}-note": "Done"},
    )
    assert response.status_code == 403
    assert not ActionUpdate.objects.exists()


# --- The workshop report ---------------------------------------------------------------------


@pytest.fixture
def report_workshop(make_user):
    runner = make_user(Role.FACILITATOR)
    held = workshop("Getting about", facilitators=[runner], tenant=7, refugee=2, asylum_seeker=1)
    held.assets_identified.add(AssetFactory(name='=HYPERLINK("http://x")'))
    stop = barrier("Bus stops at six", workshop=held, priority_votes=4)
    action("Ask the council about buses", [stop], due_in_days=-1, workshop=held)
    return held, runner


def test_report_groups_attendance_and_suppresses_for_facilitators(report_workshop):
    held, _runner = report_workshop
    report = workshop_report(held, exact=False)
    assert [(row["group"], row["count"]) for row in report["attendance"]["rows"]] == [
        ("tenants", WITHHELD),
        ("sanctuary", "<5"),
        ("other", 0),
    ]
    assert report["attendance"]["total"] == 10
    exact = workshop_report(held, exact=True)["attendance"]
    assert [row["count"] for row in exact["rows"]] == [7, 3, 0]


def test_report_page_for_the_facilitator_who_ran_it(client, report_workshop):
    held, runner = report_workshop
    client.force_login(runner, backend="core.backends.RoleBackend")
    page = client.get(reverse("workshops:workshop-report", args=[held.pk])).content.decode()
    assert "Bus stops at six" in page and "Ask the council about buses" in page
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in page
    assert "withheld" in page and "&lt;5" in page


def test_report_downloads_as_csv_with_formulas_neutralised(coordinator_client, report_workshop):
    held, _runner = report_workshop
    response = coordinator_client.get(
        reverse("workshops:workshop-report", args=[held.pk]), {"format": "csv"}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="workshop-{held.pk}-getting-about.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert ["Social housing tenants", "7"] in rows
    assert ["People seeking sanctuary", "3"] in rows
    assert ["Total", "10"] in rows
    assert ['\'=HYPERLINK("http://x")', "Community centre", "Published"] in rows
    assert ["Bus stops at six", "Transport", "Social housing tenants", "4", "Open"] in rows


def test_report_downloads_as_pdf(client, report_workshop):
    held, runner = report_workshop
    client.force_login(runner, backend="core.backends.RoleBackend")
    response = client.get(reverse("workshops:workshop-report", args=[held.pk]), {"format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="workshop-{held.pk}-getting-about.pdf"'
    )
    assert response.content.startswith(b"%PDF")


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's objects with their compressed streams inflated, to look for entries."""
    inflated = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(inflated)


def test_report_pdf_follows_the_active_language(coordinator_client, report_workshop):
    held, _runner = report_workshop
    english = coordinator_client.get(
        reverse("workshops:workshop-report", args=[held.pk]), {"format": "pdf"}
    )
    assert b"/Lang (en)" in pdf_objects(english.content)
    assert b"/Title (Report: Getting about)" in pdf_objects(english.content)
    url = reverse("workshops:workshop-report", args=[held.pk]).replace("/en/", "/cy/", 1)
    welsh = coordinator_client.get(url, {"format": "pdf"})
    assert b"/Lang (cy)" in pdf_objects(welsh.content)


def test_report_has_no_other_formats(coordinator_client, report_workshop):
    held, _runner = report_workshop
    url = reverse("workshops:workshop-report", args=[held.pk])
    assert coordinator_client.get(url, {"format": "xlsx"}).status_code == 404


def test_report_of_another_facilitators_workshop_is_not_found(client_as, report_workshop):
    held, _runner = report_workshop
    other = client_as(Role.FACILITATOR)
    assert other.get(reverse("workshops:workshop-report", args=[held.pk])).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 302),
        ("participant", 403),
        ("coordinator", 200),
        ("evaluator", 403),
        ("partner", 403),
    ],
)
def test_report_is_for_coordinators_and_the_workshops_facilitators(
    client_as, report_workshop, role, status
):
    held, _runner = report_workshop
    assert (
        client_as(role).get(reverse("workshops:workshop-report", args=[held.pk])).status_code
        == status
    )


def test_report_uses_a_constant_number_of_queries(
    coordinator_client, report_workshop, django_assert_max_num_queries
):
    held, _runner = report_workshop
    for n in range(10):
        held.assets_identified.add(AssetFactory())
        stop = barrier(f"More {n}", workshop=held)
        action(f"Act {n}", [stop], due_in_days=n, workshop=held)
    with django_assert_max_num_queries(13):
        response = coordinator_client.get(reverse("workshops:workshop-report", args=[held.pk]))
    assert "Act 9" in response.content.decode()


def test_current_barriers_leave_out_the_resolved():
    barrier("Open", status=BarrierStatus.OPEN)
    barrier("Tackled", status=BarrierStatus.ADDRESSED)
    barrier("Resolved", status=BarrierStatus.RESOLVED)
    assert sorted(current_barriers().values_list("title", flat=True)) == ["Open", "Tackled"]


# --- In a browser ------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_tracking_pages_pass_axe_and_fit_a_phone(new_page, make_user, viewport):
    coordinator = make_user(Role.COORDINATOR)
    held = workshop("Getting about", tenant=7, refugee=2, asylum_seeker=1)
    held.assets_identified.add(AssetFactory(name="Townhill Library"))
    endorse(AssetFactory(name="Community garden"), Cohort.TENANT, Cohort.REFUGEE)
    fares = barrier("Bus fares", at=TOWNHILL, affects=Affects.BOTH, workshop=held)
    overdue = action("Ask for a community bus pass", [fares], due_in_days=-3, workshop=held)
    action_status_change(action=overdue, status="in_progress", note="Letter sent.", by=None)
    page = new_page(viewport)
    sign_in(page, coordinator.username)
    for name, args in [("workshops:common-ground", []), ("workshops:workshop-report", [held.pk])]:
        page.goto(reverse(name, args=args))
        screenshot(page, f"{name}-{viewport['width']}")
        assert_fits_width(page)
        assert_accessible(page)
    page.goto(reverse("workshops:action-tracker"))
    assert page.locator(f"#action-{overdue.pk}").get_by_text("Overdue").first.is_visible()
    card = page.locator(f"#action-{overdue.pk}")
    card.get_by_text("Change the status").click()
    card.get_by_role("button", name="Save the change").click()
    assert page.locator(".govuk-error-summary").is_visible()
    screenshot(page, f"action-tracker-error-{viewport['width']}")
    assert_fits_width(page)
    assert_accessible(page)
