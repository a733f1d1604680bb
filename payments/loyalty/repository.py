"""Wallets, holds, earn rules and campaigns: the loyalty SQL that is not ledger posting."""

from __future__ import annotations

import secrets
import uuid
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from payments.loyalty.dialect import upsert_insert
from payments.loyalty.ledger import LedgerRepository, held_account, wallet_account
from payments.loyalty.models import (
    HoldStatus,
    LoyaltyAccount,
    LoyaltyCampaign,
    LoyaltyClawbackShortfall,
    LoyaltyEarnRule,
    LoyaltyEntry,
    LoyaltyHold,
    LoyaltyTransaction,
    LoyaltyWallet,
    Reason,
)


def new_card_number() -> str:
    """16 random digits, printed on the member card (never sequential)."""
    return "".join(secrets.choice("0123456789") for _ in range(16))


class LoyaltyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _insert(self, table):  # type: ignore[no-untyped-def]
        return upsert_insert(self.session, table)

    # Wallets -----------------------------------------------------------------------------

    async def wallet(self, wallet_id: uuid.UUID) -> LoyaltyWallet | None:
        return await self.session.get(LoyaltyWallet, wallet_id)

    async def wallet_of_account(self, account_id: uuid.UUID) -> LoyaltyWallet | None:
        return await self.session.scalar(
            select(LoyaltyWallet).where(LoyaltyWallet.account_id == account_id)
        )

    async def create_wallet(self, account_id: uuid.UUID | None, now: datetime) -> uuid.UUID:
        """A wallet with its two ledger accounts; for an account, at most one (a racing
        second insert does nothing and the existing wallet is returned)."""
        wallet_id = uuid.uuid4()
        statement = self._insert(LoyaltyWallet).values(
            id=wallet_id,
            card_number=new_card_number(),
            account_id=account_id,
            status="active",
            created_at=now,
        )
        if account_id is not None:
            statement = statement.on_conflict_do_nothing(index_elements=["account_id"])
        await self.session.execute(statement)
        if account_id is not None:
            existing = await self.wallet_of_account(account_id)
            assert existing is not None
            wallet_id = existing.id
        await LedgerRepository(self.session).ensure_accounts(
            [wallet_account(wallet_id), held_account(wallet_id)]
        )
        return wallet_id

    async def wallet_balances(self, wallet_id: uuid.UUID) -> tuple[int, int]:
        rows = dict(
            (
                await self.session.execute(
                    select(LoyaltyAccount.id, LoyaltyAccount.balance).where(
                        LoyaltyAccount.id.in_(
                            [wallet_account(wallet_id).id, held_account(wallet_id).id]
                        )
                    )
                )
            ).all()
        )
        return (
            int(rows.get(wallet_account(wallet_id).id, 0)),
            int(rows.get(held_account(wallet_id).id, 0)),
        )

    async def activity(self, wallet_id: uuid.UUID, limit: int = 50):  # type: ignore[no-untyped-def]
        """The wallet's transactions, newest first, with the change to its spendable points."""
        return (
            await self.session.execute(
                select(
                    LoyaltyTransaction.id,
                    LoyaltyTransaction.reason,
                    LoyaltyTransaction.shop_id,
                    LoyaltyTransaction.occurred_at,
                    LoyaltyEntry.amount,
                )
                .join(LoyaltyEntry, LoyaltyEntry.transaction_id == LoyaltyTransaction.id)
                .where(LoyaltyEntry.account_id == wallet_account(wallet_id).id)
                .order_by(LoyaltyTransaction.occurred_at.desc(), LoyaltyTransaction.id)
                .limit(limit)
            )
        ).all()

    # Earning -----------------------------------------------------------------------------

    async def put_earn_rule(
        self, shop_id: uuid.UUID, minor_per_point: int, funded_by: str, now: datetime
    ) -> None:
        statement = self._insert(LoyaltyEarnRule).values(
            shop_id=shop_id, minor_per_point=minor_per_point, funded_by=funded_by, updated_at=now
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["shop_id"],
                set_={
                    "minor_per_point": minor_per_point,
                    "funded_by": funded_by,
                    "updated_at": now,
                },
            )
        )

    def add_campaign(self, campaign: LoyaltyCampaign) -> None:
        self.session.add(campaign)

    async def wallet_amount_of(
        self, wallet_id: uuid.UUID, key: str
    ) -> tuple[uuid.UUID, int] | None:
        """(transaction id, change to the wallet) of the transaction with this key."""
        row = (
            await self.session.execute(
                select(LoyaltyTransaction.id, LoyaltyEntry.amount)
                .join(LoyaltyEntry, LoyaltyEntry.transaction_id == LoyaltyTransaction.id)
                .where(
                    LoyaltyTransaction.idempotency_key == key,
                    LoyaltyEntry.account_id == wallet_account(wallet_id).id,
                )
            )
        ).first()
        return (row[0], int(row[1])) if row else None

    async def clawed_back(self, wallet_id: uuid.UUID, payment_id: uuid.UUID) -> int:
        total = await self.session.scalar(
            select(func.coalesce(func.sum(LoyaltyEntry.amount), 0))
            .join(LoyaltyTransaction, LoyaltyTransaction.id == LoyaltyEntry.transaction_id)
            .where(
                LoyaltyTransaction.reference_id == payment_id,
                LoyaltyTransaction.reason == Reason.clawback.value,
                LoyaltyEntry.account_id == wallet_account(wallet_id).id,
            )
        )
        return -int(total)

    async def clawback_recorded(self, key: str) -> bool:
        """A claw-back under this key already ran (whether or not it moved points)."""
        found = await self.session.scalar(
            select(LoyaltyTransaction.id)
            .where(LoyaltyTransaction.idempotency_key == key)
            .union_all(
                select(LoyaltyClawbackShortfall.id).where(
                    LoyaltyClawbackShortfall.idempotency_key == key
                )
            )
            .limit(1)
        )
        return found is not None

    async def forgiven(self, payment_id: uuid.UUID) -> int:
        """Points of the payment's earlier refunds that were forgiven (already spent)."""
        total = await self.session.scalar(
            select(func.coalesce(func.sum(LoyaltyClawbackShortfall.points_forgiven), 0)).where(
                LoyaltyClawbackShortfall.payment_id == payment_id
            )
        )
        return int(total)

    async def record_shortfall(
        self,
        key: str,
        payment_id: uuid.UUID,
        wallet_id: uuid.UUID,
        points_forgiven: int,
        now: datetime,
    ) -> None:
        await self.session.execute(
            insert(LoyaltyClawbackShortfall.__table__).values(
                id=uuid.uuid4(),
                idempotency_key=key,
                payment_id=payment_id,
                wallet_id=wallet_id,
                points_forgiven=points_forgiven,
                recorded_at=now,
            )
        )

    # Holds -------------------------------------------------------------------------------

    async def add_hold(self, **values: object) -> None:
        await self.session.execute(insert(LoyaltyHold.__table__).values(**values))

    async def hold_for_update(self, hold_id: uuid.UUID) -> LoyaltyHold | None:
        return await self.session.scalar(
            select(LoyaltyHold).where(LoyaltyHold.id == hold_id).with_for_update()
        )

    async def get_hold(self, hold_id: uuid.UUID) -> LoyaltyHold | None:
        return await self.session.get(LoyaltyHold, hold_id)

    async def held_for_order(self, order_id: uuid.UUID) -> list[uuid.UUID]:
        return list(
            await self.session.scalars(
                select(LoyaltyHold.id).where(
                    LoyaltyHold.order_id == order_id, LoyaltyHold.status == HoldStatus.held.value
                )
            )
        )

    async def captured_for_order(self, order_id: uuid.UUID) -> list[uuid.UUID]:
        return list(
            await self.session.scalars(
                select(LoyaltyHold.id)
                .where(
                    LoyaltyHold.order_id == order_id,
                    LoyaltyHold.status == HoldStatus.captured.value,
                )
                .order_by(LoyaltyHold.id)
            )
        )

    async def expired_holds(self, now: datetime, limit: int) -> list[uuid.UUID]:
        return list(
            await self.session.scalars(
                select(LoyaltyHold.id)
                .where(LoyaltyHold.status == HoldStatus.held.value, LoyaltyHold.expires_at <= now)
                .order_by(LoyaltyHold.expires_at)
                .limit(limit)
            )
        )

    async def finish_hold(self, hold_id: uuid.UUID, status: HoldStatus, now: datetime) -> None:
        await self.session.execute(
            update(LoyaltyHold.__table__)
            .where(LoyaltyHold.id == hold_id)
            .values(status=status.value, finished_at=now)
        )

    async def shop_activity(self, shop_id: uuid.UUID, limit: int = 50):  # type: ignore[no-untyped-def]
        """Points moved at a shop, newest first: what happened, never who (no wallet, no
        phone): (transaction id, reason, points, when)."""
        return (
            await self.session.execute(
                select(
                    LoyaltyTransaction.id,
                    LoyaltyTransaction.reason,
                    func.sum(LoyaltyEntry.amount).filter(LoyaltyEntry.amount > 0),
                    LoyaltyTransaction.occurred_at,
                )
                .join(LoyaltyEntry, LoyaltyEntry.transaction_id == LoyaltyTransaction.id)
                .where(
                    LoyaltyTransaction.shop_id == shop_id,
                    LoyaltyTransaction.reason.in_(
                        [Reason.earn.value, Reason.clawback.value, Reason.capture.value]
                    ),
                )
                .group_by(
                    LoyaltyTransaction.id, LoyaltyTransaction.reason, LoyaltyTransaction.occurred_at
                )
                .order_by(LoyaltyTransaction.occurred_at.desc(), LoyaltyTransaction.id)
                .limit(limit)
            )
        ).all()
