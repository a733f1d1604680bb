"""Taiwan PDPA: consent with purpose and time, a download of one's data, and erasure.

Erasure removes what identifies the person (phone, the link to the sign-in account, the card
number) and forfeits the points left; the ledger keeps its entries, which name only the
wallet's random id, so every transaction still balances and settlement still reconciles.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import ValidationFailed
from infra.settings import LoyaltySettings
from payments.loyalty.errors import problem
from payments.loyalty.identity_repository import IdentityRepository
from payments.loyalty.ledger import PROGRAMME, Account, LedgerRepository, Line, wallet_account
from payments.loyalty.models import AccountKind, LoyaltyConsent, Reason, WalletStatus
from payments.loyalty.repository import LoyaltyRepository, new_card_number
from payments.loyalty.service import LoyaltyService

PURPOSES = ("loyalty_programme", "marketing_messages", "programme_statistics")
ADJUSTMENT = Account(AccountKind.adjustment, PROGRAMME)


class PrivacyService:
    def __init__(self, session: AsyncSession, settings: LoyaltySettings) -> None:
        self.session = session
        self.settings = settings
        self.repo = IdentityRepository(session)
        self.loyalty = LoyaltyRepository(session)

    async def record_consent(
        self, wallet_id: uuid.UUID, purpose: str, granted: bool, now: datetime
    ) -> LoyaltyConsent:
        if purpose not in PURPOSES:
            raise ValidationFailed(
                f"purpose is one of {', '.join(PURPOSES)}", details=problem("purpose", "unknown")
            )
        consent = LoyaltyConsent(
            id=uuid.uuid4(),
            wallet_id=wallet_id,
            purpose=purpose,
            granted=granted,
            recorded_at=now,
        )
        self.repo.add_consent(consent)
        return consent

    async def export(self, wallet_id: uuid.UUID) -> dict[str, Any]:
        wallet = await self.loyalty.wallet(wallet_id)
        assert wallet is not None
        balance, held = await self.loyalty.wallet_balances(wallet_id)
        return {
            "wallet": {
                "id": str(wallet.id),
                "card_number": wallet.card_number,
                "phone": wallet.phone,
                "phone_verified_at": _iso(wallet.phone_verified_at),
                "created_at": _iso(wallet.created_at),
                "balance": balance,
                "held": held,
            },
            "consents": [
                {"purpose": c.purpose, "granted": c.granted, "recorded_at": _iso(c.recorded_at)}
                for c in await self.repo.consents(wallet_id)
            ],
            "activity": [
                {
                    "transaction_id": str(tx),
                    "reason": reason,
                    "shop_id": str(shop) if shop else None,
                    "occurred_at": _iso(at),
                    "points": int(points),
                }
                for tx, reason, shop, at, points in await self.loyalty.activity(wallet_id, 10_000)
            ],
            "lots": [
                {
                    "points": lot.points,
                    "remaining": lot.remaining,
                    "earned_at": _iso(lot.earned_at),
                    "expires_at": _iso(lot.expires_at),
                }
                for lot in await self.repo.lots(wallet_id)
            ],
            "holds": [
                {
                    "id": str(h.id),
                    "shop_id": str(h.shop_id),
                    "points": h.points,
                    "status": h.status,
                    "created_at": _iso(h.created_at),
                }
                for h in await self.repo.holds(wallet_id)
            ],
        }

    async def erase(self, wallet_id: uuid.UUID, now: datetime) -> int:
        """Erase the wallet's personal fields; returns the points forfeited."""
        service = LoyaltyService(self.session, self.settings)
        for hold_id in await self.repo.open_holds(wallet_id):
            await service.release(hold_id, now)
        ledger = LedgerRepository(self.session)
        points = await ledger.lock_wallet(wallet_id)
        if points > 0:
            await ledger.ensure_accounts([ADJUSTMENT])
            await ledger.take_from_lots(wallet_id, points, None)
            await ledger.post(
                key=f"erase:{wallet_id}",
                reason=Reason.adjustment.value,
                lines=[Line(wallet_account(wallet_id), -points), Line(ADJUSTMENT, points)],
                now=now,
                wallet_id=wallet_id,
            )
        await self.repo.forget_challenges(wallet_id)
        await self.repo.set_wallet(
            wallet_id,
            phone=None,
            phone_verified_at=None,
            account_id=None,
            card_number="X" + new_card_number()[:15],
            status=WalletStatus.deleted.value,
        )
        return points


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
