"""The settlement's SQL: two aggregations over a period's ledger entries, and the statements."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from payments.loyalty.models import (
    CONSUMER_KINDS,
    LoyaltyAccount,
    LoyaltyEntry,
    LoyaltySettlementPeriod,
    LoyaltyStatement,
    LoyaltyTransaction,
    Reason,
)

SETTLED_REASONS = (Reason.earn.value, Reason.clawback.value, Reason.capture.value)


class SettlementRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def period(self, period: str) -> LoyaltySettlementPeriod | None:
        return await self.session.get(LoyaltySettlementPeriod, period)

    async def lock_period(self, period: str) -> None:
        """Serialise two settlement runs of one period: the second waits, then finds it
        closed (the primary key would refuse it anyway)."""
        if self.session.get_bind().dialect.name == "postgresql":
            await self.session.execute(
                select(func.pg_advisory_xact_lock(func.hashtext(f"loyalty-settle:{period}")))
            )

    async def movements(
        self, start: datetime, end: datetime
    ) -> list[tuple[str, uuid.UUID, str, int]]:
        """(account kind, owner, reason, sum of amounts) of the non-consumer accounts."""
        rows = await self.session.execute(
            select(
                LoyaltyAccount.kind,
                LoyaltyAccount.owner_id,
                LoyaltyTransaction.reason,
                func.sum(LoyaltyEntry.amount),
            )
            .select_from(LoyaltyEntry)
            .join(LoyaltyTransaction, LoyaltyTransaction.id == LoyaltyEntry.transaction_id)
            .join(LoyaltyAccount, LoyaltyAccount.id == LoyaltyEntry.account_id)
            .where(
                LoyaltyTransaction.occurred_at >= start,
                LoyaltyTransaction.occurred_at < end,
                LoyaltyTransaction.reason.in_(SETTLED_REASONS),
                LoyaltyAccount.kind.not_in([k.value for k in CONSUMER_KINDS]),
            )
            .group_by(LoyaltyAccount.kind, LoyaltyAccount.owner_id, LoyaltyTransaction.reason)
        )
        return [(kind, owner, reason, int(total)) for kind, owner, reason, total in rows]

    async def redeemed_by_funder(
        self, start: datetime, end: datetime
    ) -> list[tuple[str, uuid.UUID, int]]:
        """(funder kind, funder owner, points of theirs spent anywhere) in the period."""
        funder = aliased(LoyaltyAccount)
        rows = await self.session.execute(
            select(funder.kind, funder.owner_id, func.sum(LoyaltyEntry.amount))
            .select_from(LoyaltyEntry)
            .join(LoyaltyTransaction, LoyaltyTransaction.id == LoyaltyEntry.transaction_id)
            .join(funder, funder.id == LoyaltyEntry.funded_by)
            .where(
                LoyaltyTransaction.occurred_at >= start,
                LoyaltyTransaction.occurred_at < end,
                LoyaltyTransaction.reason == Reason.capture.value,
            )
            .group_by(funder.kind, funder.owner_id)
        )
        return [(kind, owner, int(total)) for kind, owner, total in rows]

    async def close(
        self,
        period: str,
        point_value_minor: int,
        now: datetime,
        statements: list[dict[str, object]],
    ) -> None:
        await self.session.execute(
            insert(LoyaltySettlementPeriod).values(
                period=period, point_value_minor=point_value_minor, closed_at=now
            )
        )
        if statements:
            await self.session.execute(insert(LoyaltyStatement).values(statements))

    async def statements(
        self, period: str, party_id: uuid.UUID | None = None
    ) -> list[LoyaltyStatement]:
        query = select(LoyaltyStatement).where(LoyaltyStatement.period == period)
        if party_id is not None:
            query = query.where(LoyaltyStatement.party_id == party_id)
        return list(
            await self.session.scalars(
                query.order_by(LoyaltyStatement.party_kind, LoyaltyStatement.party_id)
            )
        )
