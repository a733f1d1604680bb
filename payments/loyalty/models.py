"""The points ledger: accounts, immutable transactions of entries that sum to zero, earning lots.

Only consumer accounts (a wallet's spendable and held points) keep a cached balance, updated in
the same statement that checks it cannot go below zero, with a CHECK constraint as backstop.
Every other account's balance is the sum of its entries, so busy pool and shop accounts are
never a hot row. `payments.loyalty.verify` proves the cached balances equal the entries.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, one_of, utcnow


class AccountKind(StrEnum):
    consumer_wallet = "consumer_wallet"  # owner: wallet; spendable points
    consumer_held = "consumer_held"  # owner: wallet; points held for an unpaid order
    shop_funded = "shop_funded"  # owner: shop; points the shop gave out (negative)
    shop_accepted = "shop_accepted"  # owner: shop; points spent at the shop
    pool_programme = "pool_programme"  # owner: nil uuid
    pool_street = "pool_street"  # owner: street
    pool_campaign = "pool_campaign"  # owner: campaign
    expiry = "expiry"  # owner: nil uuid; points that expired
    adjustment = "adjustment"  # owner: nil uuid; admin corrections


CONSUMER_KINDS = frozenset({AccountKind.consumer_wallet, AccountKind.consumer_held})
FUNDER_KINDS = frozenset(
    {
        AccountKind.shop_funded,
        AccountKind.pool_programme,
        AccountKind.pool_street,
        AccountKind.pool_campaign,
    }
)


class Reason(StrEnum):
    earn = "earn"
    clawback = "clawback"  # a refund takes earned points back
    hold = "hold"
    capture = "capture"  # held points spent at a shop: a redemption
    release = "release"
    expiry = "expiry"
    adjustment = "adjustment"
    transfer = "transfer"  # wallet merge


class LoyaltyAccount(Base):
    __tablename__ = "loyalty_accounts"
    __table_args__ = (
        UniqueConstraint("kind", "owner_id"),
        CheckConstraint(one_of("kind", AccountKind), name="kind"),
        CheckConstraint(
            "kind NOT IN ('consumer_wallet', 'consumer_held') OR balance >= 0",
            name="consumer_balance_not_negative",
        ),
    )

    # uuid5 of (kind, owner): callers know an account's id without reading it.
    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    owner_id: Mapped[uuid.UUID]
    balance: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoyaltyTransaction(UUIDPrimaryKey, Base):
    __tablename__ = "loyalty_transactions"
    __table_args__ = (
        CheckConstraint(one_of("reason", Reason), name="reason"),
        Index("ix_loyalty_transactions_occurred_at_reason", "occurred_at", "reason"),
        # Today's earnings (the daily cap) and a first visit at a shop, per wallet.
        Index("ix_loyalty_transactions_wallet_occurred_at", "wallet_id", "occurred_at"),
        Index("ix_loyalty_transactions_wallet_shop", "wallet_id", "shop_id"),
    )

    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    reason: Mapped[str] = mapped_column(String(20))
    wallet_id: Mapped[uuid.UUID | None]
    shop_id: Mapped[uuid.UUID | None]
    # The payment (earn, clawback), hold (hold/capture/release) or lot (expiry) it is about.
    reference_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    # The money behind an earn, for the anomaly report (points far above sales).
    amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    # No self-referencing foreign key: rows are immutable anyway, and one would make a
    # whole-table delete (tests, SQLite) depend on row order.
    reverses_id: Mapped[uuid.UUID | None]
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoyaltyClawbackShortfall(UUIDPrimaryKey, Base):
    """A refund's claw-back that took less than the refund's share of the points (the consumer
    had spent them): the points forgiven, which stay with their funder. Nothing moved, so this
    is no ledger transaction (those need two nonzero entries); it is written in the same
    transaction as the claw-back's own posting, if any, under the same key. A claw-back that
    took nothing at all is recorded here too (0 forgiven when nothing was owed), so the refund
    delivered again is a no-op and later refunds of the payment do not ask again for what was
    forgiven."""

    __tablename__ = "loyalty_clawback_shortfalls"
    __table_args__ = (CheckConstraint("points_forgiven >= 0", name="points_not_negative"),)

    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    payment_id: Mapped[uuid.UUID] = mapped_column(index=True)
    wallet_id: Mapped[uuid.UUID]  # no foreign key, as loyalty_transactions.wallet_id
    points_forgiven: Mapped[int] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoyaltyEarlyRefund(UUIDPrimaryKey, Base):
    """A refund delivered before the earn of its payment (events can arrive out of order):
    nothing to claw back yet, so it waits here, under its claw-back key. The earn, when it
    comes, takes it back at once and marks it applied."""

    __tablename__ = "loyalty_early_refunds"

    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    payment_id: Mapped[uuid.UUID] = mapped_column(index=True)
    wallet_id: Mapped[uuid.UUID]  # no foreign key, as loyalty_transactions.wallet_id
    refund_id: Mapped[str | None] = mapped_column(String(200))
    amount_captured: Mapped[int] = mapped_column(BigInteger)
    amount_refunded: Mapped[int] = mapped_column(BigInteger)
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    applied_at: Mapped[datetime | None]


class LoyaltyEntry(UUIDPrimaryKey, Base):
    __tablename__ = "loyalty_entries"
    __table_args__ = (CheckConstraint("amount <> 0", name="amount_not_zero"),)

    transaction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("loyalty_transactions.id", ondelete="RESTRICT"), index=True
    )
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("loyalty_accounts.id", ondelete="RESTRICT"), index=True
    )
    amount: Mapped[int] = mapped_column(BigInteger)
    # On a redemption's credit to the accepting shop: who funded those points (who owes).
    funded_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("loyalty_accounts.id", ondelete="RESTRICT")
    )


class LoyaltyLot(UUIDPrimaryKey, Base):
    """Points earned together, from one funder; spent and expired first-in first-out."""

    __tablename__ = "loyalty_lots"
    __table_args__ = (
        CheckConstraint("remaining >= 0 AND remaining <= points", name="remaining_in_range"),
        Index("ix_loyalty_lots_wallet_open", "wallet_id", "expires_at"),
        Index("ix_loyalty_lots_expires_at", "expires_at"),
    )

    wallet_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("loyalty_wallets.id", ondelete="RESTRICT")
    )
    funder_account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("loyalty_accounts.id", ondelete="RESTRICT")
    )
    transaction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("loyalty_transactions.id", ondelete="RESTRICT"), index=True
    )
    points: Mapped[int] = mapped_column(BigInteger)
    remaining: Mapped[int] = mapped_column(BigInteger)
    earned_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    notified_at: Mapped[datetime | None]


class LoyaltyLotUse(UUIDPrimaryKey, Base):
    """Points taken from a lot by a hold (positive) or given back to it (negative)."""

    __tablename__ = "loyalty_lot_uses"
    __table_args__ = (CheckConstraint("points <> 0", name="points_not_zero"),)

    lot_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("loyalty_lots.id", ondelete="RESTRICT"), index=True
    )
    transaction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("loyalty_transactions.id", ondelete="RESTRICT"), index=True
    )
    points: Mapped[int] = mapped_column(BigInteger)


class HoldStatus(StrEnum):
    held = "held"
    captured = "captured"
    released = "released"


class LoyaltyHold(UUIDPrimaryKey, Base):
    __tablename__ = "loyalty_holds"
    __table_args__ = (
        CheckConstraint(one_of("status", HoldStatus), name="status"),
        CheckConstraint("points > 0", name="points_positive"),
        Index("ix_loyalty_holds_status_expires_at", "status", "expires_at"),
        # A shop's redemptions today, for its daily limit.
        Index("ix_loyalty_holds_shop_created_at", "shop_id", "created_at"),
    )

    wallet_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("loyalty_wallets.id", ondelete="RESTRICT"), index=True
    )
    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="RESTRICT"))
    order_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    points: Mapped[int] = mapped_column(BigInteger)
    value_minor: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(10), default=HoldStatus.held.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class WalletStatus(StrEnum):
    active = "active"
    merged = "merged"
    deleted = "deleted"


class LoyaltyWallet(UUIDPrimaryKey, Base):
    """A consumer's points wallet; personal fields are erased on deletion (PDPA)."""

    __tablename__ = "loyalty_wallets"
    __table_args__ = (CheckConstraint(one_of("status", WalletStatus), name="status"),)

    card_number: Mapped[str] = mapped_column(String(20), unique=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL"), unique=True
    )
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    phone_verified_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(10), default=WalletStatus.active.value)
    merged_into_id: Mapped[uuid.UUID | None]  # no self-reference, as reverses_id
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoyaltyEarnRule(Base):
    """A shop's base earn rate and who funds it; shops without one use the programme default."""

    __tablename__ = "loyalty_earn_rules"
    __table_args__ = (
        CheckConstraint("minor_per_point > 0", name="rate_positive"),
        CheckConstraint("funded_by IN ('shop', 'street', 'programme')", name="funded_by"),
    )

    shop_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    minor_per_point: Mapped[int] = mapped_column(Integer)
    funded_by: Mapped[str] = mapped_column(String(10), default="shop")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class LoyaltyCampaign(UUIDPrimaryKey, Base):
    """Festival weeks: extra points (multiplier - 1 times the base) from the campaign's pool."""

    __tablename__ = "loyalty_campaigns"
    __table_args__ = (
        CheckConstraint("multiplier_pct >= 100 AND multiplier_pct <= 1000", name="multiplier"),
        CheckConstraint("ends_at > starts_at", name="dates"),
    )

    name: Mapped[str] = mapped_column(String(120))
    street_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("streets.id"))
    multiplier_pct: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoyaltySettlementPeriod(Base):
    """A month (Asia/Taipei) whose settlement ran; closed, it never changes."""

    __tablename__ = "loyalty_settlement_periods"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)  # "2026-10"
    point_value_minor: Mapped[int] = mapped_column(Integer)
    closed_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoyaltyStatement(UUIDPrimaryKey, Base):
    """One party's (shop or pool) line of a closed period."""

    __tablename__ = "loyalty_statements"
    __table_args__ = (UniqueConstraint("period", "party_kind", "party_id"),)

    period: Mapped[str] = mapped_column(
        ForeignKey("loyalty_settlement_periods.period", ondelete="RESTRICT"), index=True
    )
    party_kind: Mapped[str] = mapped_column(String(20))  # shop, pool_street, ...
    party_id: Mapped[uuid.UUID]
    points_funded: Mapped[int] = mapped_column(BigInteger)
    points_accepted: Mapped[int] = mapped_column(BigInteger)
    funded_points_redeemed: Mapped[int] = mapped_column(BigInteger)
    # Positive: the programme pays the party; negative: the party owes.
    net_minor: Mapped[int] = mapped_column(BigInteger)


class LoyaltyPhoneChallenge(UUIDPrimaryKey, Base):
    """A one-time code sent to a phone: single use, short-lived, locked after 5 wrong tries.
    Only a hash of the code is kept."""

    __tablename__ = "loyalty_phone_challenges"
    __table_args__ = (
        Index("ix_loyalty_phone_challenges_wallet_created", "wallet_id", "created_at"),
    )

    wallet_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("loyalty_wallets.id", ondelete="CASCADE")
    )
    phone: Mapped[str] = mapped_column(String(20))
    code_hash: Mapped[str] = mapped_column(String(64))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoyaltyConsent(UUIDPrimaryKey, Base):
    """PDPA: what the consumer agreed to (or withdrew), for which purpose, when."""

    __tablename__ = "loyalty_consents"

    wallet_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("loyalty_wallets.id", ondelete="RESTRICT"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(40))
    granted: Mapped[bool]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
