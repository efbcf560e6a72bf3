import os
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.utils import translation

from assets.geo import area_index_reset
from core import localmemo
from core.api.kept import kept_answers
from core.models import Role
from core.pagecache import kept_forget
from core.tests.factories import UserFactory
from tests.data import restore_migrated_data
from tests.services import MISSING, STRICT

# Playwright's sync API runs an event loop in the test thread; Django's ORM must still be
# usable there (DESIGN §10).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = ["tests.browser", "tests.worker"]

ROLES = [role.value for role in Role]


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    # And what this process keeps of pages, layers and the API's answers, as a restart
    # after a release empties them.
    kept_answers.clear()
    kept_forget()
    localmemo.clear()
    # Requests to /cy/… leave Welsh active in the thread; each test starts in English.
    translation.activate("en")
    yield
    cache.clear()
    localmemo.clear()
    # The in-memory boundary index may hold areas a test's rollback removed.
    area_index_reset()


@pytest.fixture(scope="session")
def demo(django_db_setup, django_db_blocker) -> str:
    """The demo (`manage.py seed_demo`, which takes seconds), built once per run for every
    test that asks for it; what the command printed. It stays in one transaction, rolled back
    when the run ends, and each test runs in a savepoint inside it, so a test may change the
    demo and the next one sees it as built. No other test sees it: those that ask for it run
    last (pytest_collection_modifyitems below)."""
    out = StringIO()
    with django_db_blocker.unblock(), transaction.atomic():
        restore_migrated_data()
        call_command("seed_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)
    area_index_reset()  # it was built from the rows just rolled back


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # After pytest-django's and pytest-randomly's ordering: the tests on the demo together,
    # last, so that it is built once and no other test runs inside its transaction.
    items.sort(key=lambda item: "demo" in getattr(item, "fixturenames", ()))


@pytest.fixture
def make_user(db):
    """make_user("coordinator") → a saved user in that role."""

    def make(role: str | None = None, **kwargs):
        restore_migrated_data()
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def client_as(make_user):
    """client_as("evaluator") → a test client signed in as a new user in that role;
    client_as(None) → an anonymous client."""

    def make(role: str | None, **kwargs):
        client = Client()
        if role is not None:
            user = make_user(role, **kwargs)
            client.force_login(user, backend="core.backends.RoleBackend")
            client.user = user
        return client

    return make


def _signed_in_client_fixture(role: Role):
    @pytest.fixture
    def signed_in_client(client_as):
        return client_as(role)

    signed_in_client.__doc__ = f"A test client signed in as a new {role.value}."
    return signed_in_client


# coordinator_client, facilitator_client, participant_client, evaluator_client, partner_client
for _role in Role:
    globals()[f"{_role.value}_client"] = _signed_in_client_fixture(_role)


def pytest_terminal_summary(terminalreporter):
    if MISSING:
        terminalreporter.write_sep("!", "SERVICES MISSING", red=True, bold=True)
        terminalreporter.write_line(
            f"Tests needing these were {'failed' if STRICT else 'SKIPPED'}: "
            + ", ".join(sorted(MISSING))
        )
        terminalreporter.write_line(
            "Set DATABASE_URL / REDIS_URL, install Chromium (apt-get install chromium) and "
            "run `npm ci` to run them all; CI runs everything."
        )
