"""Loyalty points: the double-entry ledger, lots, holds, wallets, rules, settlement.

On PostgreSQL the database itself also refuses an unbalanced transaction (a deferred
constraint trigger checks each transaction's entries sum to zero at commit) and any UPDATE or
DELETE of ledger rows or closed settlements: they are corrected only by new transactions.

Revision ID: 0012_loyalty
Revises: 0011_stripe
Create Date: 2026-11-26 16:00:29.824142
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infra.db

revision: str = "0012_loyalty"
down_revision: str | Sequence[str] | None = "0011_stripe"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "loyalty_accounts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.Column("balance", sa.BigInteger(), nullable=False),
        sa.Column("created_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('consumer_wallet', 'consumer_held', 'shop_funded', 'shop_accepted', 'pool_programme', 'pool_street', 'pool_campaign', 'expiry', 'adjustment')",
            name=op.f("ck_loyalty_accounts_kind"),
        ),
        sa.CheckConstraint(
            "kind NOT IN ('consumer_wallet', 'consumer_held') OR balance >= 0",
            name=op.f("ck_loyalty_accounts_consumer_balance_not_negative"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_accounts")),
        sa.UniqueConstraint("kind", "owner_id", name=op.f("uq_loyalty_accounts_kind_owner_id")),
    )
    op.create_table(
        "loyalty_settlement_periods",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("point_value_minor", sa.Integer(), nullable=False),
        sa.Column("closed_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("period", name=op.f("pk_loyalty_settlement_periods")),
    )
    op.create_table(
        "loyalty_transactions",
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("wallet_id", sa.Uuid(), nullable=True),
        sa.Column("shop_id", sa.Uuid(), nullable=True),
        sa.Column("reference_id", sa.Uuid(), nullable=True),
        sa.Column("amount_minor", sa.BigInteger(), nullable=True),
        sa.Column("reverses_id", sa.Uuid(), nullable=True),
        sa.Column("occurred_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "reason IN ('earn', 'clawback', 'hold', 'capture', 'release', 'expiry', 'adjustment', 'transfer')",
            name=op.f("ck_loyalty_transactions_reason"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_transactions")),
        sa.UniqueConstraint(
            "idempotency_key", name=op.f("uq_loyalty_transactions_idempotency_key")
        ),
    )
    with op.batch_alter_table("loyalty_transactions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_loyalty_transactions_occurred_at_reason", ["occurred_at", "reason"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_loyalty_transactions_reference_id"), ["reference_id"], unique=False
        )
        batch_op.create_index(
            "ix_loyalty_transactions_wallet_occurred_at", ["wallet_id", "occurred_at"], unique=False
        )
        batch_op.create_index(
            "ix_loyalty_transactions_wallet_shop", ["wallet_id", "shop_id"], unique=False
        )

    op.create_table(
        "loyalty_campaigns",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("street_id", sa.Uuid(), nullable=True),
        sa.Column("multiplier_pct", sa.Integer(), nullable=False),
        sa.Column("starts_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name=op.f("ck_loyalty_campaigns_dates")),
        sa.CheckConstraint(
            "multiplier_pct >= 100 AND multiplier_pct <= 1000",
            name=op.f("ck_loyalty_campaigns_multiplier"),
        ),
        sa.ForeignKeyConstraint(
            ["street_id"], ["streets.id"], name=op.f("fk_loyalty_campaigns_street_id_streets")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_campaigns")),
    )
    op.create_table(
        "loyalty_entries",
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("funded_by", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("amount <> 0", name=op.f("ck_loyalty_entries_amount_not_zero")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["loyalty_accounts.id"],
            name=op.f("fk_loyalty_entries_account_id_loyalty_accounts"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["funded_by"],
            ["loyalty_accounts.id"],
            name=op.f("fk_loyalty_entries_funded_by_loyalty_accounts"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["loyalty_transactions.id"],
            name=op.f("fk_loyalty_entries_transaction_id_loyalty_transactions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_entries")),
    )
    with op.batch_alter_table("loyalty_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_loyalty_entries_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_loyalty_entries_transaction_id"), ["transaction_id"], unique=False
        )

    op.create_table(
        "loyalty_statements",
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("party_kind", sa.String(length=20), nullable=False),
        sa.Column("party_id", sa.Uuid(), nullable=False),
        sa.Column("points_funded", sa.BigInteger(), nullable=False),
        sa.Column("points_accepted", sa.BigInteger(), nullable=False),
        sa.Column("funded_points_redeemed", sa.BigInteger(), nullable=False),
        sa.Column("net_minor", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["period"],
            ["loyalty_settlement_periods.period"],
            name=op.f("fk_loyalty_statements_period_loyalty_settlement_periods"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_statements")),
        sa.UniqueConstraint(
            "period",
            "party_kind",
            "party_id",
            name=op.f("uq_loyalty_statements_period_party_kind_party_id"),
        ),
    )
    with op.batch_alter_table("loyalty_statements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_loyalty_statements_period"), ["period"], unique=False)

    op.create_table(
        "loyalty_wallets",
        sa.Column("card_number", sa.String(length=20), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("phone_verified_at", infra.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("merged_into_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'merged', 'deleted')", name=op.f("ck_loyalty_wallets_status")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_loyalty_wallets_account_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_wallets")),
        sa.UniqueConstraint("account_id", name=op.f("uq_loyalty_wallets_account_id")),
        sa.UniqueConstraint("card_number", name=op.f("uq_loyalty_wallets_card_number")),
        sa.UniqueConstraint("phone", name=op.f("uq_loyalty_wallets_phone")),
    )
    op.create_table(
        "loyalty_consents",
        sa.Column("wallet_id", sa.Uuid(), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.Column("recorded_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["wallet_id"],
            ["loyalty_wallets.id"],
            name=op.f("fk_loyalty_consents_wallet_id_loyalty_wallets"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_consents")),
    )
    with op.batch_alter_table("loyalty_consents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_loyalty_consents_wallet_id"), ["wallet_id"], unique=False
        )

    op.create_table(
        "loyalty_earn_rules",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("minor_per_point", sa.Integer(), nullable=False),
        sa.Column("funded_by", sa.String(length=10), nullable=False),
        sa.Column("updated_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "funded_by IN ('shop', 'street', 'programme')",
            name=op.f("ck_loyalty_earn_rules_funded_by"),
        ),
        sa.CheckConstraint("minor_per_point > 0", name=op.f("ck_loyalty_earn_rules_rate_positive")),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_loyalty_earn_rules_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("shop_id", name=op.f("pk_loyalty_earn_rules")),
    )
    op.create_table(
        "loyalty_holds",
        sa.Column("wallet_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=True),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("value_minor", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("created_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", infra.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "status IN ('held', 'captured', 'released')", name=op.f("ck_loyalty_holds_status")
        ),
        sa.CheckConstraint("points > 0", name=op.f("ck_loyalty_holds_points_positive")),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_loyalty_holds_shop_id_shops"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["wallet_id"],
            ["loyalty_wallets.id"],
            name=op.f("fk_loyalty_holds_wallet_id_loyalty_wallets"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_holds")),
    )
    with op.batch_alter_table("loyalty_holds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_loyalty_holds_order_id"), ["order_id"], unique=False)
        batch_op.create_index(
            "ix_loyalty_holds_status_expires_at", ["status", "expires_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_loyalty_holds_wallet_id"), ["wallet_id"], unique=False)

    op.create_table(
        "loyalty_lots",
        sa.Column("wallet_id", sa.Uuid(), nullable=False),
        sa.Column("funder_account_id", sa.Uuid(), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("remaining", sa.BigInteger(), nullable=False),
        sa.Column("earned_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("notified_at", infra.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "remaining >= 0 AND remaining <= points",
            name=op.f("ck_loyalty_lots_remaining_in_range"),
        ),
        sa.ForeignKeyConstraint(
            ["funder_account_id"],
            ["loyalty_accounts.id"],
            name=op.f("fk_loyalty_lots_funder_account_id_loyalty_accounts"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["loyalty_transactions.id"],
            name=op.f("fk_loyalty_lots_transaction_id_loyalty_transactions"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["wallet_id"],
            ["loyalty_wallets.id"],
            name=op.f("fk_loyalty_lots_wallet_id_loyalty_wallets"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_lots")),
    )
    with op.batch_alter_table("loyalty_lots", schema=None) as batch_op:
        batch_op.create_index("ix_loyalty_lots_expires_at", ["expires_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_loyalty_lots_transaction_id"), ["transaction_id"], unique=False
        )
        batch_op.create_index(
            "ix_loyalty_lots_wallet_open", ["wallet_id", "expires_at"], unique=False
        )

    op.create_table(
        "loyalty_phone_challenges",
        sa.Column("wallet_id", sa.Uuid(), nullable=False),
        sa.Column("phone", sa.String(length=20), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("expires_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", infra.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["wallet_id"],
            ["loyalty_wallets.id"],
            name=op.f("fk_loyalty_phone_challenges_wallet_id_loyalty_wallets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_phone_challenges")),
    )
    with op.batch_alter_table("loyalty_phone_challenges", schema=None) as batch_op:
        batch_op.create_index(
            "ix_loyalty_phone_challenges_wallet_created", ["wallet_id", "created_at"], unique=False
        )

    op.create_table(
        "loyalty_lot_uses",
        sa.Column("lot_id", sa.Uuid(), nullable=False),
        sa.Column("transaction_id", sa.Uuid(), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint("points <> 0", name=op.f("ck_loyalty_lot_uses_points_not_zero")),
        sa.ForeignKeyConstraint(
            ["lot_id"],
            ["loyalty_lots.id"],
            name=op.f("fk_loyalty_lot_uses_lot_id_loyalty_lots"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["loyalty_transactions.id"],
            name=op.f("fk_loyalty_lot_uses_transaction_id_loyalty_transactions"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_lot_uses")),
    )
    with op.batch_alter_table("loyalty_lot_uses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_loyalty_lot_uses_lot_id"), ["lot_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_loyalty_lot_uses_transaction_id"), ["transaction_id"], unique=False
        )
    _postgres_guards()


# asyncpg runs one statement per call, hence three strings.
BALANCED_FUNCTION = """
CREATE FUNCTION loyalty_transaction_balanced() RETURNS trigger AS $$
BEGIN
    IF (SELECT COALESCE(SUM(amount), 0) FROM loyalty_entries
        WHERE transaction_id = NEW.transaction_id) <> 0 THEN
        RAISE EXCEPTION 'loyalty transaction % does not sum to zero', NEW.transaction_id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END $$ LANGUAGE plpgsql
"""
BALANCED_TRIGGER = """
CREATE CONSTRAINT TRIGGER loyalty_entries_balanced AFTER INSERT ON loyalty_entries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION loyalty_transaction_balanced()
"""
IMMUTABLE_FUNCTION = """
CREATE FUNCTION loyalty_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are immutable; post a reversing transaction', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$ LANGUAGE plpgsql
"""
IMMUTABLE = (
    "loyalty_entries",
    "loyalty_transactions",
    "loyalty_settlement_periods",
    "loyalty_statements",
)


def _postgres_guards() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in (BALANCED_FUNCTION, BALANCED_TRIGGER, IMMUTABLE_FUNCTION):
        op.execute(statement)
    for table in IMMUTABLE:
        op.execute(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION loyalty_immutable()"
        )


def _drop_postgres_guards() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in IMMUTABLE:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table}")
    op.execute("DROP TRIGGER IF EXISTS loyalty_entries_balanced ON loyalty_entries")
    op.execute("DROP FUNCTION IF EXISTS loyalty_transaction_balanced()")
    op.execute("DROP FUNCTION IF EXISTS loyalty_immutable()")


def downgrade() -> None:
    _drop_postgres_guards()
    with op.batch_alter_table("loyalty_lot_uses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loyalty_lot_uses_transaction_id"))
        batch_op.drop_index(batch_op.f("ix_loyalty_lot_uses_lot_id"))

    op.drop_table("loyalty_lot_uses")
    with op.batch_alter_table("loyalty_phone_challenges", schema=None) as batch_op:
        batch_op.drop_index("ix_loyalty_phone_challenges_wallet_created")

    op.drop_table("loyalty_phone_challenges")
    with op.batch_alter_table("loyalty_lots", schema=None) as batch_op:
        batch_op.drop_index("ix_loyalty_lots_wallet_open")
        batch_op.drop_index(batch_op.f("ix_loyalty_lots_transaction_id"))
        batch_op.drop_index("ix_loyalty_lots_expires_at")

    op.drop_table("loyalty_lots")
    with op.batch_alter_table("loyalty_holds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loyalty_holds_wallet_id"))
        batch_op.drop_index("ix_loyalty_holds_status_expires_at")
        batch_op.drop_index(batch_op.f("ix_loyalty_holds_order_id"))

    op.drop_table("loyalty_holds")
    op.drop_table("loyalty_earn_rules")
    with op.batch_alter_table("loyalty_consents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loyalty_consents_wallet_id"))

    op.drop_table("loyalty_consents")
    op.drop_table("loyalty_wallets")
    with op.batch_alter_table("loyalty_statements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loyalty_statements_period"))

    op.drop_table("loyalty_statements")
    with op.batch_alter_table("loyalty_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loyalty_entries_transaction_id"))
        batch_op.drop_index(batch_op.f("ix_loyalty_entries_account_id"))

    op.drop_table("loyalty_entries")
    op.drop_table("loyalty_campaigns")
    with op.batch_alter_table("loyalty_transactions", schema=None) as batch_op:
        batch_op.drop_index("ix_loyalty_transactions_wallet_shop")
        batch_op.drop_index("ix_loyalty_transactions_wallet_occurred_at")
        batch_op.drop_index(batch_op.f("ix_loyalty_transactions_reference_id"))
        batch_op.drop_index("ix_loyalty_transactions_occurred_at_reason")

    op.drop_table("loyalty_transactions")
    op.drop_table("loyalty_settlement_periods")
    op.drop_table("loyalty_accounts")
