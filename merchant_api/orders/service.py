"""Placing orders and moving them through their states. Services never commit."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from infra.errors import NotFound, ValidationFailed
from infra.outbox import event_row, publish
from merchant_api.catalog.models import Channel
from merchant_api.catalog.pricing import LineRequest, Menu, PricedLine, price_menu
from merchant_api.catalog.stock import release_stock, reserve_stock
from merchant_api.orders.errors import InvalidTransition, OrderChanged, ShopClosed
from merchant_api.orders.models import Order, OrderLine, OrderStatus, OrderStatusChange
from merchant_api.orders.placement_repository import PlacementRepository
from merchant_api.orders.repository import OrderRepository
from merchant_api.orders.state import RELEASES_STOCK, allowed_next
from merchant_api.shops.hours import shop_status_at
from merchant_api.shops.models import ShopStatus

TAIPEI = ZoneInfo("Asia/Taipei")
MAX_NOTES = 500
MAX_TABLE = 20
MAX_REASON = 300
# Pre-orders are for pick-up today or in the coming days, not next season.
MAX_PICKUP_AHEAD = timedelta(days=7)
DAY = timedelta(days=1)


def business_date(at: datetime) -> date:
    """The Asia/Taipei day an instant belongs to: order numbers restart each local day."""
    return at.astimezone(TAIPEI).date()


@dataclass(frozen=True)
class Actor:
    """Who acts: `kind` is consumer, staff, device, admin, anonymous or system."""

    account_id: uuid.UUID | None
    kind: str


@dataclass(frozen=True)
class PlaceOrder:
    channel: Channel
    lines: Sequence[LineRequest]
    table_label: str | None = None
    pickup_at: datetime | None = None
    notes: str | None = None
    consumer_account_id: uuid.UUID | None = None


@dataclass
class OrderView:
    order: Order
    lines: list[OrderLine]
    history: list[OrderStatusChange] = field(default_factory=list)


def _problem(key: str, message: str) -> dict[str, str]:
    return {"key": key, "message": message, "source": "body"}


class OrderService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.orders = OrderRepository(session)
        self.placement = PlacementRepository(session)

    async def place(
        self, shop_id: uuid.UUID, request: PlaceOrder, actor: Actor, now: datetime
    ) -> OrderView:
        # A pre-order is for its pick-up time; every other order is for now.
        at = now
        if request.channel == Channel.online_pickup and request.pickup_at is not None:
            at = request.pickup_at if request.pickup_at.tzinfo is not None else now
        # One round trip: the shop, its hours around `at`, the listings and their options.
        snapshot = await self.placement.snapshot(
            shop_id, list({line.listing_id for line in request.lines}), business_date(at) - DAY
        )
        if snapshot.shop_status is None:
            raise NotFound(f"There is no shop {shop_id}.")
        self._check_fields(request, now)
        if snapshot.shop_status != ShopStatus.ACTIVE.value:
            raise ShopClosed("This shop is not taking orders.", details={"shop_id": str(shop_id)})
        if not shop_status_at(snapshot.shop_status, snapshot.schedule, at).is_open:
            raise ShopClosed(
                "The shop is closed at that time.",
                details={"shop_id": str(shop_id), "at": at.isoformat()},
            )
        menu = Menu(snapshot.listings, snapshot.groups, snapshot.options)
        priced = price_menu(menu, shop_id, request.lines, request.channel, at)
        await self._reserve(priced)
        today = business_date(now)
        values = {
            "id": uuid.uuid4(),
            "shop_id": shop_id,
            "business_date": today,
            "channel": request.channel.value,
            "status": OrderStatus.placed.value,
            "table_label": request.table_label,
            "pickup_at": request.pickup_at,
            "notes": request.notes,
            "consumer_account_id": request.consumer_account_id,
            "placed_by_account_id": actor.account_id,
            "item_count": sum(line.quantity for line in priced),
            "total_minor": sum(line.line_total_minor for line in priced),
            "currency": "TWD",
            "paid_at": None,
            "placed_at": now,
            "updated_at": now,
        }
        lines = [_line_values(values["id"], position, line) for position, line in enumerate(priced)]
        change = _change_values(
            values["id"], shop_id, 0, None, OrderStatus.placed, actor, None, now
        )
        # A plain (transient) object for the answer: the repository writes the rows.
        order = Order(**values)
        # The event's payload gets the order's number when the order is numbered.
        event = event_row("order.placed", _payload(order), key=f"order:{order.id}")
        # Numbers the order and its change under the shop's counter row lock, then writes them
        # with the event, in the same transaction.
        await self.placement.insert_order(values, lines, change, event)
        order.number = values["number"]
        return OrderView(
            order, [OrderLine(**line) for line in lines], [OrderStatusChange(**change)]
        )

    async def transition(
        self, order: Order, to: OrderStatus, reason: str | None, actor: Actor, now: datetime
    ) -> OrderView:
        """Move `order` to `to` if the state machine allows it from where it is now."""
        if reason is not None and len(reason) > MAX_REASON:
            raise ValidationFailed(
                "The reason is too long.",
                details={"problems": [_problem("reason", f"At most {MAX_REASON} characters.")]},
            )
        current = OrderStatus(order.status)
        allowed = allowed_next(current, paid=order.paid_at is not None)
        if to not in allowed:
            raise InvalidTransition(
                f"An order that is {current.value} cannot become {to.value}.",
                details={"from": current.value, "to": to.value, "allowed": sorted(allowed)},
            )
        if not await self.orders.change_status(order.id, current.value, to.value, now):
            raise OrderChanged("The order was changed by someone else; reload it.")
        lines = await self.orders.lines_of([order.id])
        if to in RELEASES_STOCK:
            held = Counter[uuid.UUID]()
            for line in lines:
                if line.stock_reserved:
                    held[line.listing_id] += line.quantity
            if held:
                await release_stock(self.session, held)
        seq = await self.orders.next_seq(order.shop_id, business_date(now))
        # The UPDATE above already wrote these; keep the object in step without a second one.
        set_committed_value(order, "status", to.value)
        set_committed_value(order, "updated_at", now)
        change = OrderStatusChange(
            **_change_values(order.id, order.shop_id, seq, current, to, actor, reason, now)
        )
        self.orders.add_all([change])
        await self.orders.flush()
        payload = {**_payload(order), "from": current.value, "to": to.value}
        publish(self.session, "order.status_changed", payload, key=f"order:{order.id}")
        return OrderView(order, lines, await self.orders.history_of(order.id))

    async def mark_paid(self, order_id: uuid.UUID, paid_at: datetime) -> bool:
        """Payments says the order is paid: it may now be refunded before completion.

        Idempotent (a second call changes nothing and returns False), so the outbox handler
        that calls it may run twice.
        """
        return await self.orders.set_paid(order_id, paid_at)

    async def get(self, order_id: uuid.UUID) -> Order:
        order = await self.orders.get(order_id)
        if order is None:
            raise NotFound(f"There is no order {order_id}.")
        return order

    async def view(self, order: Order) -> OrderView:
        return OrderView(
            order, await self.orders.lines_of([order.id]), await self.orders.history_of(order.id)
        )

    async def views(self, orders: list[Order]) -> list[OrderView]:
        by_order: dict[uuid.UUID, list[OrderLine]] = {order.id: [] for order in orders}
        for line in await self.orders.lines_of(list(by_order)):
            by_order[line.order_id].append(line)
        return [OrderView(order, by_order[order.id]) for order in orders]

    async def _reserve(self, priced: list[PricedLine]) -> None:
        wanted = Counter[uuid.UUID]()
        for line in priced:
            if line.stock_tracked:
                wanted[line.listing_id] += line.quantity
        if wanted:
            await reserve_stock(self.session, wanted)

    @staticmethod
    def _check_fields(request: PlaceOrder, now: datetime) -> None:
        problems: list[dict[str, str]] = []
        table = request.table_label
        if request.channel == Channel.table_qr:
            if not table or not table.strip():
                problems.append(_problem("table", "A table order needs its table."))
            elif len(table) > MAX_TABLE:
                problems.append(_problem("table", f"At most {MAX_TABLE} characters."))
        elif table is not None:
            problems.append(_problem("table", "Only table orders have a table."))
        pickup = request.pickup_at
        if request.channel == Channel.online_pickup:
            if pickup is None:
                problems.append(_problem("pickup_at", "A pick-up order needs its pick-up time."))
            elif pickup.tzinfo is None:
                problems.append(_problem("pickup_at", "Give the time with its UTC offset."))
            elif pickup <= now:
                problems.append(_problem("pickup_at", "The pick-up time must be in the future."))
            elif pickup > now + MAX_PICKUP_AHEAD:
                problems.append(_problem("pickup_at", "At most 7 days ahead."))
        elif pickup is not None:
            problems.append(_problem("pickup_at", "Only pick-up orders have a pick-up time."))
        if request.notes is not None and len(request.notes) > MAX_NOTES:
            problems.append(_problem("notes", f"At most {MAX_NOTES} characters."))
        if problems:
            raise ValidationFailed("The order cannot be placed.", details={"problems": problems})


def _line_values(order_id: uuid.UUID, position: int, line: PricedLine) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "order_id": order_id,
        "position": position,
        "listing_id": line.listing_id,
        "name": line.name,
        "options": [
            {
                "option_id": str(option.option_id),
                "group_name": option.group_name,
                "name": option.name,
                "price_delta_minor": option.price_delta_minor,
            }
            for option in line.options
        ],
        "unit_price_minor": line.unit_price_minor,
        "quantity": line.quantity,
        "line_total_minor": line.line_total_minor,
        "stock_reserved": line.stock_tracked,
    }


def _change_values(
    order_id: uuid.UUID,
    shop_id: uuid.UUID,
    seq: int,
    from_status: OrderStatus | None,
    to: OrderStatus,
    actor: Actor,
    reason: str | None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "order_id": order_id,
        "shop_id": shop_id,
        "seq": seq,
        "from_status": from_status.value if from_status else None,
        "to_status": to.value,
        "actor_account_id": actor.account_id,
        "actor_kind": actor.kind,
        "reason": reason,
        "at": now,
    }


def _payload(order: Order) -> dict[str, object]:
    """What the KPI counters and live boards need: ids, channel and money, no personal data."""
    return {
        "order_id": str(order.id),
        "shop_id": str(order.shop_id),
        "channel": order.channel,
        "status": order.status,
        "number": order.number,
        "business_date": order.business_date.isoformat(),
        "item_count": order.item_count,
        "total_minor": order.total_minor,
        "currency": order.currency,
    }
