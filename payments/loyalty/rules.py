"""Earn rules (a shop's base rate within programme limits) and campaigns, validated."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import PermissionDenied, ValidationFailed
from infra.settings import LoyaltySettings
from payments.loyalty.errors import check_name, check_period, problem
from payments.loyalty.models import LoyaltyCampaign
from payments.loyalty.repository import LoyaltyRepository

FUNDERS = ("shop", "street", "programme")


class RulesService:
    def __init__(self, session: AsyncSession, settings: LoyaltySettings) -> None:
        self.repo = LoyaltyRepository(session)
        self.settings = settings

    async def set_earn_rule(
        self,
        shop_id: uuid.UUID,
        minor_per_point: int,
        funded_by: str,
        *,
        admin: bool,
        now: datetime,
    ) -> None:
        low, high = self.settings.min_minor_per_point, self.settings.max_minor_per_point
        if minor_per_point <= 0:
            raise ValidationFailed(
                "The rate must be positive.", details=problem("minor_per_point", "must be > 0")
            )
        if not low <= minor_per_point <= high:
            raise ValidationFailed(
                f"The programme allows one point per {low}-{high} (minor units).",
                details=problem("minor_per_point", f"between {low} and {high}"),
            )
        if funded_by not in FUNDERS:
            raise ValidationFailed(
                "funded_by is shop, street or programme.", details=problem("funded_by", "unknown")
            )
        if funded_by != "shop" and not admin:
            # Spending a pool's money is the programme's decision, not the shop's.
            raise PermissionDenied("Only the programme may fund a shop's points from a pool.")
        await self.repo.put_earn_rule(shop_id, minor_per_point, funded_by, now)

    async def add_campaign(
        self,
        name: str,
        multiplier_pct: int,
        starts_at: datetime,
        ends_at: datetime,
        street_id: uuid.UUID | None,
    ) -> LoyaltyCampaign:
        check_name("campaign", name)
        if not 100 <= multiplier_pct <= 1000:
            raise ValidationFailed(
                "The multiplier is 100-1000 (percent of the base points).",
                details=problem("multiplier_pct", "between 100 and 1000"),
            )
        check_period("campaign", starts_at, ends_at)
        campaign = LoyaltyCampaign(
            id=uuid.uuid4(),
            name=name.strip(),
            multiplier_pct=multiplier_pct,
            starts_at=starts_at,
            ends_at=ends_at,
            street_id=street_id,
        )
        self.repo.add_campaign(campaign)
        return campaign
