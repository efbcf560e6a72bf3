"""A person's skills stay inside the project unless they agreed (DESIGN §3, §4): every read
path, as every role. "Inside" is core.models.in_project: coordinators, facilitators and
participants; never evaluators, partners, people without a role or the public."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assets.models import Asset, AssetCategory, AssetEndorsement
from assets.tests.factories import AssetFactory
from core.models import Role, in_project
from core.tests.factories import default_site
from participants.models import Cohort
from participants.tests.factories import ParticipantFactory
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

PRIVATE = "Lived experience: private"
SHARED = "Cooking: shared"
PLACE = "Townhill Community Centre"
ROLES = [None, *Role.values]
INSIDE = {Role.COORDINATOR, Role.FACILITATOR, Role.PARTICIPANT}


def skill(name: str, *, consent: bool) -> Asset:
    return AssetFactory(
        name=name,
        category=AssetCategory.objects.get(slug="lived-experience"),
        geometry=None,
        latitude=None,
        longitude=None,
        publish_consent=consent,
    )


@pytest.fixture
def skills():
    """An unconsented and a consented skill and a place, each valued by both groups."""
    assets = {
        "private": skill(PRIVATE, consent=False),
        "shared": skill(SHARED, consent=True),
        "place": AssetFactory(name=PLACE),
    }
    for asset in assets.values():
        for cohort in (Cohort.TENANT, Cohort.REFUGEE):
            AssetEndorsement.objects.create(
                asset=asset, participant=ParticipantFactory(cohort=cohort)
            )
    return assets


def test_inside_the_project_is_coordinators_facilitators_and_participants(make_user):
    assert not in_project(AnonymousUser())
    assert not in_project(make_user(None))
    assert {role for role in Role.values if in_project(make_user(role))} == INSIDE


@pytest.mark.parametrize("role", ROLES)
def test_queryset_shows_unconsented_skills_only_inside_the_project(make_user, skills, role):
    user = make_user(role) if role else AnonymousUser()
    names = set(Asset.objects.visible_to(user).values_list("name", flat=True))
    assert {SHARED, PLACE} <= names
    assert (PRIVATE in names) == (role in INSIDE)
    assert set(Asset.objects.shareable().values_list("name", flat=True)) == {SHARED, PLACE}


@pytest.mark.parametrize("role", ROLES)
def test_map_list_search_and_valued_by_both_hide_unconsented_skills_outside(
    client_as, skills, role
):
    client = client_as(role)
    for query in ({}, {"q": "experience"}, {"both": "1"}, {"domain": "individual"}):
        page = client.get(reverse("assets:asset-map"), query).content.decode()
        assert (PRIVATE in page) == (role in INSIDE), query
        assert (SHARED in page) == ("q" not in query), query


@pytest.mark.parametrize("role", ROLES)
def test_detail_page_is_not_found_outside_the_project(client_as, skills, role):
    client = client_as(role)
    response = client.get(reverse("assets:asset-detail", args=[skills["private"].pk]))
    assert response.status_code == (200 if role in INSIDE else 404)
    assert (PRIVATE in response.content.decode()) == (role in INSIDE)
    assert (
        SHARED
        in client.get(reverse("assets:asset-detail", args=[skills["shared"].pk])).content.decode()
    )


@pytest.mark.parametrize("role", ROLES)
def test_layer_never_carries_a_skill(client_as, skills, role):
    layer = json.loads(client_as(role).get(reverse("assets:asset-layer")).content)
    assert [f["properties"]["name"] for f in layer["features"]] == [PLACE]


def test_a_participant_may_value_a_private_skill_but_a_partner_may_not_see_it(client_as, skills):
    url = reverse("assets:asset-endorse", args=[skills["private"].pk])
    participant = client_as(Role.PARTICIPANT)
    ParticipantFactory(user=participant.user)
    participant.post(url)
    assert skills["private"].endorsements.filter(participant__user=participant.user).exists()
    assert client_as(Role.PARTNER).post(url).status_code == 403


@pytest.mark.parametrize("fmt", ["geojson", "csv", "xlsx", "openreferral"])
def test_every_export_leaves_unconsented_skills_out(coordinator_client, skills, fmt):
    response = coordinator_client.get(reverse("assets:asset-export-download"), {"format": fmt})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(body)).active
        text = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row)
    elif fmt == "csv":
        text = " ".join(" ".join(row) for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    else:
        text = body.decode()
    assert SHARED in text and PLACE in text
    assert PRIVATE not in text


# On workshop pages too


@pytest.mark.parametrize("role", ROLES)
def test_common_ground_lists_unconsented_skills_only_inside_the_project(client_as, skills, role):
    response = client_as(role).get(reverse("workshops:common-ground"))
    if role is None:
        assert response["Location"].startswith("/en/sign-in/")
        return
    page = response.content.decode()
    assert PLACE in page and SHARED in page
    assert (PRIVATE in page) == (role in INSIDE)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.FACILITATOR])
def test_workshop_report_is_inside_the_project_and_lists_what_it_found(client_as, skills, role):
    client = client_as(role)
    start = timezone.now() - timedelta(days=2)
    held = Workshop.objects.create(
        site=default_site(),
        title="Skills swap",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        status="held",
    )
    held.facilitators.set([client.user])
    held.assets_identified.set([skills["private"]])
    assert (
        PRIVATE in client.get(reverse("workshops:workshop-report", args=[held.pk])).content.decode()
    )
    for outside in (Role.EVALUATOR, Role.PARTNER):
        response = client_as(outside).get(reverse("workshops:workshop-report", args=[held.pk]))
        assert response.status_code == 403 and PRIVATE not in response.content.decode()
