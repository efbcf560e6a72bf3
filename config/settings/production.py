"""Production: every secret from the environment; refuses to start without a real secret key."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or "insecure" in SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
SALT_KEY = env.list("PERSONAL_DATA_SALT_KEYS", default=[])
if not SALT_KEY or any(
    len(salt) < 32 or "local-only" in salt or "change-me" in salt for salt in SALT_KEY
):
    raise ImproperlyConfigured(
        "PERSONAL_DATA_SALT_KEYS must list at least one random salt of 32 or more characters: "
        "participants' personal details are encrypted with it."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# `seed_demo` creates accounts with published passphrases: never here, whatever .env says.
DEMO_SITE_ALLOWED = False
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)  # noqa: F405

# HTTPS is terminated by the proxy in front of gunicorn; /healthz stays reachable over plain HTTP
# for the container health check.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
}
