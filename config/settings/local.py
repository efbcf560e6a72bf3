"""Development: the embedded default (SQLite, eager Celery, local-memory cache) unless the
environment names PostgreSQL and Redis."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="local-only-insecure-key-do-not-use-in-production")
DEMO_SITE_ALLOWED = env.bool("DEMO_SITE_ALLOWED", default=True)
