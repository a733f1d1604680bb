"""A short-lived cache of search answers, keyed by the exact query.

Entries are never invalidated; they expire after `ttl` seconds
(ONESTREET_SEARCH__CACHE_SECONDS), so an edit shows up in search within that time. With
Redis configured the cache is shared by every web process; otherwise it lives in this
process (bounded, oldest first out).
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict
from typing import Protocol

from redis.asyncio import Redis

from infra.logging import get_logger

log = get_logger("onestreet.search")


class SearchCache(Protocol):
    async def get(self, key: str) -> bytes | None: ...

    async def put(self, key: str, value: bytes) -> None: ...


def _digest(key: str) -> str:
    return "onestreet:search:" + hashlib.sha256(key.encode()).hexdigest()


class MemoryCache:
    def __init__(self, ttl: float, max_entries: int = 2048) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()

    async def get(self, key: str) -> bytes | None:
        found = self._entries.get(_digest(key))
        if found is None or found[0] < time.monotonic():
            return None
        return found[1]

    async def put(self, key: str, value: bytes) -> None:
        digest = _digest(key)
        self._entries.pop(digest, None)
        self._entries[digest] = (time.monotonic() + self.ttl, value)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)


class RedisCache:
    def __init__(self, redis: Redis, ttl: float) -> None:
        self.redis = redis
        self.ttl_ms = max(1, int(ttl * 1000))

    async def get(self, key: str) -> bytes | None:
        try:
            return await self.redis.get(_digest(key))
        except Exception:  # a cache outage must not fail a search; it only costs speed
            log.warning("search_cache_unavailable", exc_info=True)
            return None

    async def put(self, key: str, value: bytes) -> None:
        try:
            await self.redis.set(_digest(key), value, px=self.ttl_ms)
        except Exception:
            log.warning("search_cache_unavailable", exc_info=True)


def search_cache(redis: Redis | None, ttl: float) -> SearchCache | None:
    """None (no caching) when `ttl` is 0."""
    if ttl <= 0:
        return None
    return RedisCache(redis, ttl) if redis is not None else MemoryCache(ttl)
