"""A programme street: one rural shopping street per township (偏鄉一條街)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Float, String
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
