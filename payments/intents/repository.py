"""All SQL about payment intents, events and refunds. Takes the session once, never commits.

The confirmation path (lock, append event, update) uses Core statements: one round trip each.
"""

from __future__ import annotations

import functools
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from infra.outbox.models import OutboxEvent
from payments.intents.models import PaymentEvent, PaymentIntent, PaymentRefund, RefundState
from payments.intents.state import IN_FLIGHT, PAID, PaymentState

_INTENTS = PaymentIntent.__table__
_EVENTS = PaymentEvent.__table__

# The confirmation path's statements are built once: building a statement costs more CPU
# than sending it. The values come as parameters at execution time.
_LOCK_BY_REF = (
    sa.select(_INTENTS)
    .where(
        _INTENTS.c.provider == sa.bindparam("w_provider"),
        _INTENTS.c.provider_ref == sa.bindparam("w_provider_ref"),
    )
    .with_for_update()
)
_APPEND_EVENT = {
    name: dialect.insert(_EVENTS).on_conflict_do_nothing(
        index_elements=["source", "external_event_id"]
    )
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


@functools.cache
def _append_and_update_pg(change_keys: tuple[str, ...]) -> sa.Update:
    """PostgreSQL: append the event and, only if it was new, update the intent, in one
    statement (WITH appended AS (INSERT ... ON CONFLICT DO NOTHING RETURNING ...) UPDATE)."""
    appended = (
        postgresql.insert(_EVENTS)
        .values({c.name: sa.bindparam(f"e_{c.name}", type_=c.type) for c in _EVENTS.columns})
        .on_conflict_do_nothing(index_elements=["source", "external_event_id"])
        .returning(_EVENTS.c.payment_id)
        .cte("appended")
    )
    return (
        sa.update(_INTENTS)
        .where(_INTENTS.c.id == appended.c.payment_id)
        .values({key: sa.bindparam(f"u_{key}", type_=_INTENTS.c[key].type) for key in change_keys})
    )


_OUTBOX = OutboxEvent.__table__
_OUTBOX_COLUMNS = ("id", "event_type", "payload", "key", "created_at", "available_at", "attempts")


@functools.cache
def _append_update_publish_pg(change_keys: tuple[str, ...]) -> sa.Insert:
    """PostgreSQL, the confirmation in one round trip: append the event, and only if it was
    new update the intent and write the outbox row (WITH appended AS (INSERT ... ON CONFLICT
    DO NOTHING RETURNING ...), updated AS (UPDATE ... RETURNING id) INSERT INTO outbox_events
    SELECT ... FROM updated). The outbox row count says whether the payment changed."""
    updated = _append_and_update_pg(change_keys).returning(_INTENTS.c.id).cte("updated")
    values = sa.select(
        *(sa.bindparam(f"o_{name}", type_=_OUTBOX.c[name].type) for name in _OUTBOX_COLUMNS)
    ).select_from(updated)
    return sa.insert(_OUTBOX).from_select(list(_OUTBOX_COLUMNS), values)


_INSERT_OUTBOX = sa.insert(_OUTBOX)
_UPDATE_INTENT = sa.update(_INTENTS).where(_INTENTS.c.id == sa.bindparam("w_id"))


class PaymentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def _dialect(self) -> str:
        return self.session.bind.dialect.name  # type: ignore[union-attr]

    async def _core(
        self, statement: sa.Executable, params: dict[str, Any] | None = None
    ) -> sa.CursorResult[Any]:
        """Run a Core statement on the session's connection, skipping the ORM's execution
        layer: the confirmation path runs hundreds of times a second."""
        connection = await self.session.connection()
        return await connection.execute(statement, params)

    def add(self, *rows: object) -> None:
        self.session.add_all(rows)

    async def flush(self) -> None:
        await self.session.flush()

    async def lock_by_provider_ref(self, provider: str, provider_ref: str) -> sa.Row[Any] | None:
        """The intent's row, locked until the transaction ends (PostgreSQL FOR UPDATE; on
        SQLite the transaction's BEGIN IMMEDIATE already holds the database's write lock)."""
        params = {"w_provider": provider, "w_provider_ref": provider_ref}
        return (await self._core(_LOCK_BY_REF, params)).one_or_none()

    async def lock(self, payment_id: uuid.UUID) -> PaymentIntent | None:
        return await self.session.scalar(
            sa.select(PaymentIntent)
            .where(PaymentIntent.id == payment_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )

    async def get(self, payment_id: uuid.UUID) -> PaymentIntent | None:
        return await self.session.get(PaymentIntent, payment_id)

    async def get_by_provider_ref(self, provider: str, provider_ref: str) -> PaymentIntent | None:
        return await self.session.scalar(
            sa.select(PaymentIntent).where(
                PaymentIntent.provider == provider, PaymentIntent.provider_ref == provider_ref
            )
        )

    async def append_event_once(self, values: dict[str, Any]) -> bool:
        """Insert the event unless (source, external_event_id) is already recorded."""
        result = await self._core(_APPEND_EVENT[self._dialect], {"id": uuid.uuid4(), **values})
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def update_intent(self, payment_id: uuid.UUID, values: dict[str, Any]) -> None:
        await self._core(_UPDATE_INTENT, {"w_id": payment_id, **values})

    async def append_event_and_update(
        self, event: dict[str, Any], payment_id: uuid.UUID, changes: dict[str, Any]
    ) -> bool:
        """Append the event unless (source, external_event_id) is already recorded and, if it
        was appended, apply `changes` to the intent. False for a duplicate event."""
        if self._dialect != "postgresql":
            if not await self.append_event_once(event):
                return False
            await self.update_intent(payment_id, changes)
            return True
        params = {f"e_{key}": value for key, value in event.items()}
        params |= {f"u_{key}": value for key, value in changes.items()}
        params["e_id"] = uuid.uuid4()
        result = await self._core(_append_and_update_pg(tuple(sorted(changes))), params)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def append_event_update_and_publish(
        self,
        event: dict[str, Any],
        payment_id: uuid.UUID,
        changes: dict[str, Any],
        outbox: tuple[str, dict[str, Any], str],
    ) -> bool:
        """append_event_and_update, and the outbox row (event type, payload, key) with it when
        the event was new; on PostgreSQL in one statement. False for a duplicate event."""
        if self._dialect != "postgresql":
            if not await self.append_event_and_update(event, payment_id, changes):
                return False
            await self.publish_now(*outbox)
            return True
        event_type, payload, key = outbox
        now = utcnow()
        params = {f"e_{name}": value for name, value in event.items()}
        params |= {f"u_{name}": value for name, value in changes.items()}
        params |= {
            "e_id": uuid.uuid4(),
            "o_id": uuid.uuid4(),
            "o_event_type": event_type,
            "o_payload": payload,
            "o_key": key,
            "o_created_at": now,
            "o_available_at": now,
            "o_attempts": 0,
        }
        result = await self._core(_append_update_publish_pg(tuple(sorted(changes))), params)
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def publish_now(self, event_type: str, payload: dict[str, Any], key: str) -> uuid.UUID:
        """The outbox row of infra.outbox.publish, written at once with one Core INSERT
        instead of at flush time: the confirmation path skips the unit of work."""
        event_id, now = uuid.uuid4(), utcnow()
        await self._core(
            _INSERT_OUTBOX,
            {
                "id": event_id,
                "event_type": event_type,
                "payload": payload,
                "key": key,
                "created_at": now,
                "available_at": now,
                "attempts": 0,
            },
        )
        return event_id

    async def refund(self, refund_id: uuid.UUID, for_update: bool = False) -> PaymentRefund | None:
        query = sa.select(PaymentRefund).where(PaymentRefund.id == refund_id)
        if for_update:
            query = query.with_for_update()
        return await self.session.scalar(query.execution_options(populate_existing=True))

    async def pending_refunds_total(self, payment_id: uuid.UUID) -> int:
        """What refunds asked of the provider but not yet answered hold back."""
        total = await self.session.scalar(
            sa.select(sa.func.coalesce(sa.func.sum(PaymentRefund.amount), 0)).where(
                PaymentRefund.payment_id == payment_id,
                PaymentRefund.state == RefundState.pending.value,
            )
        )
        return int(total or 0)

    async def pending_refunds(self, before: datetime, limit: int) -> list[uuid.UUID]:
        """Refunds asked before `before` whose provider answer was never recorded."""
        rows = await self.session.scalars(
            sa.select(PaymentRefund.id)
            .where(
                PaymentRefund.state == RefundState.pending.value,
                PaymentRefund.created_at < before,
            )
            .order_by(PaymentRefund.created_at)
            .limit(limit)
        )
        return list(rows)

    async def events_of(self, payment_id: uuid.UUID) -> list[PaymentEvent]:
        rows = await self.session.scalars(
            sa.select(PaymentEvent)
            .where(PaymentEvent.payment_id == payment_id)
            .order_by(PaymentEvent.recorded_at, PaymentEvent.id)
        )
        return list(rows)

    async def refunds_of(self, payment_id: uuid.UUID) -> list[PaymentRefund]:
        rows = await self.session.scalars(
            sa.select(PaymentRefund)
            .where(PaymentRefund.payment_id == payment_id)
            .order_by(PaymentRefund.created_at, PaymentRefund.id)
        )
        return list(rows)

    async def open_payment_for_reference(self, reference_id: uuid.UUID) -> PaymentIntent | None:
        """A payment for this order or voucher that is paid or in flight, if any."""
        states = [s.value for s in PAID | IN_FLIGHT]
        return await self.session.scalar(
            sa.select(PaymentIntent)
            .where(PaymentIntent.reference_id == reference_id, PaymentIntent.state.in_(states))
            .limit(1)
        )

    async def list_for_shop(
        self, shop_id: uuid.UUID, state: str | None, limit: int, offset: int
    ) -> list[PaymentIntent]:
        query = sa.select(PaymentIntent).where(PaymentIntent.shop_id == shop_id)
        if state is not None:
            query = query.where(PaymentIntent.state == state)
        rows = await self.session.scalars(
            query.order_by(PaymentIntent.created_at.desc(), PaymentIntent.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return list(rows)

    async def list_for_consumer(
        self, consumer_id: uuid.UUID, limit: int, offset: int
    ) -> list[PaymentIntent]:
        rows = await self.session.scalars(
            sa.select(PaymentIntent)
            .where(PaymentIntent.consumer_id == consumer_id)
            .order_by(PaymentIntent.created_at.desc(), PaymentIntent.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return list(rows)

    async def stuck_in_processing(self, before: datetime, limit: int) -> list[tuple[str, str]]:
        """(provider, provider_ref) of payments in processing since before `before`."""
        rows = await self.session.execute(
            sa.select(PaymentIntent.provider, PaymentIntent.provider_ref)
            .where(
                PaymentIntent.state == PaymentState.processing.value,
                PaymentIntent.state_changed_at < before,
            )
            .order_by(PaymentIntent.state_changed_at)
            .limit(limit)
        )
        return [(provider, ref) for provider, ref in rows]
