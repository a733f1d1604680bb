"""A shop's scorecard and analytics for its consultant (and its owner)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.i18n import pick
from merchant_api.programme.definitions import Service
from merchant_api.programme.periods import TAIPEI, as_day
from merchant_api.programme.shop_repository import ShopFiguresRepository

RECENT_DAYS = 30


class ShopFiguresService:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = ShopFiguresRepository(session)

    async def scorecard(self, shop_id: uuid.UUID, today: date) -> dict[str, Any]:
        since = today - timedelta(days=RECENT_DAYS)
        listings = await self.repo.listings(shop_id)
        described = sum(1 for listing in listings if pick(listing.description, "zh-Hant-TW"))
        translated = sum(1 for listing in listings if set(listing.name) - {"zh-Hant-TW"})
        methods = await self.repo.payment_methods(shop_id)
        adoptions = await self.repo.adoptions(shop_id)
        daily = await self.repo.daily(shop_id, since)
        payments = sum(row["uses"] for row in daily if row["source"] == "payment")
        sales = sum(row["business_minor"] for row in daily)
        devices = await self.repo.devices(shop_id)
        advice = await self.repo.advice_statuses(shop_id)
        visits = await self.repo.visits(shop_id)
        card = {
            "listings": {
                "count": len(listings),
                "with_description": described,
                "translated": translated,
                "completeness": _share(described, len(listings)),
                "translation_share": _share(translated, len(listings)),
            },
            "payments": {
                "methods": methods,
                "mobile_payment_since": adoptions.get(Service.mobile_payment.value),
                "payments_last_30_days": payments,
                "sales_last_30_days_minor": sales,
            },
            "adoptions": {service: at for service, at in sorted(adoptions.items())},
            "points": {
                "accepts_points": "points" in methods,
                "points_redeemed_last_30_days": await self.repo.points_redeemed(shop_id, since),
            },
            "devices": _device_health(devices),
            "advice": _advice_follow_through(advice),
            "visits": _visit_status(visits, today),
        }
        card["flags"] = _flags(card)
        return card

    async def analytics(self, shop_id: uuid.UUID, today: date, days: int) -> dict[str, Any]:
        since = today - timedelta(days=days)
        since_at = datetime(since.year, since.month, since.day, tzinfo=TAIPEI)
        sales: dict[str, int] = defaultdict(int)
        footfall: dict[str, int] = defaultdict(int)
        methods: dict[str, int] = defaultdict(int)
        channels: dict[str, int] = defaultdict(int)
        for row in await self.repo.daily(shop_id, since):
            day = as_day(row["day"]).isoformat()
            sales[day] += row["business_minor"]
            if row["source"] == "hotspot_session":
                footfall[day] += row["uses"]
            if row["source"] == "payment" and row["business_minor"]:
                methods[row["method"] or "unknown"] += row["business_minor"]
            if row["business_minor"]:
                channels[row["channel"] or "unknown"] += row["business_minor"]
        hours = [0] * 24
        for at in await self.repo.order_times(shop_id, since_at):
            hours[at.astimezone(TAIPEI).hour] += 1
        every_day = [(since + timedelta(days=n)).isoformat() for n in range(days + 1)]
        return {
            "from": since.isoformat(),
            "to": today.isoformat(),
            "sales_trend": [{"day": d, "sales_minor": sales.get(d, 0)} for d in every_day],
            "payment_mix": [{"method": k, "sales_minor": v} for k, v in sorted(methods.items())],
            "channel_mix": [{"channel": k, "sales_minor": v} for k, v in sorted(channels.items())],
            "hourly_orders": [{"hour": h, "orders": n} for h, n in enumerate(hours)],
            "footfall_vs_sales": [
                {"day": d, "hotspot_sessions": footfall.get(d, 0), "sales_minor": sales.get(d, 0)}
                for d in every_day
            ],
            "points_redeemed": await self.repo.points_redeemed(shop_id, since),
            "top_listings": [
                {
                    "listing_id": str(row["listing_id"]),
                    "name": pick(row["name"], "zh-Hant-TW"),
                    "quantity": int(row["quantity"]),
                    "sales_minor": int(row["sales_minor"]),
                }
                for row in await self.repo.top_listings(shop_id, since_at)
            ],
        }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _device_health(devices: list[dict[str, Any]] | None) -> dict[str, Any]:
    if devices is None:
        return {"available": False}
    return {
        "available": True,
        "count": len(devices),
        "active": sum(1 for d in devices if d["status"] == "active"),
        "offline": sum(1 for d in devices if d["open_alerts"]),
    }


def _advice_follow_through(rows: list[dict[str, Any]] | None) -> dict[str, Any]:
    if rows is None:
        return {"available": False}
    counts = {row["status"]: int(row["n"]) for row in rows}
    shown = sum(counts.get(s, 0) for s in ("approved", "done", "not_useful"))
    return {
        "available": True,
        "waiting_for_review": counts.get("draft", 0),
        "shown_to_owner": shown,
        "done": counts.get("done", 0),
        "follow_through": _share(counts.get("done", 0), shown),
    }


def _visit_status(visits: list[Any], today: date) -> dict[str, Any]:
    last = visits[-1] if visits else None
    due = last.follow_up_on if last else None
    return {
        "count": len(visits),
        "last_visit": last.visited_on.isoformat() if last else None,
        "next_follow_up": due.isoformat() if due else None,
        "follow_up_overdue": bool(due and due < today),
    }


def _flags(card: dict[str, Any]) -> list[str]:
    flags = []
    if card["listings"]["count"] == 0:
        flags.append("no_listings")
    elif (card["listings"]["translation_share"] or 0) < 0.5:
        flags.append("few_translations")
    if card["payments"]["mobile_payment_since"] is None:
        flags.append("no_mobile_payment")
    if card["devices"].get("offline"):
        flags.append("device_offline")
    if card["advice"].get("waiting_for_review"):
        flags.append("advice_waiting")
    if card["visits"]["follow_up_overdue"]:
        flags.append("follow_up_overdue")
    return flags
