"""What one earn or one redemption needs to know, each read in a single round trip: every
fact is a scalar subquery of one SELECT (the hot paths' statement count is their cost)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import false, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from payments.loyalty.accounts import wallet_account
from payments.loyalty.bonus_models import (
    RALLY_KEY_PREFIX,
    LoyaltyBonusRule,
    LoyaltyRally,
    LoyaltyShopLimit,
)
from payments.loyalty.models import (
    LoyaltyAccount,
    LoyaltyCampaign,
    LoyaltyEarnRule,
    LoyaltyEntry,
    LoyaltyHold,
    LoyaltyTransaction,
    LoyaltyWallet,
    Reason,
)


@dataclass(frozen=True, slots=True)
class EarnContext:
    wallet_status: str | None  # None: no such wallet
    minor_per_point: int | None  # None: the shop has no rule of its own
    funded_by: str | None
    campaign_id: uuid.UUID | None
    campaign_multiplier_pct: int
    category_multiplier_pct: int
    earned_today: int
    visited: bool  # the wallet earned at this shop before
    rally_running: bool
    existing_funders: frozenset[uuid.UUID]  # those of the candidates that are there


@dataclass(frozen=True, slots=True)
class RedeemContext:
    wallet_status: str | None
    holds_last_hour: int
    shop_limited: bool
    accepting_account_exists: bool


async def earn_context(
    session: AsyncSession,
    wallet_id: uuid.UUID,
    shop_id: uuid.UUID,
    street_id: uuid.UUID | None,
    category: str | None,
    paid_at: datetime,
    day_start: datetime,
    candidate_funders: list[uuid.UUID],
) -> EarnContext:
    """Claw-backs are not subtracted from today's earnings: the cap limits earning. Stamp
    rally bonuses are not counted: they are outside the cap."""
    rule = select(LoyaltyEarnRule).where(LoyaltyEarnRule.shop_id == shop_id)
    street = LoyaltyCampaign.street_id.is_(None)
    if street_id is not None:
        street = street | (LoyaltyCampaign.street_id == street_id)
    campaign = (
        select(LoyaltyCampaign)
        .where(LoyaltyCampaign.starts_at <= paid_at, LoyaltyCampaign.ends_at > paid_at, street)
        .order_by(LoyaltyCampaign.multiplier_pct.desc(), LoyaltyCampaign.id)
        .limit(1)
    )
    earned = (
        select(func.coalesce(func.sum(LoyaltyEntry.amount), 0))
        .join(LoyaltyTransaction, LoyaltyTransaction.id == LoyaltyEntry.transaction_id)
        .where(
            LoyaltyTransaction.wallet_id == wallet_id,
            LoyaltyTransaction.reason == Reason.earn.value,
            LoyaltyTransaction.occurred_at >= day_start,
            # A stamp rally's bonus is the programme's reward for visiting, not earning.
            ~LoyaltyTransaction.idempotency_key.startswith(RALLY_KEY_PREFIX, autoescape=True),
            LoyaltyEntry.account_id == wallet_account(wallet_id).id,
        )
    )
    visited = select(LoyaltyTransaction.id).where(
        LoyaltyTransaction.wallet_id == wallet_id,
        LoyaltyTransaction.shop_id == shop_id,
        LoyaltyTransaction.reason == Reason.earn.value,
    )
    category_pct = select(LoyaltyBonusRule.multiplier_pct).where(
        LoyaltyBonusRule.category == category if category is not None else false(),
        LoyaltyBonusRule.ended_at.is_(None),
    )
    rally = select(LoyaltyRally.id).where(
        LoyaltyRally.starts_at <= paid_at, LoyaltyRally.ends_at > paid_at
    )
    row = (
        await session.execute(
            select(
                select(LoyaltyWallet.status).where(LoyaltyWallet.id == wallet_id).scalar_subquery(),
                rule.with_only_columns(LoyaltyEarnRule.minor_per_point).scalar_subquery(),
                rule.with_only_columns(LoyaltyEarnRule.funded_by).scalar_subquery(),
                campaign.with_only_columns(LoyaltyCampaign.id).scalar_subquery(),
                campaign.with_only_columns(LoyaltyCampaign.multiplier_pct).scalar_subquery(),
                category_pct.scalar_subquery(),
                earned.scalar_subquery(),
                visited.exists(),
                rally.exists(),
                *(
                    select(LoyaltyAccount.id).where(LoyaltyAccount.id == funder).exists()
                    for funder in candidate_funders
                ),
            )
        )
    ).one()
    status, rate, funded_by, campaign_id, campaign_pct, cat_pct, today, seen, rallying = row[:9]
    return EarnContext(
        wallet_status=status,
        minor_per_point=rate,
        funded_by=funded_by,
        campaign_id=campaign_id,
        campaign_multiplier_pct=int(campaign_pct or 100),
        category_multiplier_pct=int(cat_pct or 100),
        earned_today=int(today or 0),
        visited=bool(seen),
        rally_running=bool(rallying),
        existing_funders=frozenset(
            funder for funder, there in zip(candidate_funders, row[9:], strict=True) if there
        ),
    )


async def redeem_context(
    session: AsyncSession,
    wallet_id: uuid.UUID,
    shop_id: uuid.UUID,
    since: datetime,
    accepting_account: uuid.UUID,
) -> RedeemContext:
    row = (
        await session.execute(
            select(
                select(LoyaltyWallet.status).where(LoyaltyWallet.id == wallet_id).scalar_subquery(),
                select(func.count())
                .select_from(LoyaltyHold)
                .where(LoyaltyHold.wallet_id == wallet_id, LoyaltyHold.created_at >= since)
                .scalar_subquery(),
                select(LoyaltyShopLimit.shop_id)
                .where(LoyaltyShopLimit.shop_id == shop_id)
                .exists(),
                select(LoyaltyAccount.id).where(LoyaltyAccount.id == accepting_account).exists(),
            )
        )
    ).one()
    return RedeemContext(row[0], int(row[1] or 0), bool(row[2]), bool(row[3]))
