"""Authentication, permissions and throttling of the partner API (DESIGN §2, §6).

A request carries a key as `Authorization: Bearer <key>` or `X-Api-Key: <key>`; request.auth
is then the ApiKey, with its scope, and request.user stays anonymous: a key is never a
person and never has a person's powers. People signed in to the site (its own pages) use the
API through their session. Every view says which scope it needs, like healthchecks'
authorize / authorize_read: PublicScope or AggregatesScope."""

import secrets

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache
from django.utils.connection import ConnectionProxy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from redis import Redis
from redis.commands.core import Script
from rest_framework import authentication, exceptions, permissions, throttling

from .api_keys import api_key_find
from .models import ApiKey, ApiScope, Role

# Signed-in roles whose session reads the aggregates scope (disclosure-controlled, as for
# any key); every other role reads public data only.
AGGREGATE_ROLES = frozenset({Role.COORDINATOR, Role.EVALUATOR, Role.PARTNER})


def presented_key(request) -> str | None:
    header = authentication.get_authorization_header(request).decode("latin-1").split()
    if header and header[0].lower() == "bearer":
        return header[1] if len(header) == 2 else ""
    return request.META.get("HTTP_X_API_KEY")


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        secret = presented_key(request)
        if secret is None:
            return None
        # The data versions the view keeps its answers under (core.api.kept), in the key's query.
        view = (request.parser_context or {}).get("view")
        key = api_key_find(secret.strip(), versions=getattr(view, "kept_versions", ()))
        if key is None:
            raise exceptions.AuthenticationFailed(_("This API key is not valid."))
        if not key.is_active:
            raise exceptions.AuthenticationFailed(
                _("This API key was revoked. Ask your coordinator for a new one.")
            )
        key.used_mark()
        return AnonymousUser(), key

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to a request with no key.
        return 'Bearer realm="api"'


class ApiKeySchema(OpenApiAuthenticationExtension):
    """The key's two headers, in the OpenAPI schema (and the docs' Authorize button)."""

    target_class = ApiKeyAuthentication
    name = ["bearerKey", "headerKey"]

    def get_security_requirement(self, auto_schema):
        return [{"bearerKey": []}, {"headerKey": []}]  # either header will do

    def get_security_definition(self, auto_schema):
        return [
            {"type": "http", "scheme": "bearer", "description": "Authorization: Bearer <key>"},
            {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
        ]


def scope_of(request) -> str | None:
    """The scope a request reads with: its key's, or its signed-in person's role's."""
    if isinstance(request.auth, ApiKey):
        return request.auth.scope
    role = getattr(request.user, "role", None)
    if not role:
        return None
    return ApiScope.AGGREGATES if role in AGGREGATE_ROLES else ApiScope.PUBLIC


class PublicScope(permissions.BasePermission):
    """Published public data: any valid key, or anyone signed in with a role."""

    message = _("This needs an API key, or a sign-in with a role.")

    def has_permission(self, request, view):
        return scope_of(request) is not None


class AggregatesScope(permissions.BasePermission):
    """Area summaries and disclosure-controlled counts: an `aggregates` key."""

    message = _("This needs an API key with the aggregates scope.")

    def has_permission(self, request, view):
        return scope_of(request) == ApiScope.AGGREGATES


# DRF's sliding window (at most N requests in any `window` seconds) in one round trip to
# Redis, as a sorted set of the requests' times, instead of reading and writing back the
# pickled list of them (two round trips, and a list as long as the limit): drops the times
# out of the window, refuses when N are left (answering their count and the oldest, for
# Retry-After), else adds this one. Atomic, so concurrent requests are each counted.
WINDOW = """
local key, now, window = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
local count = redis.call('ZCARD', key)
if count >= tonumber(ARGV[3]) then
  return {count, redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]}
end
redis.call('ZADD', key, now, ARGV[1] .. ':' .. ARGV[4])
redis.call('PEXPIRE', key, math.ceil(window * 1000))
return {-1, false}
"""
WINDOW_SCRIPT = Script(None, WINDOW.encode())  # bytes: no client needed for its SHA-1


def redis_of(cache) -> tuple[RedisCache, Redis] | None:
    """One of Django's caches and its Redis client, or None when it is not Redis. The client
    is made once per cache object (Django's caches are per thread): making one builds a
    table of a hundred and more reply parsers, which Django's cache does on every call."""
    if isinstance(cache, ConnectionProxy):  # django.core.cache.cache, DRF's throttles' own
        cache = caches[DEFAULT_CACHE_ALIAS]
    if not isinstance(cache, RedisCache):
        return None
    client = getattr(cache, "window_client", None)
    if client is None:
        client = cache.window_client = cache._cache.get_client(write=True)
    return cache, client


class ApiKeyRateThrottle(throttling.SimpleRateThrottle):
    """Requests per key (API_KEY_RATE, e.g. "1000/hour"), counted in the cache (Redis when
    REDIS_URL is set, so every web worker shares the count: one round trip, WINDOW).
    Keyed on the key's id and prefix, so a key issued after a database reset never inherits
    another's count."""

    scope = "api_key"

    def get_rate(self):
        return settings.API_KEY_RATE

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None
        return self.cache_format % {
            "scope": self.scope,
            "ident": f"{request.auth.pk}-{request.auth.prefix}",
        }

    def allow_request(self, request, view):
        # The rate is read per request, so a changed setting takes effect at once.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.refused = None
        redis = redis_of(self.cache)
        if self.rate is None or redis is None:
            return super().allow_request(request, view)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        self.now = self.timer()
        cache, redis = redis
        count, oldest = WINDOW_SCRIPT(
            keys=[cache.make_and_validate_key(f"{self.key}:window")],
            args=[repr(self.now), self.duration, self.num_requests, secrets.token_hex(8)],
            client=redis,
        )
        if count < 0:
            return True
        self.refused = (count, float(oldest))
        return False

    def wait(self):
        if self.refused is None:
            return super().wait()
        count, oldest = self.refused
        available = self.num_requests - count + 1  # as DRF's wait() works it out
        if available <= 0:
            return None
        return (self.duration - (self.now - oldest)) / available


class AnonymousRateThrottle(throttling.AnonRateThrottle):
    """Requests with neither a key nor a session (the schema and its docs), per address at the
    "anon" rate; a key's requests are counted by ApiKeyRateThrottle, not by address."""

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiKey):
            return None
        return super().get_cache_key(request, view)


class SessionRateThrottle(throttling.UserRateThrottle):
    """Requests per signed-in person at the "user" rate; never counted by address."""

    def get_cache_key(self, request, view):
        if not request.user.is_authenticated:
            return None
        return super().get_cache_key(request, view)
