"""The SQL of listing the programme's rules and of ending or deleting them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from payments.loyalty.bonus_models import LoyaltyBonusRule, LoyaltyRally
from payments.loyalty.models import LoyaltyCampaign, LoyaltyEarnRule

DatedRule = type[LoyaltyCampaign] | type[LoyaltyRally]


class RuleAdminRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # Earn rules --------------------------------------------------------------------------

    async def earn_rule(self, shop_id: uuid.UUID) -> LoyaltyEarnRule | None:
        return await self.session.get(LoyaltyEarnRule, shop_id)

    async def delete_earn_rule(self, shop_id: uuid.UUID) -> bool:
        done = await self.session.execute(
            delete(LoyaltyEarnRule.__table__)
            .where(LoyaltyEarnRule.shop_id == shop_id)
            .returning(LoyaltyEarnRule.shop_id)
        )
        return done.first() is not None

    # Bonus rules -------------------------------------------------------------------------

    async def active_category_bonuses(self) -> list[LoyaltyBonusRule]:
        return list(
            await self.session.scalars(
                select(LoyaltyBonusRule)
                .where(LoyaltyBonusRule.category.is_not(None), LoyaltyBonusRule.ended_at.is_(None))
                .order_by(LoyaltyBonusRule.category)
            )
        )

    async def active_listing_bonuses(self, shop_id: uuid.UUID) -> list[LoyaltyBonusRule]:
        return list(
            await self.session.scalars(
                select(LoyaltyBonusRule)
                .where(LoyaltyBonusRule.shop_id == shop_id, LoyaltyBonusRule.ended_at.is_(None))
                .order_by(LoyaltyBonusRule.updated_at, LoyaltyBonusRule.id)
            )
        )

    async def end_bonus(self, *conditions: ColumnElement[bool], now: datetime) -> bool:
        """End the active bonus rule matching `conditions`; False when there is none."""
        done = await self.session.execute(
            update(LoyaltyBonusRule.__table__)
            .where(*conditions, LoyaltyBonusRule.ended_at.is_(None))
            .values(ended_at=now, updated_at=now)
            .returning(LoyaltyBonusRule.id)
        )
        return done.first() is not None

    # Campaigns and rallies ---------------------------------------------------------------

    async def dated_rules(self, model: DatedRule) -> list[Any]:
        """Every campaign (or rally), the latest to start first."""
        return list(
            await self.session.scalars(select(model).order_by(model.starts_at.desc(), model.id))
        )

    async def dated_rule_for_update(self, model: DatedRule, rule_id: uuid.UUID) -> Any:
        return await self.session.scalar(select(model).where(model.id == rule_id).with_for_update())

    async def end_dated_rule(self, model: DatedRule, rule_id: uuid.UUID, now: datetime) -> None:
        table = model.__table__
        await self.session.execute(update(table).where(table.c.id == rule_id).values(ends_at=now))

    async def delete_dated_rule(self, model: DatedRule, rule_id: uuid.UUID) -> None:
        table = model.__table__
        await self.session.execute(delete(table).where(table.c.id == rule_id))
