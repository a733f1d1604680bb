"""Expiry: held points whose hold lapsed go back; earning lots past their date expire, first
in first out; consumers hear about points expiring within the notice period.

This is a task, so it commits: one wallet's change per transaction, so one bad wallet cannot
hold back the rest and a rerun after a crash simply carries on (keys make repeats no-ops).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from infra.logging import get_logger
from infra.settings import LoyaltySettings
from payments.loyalty.errors import HoldFinished
from payments.loyalty.ledger import PROGRAMME, Account, LedgerRepository, Line, wallet_account
from payments.loyalty.models import AccountKind, Reason
from payments.loyalty.repository import LoyaltyRepository
from payments.loyalty.service import LoyaltyService

log = get_logger("onestreet.loyalty")
BATCH = 500
EXPIRY = Account(AccountKind.expiry, PROGRAMME)


class Notifier(Protocol):
    async def points_expiring(
        self, wallet_id: uuid.UUID, points: int, expires_at: datetime
    ) -> None: ...


class LogNotifier:
    """Embedded mode's sender: a log line per notice (an e-mail/SMS sender plugs in here)."""

    def __init__(self) -> None:
        self.sent: list[tuple[uuid.UUID, int, datetime]] = []

    async def points_expiring(
        self, wallet_id: uuid.UUID, points: int, expires_at: datetime
    ) -> None:
        self.sent.append((wallet_id, points, expires_at))
        log.info(
            "loyalty_points_expiring",
            wallet_id=str(wallet_id),
            points=points,
            expires_at=expires_at.isoformat(),
        )


class ExpiryService:
    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        settings: LoyaltySettings,
        notifier: Notifier,
    ) -> None:
        self.sessions = sessions
        self.settings = settings
        self.notifier = notifier

    async def run(self, now: datetime) -> dict[str, int]:
        return {
            "holds_released": await self.release_lapsed_holds(now),
            "lots_expired": await self.expire_lots(now),
            "notices_sent": await self.notify(now),
        }

    async def release_lapsed_holds(self, now: datetime) -> int:
        released = 0
        while True:
            async with self.sessions() as session:
                due = await LoyaltyRepository(session).expired_holds(now, BATCH)
            if not due:
                return released
            for hold_id in due:
                async with self.sessions() as session:
                    try:
                        await LoyaltyService(session, self.settings).release(hold_id, now)
                    except HoldFinished:
                        continue  # captured or released meanwhile
                    await session.commit()
                    released += 1
            if len(due) < BATCH:
                return released

    async def expire_lots(self, now: datetime) -> int:
        expired = 0
        while True:
            async with self.sessions() as session:
                due = await LedgerRepository(session).lots_to_expire(now, BATCH)
            if not due:
                return expired
            for lot_id, wallet_id in due:
                async with self.sessions() as session:
                    ledger = LedgerRepository(session)
                    await ledger.ensure_accounts([EXPIRY])
                    await ledger.lock_wallet(wallet_id)
                    points, funder = await ledger.empty_lot(lot_id)
                    if points > 0:
                        await ledger.post(
                            key=f"expire:{lot_id}",
                            reason=Reason.expiry.value,
                            lines=[
                                Line(wallet_account(wallet_id), -points),
                                Line(EXPIRY, points, funded_by=funder),
                            ],
                            now=now,
                            wallet_id=wallet_id,
                            reference_id=lot_id,
                        )
                        expired += 1
                    await session.commit()
            if len(due) < BATCH:
                return expired

    async def notify(self, now: datetime) -> int:
        """One notice per wallet per run, covering its lots that expire within the notice
        period and were not announced yet."""
        horizon = now + timedelta(days=self.settings.expiry_notice_days)
        sent = 0
        async with self.sessions() as session:
            ledger = LedgerRepository(session)
            rows = await ledger.lots_to_notify(now, horizon, 10_000)
            per_wallet: dict[uuid.UUID, tuple[int, datetime]] = {}
            for _lot, wallet_id, remaining, expires_at in rows:
                points, first = per_wallet.get(wallet_id, (0, expires_at))
                per_wallet[wallet_id] = (points + int(remaining), min(first, expires_at))
            # Marked first, then sent: a crash loses a notice rather than repeating it daily.
            await ledger.mark_notified([row[0] for row in rows], now)
            await session.commit()
        for wallet_id, (points, first) in per_wallet.items():
            await self.notifier.points_expiring(wallet_id, points, first)
            sent += 1
        return sent
