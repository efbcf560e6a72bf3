"""Tests: the same stores as the environment names (PostgreSQL and Redis in CI), Celery eager
unless a test starts a real worker, a fast password hasher."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-insecure-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
MAP_TILES_URL = ""
DEMO_SITE_ALLOWED = True
