"""A Redis cache that degrades to "no cache" while Redis is down, so pages and forms keep working.

Django's RedisCache raises on a lost connection; here reads become misses and writes are dropped, and
the failure is logged once per minute rather than crashing the request.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_ERRORS = (RedisConnectionError, RedisTimeoutError, ConnectionError, OSError)


class ResilientRedisCache(RedisCache):
    _last_warning = 0.0

    def _warn(self, exc):
        now = time.monotonic()
        if now - ResilientRedisCache._last_warning > 60:
            ResilientRedisCache._last_warning = now
            logger.warning("Redis cache unavailable, continuing without it: %s", exc)


def _safe(name, default=None):
    method = getattr(RedisCache, name)

    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except _ERRORS as exc:
            self._warn(exc)
            return default(*args, **kwargs) if callable(default) else default

    wrapper.__name__ = name
    return wrapper


for _name, _default in {
    "get": lambda key, default=None, version=None: default,
    "get_many": lambda *a, **k: {},
    "has_key": False, "add": False, "set": None, "set_many": lambda *a, **k: [], "touch": False,
    "delete": False, "delete_many": None, "clear": None, "incr": None, "decr": None,
}.items():
    setattr(ResilientRedisCache, _name, _safe(_name, _default))
