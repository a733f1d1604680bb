"""Payment intents, their append-only events, refunds, and the provider inbox.

Revision ID: 0010_payment_intents
Revises: 0010_orders_more
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infra.db

revision: str = "0010_payment_intents"
down_revision: str | Sequence[str] | None = "0010_orders_more"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "provider_inbox",
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("external_id", sa.String(length=200), nullable=False),
        sa.Column("event_type", sa.String(length=100), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("handled_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider_inbox")),
        sa.UniqueConstraint(
            "provider", "external_id", name=op.f("uq_provider_inbox_provider_external_id")
        ),
    )
    op.create_index(
        "ix_provider_inbox_handled_at_received_at",
        "provider_inbox",
        ["handled_at", "received_at"],
        unique=False,
    )
    op.create_table(
        "payment_intents",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("provider_ref", sa.String(length=100), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("amount_captured", sa.BigInteger(), nullable=False),
        sa.Column("amount_refunded", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("reference_type", sa.String(length=10), nullable=True),
        sa.Column("reference_id", sa.Uuid(), nullable=True),
        sa.Column("consumer_id", sa.Uuid(), nullable=True),
        sa.Column("loyalty_wallet_id", sa.Uuid(), nullable=True),
        sa.Column("points_redeemed", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Uuid(), nullable=True),
        sa.Column("card_brand", sa.String(length=20), nullable=True),
        sa.Column("card_last4", sa.String(length=4), nullable=True),
        sa.Column("failure_code", sa.String(length=60), nullable=True),
        sa.Column("qr_payload", sa.Text(), nullable=True),
        sa.Column("next_action_url", sa.String(length=500), nullable=True),
        sa.Column("client_secret_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("state_changed_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("succeeded_at", infra.db.UTCDateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "method IN ('card', 'card_present', 'twqr', 'vietqr', 'promptpay', 'qris', 'sandbox')",
            name=op.f("ck_payment_intents_method_known"),
        ),
        sa.CheckConstraint(
            "reference_type IN ('order', 'voucher')",
            name=op.f("ck_payment_intents_reference_type_known"),
        ),
        sa.CheckConstraint(
            "state IN ('requires_action', 'processing', 'succeeded', 'failed', 'cancelled', 'partially_refunded', 'refunded')",
            name=op.f("ck_payment_intents_state_known"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_intents_amount_positive")),
        sa.CheckConstraint(
            "amount_captured >= 0 AND amount_captured <= amount",
            name=op.f("ck_payment_intents_captured_within_amount"),
        ),
        sa.CheckConstraint(
            "amount_refunded >= 0 AND amount_refunded <= amount_captured",
            name=op.f("ck_payment_intents_refunded_within_captured"),
        ),
        sa.CheckConstraint(
            "points_redeemed >= 0", name=op.f("ck_payment_intents_points_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["consumer_id"],
            ["accounts.id"],
            name=op.f("fk_payment_intents_consumer_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_payment_intents_shop_id_shops"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_intents")),
        sa.UniqueConstraint(
            "provider", "provider_ref", name=op.f("uq_payment_intents_provider_provider_ref")
        ),
    )
    op.create_index(
        "ix_payment_intents_consumer_id_created_at",
        "payment_intents",
        ["consumer_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_payment_intents_reference_id", "payment_intents", ["reference_id"], unique=False
    )
    op.create_index(
        "ix_payment_intents_shop_id_created_at",
        "payment_intents",
        ["shop_id", "created_at"],
        unique=False,
    )
    op.create_index(
        "ix_payment_intents_state_state_changed_at",
        "payment_intents",
        ["state", "state_changed_at"],
        unique=False,
    )
    op.create_table(
        "payment_events",
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("external_event_id", sa.String(length=200), nullable=False),
        sa.Column("from_state", sa.String(length=24), nullable=True),
        sa.Column("to_state", sa.String(length=24), nullable=False),
        sa.Column("amount_captured", sa.BigInteger(), nullable=False),
        sa.Column("amount_refunded", sa.BigInteger(), nullable=False),
        sa.Column("refund_id", sa.Uuid(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.Column("occurred_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("recorded_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "to_state IN ('requires_action', 'processing', 'succeeded', 'failed', 'cancelled', 'partially_refunded', 'refunded')",
            name=op.f("ck_payment_events_to_state_known"),
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payment_intents.id"],
            name=op.f("fk_payment_events_payment_id_payment_intents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_events")),
        sa.UniqueConstraint(
            "source", "external_event_id", name=op.f("uq_payment_events_source_external_event_id")
        ),
    )
    op.create_index(
        "ix_payment_events_payment_id_recorded_at",
        "payment_events",
        ["payment_id", "recorded_at"],
        unique=False,
    )
    op.create_table(
        "payment_refunds",
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("provider_ref", sa.String(length=100), nullable=True),
        sa.Column("reason", sa.String(length=40), nullable=False),
        sa.Column("requested_by", sa.Uuid(), nullable=True),
        sa.Column("failure_code", sa.String(length=60), nullable=True),
        sa.Column("created_at", infra.db.UTCDateTime(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "state IN ('pending', 'succeeded', 'failed')",
            name=op.f("ck_payment_refunds_state_known"),
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_payment_refunds_amount_positive")),
        sa.ForeignKeyConstraint(
            ["payment_id"],
            ["payment_intents.id"],
            name=op.f("fk_payment_refunds_payment_id_payment_intents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["accounts.id"],
            name=op.f("fk_payment_refunds_requested_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment_refunds")),
    )
    op.create_index(
        op.f("ix_payment_refunds_payment_id"), "payment_refunds", ["payment_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_payment_refunds_payment_id"), table_name="payment_refunds")
    op.drop_table("payment_refunds")
    op.drop_index("ix_payment_events_payment_id_recorded_at", table_name="payment_events")
    op.drop_table("payment_events")
    op.drop_index("ix_payment_intents_state_state_changed_at", table_name="payment_intents")
    op.drop_index("ix_payment_intents_shop_id_created_at", table_name="payment_intents")
    op.drop_index("ix_payment_intents_reference_id", table_name="payment_intents")
    op.drop_index("ix_payment_intents_consumer_id_created_at", table_name="payment_intents")
    op.drop_table("payment_intents")
    op.drop_index("ix_provider_inbox_handled_at_received_at", table_name="provider_inbox")
    op.drop_table("provider_inbox")
