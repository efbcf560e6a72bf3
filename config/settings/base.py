"""Settings shared by every environment, read once from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
SITE_NAME = env("SITE_NAME", default="Cymuned")
# Who runs the site and how people reach them: the contact page, the privacy notice (the
# organisation is the data controller) and the accessibility statement. Blank ones are left out.
CONTACT_ORGANISATION = env("CONTACT_ORGANISATION", default="")
CONTACT_EMAIL = env("CONTACT_EMAIL", default="")
CONTACT_PHONE = env("CONTACT_PHONE", default="")
CONTACT_ADDRESS = env("CONTACT_ADDRESS", default="")

INSTALLED_APPS = [
    "config.admin.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "corsheaders",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "leaflet",
    "django_http_compression",
    "axes",
    "csp",
    "core",
    "participants",
    "assets",
    "workshops",
    "indicators",
    "toolkit",
]

# The site's menu, a function of the person (core.chrome renders it on every page).
SITE_MENU = "config.menu.menu_items"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Zstandard, Brotli or gzip (with Django's BREACH mitigation), as the browser accepts,
    # for every HTML, JSON and GeoJSON response and streamed download; above WhiteNoise, so
    # static files that have no compressed copy (tests, `make run`) are compressed too.
    "django_http_compression.middleware.HttpCompressionMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A signed-out browser asking again for a map layer it holds: 304 before the rest runs.
    "assets.middleware.LayerNotModifiedMiddleware",
    # Before anything that answers: a partner's browser page may read the API (CORS_* below).
    "corsheaders.middleware.CorsMiddleware",
    # Before sessions and views: NUL characters and oversized requests get a page, not a 500.
    "core.middleware.BadInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.sessions.IdleSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.layout",
            ],
        },
    },
]

# --- Data stores -------------------------------------------------------------------------------
# Embedded default: SQLite, local-memory cache, Celery eager. DATABASE_URL / REDIS_URL switch to
# PostgreSQL and Redis.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cymuned",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Celery ------------------------------------------------------------------------------------
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_TASK_TRACK_STARTED = True
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Losing Redis does not stop the worker or beat: they keep reconnecting for as long as it is
# down (Celery's default gives up after 100 tries and exits), and a result that cannot be
# stored is retried. A supervisor restarts them if they exit anyway (docs/operations.md).
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_RESULT_BACKEND_ALWAYS_RETRY = True
CELERY_RESULT_BACKEND_MAX_RETRIES = 10
# A task running when the connection drops finishes its work; its message is delivered again
# after the reconnect, and tasks are idempotent, so the second run changes nothing.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = False
# A message taken but not acknowledged (its worker died) is delivered again after this long;
# the job it names is failed by the sweeper first unless a worker takes it back (core.jobs).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_TIMEZONE = "Europe/London"
# A request larger than this is refused before it is read (core.middleware): an import file
# may be up to 5 MB (core.uploads.MAX_FILE_BYTES), a form up to
# DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB).
REQUEST_MAX_BYTES = env.int("REQUEST_MAX_BYTES", default=6 * 1024 * 1024)

CELERY_BEAT_SCHEDULE = {
    "purge-expired-sign-in-data": {
        "task": "core.tasks.purge_expired_sign_in_data",
        "schedule": crontab(hour=3, minute=15),
    },
    # Every kind of background job (core.jobs): fail, with "Try again", the ones whose
    # worker stopped or whose message was lost.
    "fail-jobs-whose-worker-stopped": {
        "task": "core.tasks.jobs_stale_fail_task",
        "schedule": timedelta(minutes=5),
    },
    # Changes are drained a few seconds after they happen (core/changes.py); this catches a
    # lost message or a drain whose handler failed.
    "drain-changes": {
        "task": "core.tasks.changes_drain_task",
        "schedule": timedelta(minutes=5),
    },
    # Every area summary and computed indicator in full (changes are applied as they come).
    "area-summaries-nightly": {
        "task": "indicators.tasks.area_summaries_nightly",
        "schedule": crontab(hour=2, minute=30),
    },
}

# --- Accounts and sign-in ----------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the role and the permissions in fewer queries.
    "core.backends.RoleBackend",
]
# Django's checks, saying "passphrase" in English and Welsh (core/passphrases.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "core.passphrases.UserAttributeSimilarityValidator"},
    {"NAME": "core.passphrases.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "core.passphrases.CommonPasswordValidator"},
    {"NAME": "core.passphrases.NumericPasswordValidator"},
]
LOGIN_URL = "core:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
# Workshops share tablets: a session ends when the browser closes, and after SESSION_IDLE_MINUTES
# without a request (core/sessions.py pushes the expiry back while someone is active).
SESSION_ENGINE = "core.sessions"  # the database's, read by one statement (core/sessions.py)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 60 * env.int("SESSION_IDLE_MINUTES", default=30)

# Failed sign-ins are throttled per username *and* address: a workshop shares one Wi-Fi address,
# so locking by address alone would lock out the whole room.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False
# Behind TRUSTED_PROXY_COUNT reverse proxies the client's address is read from X-Forwarded-For
# (see core/addresses.py); with none, from the connection.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "core.addresses.client_address"

PASSPHRASE_WORDS = env.int("PASSPHRASE_WORDS", default=4)

# --- Languages ---------------------------------------------------------------------------------
# English and Welsh; templates set `dir` from the active language, so adding a right-to-left
# language (Arabic, Farsi, Sorani) is a LANGUAGES entry plus its translations.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("cy", _("Welsh"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as the UK writes them in English (config/formats/en); Django's Welsh formats already do.
FORMAT_MODULE_PATH = ["config.formats"]
USE_I18N = True
TIME_ZONE = "Europe/London"
USE_TZ = True

# --- Static files ------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"

# --- Map -----------------------------------------------------------------------------------------
# The base map's tiles, fetched by the user's browser (static/js/basemap.js adds the layer):
# OpenStreetMap's standard tiles unless the environment names another server; empty or "none"
# for no tiles (the maps then draw the sites' and LSOAs' outlines). An empty attribution is
# OpenStreetMap's, in the page's language.
MAP_TILES_URL = env("MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env("MAP_TILES_ATTRIBUTION", default="")
# An asset page's directions link: {lat} and {lng} are filled in.
MAP_DIRECTIONS_URL = env(
    "MAP_DIRECTIONS_URL", default="https://www.openstreetmap.org/directions?route=%3B{lat}%2C{lng}"
)
# Tests serve tiles from a local route (config.settings.test); never in production.
MAP_TILES_STUB = False
LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (51.62, -3.94),
    "DEFAULT_ZOOM": 12,
    "MIN_ZOOM": 7,
    "MAX_ZOOM": 18,
    "TILES": [],  # added by static/js/basemap.js, with its fallback when they fail
    "RESET_VIEW": False,
}

# --- Content-Security-Policy (django-csp) ----------------------------------------------------
# No inline script: every script is a static file, except django-leaflet's map loader, which
# carries the per-response nonce. No inline style either. Map tiles come from MAP_TILES_URL's
# host, added here, plus any hosts in MAP_EXTRA_HOSTS.
MAP_EXTRA_HOSTS = env.list("MAP_EXTRA_HOSTS", default=[])


def tile_host(url_template: str) -> list[str]:
    """The CSP source for a tile URL template: "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    → "https://*.tiles.example.org"; none for no tiles or tiles from the site itself."""
    parts = urlsplit(url_template)
    if not parts.netloc:
        return []
    host = parts.netloc.replace("{s}", "*")
    return [f"{parts.scheme}://{host}" if parts.scheme else host]


CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, *tile_host(MAP_TILES_URL), *MAP_EXTRA_HOSTS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# --- API -----------------------------------------------------------------------------------------
# CORS: a partner's web page on another origin may read the API — only under /api/, only
# GET/HEAD (and the browser's OPTIONS preflight), only from the origins listed in
# CORS_ALLOWED_ORIGINS (comma-separated, e.g. https://maps.example.gov.uk); none by default.
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "authorization", "x-api-key", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]
CORS_ALLOW_CREDENTIALS = False  # a key, never the site's session cookie
CORS_PREFLIGHT_MAX_AGE = 3600

# Defaults for every API view, set once: each view names who may use it (nobody otherwise),
# the services' ValidationError is a 400 with field errors (core.api), lists are paginated and
# filtered by the same FilterSets as the HTML pages.
REST_FRAMEWORK = {
    # Partner API keys (core/api_auth.py): a key, or a session for the site's own pages.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api_auth.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["core.api.DenyAll"],
    "DEFAULT_PAGINATION_CLASS": "core.api_pages.ApiPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Per key (API_KEY_RATE), per signed-in person ("user") and per address for requests with
    # neither ("anon"); 429 with Retry-After beyond them.
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api_auth.ApiKeyRateThrottle",
        "core.api_auth.AnonymousRateThrottle",
        "core.api_auth.SessionRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="100/hour"),
        "user": env("API_THROTTLE_USER", default="1000/hour"),
    },
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["core.api.renderers.OrjsonRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
# Requests per partner API key ("<n>/second|minute|hour|day").
API_KEY_RATE = env("API_KEY_RATE", default="1000/hour")


# OpenAPI schema at /api/schema/ and its docs at /api/docs/, served from our own static files
# (drf-spectacular-sidecar): they work with no internet and under the CSP above. The docs open
# with the partner guide (docs/api.md, up to its section for developers).
def partner_guide() -> str:
    path = BASE_DIR / "docs" / "api.md"
    if not path.is_file():
        return "Read-only data for partner organisations. Never personal data."
    guide = path.read_text(encoding="utf-8").split("\n## For developers")[0]
    return guide.split("\n", 1)[1].strip()  # without its title: the docs show their own


SPECTACULAR_SETTINGS = {
    "TITLE": "Cymuned partner API",
    "DESCRIPTION": partner_guide(),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # No validator badge: it would fetch an image from validator.swagger.io.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Mail and logging -----------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="cymuned@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # django-axes logs every sign-in at INFO; failures and lockouts are WARNING.
    "loggers": {"axes": {"level": "WARNING"}},
}

FORM_RENDERER = "core.forms_rendering.GovukFormRenderer"

# `manage.py seed_demo` creates accounts with published passphrases: never in production.
DEMO_SITE_ALLOWED = env.bool("DEMO_SITE_ALLOWED", default=False)

# The published asset map and directory are open to everyone unless the site turns this off;
# signed-in people with a role can always see them.
MAP_PUBLIC = env.bool("MAP_PUBLIC", default=True)
# The asset map's layer (assets.selectors.layer_build): zoomed out below MAP_POINTS_ZOOM, a
# view holding more than MAP_POINTS_MAX assets is sent as counts per grid cell, not points.
# Each layer is cached for MAP_LAYER_CACHE_SECONDS under the published assets' version.
MAP_POINTS_ZOOM = env.int("MAP_POINTS_ZOOM", default=16)
MAP_POINTS_MAX = env.int("MAP_POINTS_MAX", default=1000)
MAP_LAYER_CACHE_SECONDS = env.int("MAP_LAYER_CACHE_SECONDS", default=6 * 3600)

# Optional postcode geocoder (a postcodes.io-style HTTP service); off when empty.
GEOCODER_URL = env("GEOCODER_URL", default="")
GEOCODER_TIMEOUT = env.float("GEOCODER_TIMEOUT", default=3.0)

# Personal details are encrypted with keys derived from DJANGO_SECRET_KEY and these salts
# (django-fernet-encrypted-fields). The first salt encrypts; all of them decrypt (rotation).
SALT_KEY = env.list("PERSONAL_DATA_SALT_KEYS", default=["local-only-personal-data-salt"])
# Earlier secret keys, still accepted for signed values and for decrypting personal details
# while a new DJANGO_SECRET_KEY is rotated in (docs/operations.md, "Keys").
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
