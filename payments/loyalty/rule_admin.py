"""Listing the programme's rules and taking them away without rewriting history.

What a rule produced is in the ledger (its entries name the funder and the points), so no
removal touches the ledger. Beyond that:
- a shop's earn rule is a setting: deleting it returns the shop to the programme's rate;
- a category or listing bonus is ended (kept, no longer applied): the row records a bonus
  that may have produced earnings, and defining it again reactivates it;
- a campaign or rally that has started is ended now, never deleted: its dates say when its
  points were earned (the uplift analysis reads them, rally stamps refer to it). One that has
  not started yet can have produced nothing (earning goes by the payment's time), so it goes.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import NotFound
from payments.loyalty.bonus_models import LoyaltyBonusRule, LoyaltyRally
from payments.loyalty.models import LoyaltyCampaign, LoyaltyEarnRule
from payments.loyalty.rule_admin_repository import DatedRule, RuleAdminRepository


class RuleAdminService:
    """Services never commit: the request does."""

    def __init__(self, session: AsyncSession) -> None:
        self.repo = RuleAdminRepository(session)

    async def earn_rule(self, shop_id: uuid.UUID) -> LoyaltyEarnRule | None:
        return await self.repo.earn_rule(shop_id)

    async def delete_earn_rule(self, shop_id: uuid.UUID) -> None:
        if not await self.repo.delete_earn_rule(shop_id):
            raise NotFound("The shop has no earn rule of its own.")

    async def category_bonuses(self) -> list[LoyaltyBonusRule]:
        return await self.repo.active_category_bonuses()

    async def listing_bonuses(self, shop_id: uuid.UUID) -> list[LoyaltyBonusRule]:
        return await self.repo.active_listing_bonuses(shop_id)

    async def end_category_bonus(self, category: str, now: datetime) -> None:
        if not await self.repo.end_bonus(LoyaltyBonusRule.category == category, now=now):
            raise NotFound("No bonus for this category.")

    async def end_listing_bonus(
        self, shop_id: uuid.UUID, listing_id: uuid.UUID, now: datetime
    ) -> None:
        ended = await self.repo.end_bonus(
            LoyaltyBonusRule.shop_id == shop_id, LoyaltyBonusRule.listing_id == listing_id, now=now
        )
        if not ended:
            raise NotFound("The shop has no bonus on this listing.")

    async def campaigns(self) -> list[LoyaltyCampaign]:
        return await self.repo.dated_rules(LoyaltyCampaign)

    async def rallies(self) -> list[LoyaltyRally]:
        return await self.repo.dated_rules(LoyaltyRally)

    async def remove_campaign(self, campaign_id: uuid.UUID, now: datetime) -> None:
        await self._remove(LoyaltyCampaign, campaign_id, now, "campaign")

    async def remove_rally(self, rally_id: uuid.UUID, now: datetime) -> None:
        await self._remove(LoyaltyRally, rally_id, now, "rally")

    async def _remove(self, model: DatedRule, rule_id: uuid.UUID, now: datetime, what: str) -> None:
        """Delete it before it starts, end it while it runs; one that is over stays as it is
        (so removing twice is harmless)."""
        rule = await self.repo.dated_rule_for_update(model, rule_id)
        if rule is None:
            raise NotFound(f"No such {what}.")
        if rule.starts_at >= now:
            await self.repo.delete_dated_rule(model, rule_id)
        elif rule.ends_at > now:
            await self.repo.end_dated_rule(model, rule_id, now)
