"""Django's Redis cache backend, with one Redis client per connection pool.

Django's RedisCacheClient makes a new redis.Redis for every command, and redis-py 8 fills
a table of about 170 response callbacks each time: some 0.1 ms, as long as the round trip
to Redis itself, on every page cache hit. A client is thread-safe and takes its
connections from the pool, so one per pool is redis-py's intended use.
"""

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        if pool not in self._clients:
            self._clients[pool] = self._client(connection_pool=pool)
        return self._clients[pool]


class RedisCache(redis.RedisCache):
    """django.core.cache.backends.redis.RedisCache, reusing its Redis clients."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient
