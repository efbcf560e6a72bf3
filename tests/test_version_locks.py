"""Two transactions that bump the same two data versions in opposite orders (an asset saved
and the workshops' pages, say) both finish: neither waits for the other for ever, and
PostgreSQL never has to abort one as a deadlock (core.versions.version_bump)."""

import contextlib
import threading

import pytest
from django.db import connection, transaction

from core.versions import version_bump, version_get
from tests.services import require_service

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_opposite_orders_of_bumps_at_once_both_commit():
    require_service("PostgreSQL", connection.vendor == "postgresql")
    version_bump("test:a")
    version_bump("test:b")
    halfway = threading.Barrier(2, timeout=5)
    errors = []

    def bump(first: str, second: str) -> None:
        try:
            with transaction.atomic():
                version_bump(first)
                # Both hold their first before either asks for its second; with the fix the
                # other is queued behind this one's first bump, and the wait times out.
                with contextlib.suppress(threading.BrokenBarrierError):
                    halfway.wait()
                version_bump(second)
        except Exception as error:  # noqa: BLE001 - reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=bump, args=("test:a", "test:b")),
        threading.Thread(target=bump, args=("test:b", "test:a")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert (version_get("test:a")[0], version_get("test:b")[0]) == (3, 3)
