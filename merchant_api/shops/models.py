"""Shops on a street, the accounts that run them, and the consultants assigned to them.

Accounts belong to infra.auth; they are referenced by table name only (no relationship
across packages).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, one_of, utcnow
from merchant_api.shops.vocabulary import PaymentMethod


class ShopCategory(StrEnum):
    """The plan's industry classes that support is tailored to."""

    AGRICULTURE_PRODUCE = "agriculture_produce"  # 農糧漁牧
    HANDICRAFTS = "handicrafts"  # 手工藝品
    FOOD_AND_DRINK = "food_and_drink"  # 餐飲服務
    TOURISM = "tourism"  # 觀光旅遊
    RETAIL = "retail"  # 產品零售


class ShopStatus(StrEnum):
    ONBOARDING = "onboarding"
    ACTIVE = "active"
    SUSPENDED = "suspended"


class MemberRole(StrEnum):
    OWNER = "owner"
    STAFF = "staff"


class Shop(UUIDPrimaryKey, Base):
    __tablename__ = "shops"
    __table_args__ = (
        CheckConstraint(one_of("category", ShopCategory), name="category_known"),
        CheckConstraint(one_of("status", ShopStatus), name="status_known"),
    )

    street_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("streets.id", ondelete="CASCADE"), index=True
    )
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    category: Mapped[str] = mapped_column(String(32))
    address: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    phone: Mapped[str | None] = mapped_column(String(32))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    line_id: Mapped[str | None] = mapped_column(String(64))
    website: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default=ShopStatus.ONBOARDING.value)
    joined_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ShopMember(UUIDPrimaryKey, Base):
    __tablename__ = "shop_members"
    __table_args__ = (
        UniqueConstraint("shop_id", "account_id"),
        CheckConstraint(one_of("role", MemberRole), name="role_known"),
    )

    shop_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConsultantAssignment(UUIDPrimaryKey, Base):
    """A consultant covers one shop, or a whole street (and so every shop on it)."""

    __tablename__ = "consultant_assignments"
    __table_args__ = (
        CheckConstraint(
            "(shop_id IS NULL AND street_id IS NOT NULL)"
            " OR (shop_id IS NOT NULL AND street_id IS NULL)",
            name="exactly_one_target",
        ),
        UniqueConstraint("account_id", "shop_id"),
        UniqueConstraint("account_id", "street_id"),
    )

    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    shop_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("shops.id", ondelete="CASCADE"))
    street_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("streets.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ShopPaymentMethod(Base):
    """One accepted payment method (merchant_api.shops.vocabulary.PaymentMethod).

    A row per method rather than a JSON list, so "accepts points" is an indexed SQL filter.
    """

    __tablename__ = "shop_payment_methods"
    __table_args__ = (
        CheckConstraint(one_of("method", PaymentMethod), name="method_known"),
        Index("ix_shop_payment_methods_method", "method"),
    )

    shop_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    method: Mapped[str] = mapped_column(String(32), primary_key=True)


class ShopStaffLanguage(Base):
    """A language the shop's staff speak (BCP 47: zh-Hant-TW, nan, hak, vi, pwn, ...)."""

    __tablename__ = "shop_staff_languages"
    __table_args__ = (Index("ix_shop_staff_languages_language", "language"),)

    shop_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(35), primary_key=True)


class ShopStatusChange(UUIDPrimaryKey, Base):
    """Who moved a shop between onboarding, active and suspended, when and why."""

    __tablename__ = "shop_status_changes"
    __table_args__ = (
        CheckConstraint(one_of("from_status", ShopStatus), name="from_status_known"),
        CheckConstraint(one_of("to_status", ShopStatus), name="to_status_known"),
    )

    shop_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("shops.id", ondelete="CASCADE"), index=True
    )
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500), default="")
    changed_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="SET NULL")
    )
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
