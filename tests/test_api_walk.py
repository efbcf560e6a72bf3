"""Every endpoint of the partner API router, found from the URL resolver (a new endpoint is
walked without editing this file), requested with no key, a revoked key, a `public` key and
an `aggregates` key. No response may carry participant data (codes, cohorts, names), a
person's skill shown without their consent, an unpublished asset, or a count of people from
1 to 4 (DESIGN §6)."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assets.models import Area, AreaLevel, AssetCategory, AssetStatus
from assets.tests.factories import AssetFactory
from core.api_keys import api_key_revoke
from core.jobs import job_file_save
from core.tests.factories import api_key_make
from indicators.models import AreaSummary, Indicator, IndicatorValue
from participants.models import Cohort
from participants.tests.factories import ParticipantFactory
from toolkit.models import ToolkitExport
from workshops.models import Action, Attendance
from workshops.tests.factories import BarrierFactory, WorkshopFactory

# Endpoints a `public` key may not read (403); every other one it may.
AGGREGATES_ONLY = {
    "api:asset-valued-by",
    "api:workshop-list",
    "api:workshop-detail",
    "api:areasummary-list",
    "api:areasummary-detail",
    "api:toolkit-list",
    "api:toolkit-detail",
    "api:toolkit-file",
}
# Sample arguments by the endpoint's basename (the part of its name before the first "-").
SAMPLE_ARGUMENTS = {
    "asset": lambda data: {"pk": data["asset"].pk},
    "category": lambda data: {"pk": data["category"].pk},
    "site": lambda data: {"pk": data["asset"].site_id},
    "area": lambda data: {"pk": data["area"].pk},
    "barrier": lambda data: {"pk": data["barrier"].pk},
    "action": lambda data: {"pk": data["action"].pk},
    "workshop": lambda data: {"pk": data["barrier"].workshop_id},
    "indicator": lambda data: {"pk": data["value"].indicator_id},
    "indicatorvalue": lambda data: {"pk": data["value"].pk},
    "areasummary": lambda data: {"pk": data["summary"].pk},
    "toolkit": lambda data: {"site": data["asset"].site.slug, "name": "toolkit.zip"},
}
# Numbers that count no people: identifiers, places, sort order, rows in a list.
NOT_PEOPLE = {"id", "order", "latitude", "longitude", "count"}
PARTICIPANT_CODE = re.compile(r"\bP-\d{3,}\b")


def api_endpoints(prefix: str = "api/v1/") -> dict[str, URLPattern]:
    """The router's named patterns under /api/v1/ (not the schema and docs), by name; or
    those under another prefix."""

    def walk(patterns, namespace, route):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner, route + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                yield namespace, route + str(pattern.pattern), pattern

    return {
        f"{namespace}{pattern.name}": pattern
        for namespace, route, pattern in walk(get_resolver().url_patterns, "", "")
        if route.startswith(prefix)
    }


@pytest.fixture
def data(make_user, settings, tmp_path):
    """An asset valued by 3 tenants (a small count), people with codes and names, a skill
    kept inside the project, assets not published."""
    settings.MEDIA_ROOT = tmp_path
    asset = AssetFactory(name="Townhill Library")
    toolkit = ToolkitExport.objects.create(
        site=asset.site, base_url="http://x", status="done", finished_at=timezone.now()
    )
    job_file_save(job=toolkit, name="toolkit.zip", content=b"PK toolkit for Townhill Library")
    people = [
        ParticipantFactory(cohort=Cohort.TENANT, display_name=f"Tenant Name {n}") for n in range(3)
    ] + [ParticipantFactory(cohort=Cohort.ASYLUM_SEEKER, display_name="Sanctuary Name")]
    for person in people[:3]:
        asset.endorsements.create(participant=person)
    AssetFactory(
        name="Secret skill of a person",
        category=AssetCategory.objects.get(slug="skills"),
        geometry=None,
        latitude=None,
        longitude=None,
        publish_consent=False,
        on_behalf_of=people[3],
    )
    AssetFactory(name="Unpublished submission", status=AssetStatus.SUBMITTED)
    AssetFactory(name="Rejected submission", status=AssetStatus.REJECTED)
    workshop = WorkshopFactory(title="Getting about")
    for person in people[:3]:
        Attendance.objects.create(workshop=workshop, participant=person)
    barrier = BarrierFactory(
        workshop=workshop,
        title="Barrier named by Tenant Name 0",
        description="Words a participant wrote",
        priority_votes=3,
    )
    action = Action.objects.create(site=workshop.site, title="Ask", owner="Owner Person Name")
    action.barriers.add(barrier)
    area = Area.objects.create(
        code="W02000174", name_en="Swansea 016", level=AreaLevel.MSOA, population=7000
    )
    summary = AreaSummary.objects.create(
        area=area, assets=12, workshops=6, participants=3, computed_at=timezone.now()
    )
    value = IndicatorValue.objects.create(
        indicator=Indicator.objects.first(), area=area, period="2025", value=12.5
    )
    return {
        "asset": asset,
        "category": asset.category,
        "area": area,
        "summary": summary,
        "value": value,
        "people": people,
        "barrier": barrier,
        "action": action,
        "forbidden": [
            "Barrier named by",
            "Words a participant wrote",
            "Owner Person Name",
            "Secret skill of a person",
            "Unpublished submission",
            "Rejected submission",
            *[person.display_name for person in people],
            *[person.code for person in people],
        ],
    }


def url_of(name: str, pattern: URLPattern, data) -> str:
    kwargs = None
    if pattern.pattern.regex.groupindex:
        basename = name.removeprefix("api:").split("-")[0]
        assert basename in SAMPLE_ARGUMENTS, f"{name}: add its sample arguments to this test"
        kwargs = SAMPLE_ARGUMENTS[basename](data)
        kwargs = {k: v for k, v in kwargs.items() if k in pattern.pattern.regex.groupindex}
    return reverse(name, kwargs=kwargs)


def values(document, key=None):
    """(key, value) for every scalar in a JSON document."""
    if isinstance(document, dict):
        for inner_key, value in document.items():
            yield from values(value, inner_key)
    elif isinstance(document, list):
        for value in document:
            yield from values(value, key)
    else:
        yield key, document


def problems_in(body: dict, data) -> list[str]:
    problems = []
    text = str(body)
    problems += [f"shows {value!r}" for value in data["forbidden"] if value in text]
    problems += [f"shows a participant code {code}" for code in PARTICIPANT_CODE.findall(text)]
    for key, value in values(body):
        if value in set(Cohort.values):
            problems.append(f"shows a cohort {key}={value!r}")
        counts_people = isinstance(value, int) and not isinstance(value, bool)
        if counts_people and key not in NOT_PEOPLE and 1 <= value <= 4:
            problems.append(f"shows a small count {key}={value}")
    return problems


def test_the_walk_finds_every_endpoint_of_the_router():
    names = set(api_endpoints())
    assert {"api:category-list", "api:asset-list", "api:asset-detail"} <= names
    assert names >= AGGREGATES_ONLY


@pytest.mark.django_db
def test_every_endpoint_with_every_kind_of_key(client, data):
    _public, public = api_key_make("public")
    _aggregates, aggregates = api_key_make("aggregates")
    revoked_key, revoked = api_key_make("aggregates")
    api_key_revoke(key=revoked_key, by=revoked_key.created_by)
    failures = []
    for name, pattern in sorted(api_endpoints().items()):
        url = url_of(name, pattern, data)
        for kind, secret, expected in [
            ("no key", None, 401),
            ("revoked key", revoked, 401),
            ("public key", public, 403 if name in AGGREGATES_ONLY else 200),
            ("aggregates key", aggregates, 200),
        ]:
            headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
            response = client.get(url, {"page_size": 500}, **headers)
            if response.status_code != expected:
                failures.append(f"{name} with {kind}: {response.status_code}, not {expected}")
            if response.status_code == 200:
                body = (
                    b"".join(response.streaming_content).decode("latin-1")  # a file
                    if response.streaming
                    else response.json()
                )
                failures += [f"{name} with {kind} {p}" for p in problems_in(body, data)]
    assert not failures, "\n".join(failures)


def test_the_checks_would_see_a_leak():
    data = {"forbidden": ["Sanctuary Name"]}
    body = {"results": [{"id": 3, "tenants": 3, "cohort": "refugee", "note": "P-017 said"}]}

    assert sorted(problems_in(body, data)) == [
        "shows a cohort cohort='refugee'",
        "shows a participant code P-017",
        "shows a small count tenants=3",
    ]
