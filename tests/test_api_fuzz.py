"""Every operation of the partner API's own OpenAPI schema (/api/schema/), fuzzed with
schemathesis through the WSGI app, with no key and with a key: never a server error, and
every documented response as the schema says. An endpoint added to the schema is fuzzed
without editing this file; the examples per operation are bounded so the whole runs in
well under a minute."""

import contextlib

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from assets.models import Area
from assets.services.exports import openreferral_service_id
from assets.tests.factories import AssetFactory
from core.tests.factories import api_key_make, default_site
from indicators.models import AreaSummary, Indicator, IndicatorValue
from workshops.models import Action, Barrier
from workshops.tests.factories import BarrierFactory, WorkshopFactory

# Examples per operation and kind of request: enough to find a 500 from a malformed
# filter, few enough for every operation to finish in a second or two.
EXAMPLES = 12
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def wsgi_app():
    """The site's WSGI app, in this process and this test's transaction: as Django's test
    client does, a request's end does not close the database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(wsgi_app, db):
    return schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)


@pytest.fixture
def asset(db):
    """A published asset, and one row of every other kind the API serves (so every detail
    operation has an id that exists)."""
    asset = AssetFactory(name="Townhill Community Centre", welcoming_to=["families"])
    area = Area.objects.create(code="W02000173", name_en="Swansea 021", level="msoa")
    indicator = Indicator.objects.get(code="volunteering")
    asset.others = [
        area.pk,
        indicator.pk,
        IndicatorValue.objects.create(indicator=indicator, area=area, period="2025", value=27).pk,
        AreaSummary.objects.create(area=area, assets=1, computed_at=timezone.now()).pk,
        BarrierFactory().pk,
        Action.objects.create(title="Ask the bus company", owner="Someone", site=default_site()).pk,
        WorkshopFactory().pk,
        default_site().pk,
    ]
    Action.objects.last().barriers.set([Barrier.objects.first()])
    return asset


@pytest.fixture
def secret(db):
    _key, secret = api_key_make("aggregates")
    return secret


def known_ids(asset) -> list:
    """Ids that exist, so that an operation with an {id} answers 200 at least once (random
    ids are nearly always a 404, whose body the fuzzing alone would check)."""
    return [asset.pk, asset.category_id, openreferral_service_id(asset.pk), *asset.others]


@pytest.mark.django_db
def test_no_operation_answers_with_a_server_error_or_off_its_schema(api_schema, asset, secret):
    failures = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        failures += _known(operation, asset, secret)
        for mode in GenerationMode:
            try:
                _fuzz(operation, mode, secret)
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001
                failures.append(f"{operation.label} ({mode.value} data): {error}")
    assert not failures, "\n\n".join(failures)


# Uncompressed answers: schemathesis's WSGI client advertises every encoding its HTTP library
# can decode (zstd among them) but does not decode the body itself. Compression has its own
# tests (tests/test_compression.py).
PLAIN = {"Accept-Encoding": "identity"}


def _known(operation, asset, secret: str) -> list[str]:
    """An operation with a path parameter called with the ids that exist; every 200 must
    conform too, and at least one id must be found."""
    names = [parameter.name for parameter in operation.path_parameters]
    if names != ["id"]:
        return []
    failures, found = [], False
    for value in known_ids(asset):
        cache.clear()
        case = operation.Case(path_parameters={"id": value})
        try:
            response = case.call_and_validate(
                headers={"Authorization": f"Bearer {secret}", **PLAIN}, checks=CHECKS
            )
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001
            failures.append(f"{operation.label} with id {value}: {error}")
            continue
        found = found or response.status_code == 200
    if not found and not failures:
        failures.append(f"{operation.label}: no known id found; add one to known_ids")
    return failures


def _fuzz(operation, mode: GenerationMode, secret: str) -> None:
    """Valid requests (positive) and invalid ones (negative: malformed filters, wrong
    types), each with no key and with a key."""

    @given(case=operation.as_strategy(mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        for headers in [PLAIN, {"Authorization": f"Bearer {secret}", **PLAIN}]:
            cache.clear()
            case.call_and_validate(headers=headers, checks=CHECKS)

    # Unsatisfiable: nothing about the operation can be made invalid (a free-text path, say).
    with contextlib.suppress(Unsatisfiable):
        run()
