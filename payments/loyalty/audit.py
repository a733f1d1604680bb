"""The ledger's invariants as queries: what tests, `onestreet loyalty verify` and the daily
task check. Each returns the offending rows, so an empty answer means the invariant holds."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from payments.loyalty.models import (
    AccountKind,
    LoyaltyAccount,
    LoyaltyEntry,
    LoyaltyLot,
    LoyaltyTransaction,
)


@dataclass
class AuditReport:
    transactions: int = 0
    entries: int = 0
    unbalanced: list[str] = field(default_factory=list)
    short_transactions: list[str] = field(default_factory=list)
    cached_balance_mismatch: list[str] = field(default_factory=list)
    negative_consumer_balance: list[str] = field(default_factory=list)
    lots_mismatch: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.unbalanced
            or self.short_transactions
            or self.cached_balance_mismatch
            or self.negative_consumer_balance
            or self.lots_mismatch
        )


class LedgerAudit:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def run(self) -> AuditReport:
        report = AuditReport()
        report.transactions = int(
            await self.session.scalar(select(func.count()).select_from(LoyaltyTransaction)) or 0
        )
        report.entries = int(
            await self.session.scalar(select(func.count()).select_from(LoyaltyEntry)) or 0
        )
        per_transaction = (
            select(
                LoyaltyEntry.transaction_id,
                func.sum(LoyaltyEntry.amount).label("total"),
                func.count().label("n"),
            )
            .group_by(LoyaltyEntry.transaction_id)
            .subquery()
        )
        report.unbalanced = [
            str(t)
            for t in await self.session.scalars(
                select(per_transaction.c.transaction_id).where(per_transaction.c.total != 0)
            )
        ]
        # A transaction with fewer than two entries (or none at all) is not double-entry.
        report.short_transactions = [
            str(t)
            for t in await self.session.scalars(
                select(LoyaltyTransaction.id)
                .outerjoin(
                    per_transaction, per_transaction.c.transaction_id == LoyaltyTransaction.id
                )
                .where(func.coalesce(per_transaction.c.n, 0) < 2)
            )
        ]
        sums = (
            select(LoyaltyEntry.account_id, func.sum(LoyaltyEntry.amount).label("total"))
            .group_by(LoyaltyEntry.account_id)
            .subquery()
        )
        consumer = [AccountKind.consumer_wallet.value, AccountKind.consumer_held.value]
        rows = await self.session.execute(
            select(LoyaltyAccount.id, LoyaltyAccount.balance, func.coalesce(sums.c.total, 0))
            .outerjoin(sums, sums.c.account_id == LoyaltyAccount.id)
            .where(LoyaltyAccount.kind.in_(consumer))
        )
        for account, cached, derived in rows:
            if int(cached) != int(derived):
                report.cached_balance_mismatch.append(f"{account}: {cached} != {derived}")
            if int(derived) < 0 or int(cached) < 0:
                report.negative_consumer_balance.append(str(account))
        lots = (
            select(LoyaltyLot.wallet_id, func.sum(LoyaltyLot.remaining).label("remaining"))
            .group_by(LoyaltyLot.wallet_id)
            .subquery()
        )
        rows = await self.session.execute(
            select(
                LoyaltyAccount.owner_id, LoyaltyAccount.balance, func.coalesce(lots.c.remaining, 0)
            )
            .outerjoin(lots, lots.c.wallet_id == LoyaltyAccount.owner_id)
            .where(LoyaltyAccount.kind == AccountKind.consumer_wallet.value)
        )
        for wallet, balance, remaining in rows:
            if int(balance) != int(remaining):
                report.lots_mismatch.append(f"{wallet}: balance {balance} lots {remaining}")
        return report
