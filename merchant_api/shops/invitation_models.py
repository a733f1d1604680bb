"""Invitations to join a shop as owner or staff, by e-mail or phone.

Only a hash of the one-time token is stored; the token itself is handed out once.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, utcnow


class ShopInvitation(UUIDPrimaryKey, Base):
    __tablename__ = "shop_invitations"
    __table_args__ = (
        CheckConstraint("role IN ('owner', 'staff')", name="role_known"),
        CheckConstraint("email IS NOT NULL OR phone IS NOT NULL", name="has_address"),
    )

    shop_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    # Normalised as accounts store them: lower-case e-mail, E.164 phone.
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(16))
    # SHA-256 of the token: it carries 256 random bits, so a plain hash cannot be reversed.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    revoked_at: Mapped[datetime | None]
