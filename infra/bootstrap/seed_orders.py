"""Demo order history: 90 days of orders for every shop, with a believable rhythm.

Food shops peak at lunch and dinner, everything is busier at weekends (tourist shops most),
shops take no orders on their closed weekdays, most orders are completed and a few cancelled
or refunded. Order numbers restart per shop and Asia/Taipei day, status histories carry feed
sequences in time order, and the per-shop counters continue from there.

Deterministic for a given moment: its own random generator (seeded from the seed number) also
draws the ids. The 90 Asia/Taipei days end at the moment of seeding, today included: today's
orders stop at that moment, and the latest ones are still being prepared (a status history is
cut at "now", never written into the future), so the order board and today's KPIs are live
right after `onestreet demo`. Rows go in with bulk INSERTs, and no outbox events are written:
this is history, not news.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.models import Account
from infra.auth.roles import Role
from infra.db import utcnow
from merchant_api.catalog.models import Listing, Option, OptionGroup
from merchant_api.orders.models import Order, OrderLine, OrderStatusChange, ShopOrderCounter
from merchant_api.shops.hours_models import OpeningPeriod
from merchant_api.shops.models import Shop

TAIPEI = ZoneInfo("Asia/Taipei")
DAYS = 90

# Mean orders on a weekday, by category; weekends multiply it.
DAILY = {
    "food_and_drink": 10,
    "retail": 6,
    "agriculture_produce": 4,
    "tourism": 3,
    "handicrafts": 2,
}
WEEKEND = {"tourism": 2.2, "handicrafts": 1.9, "food_and_drink": 1.6}
CHANNELS = {
    "food_and_drink": (("counter", 40), ("table_qr", 35), ("kiosk", 10), ("online_pickup", 15)),
    "default": (("counter", 70), ("kiosk", 10), ("online_pickup", 20)),
}
# Minutes between the steps of a completed order (accepted, preparing, ready, completed).
STEPS = ("accepted", "preparing", "ready", "completed")


@dataclass
class _Menu:
    listings: list[Listing]
    # listing id -> [(group, [options])]
    groups: dict[uuid.UUID, list[tuple[OptionGroup, list[Option]]]]


async def seed_orders(
    session: AsyncSession,
    seed_number: int,
    shop_ids: dict[str, uuid.UUID],
    now: datetime | None = None,
) -> int:
    """Insert the order history for the seeded shops, up to `now` (default: this moment);
    returns how many orders. No commit."""
    await session.flush()
    rng = random.Random(f"orders:{seed_number}")
    now = now or utcnow()
    today = now.astimezone(TAIPEI).date()
    shops = {
        shop.id: shop
        for shop in await session.scalars(select(Shop).where(Shop.id.in_(shop_ids.values())))
    }
    menus = await _menus(session, list(shops))
    hours = await _hours(session, list(shops))
    consumer = await session.scalar(select(Account.id).where(Account.role == Role.consumer))
    orders: list[dict[str, Any]] = []
    lines: list[dict[str, Any]] = []
    changes: list[dict[str, Any]] = []
    counters: list[dict[str, Any]] = []
    for slug in sorted(shop_ids):
        shop = shops[shop_ids[slug]]
        menu = menus.get(shop.id)
        if not menu or not menu.listings:
            continue
        shop_changes: list[dict[str, Any]] = []
        last_day, last_number = today - timedelta(days=DAYS + 1), 0
        for offset in range(DAYS - 1, -1, -1):
            day = today - timedelta(days=offset)
            times = _order_times(rng, shop.category, day, hours.get(shop.id, {}))
            # Today's rhythm up to this moment; the rest of today has not happened yet.
            times = [placed_at for placed_at in times if placed_at <= now]
            for number, placed_at in enumerate(times, start=1):
                order_id = _uuid(rng)
                order, order_lines = _order(rng, shop, menu, order_id, day, number, placed_at)
                if order["channel"] == "online_pickup" or rng.random() < 0.05:
                    order["consumer_account_id"] = consumer
                    order["placed_by_account_id"] = consumer
                shop_changes.extend(_history(rng, order, now))
                orders.append(order)
                lines.extend(order_lines)
            if times:
                last_day, last_number = day, len(times)
        shop_changes.sort(key=lambda change: change["at"])
        for seq, change in enumerate(shop_changes, start=1):
            change["seq"] = seq
        changes.extend(shop_changes)
        counters.append(
            {
                "shop_id": shop.id,
                "business_date": last_day,
                "last_number": last_number,
                "last_seq": len(shop_changes),
            }
        )
    for model, rows in (
        (Order, orders),
        (OrderLine, lines),
        (OrderStatusChange, changes),
        (ShopOrderCounter, counters),
    ):
        for chunk in _chunks(rows, 5000):
            await session.execute(insert(model.__table__), chunk)
    return len(orders)


async def _menus(session: AsyncSession, shop_ids: list[uuid.UUID]) -> dict[uuid.UUID, _Menu]:
    listings = list(
        await session.scalars(
            select(Listing)
            .where(Listing.shop_id.in_(shop_ids), Listing.deleted_at.is_(None))
            .order_by(Listing.shop_id, Listing.position, Listing.id)
        )
    )
    groups = list(
        await session.scalars(
            select(OptionGroup)
            .where(OptionGroup.listing_id.in_([listing.id for listing in listings]))
            .order_by(OptionGroup.position, OptionGroup.id)
        )
    )
    options = list(
        await session.scalars(
            select(Option)
            .where(Option.group_id.in_([group.id for group in groups]))
            .order_by(Option.position, Option.id)
        )
    )
    options_of: dict[uuid.UUID, list[Option]] = defaultdict(list)
    for option in options:
        options_of[option.group_id].append(option)
    menus: dict[uuid.UUID, _Menu] = {}
    for listing in listings:
        menu = menus.setdefault(listing.shop_id, _Menu([], defaultdict(list)))
        menu.listings.append(listing)
    for group in groups:
        listing = next(item for item in listings if item.id == group.listing_id)
        menus[listing.shop_id].groups[group.listing_id].append((group, options_of[group.id]))
    return menus


async def _hours(
    session: AsyncSession, shop_ids: list[uuid.UUID]
) -> dict[uuid.UUID, dict[int, list[tuple[int, int]]]]:
    """Per shop, weekday -> [(opens, closes)] in minutes; an absent shop is open all day."""
    found: dict[uuid.UUID, dict[int, list[tuple[int, int]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    rows = await session.scalars(select(OpeningPeriod).where(OpeningPeriod.shop_id.in_(shop_ids)))
    for period in rows:
        closes = period.closes_minute if period.closes_minute > period.opens_minute else 24 * 60
        found[period.shop_id][period.weekday].append((period.opens_minute, closes))
    return found


def _order_times(
    rng: random.Random, category: str, day: date, hours: dict[int, list[tuple[int, int]]]
) -> list[datetime]:
    periods = hours.get(day.weekday(), []) if hours else [(8 * 60, 20 * 60)]
    if not periods:
        return []  # closed that weekday
    weekend = day.weekday() >= 5
    mean = DAILY.get(category, 6) * (WEEKEND.get(category, 1.3) if weekend else 1.0)
    count = max(0, round(rng.gauss(mean, mean * 0.25)))
    minutes: list[int] = []
    while len(minutes) < count:
        if category == "food_and_drink":
            # Lunch and dinner rushes; the odd afternoon tea.
            peak = rng.choices((12 * 60 + 15, 18 * 60 + 30, 15 * 60), weights=(5, 4, 1))[0]
            minute = int(rng.gauss(peak, 40))
        else:
            # Late morning to mid-afternoon, when visitors walk the street.
            minute = int(rng.gauss(13 * 60, 150))
        if any(opens <= minute < closes for opens, closes in periods):
            minutes.append(minute)
        elif rng.random() < 0.02:
            count -= 1  # a quiet day: give up on orders that fall outside the hours
    start = datetime.combine(day, time(0), TAIPEI)
    return sorted(start + timedelta(minutes=m, seconds=rng.randrange(60)) for m in minutes)


def _order(
    rng: random.Random,
    shop: Shop,
    menu: _Menu,
    order_id: uuid.UUID,
    day: date,
    number: int,
    placed_at: datetime,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    mix = CHANNELS.get(shop.category, CHANNELS["default"])
    channel = rng.choices([c for c, _ in mix], weights=[w for _, w in mix])[0]
    lines = []
    for position, listing in enumerate(
        rng.sample(menu.listings, min(len(menu.listings), rng.choice((1, 1, 2, 2, 3))))
    ):
        chosen = _options(rng, menu.groups.get(listing.id, []))
        unit = max(0, listing.price_minor + sum(option.price_delta_minor for _, option in chosen))
        quantity = rng.choices((1, 2, 3, 4), weights=(70, 20, 7, 3))[0]
        lines.append(
            {
                "id": _uuid(rng),
                "order_id": order_id,
                "position": position,
                "listing_id": listing.id,
                "name": dict(listing.name),
                "options": [
                    {
                        "option_id": str(option.id),
                        "group_name": dict(group.name),
                        "name": dict(option.name),
                        "price_delta_minor": option.price_delta_minor,
                    }
                    for group, option in chosen
                ],
                "unit_price_minor": unit,
                "quantity": quantity,
                "line_total_minor": unit * quantity,
                # History does not touch today's stock counts.
                "stock_reserved": False,
            }
        )
    placed_utc = placed_at.astimezone(ZoneInfo("UTC"))
    order = {
        "id": order_id,
        "shop_id": shop.id,
        "business_date": day,
        "number": number,
        "channel": channel,
        "status": "completed",
        "table_label": f"{rng.randint(1, 12)}" if channel == "table_qr" else None,
        "pickup_at": placed_utc + timedelta(minutes=rng.choice((20, 30, 45, 60)))
        if channel == "online_pickup"
        else None,
        "notes": None,
        "consumer_account_id": None,
        "placed_by_account_id": None,
        "item_count": sum(line["quantity"] for line in lines),
        "total_minor": sum(line["line_total_minor"] for line in lines),
        "currency": "TWD",
        "paid_at": None,
        "placed_at": placed_utc,
        "updated_at": placed_utc,
    }
    return order, lines


def _options(
    rng: random.Random, groups: list[tuple[OptionGroup, list[Option]]]
) -> list[tuple[OptionGroup, Option]]:
    chosen: list[tuple[OptionGroup, Option]] = []
    for group, options in groups:
        available = [option for option in options if option.is_available]
        if not available:
            continue
        want = max(group.min_choices, 1 if group.required else 0)
        if want == 0 and rng.random() < 0.3:
            want = 1
        for option in rng.sample(available, min(want, len(available), group.max_choices)):
            chosen.append((group, option))
    return chosen


def _history(rng: random.Random, order: dict[str, Any], now: datetime) -> list[dict[str, Any]]:
    """The order's status changes up to `now`; sets its status and paid/updated times."""
    at = order["placed_at"]
    steps: list[tuple[str | None, str, datetime, str]] = [(None, "placed", at, "anonymous")]
    roll = rng.random()
    if roll < 0.06:
        # Cancelled: by the consumer soon after, or by the shop (sold out, closing early).
        steps.append(("placed", "cancelled", at + timedelta(minutes=rng.randint(1, 8)), "staff"))
    else:
        current = "placed"
        for step in STEPS:
            at = at + timedelta(
                minutes=rng.randint(1, 4) if step != "ready" else rng.randint(5, 15)
            )
            steps.append((current, step, at, "staff"))
            current = step
        if roll > 0.985:
            at = at + timedelta(hours=rng.randint(1, 20))
            steps.append(("completed", "refunded", at, "staff"))
    # A recent order is where its history has got to by now (a prefix of a valid history).
    steps = [step for step in steps if step[2] <= now]
    if steps[-1][1] == "refunded":
        order["paid_at"] = order["placed_at"]
    order["status"] = steps[-1][1]
    order["updated_at"] = steps[-1][2]
    return [
        {
            "id": _uuid(rng),
            "order_id": order["id"],
            "shop_id": order["shop_id"],
            "seq": 0,
            "from_status": from_status,
            "to_status": to_status,
            "actor_account_id": None,
            "actor_kind": kind,
            "reason": None,
            "at": at,
        }
        for from_status, to_status, at, kind in steps
    ]


def _uuid(rng: random.Random) -> uuid.UUID:
    """A random-looking (version 4) id drawn from the seeded generator: deterministic, and
    far cheaper than a uuid5 per row."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterable[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
