"""Whether a shop is open: the one function orders and search call.

    from merchant_api.shops.hours import is_open, load_schedule, load_schedules
    if not await is_open(session, shop_id, utcnow()): ...

The evaluation itself is pure (merchant_api.shops.schedule.status_at); this module loads a
shop's schedule from its tables.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import NotFound
from merchant_api.shops.hours_repository import HoursRepository
from merchant_api.shops.models import ShopStatus
from merchant_api.shops.repository import ShopRepository
from merchant_api.shops.schedule import TAIPEI, OpenStatus, Schedule, status_at


async def is_open(session: AsyncSession, shop_id: uuid.UUID, at: datetime) -> bool:
    """Whether the shop takes customers at `at` (an aware datetime).

    False for a suspended shop whatever its hours. A shop that published no hours counts as
    open except on its closure days. Raises NotFound for an unknown shop.
    """
    shop = await ShopRepository(session).get(shop_id)
    if shop is None:
        raise NotFound(f"There is no shop {shop_id}.")
    schedule = await load_schedule(session, shop_id, around=at)
    return shop_status_at(shop.status, schedule, at).is_open


def shop_status_at(shop_status: str, schedule: Schedule, at: datetime) -> OpenStatus:
    """`status_at`, except that a suspended shop is closed, with no next opening."""
    status = status_at(schedule, at)
    if shop_status == ShopStatus.SUSPENDED.value:
        return replace(status, is_open=False, closes_at=None, next_opens_at=None)
    return status


async def load_schedule(
    session: AsyncSession, shop_id: uuid.UUID, *, around: datetime | None = None
) -> Schedule:
    return (await load_schedules(session, [shop_id], around=around))[shop_id]


async def load_schedules(
    session: AsyncSession, shop_ids: list[uuid.UUID], *, around: datetime | None = None
) -> dict[uuid.UUID, Schedule]:
    """Schedules of many shops in three queries. With `around`, only closures and special
    openings near that moment are loaded (enough to answer "open now" and "next opening")."""
    since: date | None = None
    if around is not None:
        since = around.astimezone(TAIPEI).date() - timedelta(days=1)
    return await HoursRepository(session).schedules(shop_ids, since=since)
