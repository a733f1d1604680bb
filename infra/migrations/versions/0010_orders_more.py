"""Review ratings on the search documents; unpaid vouchers expire.

Revision ID: 0010_orders_more
Revises: 0009_payment_links

- shop_search / listing_search get rating_centi (the review average in hundredths) and
  rating_count, with (rating, id) indexes for "sort by rating", filled from the reviews.
- vouchers may become "expired" (bought, never paid within the window), and the expiry task
  finds old unpaid vouchers by (status, purchased_at).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_orders_more"
down_revision: str | Sequence[str] | None = "0009_payment_links"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STATUSES = ("pending_payment", "active", "redeemed", "refund_requested", "refunded")


def _status_check(statuses: tuple[str, ...]) -> str:
    return f"status IN ({', '.join(repr(s) for s in statuses)})"


def upgrade() -> None:
    for table, key in (("shop_search", "shop_id"), ("listing_search", "listing_id")):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("rating_centi", sa.Integer(), server_default=sa.text("0"), nullable=False)
            )
            batch_op.add_column(
                sa.Column("rating_count", sa.Integer(), server_default=sa.text("0"), nullable=False)
            )
            batch_op.create_index(
                batch_op.f(f"ix_{table}_rating"), ["rating_centi", key], unique=False
            )
    # Reviews written before this revision count from the start.
    op.execute(
        "UPDATE shop_search SET "
        "rating_centi = COALESCE((SELECT CAST(ROUND(AVG(r.rating) * 100) AS INTEGER) "
        "FROM reviews r WHERE r.shop_id = shop_search.shop_id), 0), "
        "rating_count = (SELECT COUNT(r.id) FROM reviews r WHERE r.shop_id = shop_search.shop_id)"
    )
    op.execute(
        "UPDATE listing_search SET "
        "rating_centi = COALESCE((SELECT CAST(ROUND(AVG(r.rating) * 100) AS INTEGER) "
        "FROM reviews r WHERE EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = r.order_id "
        "AND l.listing_id = listing_search.listing_id)), 0), "
        "rating_count = (SELECT COUNT(r.id) FROM reviews r WHERE EXISTS (SELECT 1 FROM "
        "order_lines l WHERE l.order_id = r.order_id AND l.listing_id = listing_search.listing_id))"
    )
    with op.batch_alter_table("vouchers", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_vouchers_status_known"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_vouchers_status_known"), _status_check((*_STATUSES, "expired"))
        )
        batch_op.create_index(
            batch_op.f("ix_vouchers_status_purchased_at"), ["status", "purchased_at"], unique=False
        )


def downgrade() -> None:
    op.execute(
        "UPDATE vouchers SET status = 'refunded' WHERE status = 'expired'"
    )  # the nearest old state: no money kept, no unit held
    with op.batch_alter_table("vouchers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vouchers_status_purchased_at"))
        batch_op.drop_constraint(op.f("ck_vouchers_status_known"), type_="check")
        batch_op.create_check_constraint(op.f("ck_vouchers_status_known"), _status_check(_STATUSES))
    for table in ("listing_search", "shop_search"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_rating"))
            batch_op.drop_column("rating_count")
            batch_op.drop_column("rating_centi")
