"""The live order queue: server-sent events read from `order_status_changes`.

Each event's id is the shop's feed sequence (`seq`), which commits in order (see
repository.number_upsert), so a client that reconnects with `Last-Event-ID: n`
gets every change after n and none twice. The stream polls the database (about once a
second) instead of listening in-process, so it works in the embedded app and behind several
web processes alike. A comment line every ~15 s keeps proxies from closing an idle stream,
and the stream ends after `max_seconds`; EventSource reconnects on its own.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import AsyncIterator

from litestar.response.sse import ServerSentEventMessage
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from infra.errors import ValidationFailed
from merchant_api.orders.repository import OrderRepository
from merchant_api.orders.schemas import order_summary

POLL_SECONDS = 1.0
HEARTBEAT_SECONDS = 15.0
MAX_STREAM_SECONDS = 300
BATCH = 200
RECONNECT_MILLISECONDS = 1000


def parse_cursor(last_event_id: str | None, after: int | None) -> int | None:
    """Where to resume: the Last-Event-ID header wins over the `after` query parameter."""
    if last_event_id is not None and last_event_id.strip():
        try:
            value = int(last_event_id)
        except ValueError:
            value = -1
        if value < 0:
            raise ValidationFailed(
                "Last-Event-ID must be an event id from this stream.",
                details={
                    "problems": [
                        {
                            "key": "Last-Event-ID",
                            "source": "header",
                            "message": "not a non-negative integer",
                        }
                    ]
                },
            )
        return value
    return after


async def order_events(
    sessions: async_sessionmaker[AsyncSession],
    shop_id: uuid.UUID,
    cursor: int | None,
    max_seconds: float,
) -> AsyncIterator[ServerSentEventMessage]:
    started = time.monotonic()
    last_sent = started
    if cursor is None:
        # A fresh screen starts with what happens from now; it lists current orders itself.
        async with sessions() as session:
            cursor = await OrderRepository(session).last_seq(shop_id)
    yield ServerSentEventMessage(comment="connected", retry=RECONNECT_MILLISECONDS)
    while True:
        events = await _next_batch(sessions, shop_id, cursor)
        for event in events:
            cursor = int(event.id)  # type: ignore[arg-type]
            yield event
        now = time.monotonic()
        if events:
            last_sent = now
            if len(events) == BATCH:
                continue
        if now - started >= max_seconds:
            return
        if now - last_sent >= HEARTBEAT_SECONDS:
            last_sent = now
            yield ServerSentEventMessage(comment="heartbeat")
        await asyncio.sleep(min(POLL_SECONDS, max(0.0, max_seconds - (now - started))))


async def _next_batch(
    sessions: async_sessionmaker[AsyncSession], shop_id: uuid.UUID, cursor: int
) -> list[ServerSentEventMessage]:
    # A short session per poll: a held transaction would pin old rows (and SQLite's lock).
    async with sessions() as session:
        rows = await OrderRepository(session).feed(shop_id, cursor, BATCH)
        return [
            ServerSentEventMessage(
                id=change.seq,
                event="order.placed" if change.from_status is None else "order.status_changed",
                data=json.dumps(
                    {
                        "seq": change.seq,
                        "order_id": str(change.order_id),
                        "from": change.from_status,
                        "to": change.to_status,
                        "at": change.at.isoformat(),
                        "actor_kind": change.actor_kind,
                        "order": order_summary(order),
                    },
                    ensure_ascii=False,
                ),
            )
            for change, order in rows
        ]
