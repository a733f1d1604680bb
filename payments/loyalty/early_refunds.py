"""EarlyRefundRepository: refunds that arrived before their payment's earn (models.py)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from payments.loyalty.dialect import upsert_insert
from payments.loyalty.models import LoyaltyEarlyRefund


class EarlyRefundRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self,
        key: str,
        payment_id: uuid.UUID,
        wallet_id: uuid.UUID,
        refund_id: str | None,
        amount_captured: int,
        amount_refunded: int,
        now: datetime,
    ) -> None:
        """Once per claw-back key: the same refund delivered again changes nothing."""
        await self.session.execute(
            upsert_insert(self.session, LoyaltyEarlyRefund)
            .values(
                id=uuid.uuid4(),
                idempotency_key=key,
                payment_id=payment_id,
                wallet_id=wallet_id,
                refund_id=refund_id,
                amount_captured=amount_captured,
                amount_refunded=amount_refunded,
                recorded_at=now,
            )
            .on_conflict_do_nothing(index_elements=["idempotency_key"])
        )

    async def waiting(self, payment_id: uuid.UUID) -> list[LoyaltyEarlyRefund]:
        """The payment's refunds not yet applied, smallest (earliest) refunded total first."""
        return list(
            (
                await self.session.execute(
                    select(LoyaltyEarlyRefund)
                    .where(
                        LoyaltyEarlyRefund.payment_id == payment_id,
                        LoyaltyEarlyRefund.applied_at.is_(None),
                    )
                    .order_by(LoyaltyEarlyRefund.amount_refunded, LoyaltyEarlyRefund.recorded_at)
                )
            ).scalars()
        )

    async def mark_applied(self, refund: uuid.UUID, now: datetime) -> None:
        await self.session.execute(
            update(LoyaltyEarlyRefund).where(LoyaltyEarlyRefund.id == refund).values(applied_at=now)
        )
