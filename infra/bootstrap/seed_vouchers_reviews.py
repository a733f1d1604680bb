"""Demo vouchers and reviews: offers at food and tourism shops, the demo consumer's vouchers in
every state a counter meets, and reviews (some answered) of the consumer's completed orders.

Deterministic like the rest of the seed: its own random generator, ids derived from the seed,
times relative to the Asia/Taipei day of seeding. Voucher codes come from that generator too,
so they are guessable: demo data only, never a real programme's. No outbox events: this is
history, not news.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.models import Account
from infra.auth.roles import Role
from infra.db import utcnow
from merchant_api.discovery.rating_repository import RatingRepository
from merchant_api.orders.models import Order, OrderStatus
from merchant_api.reviews.models import Review
from merchant_api.shops.models import Shop, ShopMember
from merchant_api.vouchers.codes import ALPHABET, LENGTH
from merchant_api.vouchers.models import Voucher, VoucherOffer, VoucherStatus

TAIPEI = ZoneInfo("Asia/Taipei")
Ids = Callable[[str, str], uuid.UUID]
REVIEWS_PER_SHOP = 8

# (zh title, en title, zh description, price NT$, face value NT$, quantity limit)
OFFERS = {
    "food_and_drink": (
        ("雙人午餐券", "Lunch for two", "平日午餐時段使用，含兩份主餐與飲料。", 500, 600, 50),
        ("飲品五杯券", "Five drinks", "任選五杯飲品，可分次使用。", 250, 300, None),
    ),
    "tourism": (
        (
            "半日導覽體驗券",
            "Half-day guided tour",
            "含在地導覽員與保險，需提前一天預約。",
            800,
            1000,
            30,
        ),
    ),
}
# What the demo consumer's vouchers look like at the counter, one per offer in order.
VOUCHER_STATES = (
    VoucherStatus.active,
    VoucherStatus.redeemed,
    VoucherStatus.pending_payment,
    VoucherStatus.active,
    VoucherStatus.redeemed,
)
RATINGS = (5, 4, 3, 2, 1)
RATING_WEIGHTS = (45, 30, 13, 7, 5)
TEXTS = {
    5: ("很好吃，老闆很親切！", "下次還會再來。", None),
    4: ("東西不錯，假日人比較多。", "值得專程來一趟。", None),
    3: ("還可以，等候時間有點長。", None),
    2: ("份量比想像中少。", "取餐時等了很久。"),
    1: ("預約的時間沒有準備好。",),
}
REPLIES = {
    5: "謝謝您的支持，歡迎再來！",
    4: "謝謝您的建議，我們會繼續努力。",
    3: "抱歉讓您久等，我們會改善出餐流程。",
    2: "非常抱歉，已請同仁檢討，歡迎再給我們一次機會。",
    1: "非常抱歉造成不便，請與我們聯絡，我們會妥善處理。",
}


async def seed_vouchers_and_reviews(
    session: AsyncSession, seed_number: int, ids: Ids, shop_ids: dict[str, uuid.UUID]
) -> tuple[int, int, int]:
    """Insert offers, vouchers and reviews; returns how many of each. No commit."""
    await session.flush()
    rng = random.Random(f"vouchers-reviews:{seed_number}")
    today = datetime.combine(utcnow().astimezone(TAIPEI).date(), time(0), TAIPEI)
    consumer = await session.scalar(select(Account.id).where(Account.role == Role.consumer))
    shops = list(
        await session.scalars(
            select(Shop).where(Shop.id.in_(shop_ids.values())).order_by(Shop.slug)
        )
    )
    offers = _offers(shops, ids, today)
    vouchers = _vouchers(rng, offers, ids, consumer, today) if consumer else []
    reviews = await _reviews(session, rng, ids, consumer) if consumer else []
    for model, rows in ((VoucherOffer, offers), (Voucher, vouchers), (Review, reviews)):
        if rows:
            await session.execute(insert(model.__table__), rows)
    # Bulk inserts bypass the reviews service: bring every rating search shows up to date.
    await RatingRepository(session).refresh()
    return len(offers), len(vouchers), len(reviews)


def _offers(shops: list[Shop], ids: Ids, today: datetime) -> list[dict[str, Any]]:
    """The first food and the first tourism shop of every street offer their vouchers."""
    first: dict[tuple[uuid.UUID, str], Shop] = {}
    for shop in shops:
        if shop.category in OFFERS:
            first.setdefault((shop.street_id, shop.category), shop)
    rows = []
    for (_, category), shop in sorted(first.items(), key=lambda item: item[1].slug):
        for index, (zh, en, about, price, face, limit) in enumerate(OFFERS[category]):
            created = today - timedelta(days=30) + timedelta(hours=9)
            rows.append(
                {
                    "id": ids("voucher_offer", f"{shop.slug}:{index}"),
                    "shop_id": shop.id,
                    "title": {"zh-Hant-TW": zh, "en": en},
                    "description": {"zh-Hant-TW": about},
                    "price_minor": price * 100,
                    "face_value_minor": face * 100,
                    "currency": "TWD",
                    "valid_from": created,
                    "valid_until": today + timedelta(days=60),
                    "quantity_limit": limit,
                    "per_consumer_limit": 2,
                    "sold_count": 0,
                    "is_active": True,
                    "created_at": created,
                    "updated_at": created,
                }
            )
    return rows


def _vouchers(
    rng: random.Random,
    offers: list[dict[str, Any]],
    ids: Ids,
    consumer: uuid.UUID,
    today: datetime,
) -> list[dict[str, Any]]:
    rows = []
    for index, (offer, status) in enumerate(zip(offers, VOUCHER_STATES, strict=False)):
        bought = today - timedelta(days=20 - 3 * index, hours=-rng.randint(9, 19))
        paid = status != VoucherStatus.pending_payment
        redeemed = status == VoucherStatus.redeemed
        offer["sold_count"] += 1
        rows.append(
            {
                "id": ids("voucher", str(offer["id"])),
                "offer_id": offer["id"],
                "shop_id": offer["shop_id"],
                "consumer_account_id": consumer,
                "code": "".join(rng.choice(ALPHABET) for _ in range(LENGTH)),
                "status": status.value,
                "price_minor": offer["price_minor"],
                "face_value_minor": offer["face_value_minor"],
                "currency": "TWD",
                "valid_from": offer["valid_from"],
                "valid_until": offer["valid_until"],
                "purchased_at": bought,
                "activated_by_event_id": None,
                "activated_at": bought + timedelta(minutes=1) if paid else None,
                "redeemed_at": bought + timedelta(days=2) if redeemed else None,
                "redeemed_by_account_id": None,
                "refund_requested_at": None,
                "refund_requested_by": None,
                "refunded_at": None,
                "updated_at": bought + timedelta(days=2 if redeemed else 0, minutes=1),
            }
        )
    return rows


async def _reviews(
    session: AsyncSession, rng: random.Random, ids: Ids, consumer: uuid.UUID
) -> list[dict[str, Any]]:
    """Up to REVIEWS_PER_SHOP reviews per shop of the consumer's completed orders."""
    found = await session.execute(
        select(Order.id, Order.shop_id, Order.updated_at)
        .where(Order.consumer_account_id == consumer, Order.status == OrderStatus.completed.value)
        .order_by(Order.shop_id, Order.placed_at, Order.id)
    )
    by_shop: dict[uuid.UUID, list[tuple[uuid.UUID, datetime]]] = defaultdict(list)
    for order_id, shop_id, finished in found.all():
        by_shop[shop_id].append((order_id, finished))
    owners = dict(
        (
            await session.execute(
                select(ShopMember.shop_id, ShopMember.account_id).where(ShopMember.role == "owner")
            )
        ).all()
    )
    rows = []
    for shop_id in sorted(by_shop):
        orders = by_shop[shop_id]
        for order_id, finished in rng.sample(orders, min(REVIEWS_PER_SHOP, len(orders))):
            rating = rng.choices(RATINGS, weights=RATING_WEIGHTS)[0]
            written = finished + timedelta(hours=rng.randint(1, 30))
            answered = rng.random() < 0.5
            rows.append(
                {
                    "id": ids("review", str(order_id)),
                    "order_id": order_id,
                    "shop_id": shop_id,
                    "consumer_account_id": consumer,
                    "rating": rating,
                    "text": rng.choice(TEXTS[rating]),
                    "reply": REPLIES[rating] if answered else None,
                    "reply_account_id": owners.get(shop_id) if answered else None,
                    "replied_at": written + timedelta(hours=rng.randint(2, 48))
                    if answered
                    else None,
                    "reply_edited_at": None,
                    "created_at": written,
                }
            )
    return rows
