"""A programme street: one rural shopping street per township (偏鄉一條街)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, utcnow


class Street(UUIDPrimaryKey, Base):
    __tablename__ = "streets"
    __table_args__ = (
        # The plan's digital-development levels: 1 best connected, 5 least.
        CheckConstraint("digital_level BETWEEN 1 AND 5", name="digital_level_range"),
    )

    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    county: Mapped[str] = mapped_column(String(20))
    township: Mapped[str] = mapped_column(String(20))
    digital_level: Mapped[int]
    is_remote: Mapped[bool] = mapped_column(default=False)
    is_outlying_island: Mapped[bool] = mapped_column(default=False)
    is_indigenous_area: Mapped[bool] = mapped_column(default=False)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    # The ministry counts streets per ROC year (106 = 2017) against its KPI targets.
    programme_year_joined: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HotspotStatus(StrEnum):
    PLANNED = "planned"
    ACTIVE = "active"
    FAULTY = "faulty"
    RETIRED = "retired"


class StreetHotspot(UUIDPrimaryKey, Base):
    """A WiFi hotspot the programme installed on the street (NT$0.1M broadband per year).

    A later devices issue links hotspots to their telemetry by this id.
    """

    __tablename__ = "street_hotspots"
    __table_args__ = (
        CheckConstraint(
            "status IN ('planned', 'active', 'faulty', 'retired')", name="status_known"
        ),
    )

    street_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("streets.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[dict[str, str]] = mapped_column(JSON)
    ssid: Mapped[str] = mapped_column(String(32))
    # Where people find it: "in front of the township office", per language.
    location: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    installed_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default=HotspotStatus.PLANNED.value)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
