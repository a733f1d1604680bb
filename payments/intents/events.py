"""The outbox events payments publishes, per the event contract shared with its consumers.

    payment.succeeded / payment.failed / payment.refunded, payload:
    {payment_id, shop_id, amount, amount_captured, amount_refunded, refund_id, refund_amount,
     currency, method, provider, reference_type, reference_id, order_id, consumer_id,
     loyalty_wallet_id, points_redeemed, occurred_at, paid_at}

Consumers (vouchers, orders, loyalty, KPIs) subscribe by name and never import payments.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from infra.outbox import publish

PAYMENT_SUCCEEDED = "payment.succeeded"
PAYMENT_FAILED = "payment.failed"
PAYMENT_REFUNDED = "payment.refunded"


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def payment_payload(
    intent: Mapping[str, Any],
    *,
    occurred_at: datetime,
    refund_id: uuid.UUID | None = None,
    refund_amount: int = 0,
) -> dict[str, Any]:
    """`intent` holds the payment's columns as they are after the change."""
    reference_type = intent["reference_type"]
    paid_at = intent["succeeded_at"]
    return {
        "payment_id": str(intent["id"]),
        "shop_id": str(intent["shop_id"]),
        "amount": intent["amount"],
        "amount_captured": intent["amount_captured"],
        "amount_refunded": intent["amount_refunded"],
        "refund_id": _text(refund_id),
        "refund_amount": refund_amount,
        "currency": intent["currency"],
        "method": intent["method"],
        "provider": intent["provider"],
        "reference_type": reference_type,
        "reference_id": _text(intent["reference_id"]),
        "order_id": _text(intent["reference_id"]) if reference_type == "order" else None,
        "consumer_id": _text(intent["consumer_id"]),
        "loyalty_wallet_id": _text(intent["loyalty_wallet_id"]),
        "points_redeemed": intent["points_redeemed"],
        "occurred_at": occurred_at.isoformat(),
        "paid_at": paid_at.isoformat() if paid_at else None,
    }


def publish_payment_event(
    session: AsyncSession, event_type: str, payload: dict[str, Any]
) -> uuid.UUID:
    return publish(session, event_type, payload, key=f"payment:{payload['payment_id']}")
