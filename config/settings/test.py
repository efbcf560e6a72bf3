"""Tests: the same stores as the environment names (PostgreSQL and Redis in CI), Celery eager
unless a test starts a real worker, a fast password hasher."""

import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def _own_redis_database(url: str, worker: str) -> str:
    """Under pytest-xdist each worker (gw0, gw1, …) runs on a Redis database of its own, the
    next ones after REDIS_URL's, so one worker's cache.clear() or queued tasks never reach
    another's tests."""
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + 1 + int(worker.removeprefix("gw"))
    return urlunsplit(parts._replace(path=f"/{database}"))


# Before base.py reads the environment. Once per process tree: a Celery worker a test starts
# inherits the environment, and the URL the test hands it is already the worker's own.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER and os.environ.get("REDIS_URL") and not os.environ.get("CYMUNED_TEST_REDIS_OWN"):
    os.environ["REDIS_URL"] = _own_redis_database(os.environ["REDIS_URL"], _WORKER)
    os.environ["CYMUNED_TEST_REDIS_OWN"] = "1"

from .base import *  # noqa: E402, F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A worker in a process of its own (tests/worker.py) sets this false, so that what its tasks
# queue (a retry, say) goes through Redis as in production.
CELERY_TASK_ALWAYS_EAGER = os.environ.get("CELERY_TASK_ALWAYS_EAGER", "true") != "false"
# Tiles from a local route (config/urls.py, core.views.test_tile): tests never reach the internet.
MAP_TILES_URL = "/test-tiles/{z}/{x}/{y}.png"
MAP_TILES_STUB = True
DEMO_SITE_ALLOWED = True

# A file rather than memory for SQLite, so the live server and the Celery worker threads see
# the same test database.
# One file per test run, so runs side by side do not share it.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"cymuned-test-{os.getpid()}.sqlite3")
    }

# The audit log refuses TRUNCATE (participants/migrations/0007); the test runner empties every
# table between transactional tests, so this connection may.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = (  # noqa: F405
        "-c cymuned.allow_audit_truncate=on"
    )

# Files the tests write (reports, exports) go to a folder of the run's, one per pytest-xdist
# worker, so two workers' job 1 never share a file, and the checkout stays clean.
MEDIA_ROOT = Path(tempfile.gettempdir()) / f"cymuned-test-media-{_WORKER or 'main'}"

# Serve static files from the source folders: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
