"""LotRepository: the SQL of earning lots (first-in first-out spending, expiry, notices).

A wallet's lots change only under its wallet account's row lock (see ledger.py), so these
methods read and update lots without locks of their own.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from payments.loyalty.accounts import Account
from payments.loyalty.models import LoyaltyLot, LoyaltyLotUse


class LotRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_lots(
        self,
        wallet_id: uuid.UUID,
        transaction_id: uuid.UUID,
        funded: Sequence[tuple[Account, int]],
        earned_at: datetime,
        expires_at: datetime,
    ) -> None:
        rows = [
            {
                "id": uuid.uuid4(),
                "wallet_id": wallet_id,
                "funder_account_id": funder.id,
                "transaction_id": transaction_id,
                "points": points,
                "remaining": points,
                "earned_at": earned_at,
                "expires_at": expires_at,
            }
            for funder, points in funded
            if points > 0
        ]
        if rows:
            await self.session.execute(insert(LoyaltyLot.__table__), rows)

    async def take_from_lots(
        self,
        wallet_id: uuid.UUID,
        points: int,
        transaction_id: uuid.UUID | None,
        *,
        prefer_transaction: uuid.UUID | None = None,
    ) -> list[tuple[uuid.UUID, int]]:
        """Take `points` from the wallet's lots, oldest expiry first (the lots of
        `prefer_transaction` before all others); returns (funder account id, points).
        With a `transaction_id` (a hold), each use is recorded so release can give it back."""
        lots = (
            await self.session.execute(
                select(LoyaltyLot.id, LoyaltyLot.remaining, LoyaltyLot.funder_account_id)
                .where(LoyaltyLot.wallet_id == wallet_id, LoyaltyLot.remaining > 0)
                .order_by(
                    (LoyaltyLot.transaction_id != prefer_transaction)
                    if prefer_transaction
                    else LoyaltyLot.expires_at,
                    LoyaltyLot.expires_at,
                    LoyaltyLot.id,
                )
            )
        ).all()
        taken: list[tuple[uuid.UUID, int]] = []
        uses = []
        left = points
        for lot_id, remaining, funder in lots:
            if left == 0:
                break
            take = min(left, int(remaining))
            left -= take
            taken.append((funder, take))
            uses.append(
                {
                    "id": uuid.uuid4(),
                    "lot_id": lot_id,
                    "transaction_id": transaction_id,
                    "points": take,
                }
            )
        if uses:
            lots_table = LoyaltyLot.__table__
            await self.session.execute(
                update(lots_table)
                .where(lots_table.c.id == bindparam("lot"))
                .values(remaining=lots_table.c.remaining - bindparam("take")),
                [{"lot": use["lot_id"], "take": use["points"]} for use in uses],
            )
        if left:
            # The cached balance said yes but the lots disagree: the ledger is inconsistent.
            raise RuntimeError(f"wallet {wallet_id} lots are {left} points short of its balance")
        if transaction_id is not None and uses:
            await self.session.execute(insert(LoyaltyLotUse.__table__), uses)
        return taken

    async def lot_uses_of(
        self, transaction_id: uuid.UUID
    ) -> list[tuple[uuid.UUID, uuid.UUID, int]]:
        """(lot id, funder account id, points) taken by a hold transaction."""
        rows = await self.session.execute(
            select(LoyaltyLotUse.lot_id, LoyaltyLot.funder_account_id, LoyaltyLotUse.points)
            .join(LoyaltyLot, LoyaltyLot.id == LoyaltyLotUse.lot_id)
            .where(LoyaltyLotUse.transaction_id == transaction_id)
            .order_by(LoyaltyLotUse.lot_id)
        )
        return [(lot, funder, int(points)) for lot, funder, points in rows]

    async def give_back(
        self, uses: Sequence[tuple[uuid.UUID, uuid.UUID, int]], transaction_id: uuid.UUID
    ) -> None:
        """Return a released hold's points to the lots they came from."""
        for lot_id, _funder, points in uses:
            await self.session.execute(
                update(LoyaltyLot.__table__)
                .where(LoyaltyLot.id == lot_id)
                .values(remaining=LoyaltyLot.remaining + points)
            )
        if uses:
            await self.session.execute(
                insert(LoyaltyLotUse.__table__),
                [
                    {
                        "id": uuid.uuid4(),
                        "lot_id": lot,
                        "transaction_id": transaction_id,
                        "points": -points,
                    }
                    for lot, _funder, points in uses
                ],
            )

    async def lots_to_expire(self, now: datetime, limit: int) -> list[tuple[uuid.UUID, uuid.UUID]]:
        rows = await self.session.execute(
            select(LoyaltyLot.id, LoyaltyLot.wallet_id)
            .where(LoyaltyLot.expires_at <= now, LoyaltyLot.remaining > 0)
            .order_by(LoyaltyLot.expires_at, LoyaltyLot.id)
            .limit(limit)
        )
        return [(lot, wallet) for lot, wallet in rows]

    async def empty_lot(self, lot_id: uuid.UUID) -> tuple[int, uuid.UUID]:
        """Set a lot's remaining to zero (wallet locked by the caller); (points, funder)."""
        row = (
            await self.session.execute(
                select(LoyaltyLot.remaining, LoyaltyLot.funder_account_id).where(
                    LoyaltyLot.id == lot_id
                )
            )
        ).one()
        await self.session.execute(
            update(LoyaltyLot.__table__).where(LoyaltyLot.id == lot_id).values(remaining=0)
        )
        return int(row.remaining), row.funder_account_id

    async def lots_to_notify(self, now: datetime, horizon: datetime, limit: int):  # type: ignore[no-untyped-def]
        return (
            await self.session.execute(
                select(
                    LoyaltyLot.id, LoyaltyLot.wallet_id, LoyaltyLot.remaining, LoyaltyLot.expires_at
                )
                .where(
                    and_(
                        LoyaltyLot.expires_at > now,
                        LoyaltyLot.expires_at <= horizon,
                        LoyaltyLot.remaining > 0,
                        LoyaltyLot.notified_at.is_(None),
                    )
                )
                .order_by(LoyaltyLot.expires_at)
                .limit(limit)
            )
        ).all()

    async def mark_notified(self, lot_ids: Sequence[uuid.UUID], now: datetime) -> None:
        if lot_ids:
            await self.session.execute(
                update(LoyaltyLot.__table__)
                .where(LoyaltyLot.id.in_(lot_ids))
                .values(notified_at=now)
            )
