"""Settings for bench/pages.py's gunicorn: the test settings (the demo seeder is allowed, a
fast password hasher, the stores DATABASE_URL / REDIS_URL name) with static files served as
production serves them: collected, hashed and compressed (WhiteNoise's manifest storage),
no finders, no autorefresh. Cached figures under a key prefix of the run's own, so a run
never meets another run's (or a developer's) cache."""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import CACHES, STORAGES

WHITENOISE_AUTOREFRESH = False
WHITENOISE_USE_FINDERS = False
STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
CACHES["default"]["KEY_PREFIX"] = os.environ.get("BENCH_CACHE_PREFIX", "bench-pages")
# Connections kept between requests, as production keeps them (DATABASE_CONN_MAX_AGE).
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
