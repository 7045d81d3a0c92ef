"""The shared cache (Redis) failing open: while Redis cannot be reached, pages go on.

Production keeps sessions in the database and reads them through this cache
(`cached_db`). Django's Redis cache raises on a refused connection, so with Redis down every
page answered 500, `/login/` included. Here a read that cannot reach Redis is a miss (the
session is read from the database), and a write or delete that cannot reach it is skipped. After
a failure Redis is left alone for `RETRY_AFTER` seconds, so a Redis that does not answer costs
each request nothing more.

A write or delete skipped during an outage could leave an older value in a Redis that comes
back with its data (a session signed out during the outage, found signed in again afterwards):
every key this process could not write or delete is remembered and deleted from Redis before
this process uses it again. Counters (`incr`) and `clear()` still raise: nothing here uses
them, and a counter that silently does not count would be a lie.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds without trying Redis after it failed
UNREACHABLE = (RedisError, OSError)


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache that answers "not cached" while Redis is unreachable."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._lock = threading.Lock()
        self._down_until = 0.0  # monotonic time before which Redis is not tried
        self._down = False
        self._unsynced: set[str] = set()  # keys to delete from Redis once it is back

    # --- reads: a miss -------------------------------------------------------------------
    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._try(lambda: RedisCache.get(self, key, default, version), default)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)
        return self._try(lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._try(lambda: RedisCache.has_key(self, key, version), False)

    # --- writes: skipped, and the key deleted once Redis is back ---------------------------
    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version=None) -> bool:
        return self._try(
            lambda: RedisCache.add(self, key, value, timeout, version),
            False,
            self._keys([key], version),
        )

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version=None) -> None:
        keys = self._keys([key], version)
        self._try(lambda: RedisCache.set(self, key, value, timeout, version), None, keys)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version=None) -> bool:
        return self._try(lambda: RedisCache.touch(self, key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._try(
            lambda: RedisCache.delete(self, key, version), False, self._keys([key], version)
        )

    def set_many(self, data: dict, timeout: Any = DEFAULT_TIMEOUT, version=None) -> list:
        keys = self._keys(data, version)
        return self._try(
            lambda: RedisCache.set_many(self, data, timeout, version), list(data), keys
        )

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        keys = list(keys)
        self._try(
            lambda: RedisCache.delete_many(self, keys, version), None, self._keys(keys, version)
        )

    # --- the outage ----------------------------------------------------------------------
    def _keys(self, keys: Iterable[Any], version: int | None) -> list[str]:
        return [self.make_and_validate_key(key, version=version) for key in keys]

    def _try(self, call: Callable[[], Any], missed: Any, writes: Iterable[str] = ()) -> Any:
        with self._lock:
            if time.monotonic() < self._down_until:
                self._unsynced.update(writes)
                return missed
            unsynced = list(self._unsynced)
        try:
            if unsynced:
                self._cache.delete_many(unsynced)  # type: ignore[attr-defined]  # RedisCache's client
            result = call()
        except UNREACHABLE as exc:
            self._went_down(exc, writes)
            return missed
        with self._lock:
            self._unsynced.difference_update(unsynced)
            came_back, self._down = self._down, False
        if came_back:
            log.warning("the cache (Redis) answers again; %d stale keys deleted", len(unsynced))
        return result

    def _went_down(self, exc: Exception, writes: Iterable[str]) -> None:
        with self._lock:
            self._unsynced.update(writes)
            self._down_until = time.monotonic() + RETRY_AFTER
            first, self._down = not self._down, True
        if first:
            log.warning(
                "the cache (Redis) is unreachable (%s): pages read sessions from the database "
                "and skip the cache until it answers again",
                exc,
            )
