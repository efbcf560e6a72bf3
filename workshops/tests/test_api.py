"""Barriers, actions and workshops for partners: counted things only — no words a
participant wrote on a barrier, no owner of an action, attendance through the disclosure
rules and only with an `aggregates` key; a constant number of queries per list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.tests.factories import SiteFactory, api_key_make
from participants.models import Cohort
from participants.tests.factories import ParticipantFactory
from workshops.models import Action, ActionStatus, Attendance, BarrierKind, BarrierStatus
from workshops.tests.factories import BarrierFactory, WorkshopFactory


@pytest.fixture
def api(client, db):
    _key, public = api_key_make("public")
    _key, aggregates = api_key_make("aggregates")

    def get(url, scope="public", **params):
        secret = public if scope == "public" else aggregates
        return client.get(url, params, HTTP_AUTHORIZATION=f"Bearer {secret}")

    return get


@pytest.mark.django_db
def test_a_barrier_shows_no_words_and_no_place_and_small_votes_as_under_five(api):
    BarrierFactory(
        title="The bus driver shouted at Amal",
        description="She was in tears at the stop by her flat",
        kind=BarrierKind.TRANSPORT,
        priority_votes=3,
        latitude=51.629,
        longitude=-3.9565,
    )
    BarrierFactory(kind=BarrierKind.COST, priority_votes=12)

    response = api("/api/v1/barriers/")
    rows = response.json()["results"]

    assert "Amal" not in response.content.decode()
    assert "tears" not in response.content.decode()
    assert "51.629" not in response.content.decode()
    assert [(row["kind"], row["votes"]) for row in rows] == [("cost", 12), ("transport", "<5")]
    assert set(rows[0]) == {
        "id", "site", "kind", "affects", "status", "votes", "areas", "created_at"
    }  # fmt: skip


@pytest.mark.django_db
def test_barriers_are_filtered_by_kind_status_and_site(api):
    other = SiteFactory(slug="penlan")
    BarrierFactory(kind=BarrierKind.COST, status=BarrierStatus.RESOLVED)
    BarrierFactory(kind=BarrierKind.COST, workshop=WorkshopFactory(site=other))
    BarrierFactory(kind=BarrierKind.LANGUAGE)

    def kinds(**params):
        return sorted(row["kind"] for row in api("/api/v1/barriers/", **params).json()["results"])

    assert kinds(kind="cost") == ["cost", "cost"]
    assert kinds(status="resolved") == ["cost"]
    assert kinds(site="penlan") == ["cost"]
    assert api("/api/v1/barriers/", kind="loud").status_code == 400


@pytest.mark.django_db
def test_an_action_shows_its_public_fields_and_never_its_owner(api):
    Action.objects.create(
        site=WorkshopFactory().site,
        title="Ask the council for a later bus",
        title_cy="Gofyn i'r cyngor am fws hwyrach",
        owner="Aled Jones",
        status=ActionStatus.IN_PROGRESS,
        outcome="The council agreed to look at it",
    )

    response = api("/api/v1/actions/")
    [row] = response.json()["results"]

    assert "Aled" not in response.content.decode()
    assert row["title"] == "Ask the council for a later bus"
    assert row["title_cy"] == "Gofyn i'r cyngor am fws hwyrach"
    assert row["status"] == "in_progress"
    assert row["outcome"] == "The council agreed to look at it"
    assert "owner" not in row


@pytest.mark.django_db
def test_workshops_need_an_aggregates_key_and_show_attendance_disclosure_controlled(api):
    workshop = WorkshopFactory(title="Getting about", title_cy="Mynd o gwmpas", theme="Transport")
    for cohort in [Cohort.TENANT] * 6 + [Cohort.ASYLUM_SEEKER] * 2:
        Attendance.objects.create(workshop=workshop, participant=ParticipantFactory(cohort=cohort))

    refused = api("/api/v1/workshops/")
    [row] = api("/api/v1/workshops/", "aggregates").json()["results"]

    assert refused.status_code == 403
    assert (row["title"], row["title_cy"]) == ("Getting about", "Mynd o gwmpas")
    assert row["theme"] == "Transport"
    assert row["attendance"]["sanctuary"] == "<5"
    assert row["attendance"]["tenants"] != 6 or row["attendance"]["total"] != 8
    assert 2 not in row["attendance"].values()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "scope", "make"),
    [
        ("/api/v1/barriers/", "public", lambda: BarrierFactory()),
        ("/api/v1/actions/", "public", lambda: Action.objects.create(
            site=WorkshopFactory().site, title="Ask", owner="Aled")),
        ("/api/v1/workshops/", "aggregates", lambda: Attendance.objects.create(
            workshop=WorkshopFactory(), participant=ParticipantFactory())),
    ],
)  # fmt: skip
def test_a_list_takes_as_many_queries_for_thirty_rows_as_for_one(api, url, scope, make):
    make()
    api(url, scope)
    with CaptureQueriesContext(connection) as one:
        assert api(url, scope).status_code == 200
    for _ in range(29):
        make()
    with CaptureQueriesContext(connection) as thirty:
        assert len(api(url, scope).json()["results"]) == 30

    assert len(thirty) == len(one) <= 3
