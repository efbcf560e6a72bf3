"""The Redis cache keeps one client per connection pool (core.cache), and works as Django's."""

import pytest
from django.conf import settings
from django.core.cache import cache

pytestmark = pytest.mark.skipif(
    not settings.CACHES["default"]["BACKEND"].endswith("core.cache.RedisCache"),
    reason="the cache is not Redis here",
)


def test_every_call_uses_the_same_redis_client_and_values_round_trip():
    client = cache._cache.get_client(write=True)

    cache.set("test:kept", {"body": "Croeso"}, 60)

    assert cache.get("test:kept") == {"body": "Croeso"}
    assert cache._cache.get_client() is client and cache._cache.get_client(write=True) is client
