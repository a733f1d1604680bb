"""LedgerRepository: the only code that writes ledger rows (lots: lots.py, inherited).

Posting rules, in this order, so concurrent posts cannot deadlock or overdraw:
1. consumer accounts are changed in ascending id order, each by one conditional UPDATE that
   refuses to take the balance below zero (the CHECK constraint is the backstop);
2. only then are a wallet's lots touched: the wallet account's row lock, taken in step 1 or by
   `lock_wallet`, serialises everything that changes that wallet's lots.
A replay-tolerant post (`new_only`) inserts its transaction row first: a key already recorded
(or being recorded by a concurrent post, which it waits for) stops it before any balance moves.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update

from payments.loyalty.accounts import (
    PROGRAMME,
    Account,
    FunderRef,
    Line,
    account_id,
    funder_ref,
    held_account,
    wallet_account,
)
from payments.loyalty.dialect import upsert_insert
from payments.loyalty.errors import redemption_refusal
from payments.loyalty.lots import LotRepository
from payments.loyalty.models import (
    CONSUMER_KINDS,
    LoyaltyAccount,
    LoyaltyEntry,
    LoyaltyTransaction,
)

__all__ = [
    "PROGRAMME",
    "REPLAYED",
    "Account",
    "FunderRef",
    "LedgerRepository",
    "Line",
    "Posting",
    "account_id",
    "funder_ref",
    "held_account",
    "wallet_account",
]


REPLAYED = uuid.UUID(int=0)  # post(new_only=True) found the key already recorded


@dataclass(frozen=True, slots=True)
class Posting:
    """A ledger transaction's header; its lines go to `insert_entries`."""

    id: uuid.UUID
    key: str
    reason: str
    wallet_id: uuid.UUID | None = None
    shop_id: uuid.UUID | None = None
    reference_id: uuid.UUID | None = None
    reverses_id: uuid.UUID | None = None
    amount_minor: int | None = None


def check_balanced(reason: str, lines: Sequence[Line]) -> None:
    if len(lines) < 2 or sum(line.amount for line in lines) != 0:
        raise ValueError(f"unbalanced ledger transaction {reason}: {lines}")
    if any(line.amount == 0 for line in lines):
        raise ValueError("ledger lines move at least one point")


class LedgerRepository(LotRepository):
    """Posting and balances; the lot methods are inherited."""

    def _insert(self, table):  # type: ignore[no-untyped-def]
        return upsert_insert(self.session, table)

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
        new_only: bool = False,
    ) -> uuid.UUID:
        """Record one balanced transaction; InsufficientPoints if a consumer balance would
        go below zero (nothing is written then: the caller's transaction rolls back).

        `new_only`: a transaction with this key already recorded is no error; nothing is
        written and the nil uuid returned (a replayed event, without a look-up first)."""
        check_balanced(reason, lines)
        posting = Posting(
            uuid.uuid4(), key, reason, wallet_id, shop_id, reference_id, reverses_id, amount_minor
        )
        if new_only:
            # The key first: a replay stops here, before any balance moves.
            if not await self.insert_transactions([posting], now, new_only=True):
                return REPLAYED
            await self.apply_to_balances(lines)
        else:
            await self.apply_to_balances(lines)
            await self.insert_transactions([posting], now)
        await self.insert_entries([(posting.id, line) for line in lines])
        return posting.id

    async def apply_to_balances(self, lines: Iterable[Line]) -> None:
        """Change the consumer accounts' cached balances by the lines' net amounts, in
        ascending id order, each refusing to go below zero (module docstring, rule 1)."""
        deltas: dict[uuid.UUID, int] = defaultdict(int)
        for line in lines:
            if line.account.kind in CONSUMER_KINDS:
                deltas[line.account.id] += line.amount
        table = LoyaltyAccount.__table__
        for changed in sorted(deltas):
            delta = deltas[changed]
            if delta == 0:
                continue
            done = await self.session.execute(
                update(table)
                .where(table.c.id == changed, table.c.balance + delta >= 0)
                .values(balance=table.c.balance + delta)
                .returning(table.c.id)
            )
            if done.first() is None:
                raise redemption_refusal("insufficient")

    async def insert_transactions(
        self, postings: Sequence[Posting], now: datetime, *, new_only: bool = False
    ) -> bool:
        """One round trip for any number; with `new_only`, False if the key exists."""
        rows = [
            {
                "id": p.id,
                "idempotency_key": p.key,
                "reason": p.reason,
                "wallet_id": p.wallet_id,
                "shop_id": p.shop_id,
                "reference_id": p.reference_id,
                "reverses_id": p.reverses_id,
                "amount_minor": p.amount_minor,
                "occurred_at": now,
            }
            for p in postings
        ]
        if new_only:
            table = LoyaltyTransaction.__table__
            statement = (
                self._insert(table)
                .values(rows)
                .on_conflict_do_nothing(index_elements=["idempotency_key"])
                .returning(table.c.id)
            )
            return (await self.session.execute(statement)).first() is not None
        await self.session.execute(insert(LoyaltyTransaction.__table__), rows)
        return True

    async def insert_entries(self, entries: Sequence[tuple[uuid.UUID, Line]]) -> None:
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
                for transaction_id, line in entries
            ],
        )

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
