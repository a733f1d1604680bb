"""Aggregates for the ministry (never a person) and the admin's anomaly report."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from infra.settings import LoyaltySettings
from payments.loyalty.models import (
    AccountKind,
    LoyaltyAccount,
    LoyaltyEntry,
    LoyaltyTransaction,
    LoyaltyWallet,
    Reason,
    WalletStatus,
)

WALLET = AccountKind.consumer_wallet.value
# Earning more than twice the most generous rate the programme allows is worth a look.
RATIO_FACTOR = 2
REPEAT_EARNS_PER_DAY = 10


class LoyaltyReports:
    def __init__(self, session: AsyncSession, settings: LoyaltySettings) -> None:
        self.session = session
        self.settings = settings

    def _wallet_moves(self):  # type: ignore[no-untyped-def]
        """Changes to consumers' spendable points, with their transaction."""
        return (
            select(LoyaltyTransaction.reason, func.sum(LoyaltyEntry.amount))
            .select_from(LoyaltyEntry)
            .join(LoyaltyTransaction, LoyaltyTransaction.id == LoyaltyEntry.transaction_id)
            .join(LoyaltyAccount, LoyaltyAccount.id == LoyaltyEntry.account_id)
            .where(LoyaltyAccount.kind == WALLET)
            .group_by(LoyaltyTransaction.reason)
        )

    async def programme_summary(self) -> dict[str, Any]:
        by_reason = {r: int(t) for r, t in await self.session.execute(self._wallet_moves())}
        redeemed = await self.session.scalar(
            select(func.coalesce(func.sum(LoyaltyEntry.amount), 0))
            .join(LoyaltyTransaction, LoyaltyTransaction.id == LoyaltyEntry.transaction_id)
            .where(LoyaltyTransaction.reason == Reason.capture.value, LoyaltyEntry.amount > 0)
        )
        outstanding = await self.session.scalar(
            select(func.coalesce(func.sum(LoyaltyAccount.balance), 0)).where(
                LoyaltyAccount.kind.in_([WALLET, AccountKind.consumer_held.value])
            )
        )
        wallets = await self.session.scalar(
            select(func.count())
            .select_from(LoyaltyWallet)
            .where(LoyaltyWallet.status == WalletStatus.active.value)
        )
        return {
            "active_wallets": int(wallets or 0),
            "points_issued": by_reason.get(Reason.earn.value, 0),
            "points_clawed_back": -by_reason.get(Reason.clawback.value, 0),
            "points_redeemed": int(redeemed or 0),
            "points_expired": -by_reason.get(Reason.expiry.value, 0),
            "points_outstanding": int(outstanding or 0),
            "point_value_minor": self.settings.point_value_minor,
        }

    async def anomalies(self, now: datetime, days: int = 30) -> list[dict[str, Any]]:
        since = now - timedelta(days=days)
        earned = (
            select(
                LoyaltyTransaction.shop_id,
                func.count(func.distinct(LoyaltyTransaction.id)).label("payments"),
                func.sum(LoyaltyEntry.amount).label("points"),
            )
            .join(LoyaltyEntry, LoyaltyEntry.transaction_id == LoyaltyTransaction.id)
            .join(LoyaltyAccount, LoyaltyAccount.id == LoyaltyEntry.account_id)
            .where(
                LoyaltyTransaction.reason == Reason.earn.value,
                LoyaltyTransaction.occurred_at >= since,
                LoyaltyAccount.kind == WALLET,
            )
            .group_by(LoyaltyTransaction.shop_id)
        )
        sales = dict(
            (
                await self.session.execute(
                    select(LoyaltyTransaction.shop_id, func.sum(LoyaltyTransaction.amount_minor))
                    .where(
                        LoyaltyTransaction.reason == Reason.earn.value,
                        LoyaltyTransaction.occurred_at >= since,
                    )
                    .group_by(LoyaltyTransaction.shop_id)
                )
            ).all()
        )
        found: list[dict[str, Any]] = []
        for shop_id, payments, points in await self.session.execute(earned):
            sold = int(sales.get(shop_id) or 0)
            expected = sold // self.settings.min_minor_per_point
            if int(points) > RATIO_FACTOR * max(expected, 1):
                found.append(
                    {
                        "kind": "points_above_sales",
                        "shop_id": str(shop_id),
                        "points_earned": int(points),
                        "sales_minor": sold,
                        "payments": int(payments),
                        "message": "Points earned far above what the shop's sales allow.",
                    }
                )
        repeats = await self.session.execute(
            select(LoyaltyTransaction.wallet_id, LoyaltyTransaction.shop_id, func.count())
            .where(
                LoyaltyTransaction.reason == Reason.earn.value,
                LoyaltyTransaction.occurred_at >= now - timedelta(days=1),
            )
            .group_by(LoyaltyTransaction.wallet_id, LoyaltyTransaction.shop_id)
            .having(func.count() >= REPEAT_EARNS_PER_DAY)
        )
        last_hour = await self.session.execute(
            select(LoyaltyTransaction.shop_id, func.sum(LoyaltyEntry.amount))
            .join(LoyaltyEntry, LoyaltyEntry.transaction_id == LoyaltyTransaction.id)
            .join(LoyaltyAccount, LoyaltyAccount.id == LoyaltyEntry.account_id)
            .where(
                LoyaltyTransaction.reason == Reason.earn.value,
                LoyaltyTransaction.occurred_at >= now - timedelta(hours=1),
                LoyaltyAccount.kind == WALLET,
            )
            .group_by(LoyaltyTransaction.shop_id)
            .having(func.sum(LoyaltyEntry.amount) > self.settings.shop_earn_max_points_per_hour)
        )
        for shop_id, points in last_hour:
            found.append(
                {
                    "kind": "shop_velocity",
                    "shop_id": str(shop_id),
                    "points_earned": int(points),
                    "message": "More points awarded in the last hour than the programme allows.",
                }
            )
        for wallet_id, shop_id, count in repeats:
            found.append(
                {
                    "kind": "repeated_earning",
                    "shop_id": str(shop_id),
                    "wallet_id": str(wallet_id),
                    "payments": int(count),
                    "message": f"{count} earning payments by one wallet at one shop in a day.",
                }
            )
        return found
