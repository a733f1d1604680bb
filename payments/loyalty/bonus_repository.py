"""The SQL of bonus rules, stamp rallies and shop redemption limits."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from payments.loyalty.bonus_models import (
    LoyaltyBonusRule,
    LoyaltyRally,
    LoyaltyRallyStamp,
    LoyaltyShopLimit,
)
from payments.loyalty.dialect import upsert_insert
from payments.loyalty.models import HoldStatus, LoyaltyHold


class BonusRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _insert(self, table):  # type: ignore[no-untyped-def]
        return upsert_insert(self.session, table)

    # Bonus rules -------------------------------------------------------------------------

    async def put_bonus(
        self,
        *,
        category: str | None,
        listing_id: uuid.UUID | None,
        shop_id: uuid.UUID | None,
        multiplier_pct: int,
        now: datetime,
    ) -> uuid.UUID:
        """Define or replace the bonus of a category or a listing; its rule id."""
        key = "category" if category is not None else "listing_id"
        statement = self._insert(LoyaltyBonusRule).values(
            id=uuid.uuid4(),
            category=category,
            listing_id=listing_id,
            shop_id=shop_id,
            multiplier_pct=multiplier_pct,
            updated_at=now,
        )
        statement = statement.on_conflict_do_update(
            index_elements=[key],
            set_={"multiplier_pct": multiplier_pct, "updated_at": now, "ended_at": None},
        ).returning(LoyaltyBonusRule.id)
        return (await self.session.execute(statement)).scalar_one()

    async def listing_bonuses(self, listing_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
        """{listing id: multiplier} of those listings that have a bonus."""
        rows = await self.session.execute(
            select(LoyaltyBonusRule.listing_id, LoyaltyBonusRule.multiplier_pct).where(
                LoyaltyBonusRule.listing_id.in_(listing_ids), LoyaltyBonusRule.ended_at.is_(None)
            )
        )
        return {listing_id: int(pct) for listing_id, pct in rows}

    # Rallies -----------------------------------------------------------------------------

    def add_rally(self, rally: LoyaltyRally) -> None:
        self.session.add(rally)

    async def rallies_at(self, at: datetime) -> list[LoyaltyRally]:
        return list(
            await self.session.scalars(
                select(LoyaltyRally)
                .where(LoyaltyRally.starts_at <= at, LoyaltyRally.ends_at > at)
                .order_by(LoyaltyRally.id)
            )
        )

    async def stamp(
        self, rally_id: uuid.UUID, wallet_id: uuid.UUID, place_id: uuid.UUID, at: datetime
    ) -> int:
        """Record a visit (once per place); how many different places the wallet has."""
        await self.session.execute(
            self._insert(LoyaltyRallyStamp)
            .values(rally_id=rally_id, wallet_id=wallet_id, place_id=place_id, stamped_at=at)
            .on_conflict_do_nothing()
        )
        count = await self.session.scalar(
            select(func.count())
            .select_from(LoyaltyRallyStamp)
            .where(LoyaltyRallyStamp.rally_id == rally_id, LoyaltyRallyStamp.wallet_id == wallet_id)
        )
        return int(count or 0)

    # Shop limits -------------------------------------------------------------------------

    async def put_shop_limit(
        self,
        shop_id: uuid.UUID,
        per_redemption: int | None,
        per_day: int | None,
        now: datetime,
    ) -> None:
        values = {
            "max_points_per_redemption": per_redemption,
            "max_points_per_day": per_day,
            "updated_at": now,
        }
        await self.session.execute(
            self._insert(LoyaltyShopLimit)
            .values(shop_id=shop_id, **values)
            .on_conflict_do_update(index_elements=["shop_id"], set_=values)
        )

    async def locked_shop_limit(self, shop_id: uuid.UUID) -> LoyaltyShopLimit | None:
        """The shop's limits, row-locked: redemptions at a limited shop queue up behind each
        other, so two at once cannot both squeeze under the daily limit."""
        return await self.session.scalar(
            select(LoyaltyShopLimit).where(LoyaltyShopLimit.shop_id == shop_id).with_for_update()
        )

    async def redeemed_at_shop_since(self, shop_id: uuid.UUID, since: datetime) -> int:
        """Points held or spent at the shop since `since` (released holds do not count)."""
        total = await self.session.scalar(
            select(func.coalesce(func.sum(LoyaltyHold.points), 0)).where(
                LoyaltyHold.shop_id == shop_id,
                LoyaltyHold.created_at >= since,
                LoyaltyHold.status != HoldStatus.released.value,
            )
        )
        return int(total or 0)
