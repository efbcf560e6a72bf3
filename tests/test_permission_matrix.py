"""Every URL pattern of the project, requested as every role, against a table of expected
outcomes. A URL with no row fails, and so does a row for a URL that no longer exists: each
new page or endpoint adds its row here.

Outcomes are HTTP status codes for a GET. For anonymous users, 302 means "sent to sign in".
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone, translation

from assets.models import Area, AssetImport
from assets.services.exports import openreferral_service_id
from assets.tests.factories import AssetFactory
from core.jobs import job_file_save
from core.models import Role
from core.tests.factories import api_key_make, default_site
from indicators.models import AreaSummary, Indicator, IndicatorImport, IndicatorValue, SummaryRun
from participants.tests.factories import ParticipantFactory
from toolkit.models import ToolkitExport
from workshops.models import Barrier, BarrierProposal, Workshop
from workshops.services import action_create

ROLES = ["anonymous", *[role.value for role in Role]]


@dataclass(frozen=True)
class Row:
    anonymous: int
    participant: int
    facilitator: int
    coordinator: int
    evaluator: int
    partner: int
    # Builds the URL's arguments from the objects the test creates (see `objects` below).
    kwargs: object = field(default=None)

    def expected(self, role: str) -> int:
        return getattr(self, role)


def everyone(status: int, **kwargs) -> Row:
    return Row(status, status, status, status, status, status, **kwargs)


def signed_in(status: int, **kwargs) -> Row:
    return Row(302, status, status, status, status, status, **kwargs)


def coordinators_only(**kwargs) -> Row:
    return Row(302, 403, 403, 200, 403, 403, **kwargs)


def coordinators_post_only(**kwargs) -> Row:
    return Row(302, 403, 403, 405, 403, 403, **kwargs)


def api_row(status: int, **kwargs) -> Row:
    return Row(401, status, status, status, status, status, **kwargs)


MATRIX: dict[str, Row] = {
    "healthz": everyone(200),
    # The stand-in tile server, routed only under test settings (MAP_TILES_STUB)
    "test-tile": everyone(200, kwargs=lambda o: {"z": 12, "x": 2010, "y": 1360}),
    "core:home": everyone(200),
    # The footer's pages: public, in every language.
    "core:accessibility": everyone(200),
    "core:privacy": everyone(200),
    "core:contact": everyone(200),
    "core:sign-in": Row(200, 302, 302, 302, 302, 302),  # signed in already → sent home
    "core:sign-out": everyone(405),  # POST only
    "core:password-change": signed_in(200),
    "core:password-change-done": signed_in(200),
    "core:account-list": coordinators_only(),
    "core:account-create": coordinators_only(),
    "core:passphrase-reset": coordinators_only(kwargs=lambda o: {"pk": o["participant"].pk}),
    # Partner organisations and their API keys
    "core:organisation-list": coordinators_only(),
    "core:organisation-create": coordinators_only(),
    "core:organisation-detail": coordinators_only(kwargs=lambda o: {"pk": o["organisation"].pk}),
    "core:api-key-issue": coordinators_only(kwargs=lambda o: {"pk": o["organisation"].pk}),
    "core:api-key-revoke": coordinators_only(kwargs=lambda o: {"pk": o["api_key"].pk}),
    "core:partner-keys": Row(302, 403, 403, 403, 403, 200),
    # The partner API: a key, or a session with a role (401, not a redirect, without either;
    # tests/test_api_walk.py requests every endpoint with every kind of key). The schema and
    # its docs are public.
    "api:schema": everyone(200),
    "api:docs": everyone(200),
    "api:category-list": api_row(200),
    "api:category-detail": api_row(200, kwargs=lambda o: {"pk": o["category"].pk}),
    "api:asset-list": api_row(200),
    "api:asset-detail": api_row(200, kwargs=lambda o: {"pk": o["asset"].pk}),
    "api:asset-geojson": api_row(200),
    "api:site-list": api_row(200),
    "api:site-detail": api_row(200, kwargs=lambda o: {"pk": o["asset"].site_id}),
    "api:area-list": api_row(200),
    "api:area-detail": api_row(200, kwargs=lambda o: {"pk": o["area"].pk}),
    "api:barrier-list": api_row(200),
    "api:barrier-detail": api_row(200, kwargs=lambda o: {"pk": o["barrier"].pk}),
    "api:action-list": api_row(200),
    "api:action-detail": api_row(200, kwargs=lambda o: {"pk": o["action"].pk}),
    "api:workshop-list": Row(401, 403, 403, 200, 200, 200),
    "api:workshop-detail": Row(
        401, 403, 403, 200, 200, 200, kwargs=lambda o: {"pk": o["workshop"].pk}
    ),
    "api:indicator-list": api_row(200),
    "api:indicator-detail": api_row(200, kwargs=lambda o: {"pk": o["value"].indicator_id}),
    "api:indicatorvalue-list": api_row(200),
    "api:indicatorvalue-detail": api_row(200, kwargs=lambda o: {"pk": o["value"].pk}),
    "api:areasummary-list": Row(401, 403, 403, 200, 200, 200),
    "api:areasummary-detail": Row(
        401, 403, 403, 200, 200, 200, kwargs=lambda o: {"pk": o["summary"].pk}
    ),
    "api:asset-valued-by": Row(
        401, 403, 403, 200, 200, 200, kwargs=lambda o: {"pk": o["asset"].pk}
    ),
    # each site's published toolkit (area summaries and counts inside: aggregates); a person
    # signed in reads their own sites'
    "api:toolkit-list": Row(401, 403, 403, 200, 200, 200),
    "api:toolkit-detail": Row(401, 403, 403, 200, 200, 200, kwargs=lambda o: {"site": "test-site"}),
    "api:toolkit-file": Row(
        401, 403, 403, 200, 200, 200, kwargs=lambda o: {"site": "test-site", "name": "toolkit.zip"}
    ),
    # Open Referral UK: public while the map is (MAP_PUBLIC, on in tests); see
    # tests/test_api_openreferral.py for a private map.
    "api:openreferral-services": everyone(200),
    "api:openreferral-service": everyone(
        200, kwargs=lambda o: {"id": openreferral_service_id(o["asset"].pk)}
    ),
    "api:openreferral-service-at-locations": everyone(200),
    "api:openreferral-organizations": everyone(200),
    "api:openreferral-taxonomies": everyone(200),
    "api:openreferral-taxonomy-terms": everyone(200),
    # Asset map (public while MAP_PUBLIC is on, as in tests and by default)
    "assets:asset-map": everyone(200),
    "assets:asset-layer": everyone(200),
    # Public, as every page with a map carries them (the area profiles too).
    "assets:map-outlines": everyone(200),
    "assets:asset-detail": everyone(200, kwargs=lambda o: {"pk": o["asset"].pk}),
    "assets:asset-add": Row(302, 200, 200, 200, 403, 403),
    "assets:asset-mine": signed_in(200),
    "assets:asset-endorse": Row(
        302, 405, 403, 403, 403, 403, kwargs=lambda o: {"pk": o["asset"].pk}
    ),
    # A participant's own submission while it waits (this asset is not theirs: 404; a sign-in
    # that is not a participant's: 404).
    "assets:my-change": Row(302, 404, 404, 404, 403, 403, kwargs=lambda o: {"pk": o["asset"].pk}),
    "assets:my-withdraw": Row(302, 404, 404, 404, 403, 403, kwargs=lambda o: {"pk": o["asset"].pk}),
    "assets:asset-edit": coordinators_only(kwargs=lambda o: {"pk": o["asset"].pk}),
    "assets:moderation": coordinators_only(),
    "assets:moderation-recheck": coordinators_only(),
    "assets:moderation-review": coordinators_only(kwargs=lambda o: {"pk": o["asset"].pk}),
    "assets:asset-publish": coordinators_post_only(kwargs=lambda o: {"pk": o["asset"].pk}),
    "assets:asset-reject": coordinators_post_only(kwargs=lambda o: {"pk": o["asset"].pk}),
    "assets:asset-merge": coordinators_post_only(kwargs=lambda o: {"pk": o["asset"].pk}),
    "assets:asset-verify": coordinators_post_only(kwargs=lambda o: {"pk": o["asset"].pk}),
    "assets:asset-exports": coordinators_only(),
    "assets:asset-export-download": Row(302, 403, 403, 404, 403, 403),  # no ?format= → 404
    "assets:asset-import-new": coordinators_only(),
    "assets:asset-import": coordinators_only(kwargs=lambda o: {"pk": o["asset_import"].pk}),
    "assets:asset-import-confirm": coordinators_post_only(
        kwargs=lambda o: {"pk": o["asset_import"].pk}
    ),
    "assets:asset-import-retry": coordinators_post_only(
        kwargs=lambda o: {"pk": o["asset_import"].pk}
    ),
    "assets:category-list": coordinators_only(),
    "assets:category-add": coordinators_only(),
    "assets:category-edit": coordinators_only(kwargs=lambda o: {"pk": o["category"].pk}),
    # Participants (codes only outside coordinators; evaluators see the list)
    "participants:participant-list": Row(302, 403, 403, 200, 200, 403),
    "participants:participant-register": coordinators_only(),
    "participants:audit-log": coordinators_only(),
    "participants:participant-detail": coordinators_only(
        kwargs=lambda o: {"code": o["person"].code}
    ),
    "participants:participant-personal": coordinators_only(
        kwargs=lambda o: {"code": o["person"].code}
    ),
    "participants:participant-consent": coordinators_post_only(
        kwargs=lambda o: {"code": o["person"].code}
    ),
    "participants:participant-consent-withdraw": coordinators_post_only(
        kwargs=lambda o: {"code": o["person"].code, "scope": "photos"}
    ),
    "participants:participant-withdraw": coordinators_only(
        kwargs=lambda o: {"code": o["person"].code}
    ),
    "participants:participant-answers": coordinators_only(
        kwargs=lambda o: {
            "code": o["person"].code,
            "instrument": "swemwbs",
            "time_point": "baseline",
        }
    ),
    # A participant's own pages: 404 for a sign-in that is not a participant's.
    "participants:me": Row(302, 200, 404, 404, 404, 404),
    "participants:my-data": Row(302, 200, 404, 404, 404, 404),
    "participants:my-answers": Row(
        302,
        200,
        404,
        404,
        404,
        404,
        kwargs=lambda o: {"instrument": "ons4", "time_point": "midpoint"},
    ),
    # Evaluation (coordinators and evaluators)
    "participants:evaluation": Row(302, 403, 403, 200, 200, 403),
    "participants:evaluation-dataset": Row(302, 403, 403, 200, 200, 403),
    "participants:evaluation-dictionary": Row(302, 403, 403, 200, 200, 403),
    "participants:evaluation-network": Row(302, 403, 403, 200, 200, 403),
    "participants:evaluation-access": coordinators_only(),
    "participants:evaluation-access-end": coordinators_post_only(kwargs=lambda o: {"pk": 1}),
    # toolkit: guidance anyone may read; coordinators change it
    "toolkit:section-list": everyone(200),
    "toolkit:section-edit": coordinators_only(kwargs=lambda o: {"slug": "approach"}),
    "toolkit:section-history": coordinators_only(kwargs=lambda o: {"slug": "approach"}),
    # the toolkit export: coordinators of its site build, see, download and delete it;
    # partners (and coordinators) read the latest one that finished
    "toolkit:export-list": coordinators_only(),
    "toolkit:export": coordinators_only(kwargs=lambda o: {"pk": o["toolkit_export"].pk}),
    "toolkit:export-retry": coordinators_post_only(kwargs=lambda o: {"pk": o["toolkit_export"].pk}),
    "toolkit:export-delete": coordinators_post_only(
        kwargs=lambda o: {"pk": o["toolkit_export"].pk}
    ),
    "toolkit:export-download": coordinators_only(
        kwargs=lambda o: {"pk": o["toolkit_export"].pk, "name": "toolkit.zip"}
    ),
    "toolkit:latest": Row(302, 403, 403, 200, 403, 200, kwargs=lambda o: {"slug": "test-site"}),
    "toolkit:latest-download": Row(
        302, 403, 403, 200, 403, 200, kwargs=lambda o: {"slug": "test-site", "name": "toolkit.zip"}
    ),
    # indicators: area figures only, public like the map
    "indicators:area-list": everyone(200),
    "indicators:area-profile": everyone(200, kwargs=lambda o: {"code": o["area"].code}),
    # the summaries' runs: coordinators and evaluators; importing values: coordinators
    "indicators:summaries": Row(302, 403, 403, 200, 200, 403),
    "indicators:summary-run": Row(
        302, 403, 403, 200, 200, 403, kwargs=lambda o: {"pk": o["summary_run"].pk}
    ),
    "indicators:summary-run-retry": Row(
        302, 403, 403, 405, 405, 403, kwargs=lambda o: {"pk": o["summary_run"].pk}
    ),
    "indicators:value-upload": coordinators_only(),
    # The evaluation report: coordinators and evaluators (participants.view_participant).
    "indicators:evaluation-report": Row(302, 403, 403, 200, 200, 403),
    "indicators:evaluation-report-download": Row(
        302, 403, 403, 200, 200, 403, kwargs=lambda o: {"extension": "xlsx"}
    ),
    "indicators:value-import": coordinators_only(kwargs=lambda o: {"pk": o["value_import"].pk}),
    "indicators:value-import-retry": coordinators_post_only(
        kwargs=lambda o: {"pk": o["value_import"].pk}
    ),
    # Barriers, actions and common ground (inside the project only: barriers are unmoderated)
    "workshops:barrier-layer": signed_in(200),
    "workshops:barrier-layer-options": signed_in(200),
    "workshops:common-ground": signed_in(200),
    "workshops:action-tracker": Row(302, 403, 200, 200, 403, 403),
    "workshops:action-update": Row(
        302, 403, 405, 405, 403, 403, kwargs=lambda o: {"pk": o["action"].pk}
    ),
    # A facilitator who does not run the workshop gets 404.
    "workshops:workshop-report": Row(
        302, 403, 404, 200, 403, 403, kwargs=lambda o: {"pk": o["workshop"].pk}
    ),
    # Workshops (a facilitator who does not run this one gets 404): the summary, and a page
    # for each part (assets, barriers, actions) whose forms post to it
    "workshops:workshop-list": Row(302, 403, 200, 200, 403, 403),
    "workshops:workshop-add": Row(302, 403, 200, 200, 403, 403),
    "workshops:workshop-detail": Row(
        302, 403, 404, 200, 403, 403, kwargs=lambda o: {"pk": o["workshop"].pk}
    ),
    "workshops:workshop-edit": Row(
        302, 403, 404, 200, 403, 403, kwargs=lambda o: {"pk": o["workshop"].pk}
    ),
    "workshops:workshop-register": Row(
        302, 403, 404, 200, 403, 403, kwargs=lambda o: {"pk": o["workshop"].pk}
    ),
    "workshops:workshop-walk-in": Row(
        302, 403, 405, 405, 403, 403, kwargs=lambda o: {"pk": o["workshop"].pk}
    ),
    "workshops:workshop-asset": Row(
        302, 403, 404, 200, 403, 403, kwargs=lambda o: {"pk": o["workshop"].pk}
    ),
    "workshops:workshop-barrier": Row(
        302, 403, 404, 200, 403, 403, kwargs=lambda o: {"pk": o["workshop"].pk}
    ),
    "workshops:workshop-action": Row(
        302, 403, 404, 200, 403, 403, kwargs=lambda o: {"pk": o["workshop"].pk}
    ),
    # Participants name barriers from their own page; facilitators and coordinators of the
    # site accept or decline them (POST only).
    "workshops:barrier-name": Row(302, 200, 404, 404, 403, 403),
    "workshops:barrier-proposals": Row(302, 403, 200, 200, 403, 403),
    "workshops:barrier-proposal-accept": Row(
        302, 403, 405, 405, 403, 403, kwargs=lambda o: {"pk": o["proposal"].pk}
    ),
    "workshops:barrier-proposal-decline": Row(
        302, 403, 405, 405, 403, 403, kwargs=lambda o: {"pk": o["proposal"].pk}
    ),
    "workshops:barrier-vote": Row(
        302, 403, 405, 405, 403, 403, kwargs=lambda o: {"pk": o["barrier"].pk}
    ),
    # The admin is for superusers (none of the roles is staff): every page sends to its login.
    "admin:login": everyone(200),
    "admin:*": everyone(302),
}

# Sample arguments for the admin's own URL patterns.
ADMIN_KWARGS = {
    "id": "1",
    "object_id": "1",
    "content_type_id": "1",
    "url": "x/",
    "app_label": "core",
}


def _walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern


def project_urls() -> dict[str, URLPattern]:
    """Named URL patterns by name. Every pattern of ours must have a name; the admin's few
    unnamed ones (legacy redirects, the catch-all) sit behind the same admin_view check as
    its named pages, which are requested."""
    urls = {}
    for namespace, pattern in _walk(get_resolver().url_patterns):
        if pattern.name is None and namespace == "admin:":
            continue
        assert pattern.name, f"URL pattern {pattern.pattern} has no name: give it one and a row"
        urls[f"{namespace}{pattern.name}"] = pattern
    return urls


def row_for(name: str) -> Row | None:
    if name in MATRIX:
        return MATRIX[name]
    if name.startswith("admin:") and "admin:*" in MATRIX:
        return MATRIX["admin:*"]
    return None


def test_every_url_has_a_row_and_every_row_a_url():
    urls = project_urls()
    missing = sorted(name for name in urls if row_for(name) is None)
    assert not missing, f"URLs with no row in the permission matrix: {missing}"
    stale = sorted(name for name in MATRIX if name != "admin:*" and name not in urls)
    assert not stale, f"Rows for URLs that no longer exist: {stale}"


def _toolkit_export() -> ToolkitExport:
    job = ToolkitExport.objects.create(
        site=default_site(), base_url="http://x", status="done", finished_at=timezone.now()
    )
    job_file_save(job=job, name="toolkit.zip", content=b"PK")
    return job


@pytest.fixture
def objects(make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    asset = AssetFactory()
    api_key, _secret = api_key_make()
    return {
        "organisation": api_key.organisation,
        "api_key": api_key,
        "participant": make_user(Role.PARTICIPANT),
        "asset": asset,
        "category": asset.category,
        "person": ParticipantFactory(),
        "workshop": Workshop.objects.create(
            site=default_site(),
            title="W",
            starts_at=timezone.now(),
            ends_at=timezone.now() + timedelta(hours=2),
        ),
        "barrier": Barrier.objects.create(
            site=default_site(), title="Vote", kind="cost", affects="both"
        ),
        "proposal": BarrierProposal.objects.create(
            site=default_site(), participant=ParticipantFactory(), title="No evening bus"
        ),
        "action": action_create(
            fields={"title": "Ask", "owner": "Aled"},
            barriers=[
                Barrier.objects.create(site=default_site(), title="B", kind="cost", affects="both")
            ],
        ),
        "area": Area.objects.create(code="W02000173", name_en="Swansea 021", level="msoa"),
        "summary_run": SummaryRun.objects.create(),
        "summary": AreaSummary.objects.create(
            area=Area.objects.create(code="W02000175", name_en="Swansea 017", level="msoa"),
            participants=3,
            computed_at=timezone.now(),
        ),
        "value": IndicatorValue.objects.create(
            indicator=Indicator.objects.first(),
            area=Area.objects.create(code="W02000176", name_en="Swansea 018", level="msoa"),
            period="2025",
            value=1.5,
        ),
        "value_import": IndicatorImport.objects.create(file_name="v.csv", content="x"),
        "toolkit_export": _toolkit_export(),
        "asset_import": AssetImport.objects.create(
            file_name="a.csv", format="csv", content="name\nA\n"
        ),
    }


def _url(name: str, pattern: URLPattern, objects) -> str:
    row = row_for(name)
    kwargs = row.kwargs(objects) if row.kwargs else None
    if kwargs is None and pattern.pattern.regex.groupindex:
        kwargs = {key: ADMIN_KWARGS[key] for key in pattern.pattern.regex.groupindex}
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_url_as_every_role(client_as, objects, role):
    client = client_as(None if role == "anonymous" else role)
    if role == "participant":
        ParticipantFactory(user=client.user)
    failures = []
    for name, pattern in sorted(project_urls().items()):
        url = _url(name, pattern, objects)
        response = client.get(url)
        expected = row_for(name).expected(role)
        if response.status_code != expected:
            failures.append(f"{name} {url}: got {response.status_code}, expected {expected}")
        elif (
            role == "anonymous"
            and expected == 302
            and not name.startswith("admin:")
            and not response["Location"].startswith("/en/sign-in/")
        ):
            failures.append(f"{name} {url}: redirected to {response['Location']}")
    assert not failures, f"As {role}:\n" + "\n".join(failures)
