"""Category and listing bonuses, the cross-street stamp rally and shop redemption limits:
defining them (validated, stable error codes) and applying them while earning or redeeming.

Order lines belong to merchant_api, which payments must not import: the merchant directory
the composition root hands us may also implement `OrderLineSource`.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from typing import Protocol, runtime_checkable

from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import ValidationFailed
from payments.loyalty.bonus_models import MULTIPLIER_RANGE, LoyaltyRally, rally_key
from payments.loyalty.bonus_repository import BonusRepository
from payments.loyalty.errors import ShopRedemptionLimited, check_name, check_period, problem
from payments.loyalty.ledger import REPLAYED, Account, LedgerRepository, Line, wallet_account
from payments.loyalty.models import AccountKind, Reason

# merchant_api.shops.models.ShopCategory, which this layer cannot import.
SHOP_CATEGORIES = ("agriculture_produce", "handicrafts", "food_and_drink", "tourism", "retail")
RALLY_COUNTS = ("streets", "shops")
_CATEGORY = re.compile(r"^[a-z_]{2,32}$")


@runtime_checkable
class OrderLineSource(Protocol):
    async def order_lines(
        self, session: AsyncSession, order_id: uuid.UUID
    ) -> list[tuple[uuid.UUID, int]]:
        """(listing id, line total in minor units) of an order's lines."""
        ...

    async def listing_shop(self, session: AsyncSession, listing_id: uuid.UUID) -> uuid.UUID | None:
        """The shop selling a listing, or None when there is no such listing."""
        ...


def _multiplier(pct: int) -> int:
    low, high = MULTIPLIER_RANGE
    if not low <= pct <= high:
        raise ValidationFailed(
            f"The bonus multiplier is {low}-{high} (percent of the base points).",
            details=problem("multiplier_pct", f"between {low} and {high}"),
        )
    return pct


class BonusRulesService:
    """What admins, consultants and owners define; services never commit."""

    def __init__(self, session: AsyncSession, lines: object | None = None) -> None:
        self.session = session
        self.repo = BonusRepository(session)
        self.lines = lines if isinstance(lines, OrderLineSource) else None

    async def set_category_bonus(
        self, category: str, multiplier_pct: int, now: datetime
    ) -> uuid.UUID:
        if not _CATEGORY.match(category) or category not in SHOP_CATEGORIES:
            raise ValidationFailed(
                "Unknown shop category.", details=problem("category", "|".join(SHOP_CATEGORIES))
            )
        return await self.repo.put_bonus(
            category=category,
            listing_id=None,
            shop_id=None,
            multiplier_pct=_multiplier(multiplier_pct),
            now=now,
        )

    async def set_listing_bonus(
        self, shop_id: uuid.UUID, listing_id: uuid.UUID, multiplier_pct: int, now: datetime
    ) -> uuid.UUID:
        _multiplier(multiplier_pct)
        owner = await self.lines.listing_shop(self.session, listing_id) if self.lines else None
        if owner != shop_id:
            raise ValidationFailed(
                "This shop sells no such listing.", details=problem("listing_id", "unknown")
            )
        return await self.repo.put_bonus(
            category=None,
            listing_id=listing_id,
            shop_id=shop_id,
            multiplier_pct=multiplier_pct,
            now=now,
        )

    async def add_rally(
        self,
        name: str,
        counts: str,
        required: int,
        bonus_points: int,
        starts_at: datetime,
        ends_at: datetime,
    ) -> LoyaltyRally:
        check_name("rally", name)
        if counts not in RALLY_COUNTS:
            raise ValidationFailed(
                "A rally counts streets or shops.", details=problem("counts", "streets|shops")
            )
        if not 2 <= required <= 50:
            raise ValidationFailed(
                "A rally asks for 2-50 different places.",
                details=problem("required", "between 2 and 50"),
            )
        if not 0 < bonus_points <= 100_000:
            raise ValidationFailed(
                "The rally bonus is 1-100000 points.",
                details=problem("bonus_points", "between 1 and 100000"),
            )
        check_period("rally", starts_at, ends_at)
        rally = LoyaltyRally(
            id=uuid.uuid4(),
            name=name.strip(),
            counts=counts,
            required=required,
            bonus_points=bonus_points,
            starts_at=starts_at,
            ends_at=ends_at,
        )
        self.repo.add_rally(rally)
        return rally

    async def set_shop_limit(
        self, shop_id: uuid.UUID, per_redemption: int | None, per_day: int | None, now: datetime
    ) -> None:
        for field, value in (
            ("max_points_per_redemption", per_redemption),
            ("max_points_per_day", per_day),
        ):
            if value is not None and not 0 < value <= 10_000_000:
                raise ValidationFailed(
                    "A limit is a positive number of points (or null for none).",
                    details=problem(field, "between 1 and 10000000, or null"),
                )
        await self.repo.put_shop_limit(shop_id, per_redemption, per_day, now)


async def listing_bonuses(
    session: AsyncSession, lines: object, order_id: uuid.UUID | None, amount_paid: int
) -> tuple[tuple[int, int], ...]:
    """((money paid for a bonus listing, its multiplier), ...) of the order a payment is for.
    When points paid part of the order, each line counts in proportion to the money paid."""
    if order_id is None or not isinstance(lines, OrderLineSource):
        return ()
    order_lines = await lines.order_lines(session, order_id)
    if not order_lines:
        return ()
    by_listing = await BonusRepository(session).listing_bonuses(
        sorted({listing for listing, _total in order_lines})
    )
    order_total = sum(total for _listing, total in order_lines)
    return tuple(
        (total * min(amount_paid, order_total) // order_total, by_listing[listing])
        for listing, total in order_lines
        if listing in by_listing and order_total > 0
    )


async def award_rallies(
    session: AsyncSession,
    wallet_id: uuid.UUID,
    shop_id: uuid.UUID,
    street_id: uuid.UUID | None,
    at: datetime,
    valid_days: int,
    now: datetime,
) -> int:
    """Stamp the visit on every running rally; the bonus of each rally the visit completes,
    once per wallet (the idempotency key makes a second award impossible). The bonus is a
    programme reward, outside the daily earning cap (`earn_context` leaves it out)."""
    repo = BonusRepository(session)
    ledger = LedgerRepository(session)
    awarded = 0
    for rally in await repo.rallies_at(at):
        place = street_id if rally.counts == "streets" else shop_id
        if place is None:
            continue
        visited = await repo.stamp(rally.id, wallet_id, place, at)
        if visited < rally.required:
            continue
        pool = Account(AccountKind.pool_campaign, rally.id)
        await ledger.ensure_accounts([pool])
        transaction_id = await ledger.post(
            key=rally_key(rally.id, wallet_id),
            reason=Reason.earn.value,
            lines=[
                Line(wallet_account(wallet_id), rally.bonus_points),
                Line(pool, -rally.bonus_points),
            ],
            now=now,
            wallet_id=wallet_id,
            shop_id=shop_id,
            reference_id=rally.id,
            new_only=True,  # awarded already: nothing happens
        )
        if transaction_id == REPLAYED:
            continue
        await ledger.add_lots(
            wallet_id,
            transaction_id,
            [(pool, rally.bonus_points)],
            at,
            at + timedelta(days=valid_days),
        )
        awarded += rally.bonus_points
    return awarded


async def check_shop_limit(
    session: AsyncSession, shop_id: uuid.UUID, points: int, day_start: datetime
) -> None:
    """ShopRedemptionLimited when `points` more would break the shop's limits."""
    repo = BonusRepository(session)
    limit = await repo.locked_shop_limit(shop_id)
    if limit is None:
        return
    if limit.max_points_per_redemption is not None and points > limit.max_points_per_redemption:
        raise ShopRedemptionLimited(
            f"This shop takes at most {limit.max_points_per_redemption} points at a time.",
            details=problem("points", "over the shop's per-redemption limit"),
        )
    if limit.max_points_per_day is not None:
        today = await repo.redeemed_at_shop_since(shop_id, day_start)
        if today + points > limit.max_points_per_day:
            raise ShopRedemptionLimited(
                "This shop has taken all the points it may today.",
                details=problem("points", "over the shop's daily limit"),
            )
