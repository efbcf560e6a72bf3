"""Tests: the same stores as the environment names (PostgreSQL and Redis in CI), Celery eager
unless a test starts a real worker, a fast password hasher."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

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

# Serve static files from the source folders: tests never run collectstatic.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
