"""Storefront visits for the programme's 數位應用服務使用人次 (uses per person, shop and day).

A visitor counts once per shop and Taipei day. The shops already counted today travel in a
small cookie, so a visitor browsing back and forth costs no write after the first view; the
fact itself goes through merchant_api's FactsService like every other use, in the page's own
transaction, and marks the day for the rollups. A signed-in consumer's visit also carries the
account (the unique key then dedups it in the database, even without the cookie); anonymous
visits carry no person. Crawlers are not visitors.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from litestar import Request
from litestar.datastructures import Cookie
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import principal_of
from infra.auth.roles import Role
from merchant_api.programme.definitions import UseSource
from merchant_api.programme.facts_service import FactsService, taipei_day

VISITS_COOKIE = "onestreet_visits"
# A day's worth of shops a person could plausibly browse; older keys drop out first.
MAX_SHOPS_PER_DAY = 40
_KEY_LENGTH = 12  # hex digits of the shop id: collisions within one visitor's day are moot
_ROBOTS = re.compile(r"bot|crawl|spider|slurp|preview|monitor|curl|wget", re.IGNORECASE)


def _counted_today(request: Request[Any, Any, Any], stamp: str) -> list[str]:
    day, _, keys = (request.cookies.get(VISITS_COOKIE) or "").partition(":")
    return keys.split(".") if day == stamp and keys else []


async def count_visit(
    request: Request[Any, Any, Any], session: AsyncSession, shop_id: uuid.UUID, now: datetime
) -> Cookie | None:
    """Records the visit unless already counted today; the cookie to send back, if changed."""
    if _ROBOTS.search(request.headers.get("user-agent", "")):
        return None
    stamp = taipei_day(now).strftime("%Y%m%d")
    counted = _counted_today(request, stamp)
    key = shop_id.hex[:_KEY_LENGTH]
    if key in counted:
        return None
    principal = principal_of(request)
    person = principal.account_id if principal and principal.role == Role.consumer else None
    await FactsService(session).record_use(
        UseSource.storefront_visit, shop_id, now, person, f"storefront:{shop_id}"
    )
    counted = [*counted, key][-MAX_SHOPS_PER_DAY:]
    return Cookie(
        key=VISITS_COOKIE,
        value=f"{stamp}:{'.'.join(counted)}",
        max_age=2 * 86400,
        path="/",
        httponly=True,
        samesite="lax",
    )
