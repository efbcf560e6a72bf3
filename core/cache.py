"""Django's Redis cache, with one Redis client per connection pool for the life of the
process instead of a new one for every call: making a client sets up a few hundred response
handlers, which cost a kept page (core.pagecache) as much as its one cache read. A client
holds no connection of its own (it takes one from the pool for each command), and Django's
caches are per thread, so nothing is shared that was not shared before."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class _ReusedClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedClient
