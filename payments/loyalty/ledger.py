"""LedgerRepository: the only code that writes ledger rows. All of its SQL is here.

Posting rules, in this order, so concurrent posts cannot deadlock or overdraw:
1. consumer accounts are changed in ascending id order, each by one conditional UPDATE that
   refuses to take the balance below zero (the CHECK constraint is the backstop);
2. only then are a wallet's lots touched: the wallet account's row lock, taken in step 1 or by
   `lock_wallet`, serialises everything that changes that wallet's lots.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from payments.loyalty.errors import InsufficientPoints, problem
from payments.loyalty.models import (
    CONSUMER_KINDS,
    AccountKind,
    LoyaltyAccount,
    LoyaltyEntry,
    LoyaltyLot,
    LoyaltyLotUse,
    LoyaltyTransaction,
)

_NAMESPACE = uuid.UUID("6f0b6c2e-5b1e-4b7a-9a43-3c1f0e0d2a11")
PROGRAMME = uuid.UUID(int=0)  # owner of programme-wide accounts


def account_id(kind: AccountKind, owner_id: uuid.UUID) -> uuid.UUID:
    """Deterministic, so a post needs no look-up to find the account it writes to."""
    return uuid.uuid5(_NAMESPACE, f"{kind.value}:{owner_id}")


@dataclass(frozen=True, slots=True)
class Account:
    kind: AccountKind
    owner_id: uuid.UUID

    @property
    def id(self) -> uuid.UUID:
        return account_id(self.kind, self.owner_id)


@dataclass(frozen=True, slots=True)
class FunderRef:
    """A funding account known by id only (from a lot). Funders are never consumer
    accounts, so posting to one needs no kind beyond "not a consumer"."""

    id: uuid.UUID
    kind: AccountKind = AccountKind.shop_funded


def funder_ref(account: uuid.UUID) -> FunderRef:
    return FunderRef(account)


@dataclass(frozen=True, slots=True)
class Line:
    account: Account | FunderRef
    amount: int
    funded_by: uuid.UUID | None = None


def wallet_account(wallet_id: uuid.UUID) -> Account:
    return Account(AccountKind.consumer_wallet, wallet_id)


def held_account(wallet_id: uuid.UUID) -> Account:
    return Account(AccountKind.consumer_held, wallet_id)


class LedgerRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def _insert(self, table):  # type: ignore[no-untyped-def]
        dialect = self.session.get_bind().dialect.name
        return (postgresql if dialect == "postgresql" else sqlite).insert(table)

    async def ensure_accounts(self, accounts: Iterable[Account]) -> None:
        rows = {a.id: {"id": a.id, "kind": a.kind.value, "owner_id": a.owner_id} for a in accounts}
        if rows:
            statement = self._insert(LoyaltyAccount).on_conflict_do_nothing()
            await self.session.execute(statement, [rows[key] for key in sorted(rows)])

    async def key_exists(self, key: str) -> uuid.UUID | None:
        return await self.session.scalar(
            select(LoyaltyTransaction.id).where(LoyaltyTransaction.idempotency_key == key)
        )

    async def post(
        self,
        *,
        key: str,
        reason: str,
        lines: Sequence[Line],
        now: datetime,
        wallet_id: uuid.UUID | None = None,
        shop_id: uuid.UUID | None = None,
        reference_id: uuid.UUID | None = None,
        reverses_id: uuid.UUID | None = None,
        amount_minor: int | None = None,
    ) -> uuid.UUID:
        """Record one balanced transaction; InsufficientPoints if a consumer balance would
        go below zero (nothing is written then: the caller's transaction rolls back)."""
        if len(lines) < 2 or sum(line.amount for line in lines) != 0:
            raise ValueError(f"unbalanced ledger transaction {reason}: {lines}")
        if any(line.amount == 0 for line in lines):
            raise ValueError("ledger lines move at least one point")
        deltas: dict[uuid.UUID, int] = defaultdict(int)
        for line in lines:
            if line.account.kind in CONSUMER_KINDS:
                deltas[line.account.id] += line.amount
        for changed in sorted(deltas):
            delta = deltas[changed]
            if delta == 0:
                continue
            table = LoyaltyAccount.__table__
            done = await self.session.execute(
                update(table)
                .where(table.c.id == changed, table.c.balance + delta >= 0)
                .values(balance=table.c.balance + delta)
                .returning(table.c.id)
            )
            if done.first() is None:
                raise InsufficientPoints(
                    "Not enough points for this.", details=problem("points", "exceeds balance")
                )
        transaction_id = uuid.uuid4()
        await self.session.execute(
            insert(LoyaltyTransaction.__table__).values(
                id=transaction_id,
                idempotency_key=key,
                reason=reason,
                wallet_id=wallet_id,
                shop_id=shop_id,
                reference_id=reference_id,
                reverses_id=reverses_id,
                amount_minor=amount_minor,
                occurred_at=now,
            )
        )
        # executemany form: one cached statement, whatever the number of rows.
        await self.session.execute(
            insert(LoyaltyEntry.__table__),
            [
                {
                    "id": uuid.uuid4(),
                    "transaction_id": transaction_id,
                    "account_id": line.account.id,
                    "amount": line.amount,
                    "funded_by": line.funded_by,
                }
                for line in lines
            ],
        )
        return transaction_id

    async def lock_wallet(self, wallet_id: uuid.UUID) -> int:
        """Lock the wallet's spendable account (see the module docstring); its balance."""
        table = LoyaltyAccount.__table__
        balance = await self.session.scalar(
            select(table.c.balance)
            .where(table.c.id == wallet_account(wallet_id).id)
            .with_for_update()
        )
        return int(balance or 0)

    async def balance(self, account: Account) -> int:
        """Derived from the entries, whatever the account kind."""
        total = await self.session.scalar(
            select(func.coalesce(func.sum(LoyaltyEntry.amount), 0)).where(
                LoyaltyEntry.account_id == account.id
            )
        )
        return int(total)

    async def cached_balance(self, account: Account) -> int:
        value = await self.session.scalar(
            select(LoyaltyAccount.balance).where(LoyaltyAccount.id == account.id)
        )
        return int(value or 0)

    # Lots ------------------------------------------------------------------------------

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
