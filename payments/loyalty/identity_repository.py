"""SQL for phone codes, merging wallets, consent and erasure."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from payments.loyalty.models import (
    HoldStatus,
    LoyaltyConsent,
    LoyaltyHold,
    LoyaltyLot,
    LoyaltyPhoneChallenge,
    LoyaltyWallet,
    WalletStatus,
)


class IdentityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def sends_since(self, wallet_id: uuid.UUID, phone: str, since: datetime) -> int:
        count = await self.session.scalar(
            select(func.count())
            .select_from(LoyaltyPhoneChallenge)
            .where(
                (LoyaltyPhoneChallenge.wallet_id == wallet_id)
                | (LoyaltyPhoneChallenge.phone == phone),
                LoyaltyPhoneChallenge.created_at >= since,
            )
        )
        return int(count or 0)

    def add_challenge(self, challenge: LoyaltyPhoneChallenge) -> None:
        self.session.add(challenge)

    async def latest_challenge(self, wallet_id: uuid.UUID) -> LoyaltyPhoneChallenge | None:
        return await self.session.scalar(
            select(LoyaltyPhoneChallenge)
            .where(LoyaltyPhoneChallenge.wallet_id == wallet_id)
            .order_by(LoyaltyPhoneChallenge.created_at.desc())
            .limit(1)
            .with_for_update()
        )

    async def wallet_with_phone(self, phone: str) -> LoyaltyWallet | None:
        return await self.session.scalar(
            select(LoyaltyWallet).where(
                LoyaltyWallet.phone == phone, LoyaltyWallet.status == WalletStatus.active.value
            )
        )

    async def wallet_with_card(self, card_number: str) -> LoyaltyWallet | None:
        return await self.session.scalar(
            select(LoyaltyWallet).where(
                LoyaltyWallet.card_number == card_number,
                LoyaltyWallet.status == WalletStatus.active.value,
            )
        )

    async def set_wallet(self, wallet_id: uuid.UUID, **values: object) -> None:
        await self.session.execute(
            update(LoyaltyWallet).where(LoyaltyWallet.id == wallet_id).values(**values)
        )

    async def move_lots(self, source: uuid.UUID, target: uuid.UUID) -> None:
        """Lots keep their dates and funders when a wallet is merged (FIFO and settlement
        carry on as if the points had been earned in the target)."""
        await self.session.execute(
            update(LoyaltyLot)
            .where(LoyaltyLot.wallet_id == source, LoyaltyLot.remaining > 0)
            .values(wallet_id=target)
        )

    async def open_holds(self, wallet_id: uuid.UUID) -> list[uuid.UUID]:
        return list(
            await self.session.scalars(
                select(LoyaltyHold.id).where(
                    LoyaltyHold.wallet_id == wallet_id,
                    LoyaltyHold.status == HoldStatus.held.value,
                )
            )
        )

    async def forget_challenges(self, wallet_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(LoyaltyPhoneChallenge).where(LoyaltyPhoneChallenge.wallet_id == wallet_id)
        )

    def add_consent(self, consent: LoyaltyConsent) -> None:
        self.session.add(consent)

    async def consents(self, wallet_id: uuid.UUID) -> list[LoyaltyConsent]:
        return list(
            await self.session.scalars(
                select(LoyaltyConsent)
                .where(LoyaltyConsent.wallet_id == wallet_id)
                .order_by(LoyaltyConsent.recorded_at)
            )
        )

    async def lots(self, wallet_id: uuid.UUID) -> list[LoyaltyLot]:
        return list(
            await self.session.scalars(
                select(LoyaltyLot)
                .where(LoyaltyLot.wallet_id == wallet_id)
                .order_by(LoyaltyLot.expires_at)
            )
        )

    async def holds(self, wallet_id: uuid.UUID) -> list[LoyaltyHold]:
        return list(
            await self.session.scalars(
                select(LoyaltyHold)
                .where(LoyaltyHold.wallet_id == wallet_id)
                .order_by(LoyaltyHold.created_at)
            )
        )
