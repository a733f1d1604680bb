"""Uses of dynamic payment links: one row per link, so a second use cannot be recorded.

The primary key on link_id is the unique constraint that makes "works once" hold under
concurrent scans on both databases; the service never checks-then-inserts. Shops belong to
merchant_api and are referenced by table name only.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, utcnow


class PaymentLinkUse(Base):
    __tablename__ = "payment_link_uses"

    link_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    shop_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), index=True
    )
    order_reference: Mapped[str] = mapped_column(String(32))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    used_at: Mapped[datetime] = mapped_column(default=utcnow)
