"""Accounts, their web sessions and their API tokens.

Table names are fixed: other packages point foreign keys at `accounts.id`. Secrets are never
stored: sessions and tokens keep only a hash of the value the client holds.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from infra.auth.roles import Role
from infra.db import Base, Timestamps, UUIDPrimaryKey, utcnow

# Stored as VARCHAR plus a CHECK constraint (not a PostgreSQL ENUM type), so adding a role is
# one small migration on both databases.
role_type = sa.Enum(
    Role,
    name="role",
    native_enum=False,
    create_constraint=True,
    length=32,
    values_callable=lambda roles: [role.value for role in roles],
)


class Account(UUIDPrimaryKey, Timestamps, Base):
    __tablename__ = "accounts"

    # Lower-cased by the service; NULL for consumers known only by phone.
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    # E.164 ("+886912345678"); the identity loyalty members sign in with, later.
    phone: Mapped[str | None] = mapped_column(sa.String(16), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(100))
    role: Mapped[Role] = mapped_column(role_type)
    # NULL means the account cannot sign in with a password (phone-only consumers, devices).
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    failed_login_count: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]


class WebSession(UUIDPrimaryKey, Base):
    __tablename__ = "web_sessions"

    account_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    # HMAC-SHA256 (keyed with the secret key) of the cookie value: a database dump alone does
    # not let anyone forge a cookie, and rotating the key signs everybody out.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    csrf_secret: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The absolute timeout: no activity keeps a session alive past this.
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class ApiToken(UUIDPrimaryKey, Base):
    __tablename__ = "api_tokens"

    account_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(100))
    # SHA-256 of the token: tokens carry 256 random bits, so a plain hash cannot be reversed,
    # and unlike sessions they survive a change of the secret key.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The token's first characters, shown in lists so people recognise their tokens.
    prefix: Mapped[str] = mapped_column(sa.String(16))
    scopes: Mapped[list[Any]] = mapped_column(sa.JSON)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
