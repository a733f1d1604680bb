"""Ledger accounts and lines: what a post names, with ids computed rather than looked up."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from payments.loyalty.models import AccountKind

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
