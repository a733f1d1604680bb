"""The merchant API's small programme, plus 10 weeks of orders with patterns we planted.

Shop A (street X) sells mochi, oolong and cake 10-18h every day. Tuesdays 15-17h are nearly
empty (the slow hour the advice must find); most mochi orders also hold oolong (the bundle);
six members ordered weekly, five of them stopped three weeks ago (the win-back). Shop C has
only a handful of orders (too little data). Times are Asia/Taipei.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from infra.auth.models import Account
from infra.auth.roles import Role
from merchant_api.catalog.models import Listing
from merchant_api.orders.models import Order, OrderLine
from tests.merchant_api.conftest import World, caller, world  # noqa: F401  (fixtures)

TAIPEI = ZoneInfo("Asia/Taipei")
WEEKS = 10
MOCHI, OOLONG, CAKE = 6000, 18000, 9000


@dataclass
class Sales:
    world: World
    mochi: uuid.UUID
    oolong: uuid.UUID
    cake: uuid.UUID
    members: list[uuid.UUID]
    lapsed: list[uuid.UUID]
    orders: int


def _today() -> date:
    return datetime.now(UTC).astimezone(TAIPEI).date()


@pytest.fixture
def sales(db, world) -> Sales:  # type: ignore[no-untyped-def]  # noqa: F811
    rng = random.Random(7)

    async def build(session):  # type: ignore[no-untyped-def]
        listings = {}
        for key, zh, en, price in (
            ("mochi", "麻糬", "Mochi", MOCHI),
            ("oolong", "烏龍茶", "Oolong tea", OOLONG),
            ("cake", "小米糕", "Millet cake", CAKE),
        ):
            listing = Listing(
                shop_id=world.shop_a, name={"zh-Hant-TW": zh, "en": en}, price_minor=price
            )
            session.add(listing)
            listings[key] = listing
        members = [
            Account(
                email=f"member{i}@test.tw",
                display_name=f"member{i}",
                role=Role.consumer,
                password_hash="x",
                is_active=True,
                failed_login_count=0,
            )
            for i in range(6)
        ]
        session.add_all(members)
        await session.flush()
        ids = {k: v.id for k, v in listings.items()}
        prices = {ids["mochi"]: MOCHI, ids["oolong"]: OOLONG, ids["cake"]: CAKE}
        orders, lines = [], []
        first = _today() - timedelta(days=7 * WEEKS)
        counters: dict[tuple[uuid.UUID, date], int] = {}

        def add(shop: uuid.UUID, day: date, hour: int, items: list, consumer=None) -> None:  # type: ignore[no-untyped-def,type-arg]
            number = counters[(shop, day)] = counters.get((shop, day), 0) + 1
            at = datetime.combine(day, time(hour, rng.randrange(60)), TAIPEI).astimezone(UTC)
            oid = uuid.uuid4()
            total = sum(prices.get(i, 5000) for i in items)
            orders.append(
                {"id": oid, "shop_id": shop, "business_date": day, "number": number,
                 "channel": "counter", "status": "completed", "consumer_account_id": consumer,
                 "item_count": len(items), "total_minor": total, "currency": "TWD",
                 "placed_at": at, "updated_at": at}
            )  # fmt: skip
            for pos, item in enumerate(items, start=1):
                lines.append(
                    {"id": uuid.uuid4(), "order_id": oid, "position": pos, "listing_id": item,
                     "name": {"zh-Hant-TW": "x"}, "options": [], "quantity": 1,
                     "unit_price_minor": prices[item], "line_total_minor": prices[item],
                     "stock_reserved": False}
                )  # fmt: skip

        for offset in range(7 * WEEKS):
            day = first + timedelta(days=offset)
            for hour in range(10, 18):
                quiet = day.weekday() == 1 and hour in (15, 16)
                for _ in range(0 if quiet and rng.random() < 0.8 else rng.randint(2, 4)):
                    roll = rng.random()
                    if roll < 0.45:
                        basket = [ids["mochi"], ids["oolong"]]
                    elif roll < 0.55:
                        basket = [ids["mochi"]]
                    elif roll < 0.75:
                        basket = [ids["cake"]]
                    else:
                        basket = [ids["oolong"]]
                    add(world.shop_a, day, hour, basket)
        # Members: weekly on Saturdays; five stop three weeks before today.
        for week in range(WEEKS):
            day = first + timedelta(days=7 * week + (5 - first.weekday()) % 7)
            for i, member in enumerate(members):
                if i < 5 and day > _today() - timedelta(days=21):
                    continue
                add(world.shop_a, day, 11, [ids["cake"]], member.id)
        # The signed-in consumer of the world: mochi and oolong twice, cake once, lately.
        regular = world.accounts["consumer@test.tw"]
        for back, basket in ((3, ["mochi", "oolong"]), (2, ["cake"]), (1, ["oolong", "mochi"])):
            add(
                world.shop_a, _today() - timedelta(days=back), 12, [ids[b] for b in basket], regular
            )
        for offset in range(5):  # shop C: too little data
            lid = uuid.uuid4()
            prices[lid] = 5000
            session.add(Listing(id=lid, shop_id=world.shop_c, name={"zh-Hant-TW": "湯"},
                                price_minor=5000))  # fmt: skip
            await session.flush()
            add(world.shop_c, first + timedelta(days=offset * 9), 12, [lid])
        await session.execute(sa.insert(Order), orders)
        await session.execute(sa.insert(OrderLine), lines)
        member_ids = [m.id for m in members]
        return Sales(world, ids["mochi"], ids["oolong"], ids["cake"], member_ids,
                     member_ids[:5], len(orders))  # fmt: skip

    return db(build)
