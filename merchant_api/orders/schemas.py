"""Order requests and answers. Money is integers in minor units (NT$120 = 12000).

The request has no total or price fields, and unknown fields are refused: the server alone
prices an order.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from merchant_api.i18n import pick
from merchant_api.orders.models import Order, OrderLine, OrderStatusChange
from merchant_api.orders.service import TAIPEI, OrderView

ChannelName = Literal["counter", "table_qr", "kiosk", "online_pickup"]
StatusName = Literal[
    "placed", "accepted", "preparing", "ready", "completed", "cancelled", "refunded"
]


class LineIn(msgspec.Struct, forbid_unknown_fields=True):
    listing_id: uuid.UUID
    quantity: Annotated[int, msgspec.Meta(ge=1, le=99)]
    option_ids: list[uuid.UUID] = msgspec.field(default_factory=list)


class OrderCreate(msgspec.Struct, forbid_unknown_fields=True):
    channel: ChannelName
    lines: Annotated[list[LineIn], msgspec.Meta(min_length=1, max_length=100)]
    table: str | None = None
    pickup_at: datetime | None = None
    notes: str | None = None


class TransitionIn(msgspec.Struct, forbid_unknown_fields=True):
    to: StatusName
    reason: str | None = None


class OptionOut(msgspec.Struct):
    option_id: str
    group_name: str
    name: str
    price_delta_minor: int


class LineOut(msgspec.Struct):
    listing_id: uuid.UUID
    name: str
    options: list[OptionOut]
    unit_price_minor: int
    quantity: int
    line_total_minor: int


class ChangeOut(msgspec.Struct):
    seq: int
    from_status: str | None
    to_status: str
    actor_account_id: uuid.UUID | None
    actor_kind: str
    reason: str | None
    at: datetime


class OrderOut(msgspec.Struct):
    id: uuid.UUID
    shop_id: uuid.UUID
    # The ticket number called out at the counter: per shop, restarting each Taipei day.
    number: int
    business_date: date
    channel: str
    status: str
    table: str | None
    pickup_at: datetime | None
    notes: str | None
    consumer_account_id: uuid.UUID | None
    placed_by_account_id: uuid.UUID | None
    item_count: int
    total_minor: int
    currency: str
    paid: bool
    placed_at: datetime
    placed_at_local: str
    lines: list[LineOut]
    history: list[ChangeOut]
    # Only in the placement answer of an order no signed-in consumer owns: the secret that
    # reads it back (GET status_url, or send it as the X-Order-Token header). Keep it private.
    access_token: str | None = None
    status_url: str | None = None


class OrderPage(msgspec.Struct):
    orders: list[OrderOut]
    limit: int
    offset: int
    has_more: bool
    # The shop's feed position when this page was read: pass it to the stream as `after`
    # so no change between this read and the stream's start is missed.
    cursor: int | None = None


def line_out(line: OrderLine, language: str) -> LineOut:
    return LineOut(
        listing_id=line.listing_id,
        name=pick(line.name, language),
        options=[
            OptionOut(
                option_id=option["option_id"],
                group_name=pick(option["group_name"], language),
                name=pick(option["name"], language),
                price_delta_minor=option["price_delta_minor"],
            )
            for option in line.options
        ],
        unit_price_minor=line.unit_price_minor,
        quantity=line.quantity,
        line_total_minor=line.line_total_minor,
    )


def change_out(change: OrderStatusChange) -> ChangeOut:
    return ChangeOut(
        seq=change.seq,
        from_status=change.from_status,
        to_status=change.to_status,
        actor_account_id=change.actor_account_id,
        actor_kind=change.actor_kind,
        reason=change.reason,
        at=change.at,
    )


def order_summary(order: Order) -> dict[str, object]:
    return {
        "id": str(order.id),
        "number": order.number,
        "channel": order.channel,
        "status": order.status,
        "table": order.table_label,
        "pickup_at": order.pickup_at.isoformat() if order.pickup_at else None,
        "item_count": order.item_count,
        "total_minor": order.total_minor,
    }


def order_out(view: OrderView, language: str) -> OrderOut:
    order = view.order
    return OrderOut(
        id=order.id,
        shop_id=order.shop_id,
        number=order.number,
        business_date=order.business_date,
        channel=order.channel,
        status=order.status,
        table=order.table_label,
        pickup_at=order.pickup_at,
        notes=order.notes,
        consumer_account_id=order.consumer_account_id,
        placed_by_account_id=order.placed_by_account_id,
        item_count=order.item_count,
        total_minor=order.total_minor,
        currency=order.currency,
        paid=order.paid_at is not None,
        placed_at=order.placed_at,
        placed_at_local=order.placed_at.astimezone(TAIPEI).strftime("%Y-%m-%d %H:%M"),
        lines=[line_out(line, language) for line in view.lines],
        history=[change_out(change) for change in view.history],
    )
