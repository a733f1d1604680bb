"""Counting events in fixed time windows, in Redis when there is one, else in this process.

    limiter = RateLimiter(store)
    await limiter.hit("login-ip:203.0.113.9", limit=30, window_seconds=60)  # raises RateLimited

Redis counts are shared by every web process; the in-memory store is for the embedded
single-process app (and tests without Redis).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Protocol

from infra.errors import RateLimited

KEY_PREFIX = "onestreet:ratelimit:"


@dataclass(frozen=True, slots=True)
class WindowCount:
    count: int
    # Seconds until the window ends and the count starts again.
    resets_in: int


class RateLimitStore(Protocol):
    async def increment(self, key: str, window_seconds: int) -> WindowCount:
        """Count one more event for `key` in the current window and return the new total."""
        ...


class MemoryRateLimitStore:
    def __init__(self, clock: Any = time.monotonic) -> None:
        self._clock = clock
        self._windows: dict[str, tuple[int, float]] = {}

    async def increment(self, key: str, window_seconds: int) -> WindowCount:
        now = self._clock()
        count, ends_at = self._windows.get(key, (0, 0.0))
        if ends_at <= now:
            self._forget_ended(now)
            count, ends_at = 0, now + window_seconds
        count += 1
        self._windows[key] = (count, ends_at)
        return WindowCount(count, max(1, math.ceil(ends_at - now)))

    def _forget_ended(self, now: float) -> None:
        # Keeps memory bounded by the keys seen within one window.
        if len(self._windows) > 10_000:
            self._windows = {k: v for k, v in self._windows.items() if v[1] > now}


class RedisRateLimitStore:
    def __init__(self, redis: Any) -> None:
        self._redis = redis

    async def increment(self, key: str, window_seconds: int) -> WindowCount:
        full_key = KEY_PREFIX + key
        # SET NX starts the window with its expiry in the same step, so a crash between the two
        # can never leave a counter that lives forever.
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.set(full_key, 0, ex=window_seconds, nx=True)
            pipe.incr(full_key)
            pipe.ttl(full_key)
            _, count, ttl = await pipe.execute()
        return WindowCount(int(count), max(1, int(ttl)))


def rate_limit_store(redis: Any | None) -> RateLimitStore:
    return RedisRateLimitStore(redis) if redis is not None else MemoryRateLimitStore()


class RateLimiter:
    def __init__(self, store: RateLimitStore) -> None:
        self._store = store

    async def hit(self, key: str, *, limit: int, window_seconds: int) -> WindowCount:
        """Count one event; raise RateLimited (429, with Retry-After) past `limit`."""
        window = await self._store.increment(key, window_seconds)
        if window.count > limit:
            raise RateLimited(
                f"Too many attempts; please wait {window.resets_in} seconds and try again.",
                details={"retry_after_seconds": window.resets_in},
                headers={"Retry-After": str(window.resets_in)},
            )
        return window
