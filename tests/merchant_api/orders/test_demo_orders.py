"""The demo order history: consistent numbers, valid histories, no events, live orders follow."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from infra.bootstrap.seed_orders import DAYS, seed_orders
from infra.outbox.models import OutboxEvent
from merchant_api.orders.models import Order, OrderStatus, OrderStatusChange, ShopOrderCounter
from merchant_api.orders.state import allowed_next
from tests.merchant_api.orders.conftest import counter_order, place

TAIPEI = ZoneInfo("Asia/Taipei")


def test_history_is_consistent_and_new_orders_continue_it(caller, world, menu, db) -> None:  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    count = db(lambda s: seed_orders(s, 2017, {"shop-a": world.shop_a}, now))
    assert count > 5 * DAYS

    async def read(session):  # type: ignore[no-untyped-def]
        orders = (await session.scalars(select(Order))).all()
        changes = (await session.scalars(select(OrderStatusChange))).all()
        events = await session.scalar(select(func.count()).select_from(OutboxEvent))
        counter = await session.get(ShopOrderCounter, world.shop_a)
        return orders, changes, events, counter

    orders, changes, events, counter = db(read)
    assert len(orders) == count
    assert events == 0  # history is not news
    assert {o.channel for o in orders} == {"counter", "table_qr", "kiosk", "online_pickup"}
    statuses = [o.status for o in orders]
    assert statuses.count("completed") > 0.85 * count
    assert 0 < statuses.count("cancelled") < 0.15 * count
    by_day: dict[object, list[int]] = defaultdict(list)
    for order in orders:
        by_day[order.business_date].append(order.number)
        assert order.total_minor > 0
    assert all(sorted(numbers) == list(range(1, len(numbers) + 1)) for numbers in by_day.values())
    # Weekends are busier than weekdays for a food shop.
    weekday_mean = [len(n) for d, n in by_day.items() if d.weekday() < 5]  # type: ignore[attr-defined]
    weekend_mean = [len(n) for d, n in by_day.items() if d.weekday() >= 5]  # type: ignore[attr-defined]
    assert sum(weekend_mean) / len(weekend_mean) > sum(weekday_mean) / len(weekday_mean)
    # Every history follows the state machine, in feed order.
    chains: dict[uuid.UUID, list[OrderStatusChange]] = defaultdict(list)
    for change in sorted(changes, key=lambda c: c.seq):
        chains[change.order_id].append(change)
    for order in orders:
        chain = chains[order.id]
        assert chain[0].from_status is None and chain[0].to_status == "placed"
        for before, after in pairwise(chain):
            assert after.from_status == before.to_status
            assert OrderStatus(after.to_status) in allowed_next(
                OrderStatus(before.to_status), paid=order.paid_at is not None
            )
        assert chain[-1].to_status == order.status
    assert sorted(c.seq for c in changes) == list(range(1, len(changes) + 1))
    assert counter.last_seq == len(changes)

    # The 90 days end now, today included; nothing is placed or moved after this moment.
    today = now.astimezone(TAIPEI).date()
    assert min(o.business_date for o in orders) == today - timedelta(days=DAYS - 1)
    assert max(o.placed_at for o in orders) <= now
    assert max(c.at for c in changes) <= now
    live = place(caller(None), world.shop_a, counter_order(menu)).json()
    assert live["number"] == len(by_day.get(today, [])) + 1
    assert live["history"][0]["seq"] == len(changes) + 1


def test_history_ends_at_the_moment_of_seeding_with_orders_in_progress(world, menu, db) -> None:  # type: ignore[no-untyped-def]
    # Today's order times do not depend on `now` (only which of them have happened does), so
    # a dry run up to the end of the day tells when today's last order is placed.
    day_end = datetime(2026, 11, 26, 23, 59, tzinfo=TAIPEI)

    async def dry_run(session):  # type: ignore[no-untyped-def]
        await seed_orders(session, 7, {"shop-a": world.shop_a}, day_end)
        rows = await session.scalars(
            select(Order.placed_at).where(Order.business_date == day_end.date())
        )
        found = sorted(rows)
        await session.rollback()
        return found

    today_times = db(dry_run)
    assert today_times
    # Seed again up to one minute after that last order: it is still being made.
    now = today_times[-1] + timedelta(minutes=1)
    db(lambda s: seed_orders(s, 7, {"shop-a": world.shop_a}, now))
    orders = list(db(lambda s: s.scalars(select(Order))))
    assert all(o.placed_at <= now for o in orders)
    latest = max(orders, key=lambda o: o.placed_at)
    assert latest.placed_at == today_times[-1]
    assert latest.status in {"placed", "accepted", "cancelled"}  # completing takes 8+ minutes
    changes = list(db(lambda s: s.scalars(select(OrderStatusChange))))
    assert max(c.at for c in changes) <= now
    # Weekly rhythm over 90 days ending today: every day of the range is there.
    days = {o.business_date for o in orders}
    assert min(days) == now.astimezone(TAIPEI).date() - timedelta(days=DAYS - 1)
    assert len(days) == DAYS
