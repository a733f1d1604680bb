"""Demo payment history consistent with the seeded orders.

Every order the seed marks paid (the refunded ones) gets a succeeded sandbox payment for its
total, fully refunded; of the completed orders, about three in five were paid in the app (the
rest in cash at the counter) and are marked paid with a succeeded payment; a few of those
were partly refunded. Each payment carries its events (created, succeeded, refunds).

Deterministic (its own random generator from the seed number); bulk INSERTs; no outbox
events: this is history, not news.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.orders.models import Order
from payments.intents.models import PaymentEvent, PaymentIntent, PaymentRefund

APP_PAID_SHARE = 0.6
PARTIAL_REFUND_SHARE = 0.01
# What visitors paid with; the sandbox stands in for every provider in the demo.
METHODS = (
    ("card", 35),
    ("twqr", 35),
    ("sandbox", 15),
    ("vietqr", 7),
    ("promptpay", 5),
    ("qris", 3),
)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _chunks(rows: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


async def seed_payments(
    session: AsyncSession, seed_number: int, shop_ids: dict[str, uuid.UUID]
) -> tuple[int, int]:
    """Insert payments for the seeded orders; returns (payments, refunds). No commit."""
    await session.flush()
    rng = random.Random(f"payments:{seed_number}")
    rows = await session.execute(
        sa.select(
            Order.id,
            Order.shop_id,
            Order.status,
            Order.total_minor,
            Order.consumer_account_id,
            Order.placed_at,
            Order.paid_at,
        )
        .where(Order.shop_id.in_(list(shop_ids.values())), Order.total_minor > 0)
        .order_by(Order.placed_at, Order.id)
    )
    intents: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    refunds: list[dict[str, Any]] = []
    newly_paid: list[uuid.UUID] = []
    methods, weights = zip(*METHODS, strict=True)
    for order_id, shop_id, status, total, consumer, placed_at, paid_at in rows:
        if paid_at is None:
            if status != "completed" or rng.random() >= APP_PAID_SHARE:
                continue
            newly_paid.append(order_id)
        # The order's paid_at is its placement time (the orders seed does the same).
        paid = paid_at or placed_at
        payment_id = _uuid(rng)
        intent = {
            "id": payment_id,
            "shop_id": shop_id,
            "provider": "sandbox",
            "provider_ref": f"sbx_{payment_id.hex}",
            "method": rng.choices(methods, weights)[0],
            "state": "succeeded",
            "amount": total,
            "amount_captured": total,
            "amount_refunded": 0,
            "currency": "TWD",
            "reference_type": "order",
            "reference_id": order_id,
            "consumer_id": consumer,
            "loyalty_wallet_id": None,
            "points_redeemed": 0,
            "link_id": None,
            "card_brand": None,
            "card_last4": None,
            "failure_code": None,
            "qr_payload": None,
            "next_action_url": None,
            "client_secret_hash": f"{rng.getrandbits(256):064x}",
            "created_at": placed_at,
            "state_changed_at": paid,
            "succeeded_at": paid,
        }
        if intent["method"] == "card":
            intent["card_brand"] = rng.choice(("visa", "mastercard", "jcb"))
            intent["card_last4"] = f"{rng.randrange(10000):04d}"
        events.append(_event(rng, intent, "created", None, "requires_action", placed_at))
        events.append(_event(rng, intent, "provider_update", "requires_action", "succeeded", paid))
        refund_amount = 0
        if status == "refunded":
            refund_amount = total
        elif rng.random() < PARTIAL_REFUND_SHARE and total >= 200:
            refund_amount = max(100, (total // 3) // 100 * 100)
        if refund_amount:
            refunded_at = paid + timedelta(hours=rng.randint(1, 20))
            intent["amount_refunded"] = refund_amount
            intent["state"] = "refunded" if refund_amount == total else "partially_refunded"
            intent["state_changed_at"] = refunded_at
            refund_id = _uuid(rng)
            refunds.append(
                {
                    "id": refund_id,
                    "payment_id": payment_id,
                    "amount": refund_amount,
                    "state": "succeeded",
                    "provider_ref": f"sbx_re_{refund_id.hex}",
                    "reason": "requested_by_customer",
                    "requested_by": None,
                    "failure_code": None,
                    "created_at": refunded_at,
                }
            )
            event = _event(rng, intent, "refunded", "succeeded", intent["state"], refunded_at)
            event["refund_id"] = refund_id
            events.append(event)
        intents.append(intent)
    for chunk in _chunks(newly_paid, 500):
        await session.execute(
            sa.update(Order).where(Order.id.in_(chunk)).values(paid_at=Order.placed_at)
        )
    for model, batch in (
        (PaymentIntent, intents),
        (PaymentEvent, events),
        (PaymentRefund, refunds),
    ):
        for chunk in _chunks(batch, 5000):
            await session.execute(sa.insert(model.__table__), chunk)
    return len(intents), len(refunds)


def _event(
    rng: random.Random,
    intent: dict[str, Any],
    kind: str,
    before: str | None,
    after: str,
    at: datetime,
) -> dict[str, Any]:
    return {
        "id": _uuid(rng),
        "payment_id": intent["id"],
        "kind": kind,
        "source": "api" if kind != "provider_update" else "sandbox",
        "external_event_id": f"seed:{kind}:{intent['id']}:{after}",
        "from_state": before,
        "to_state": after,
        "amount_captured": intent["amount_captured"] if after != "requires_action" else 0,
        "amount_refunded": intent["amount_refunded"],
        "refund_id": None,
        "detail": None,
        "occurred_at": at,
        "recorded_at": at,
    }
