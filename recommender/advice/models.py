"""Advice items and their lifecycle: draft -> approved/rejected -> done/not useful -> measured."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, one_of, utcnow


class AdviceStatus(StrEnum):
    draft = "draft"  # generated, waiting for the shop's consultant
    approved = "approved"  # the owner sees it
    rejected = "rejected"  # the consultant said no; the owner never sees it
    done = "done"  # the owner did it; its effect gets measured
    not_useful = "not_useful"  # the owner's verdict
    superseded = "superseded"  # a newer run replaced this draft before anyone looked


OWNER_VISIBLE = (AdviceStatus.approved, AdviceStatus.done, AdviceStatus.not_useful)


class AdviceItem(UUIDPrimaryKey, Base):
    __tablename__ = "advice_items"
    __table_args__ = (
        sa.CheckConstraint(one_of("status", AdviceStatus), name="status_known"),
        sa.Index("ix_advice_items_shop_id_status", "shop_id", "status"),
    )

    shop_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("shops.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(40))
    status: Mapped[str] = mapped_column(sa.String(16), default=AdviceStatus.draft.value)
    rank: Mapped[int]
    # Expected extra sales over the measurement window, in TWD minor units; ranks the list.
    expected_value_minor: Mapped[int] = mapped_column(sa.BigInteger())
    # {"zh-Hant-TW": ..., "en": ...}
    title: Mapped[dict[str, str]] = mapped_column(sa.JSON())
    body: Mapped[dict[str, str]] = mapped_column(sa.JSON())
    expected_effect: Mapped[dict[str, str]] = mapped_column(sa.JSON())
    # Every number the text cites, with where it comes from.
    evidence: Mapped[dict[str, Any]] = mapped_column(sa.JSON())
    chart: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON())
    # {"metric": ..., "baseline": ..., "window_days": ...}: how the effect will be measured.
    measurement: Mapped[dict[str, Any]] = mapped_column(sa.JSON())
    measured_effect: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON())
    data_from: Mapped[date]
    data_to: Mapped[date]
    consultant_note: Mapped[str | None] = mapped_column(sa.String(1000))
    reviewed_by_account_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None]
    owner_feedback_at: Mapped[datetime | None]
    measured_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
