"""The database's own loyalty functions (migration 0019_loyalty), on PostgreSQL: an earn and a
counter redemption in one call each, instead of seven and ten statements from here.

They run the steps of service.py's and redemption.py's Python paths, in the same order and
under the same locks, inside the caller's transaction (services never commit). SQLite has no
such functions and keeps the Python paths; the loyalty tests run against both.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from payments.loyalty.bonus_models import RALLY_KEY_PREFIX

_EARN = text(
    "SELECT points, rally_running, street, refunds_waiting FROM loyalty_earn(:payment, :wallet, "
    ":shop, :amount, :paid_at, :day_start, :now, :expires_at, :default_minor_per_point, "
    ":first_visit_bonus, :daily_cap, :listing_paid, :listing_pct, :rally_key_prefix)"
)
_REDEEM_NOW = text(
    "SELECT loyalty_redeem_now(:hold, :wallet, :shop, :points, :order_id, :now, :hour_ago, "
    ":max_per_hour, :value_minor, :expires_at)"
)


def functions_available(session: AsyncSession, directory: object) -> bool:
    """On PostgreSQL, and when the shops live in this database (the directory says so): the
    functions read a shop's status, street and category themselves."""
    return session.get_bind().dialect.name == "postgresql" and bool(
        getattr(directory, "shops_in_database", False)
    )


class LedgerFunctions:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def earn(
        self,
        *,
        payment_id: uuid.UUID,
        wallet_id: uuid.UUID,
        shop_id: uuid.UUID,
        amount_minor: int,
        paid_at: datetime,
        day_start: datetime,
        now: datetime,
        expires_at: datetime,
        default_minor_per_point: int,
        first_visit_bonus: int,
        daily_cap: int,
        listing_bonuses: Sequence[tuple[int, int]],
    ) -> tuple[int, bool, uuid.UUID | None, bool]:
        """(points earned, a stamp rally is running, the shop's street, refunds of the payment
        came first and wait); 0 points when the shop or wallet is not active, nothing is due,
        or the payment already earned."""
        row = (
            await self.session.execute(
                _EARN,
                {
                    "payment": payment_id,
                    "wallet": wallet_id,
                    "shop": shop_id,
                    "amount": amount_minor,
                    "paid_at": paid_at,
                    "day_start": day_start,
                    "now": now,
                    "expires_at": expires_at,
                    "default_minor_per_point": default_minor_per_point,
                    "first_visit_bonus": first_visit_bonus,
                    "daily_cap": daily_cap,
                    "listing_paid": [paid for paid, _pct in listing_bonuses],
                    "listing_pct": [pct for _paid, pct in listing_bonuses],
                    "rally_key_prefix": RALLY_KEY_PREFIX,
                },
            )
        ).one()
        return int(row.points), bool(row.rally_running), row.street, bool(row.refunds_waiting)

    async def redeem_now(
        self,
        *,
        hold_id: uuid.UUID,
        wallet_id: uuid.UUID,
        shop_id: uuid.UUID,
        points: int,
        order_id: uuid.UUID | None,
        now: datetime,
        hour_ago: datetime,
        max_per_hour: int,
        value_minor: int,
        expires_at: datetime,
    ) -> str:
        """'ok' when held and captured; otherwise the refusal, with nothing written:
        wallet_not_found, shop_not_accepting, velocity_limited, insufficient, or shop_limited
        (the shop has redemption limits, which the caller's Python path checks)."""
        return str(
            await self.session.scalar(
                _REDEEM_NOW,
                {
                    "hold": hold_id,
                    "wallet": wallet_id,
                    "shop": shop_id,
                    "points": points,
                    "order_id": order_id,
                    "now": now,
                    "hour_ago": hour_ago,
                    "max_per_hour": max_per_hour,
                    "value_minor": value_minor,
                    "expires_at": expires_at,
                },
            )
        )
