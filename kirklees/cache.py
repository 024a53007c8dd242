"""A Redis cache that a Redis outage cannot turn into 500s.

Django's Redis backend lets connection errors escape, so while Redis is down everything that
touches the cache fails: allauth's sign-in and password-reset rate limits among them. This
backend treats an unreachable Redis as an empty cache (as if every key had expired): reads miss,
writes are dropped, `add` reports success, so rate limits and the survey throttle let requests
through (sign-in stays protected by django-axes, which counts failures in the database). After a
failure it stops asking Redis for a few seconds, so that a black-holed server costs one timeout
per few seconds, not one per cache call.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_AFTER_SECONDS = 5


class _Down(Exception):
    pass


class FailSafeRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._down_until = 0.0

    def _call(self, name, miss, *args, **kwargs):
        if time.monotonic() < self._down_until:
            return miss()
        try:
            return getattr(super(), name)(*args, **kwargs)
        except UNAVAILABLE:
            self._down_until = time.monotonic() + RETRY_AFTER_SECONDS
            logger.warning("The cache (Redis) is unavailable: treating it as empty", exc_info=True)
            return miss()

    def add(self, key, value, timeout):
        return self._call("add", lambda: True, key, value, timeout)

    def get(self, key, default):
        return self._call("get", lambda: default, key, default)

    def set(self, key, value, timeout):
        return self._call("set", lambda: None, key, value, timeout)

    def touch(self, key, timeout):
        return self._call("touch", lambda: False, key, timeout)

    def delete(self, key):
        return self._call("delete", lambda: False, key)

    def get_many(self, keys):
        return self._call("get_many", dict, keys)

    def has_key(self, key):
        return self._call("has_key", lambda: False, key)

    def incr(self, key, delta):
        def missing():
            raise ValueError(f"Key '{key}' not found.")  # as Django says for a key that is not there
        return self._call("incr", missing, key, delta)

    def set_many(self, data, timeout):
        return self._call("set_many", lambda: None, data, timeout)

    def delete_many(self, keys):
        return self._call("delete_many", lambda: None, keys)

    def clear(self):
        return self._call("clear", lambda: False)


class FailSafeRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = FailSafeRedisCacheClient
