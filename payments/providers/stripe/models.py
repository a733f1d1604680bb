"""stripe_shop_accounts: each shop's Stripe connected account (Connect), at most one.

Shops belong to merchant_api and are referenced by table name only. Only the account id is
kept; what Stripe knows about the shop's owner stays at Stripe.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, utcnow


class StripeShopAccount(Base):
    __tablename__ = "stripe_shop_accounts"

    # One account per shop: the primary key is the uniqueness a concurrent create relies on.
    shop_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
