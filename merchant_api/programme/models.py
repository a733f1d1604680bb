"""Programme records (courses, visits, registered services, targets, shared demographics),
activity facts recorded from outbox events, and the rollups the dashboards read.

Facts are the audit trail: every KPI figure is a sum over fact rows, and each fact names the
record it came from (`source_ref`, e.g. "payment:<id>"). Rollups are derived and rebuildable.
Shops, streets and accounts belong to other modules and are referenced by table name only.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from infra.db import Base, UUIDPrimaryKey, one_of, utcnow
from merchant_api.programme.definitions import (
    AGE_GROUPS,
    GENDERS,
    Kpi,
    Service,
    UseSource,
)


class ProgrammeUse(UUIDPrimaryKey, Base):
    """One use of a digital service (數位應用服務使用人次): a person, a service, a shop, a day.

    A known person counts once per service, shop and Taipei day (the unique key; NULLs never
    collide, so anonymous uses each count once).
    """

    __tablename__ = "programme_uses"
    __table_args__ = (
        sa.CheckConstraint(one_of("source", UseSource), name="source_known"),
        sa.UniqueConstraint("source", "shop_id", "day", "person_id"),
        sa.Index("ix_programme_uses_day", "day"),
        sa.Index("ix_programme_uses_shop_id_day", "shop_id", "day"),
    )

    source: Mapped[str] = mapped_column(sa.String(20))
    shop_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("shops.id", ondelete="CASCADE"))
    day: Mapped[date]
    occurred_at: Mapped[datetime]
    person_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    channel: Mapped[str] = mapped_column(sa.String(16), default="")
    method: Mapped[str] = mapped_column(sa.String(32), default="")
    source_ref: Mapped[str] = mapped_column(sa.String(80))


class ProgrammeBusiness(UUIDPrimaryKey, Base):
    """Money that changed hands through the platform (促成商機); refunds are negative rows."""

    __tablename__ = "programme_business"
    __table_args__ = (
        sa.Index("ix_programme_business_day", "day"),
        sa.Index("ix_programme_business_shop_id_day", "shop_id", "day"),
    )

    source_ref: Mapped[str] = mapped_column(sa.String(120), unique=True)
    # "payment" (orders paid, in money or wholly in points, vouchers sold, scan-to-pay) or
    # "order" (paid outside the platform).
    source: Mapped[str] = mapped_column(sa.String(20))
    shop_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("shops.id", ondelete="CASCADE"))
    day: Mapped[date]
    occurred_at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(sa.String(16), default="")
    method: Mapped[str] = mapped_column(sa.String(32), default="")
    amount_minor: Mapped[int] = mapped_column(sa.BigInteger())
    points_redeemed: Mapped[int] = mapped_column(default=0)


class ProgrammeAdoption(UUIDPrimaryKey, Base):
    """A shop's first use of a digital service (創新數位應用服務), recorded once per service."""

    __tablename__ = "programme_adoptions"
    __table_args__ = (
        sa.CheckConstraint(one_of("service", Service), name="service_known"),
        sa.UniqueConstraint("shop_id", "service"),
    )

    shop_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("shops.id", ondelete="CASCADE"))
    service: Mapped[str] = mapped_column(sa.String(24))
    first_at: Mapped[datetime]
    source_ref: Mapped[str] = mapped_column(sa.String(120))


class ProgrammeRegisteredService(UUIDPrimaryKey, Base):
    """A digital service a consultant registers with evidence (AR display, LINE ordering …)."""

    __tablename__ = "programme_registered_services"

    shop_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("shops.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    evidence: Mapped[str] = mapped_column(sa.String(1000))
    started_on: Mapped[date]
    registered_by: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProgrammeCourse(UUIDPrimaryKey, Base):
    """A digital-application course held (開設數位應用課程)."""

    __tablename__ = "programme_courses"
    __table_args__ = (sa.Index("ix_programme_courses_held_on", "held_on"),)

    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(sa.String(200))
    topic: Mapped[str] = mapped_column(sa.String(200))
    street_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("streets.id", ondelete="SET NULL")
    )
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProgrammeCourseAttendance(Base):
    """How many people from a shop attended a course (counts, not names)."""

    __tablename__ = "programme_course_attendance"
    __table_args__ = (sa.CheckConstraint("attendees >= 1", name="attendees_positive"),)

    course_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("programme_courses.id", ondelete="CASCADE"), primary_key=True
    )
    shop_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    attendees: Mapped[int]


class ProgrammeVisit(UUIDPrimaryKey, Base):
    """A consultant's diagnosis visit (短診) to a shop."""

    __tablename__ = "programme_visits"
    __table_args__ = (sa.Index("ix_programme_visits_shop_id_visited_on", "shop_id", "visited_on"),)

    shop_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("shops.id", ondelete="CASCADE"))
    consultant_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    visited_on: Mapped[date]
    findings: Mapped[str] = mapped_column(sa.String(2000))
    agreed_actions: Mapped[str] = mapped_column(sa.String(2000))
    follow_up_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProgrammeTarget(Base):
    """An admin's target for one KPI and ROC year, overriding the plan's default."""

    __tablename__ = "programme_targets"
    __table_args__ = (sa.CheckConstraint(one_of("kpi", Kpi), name="kpi_known"),)

    kpi: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    roc_year: Mapped[int] = mapped_column(primary_key=True)
    target: Mapped[int] = mapped_column(sa.BigInteger())
    updated_by: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="SET NULL")
    )
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ProgrammeDemographic(Base):
    """What a consumer chose to share for the programme's statistics; deleting the row
    withdraws it. Only ever read in aggregates."""

    __tablename__ = "programme_demographics"
    __table_args__ = (
        sa.CheckConstraint(f"gender IN ({', '.join(map(repr, GENDERS))})", name="gender_known"),
        sa.CheckConstraint(
            f"age_group IN ({', '.join(map(repr, AGE_GROUPS))})", name="age_group_known"
        ),
    )

    account_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True
    )
    gender: Mapped[str] = mapped_column(sa.String(16))
    age_group: Mapped[str] = mapped_column(sa.String(8))
    shared_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProgrammeDirtyDay(Base):
    """A Taipei day whose facts changed since its rollup was last refreshed."""

    __tablename__ = "programme_dirty_days"

    day: Mapped[date] = mapped_column(primary_key=True)


class ProgrammeDailyRollup(Base):
    """Per shop and day: uses and business by source, channel and method (shop analytics)."""

    __tablename__ = "programme_daily_rollup"

    day: Mapped[date] = mapped_column(primary_key=True)
    shop_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("shops.id", ondelete="CASCADE"), primary_key=True
    )
    source: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    method: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    uses: Mapped[int] = mapped_column(sa.BigInteger())
    business_records: Mapped[int] = mapped_column(sa.BigInteger())
    business_minor: Mapped[int] = mapped_column(sa.BigInteger())


class ProgrammeMonthlyRollup(Base):
    """Per month, street and category: what the ministry's breakdowns read."""

    __tablename__ = "programme_monthly_rollup"

    month: Mapped[date] = mapped_column(primary_key=True)
    street_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("streets.id", ondelete="CASCADE"), primary_key=True
    )
    category: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    channel: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    method: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    uses: Mapped[int] = mapped_column(sa.BigInteger())
    business_records: Mapped[int] = mapped_column(sa.BigInteger())
    business_minor: Mapped[int] = mapped_column(sa.BigInteger())


class ProgrammeDemographicRollup(Base):
    """Uses by people who shared their gender and age group, per month and street."""

    __tablename__ = "programme_demographic_rollup"

    month: Mapped[date] = mapped_column(primary_key=True)
    street_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("streets.id", ondelete="CASCADE"), primary_key=True
    )
    source: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    gender: Mapped[str] = mapped_column(sa.String(16), primary_key=True)
    age_group: Mapped[str] = mapped_column(sa.String(8), primary_key=True)
    uses: Mapped[int] = mapped_column(sa.BigInteger())


class ProgrammeDeviceUse(Base):
    """Sessions on one device in one Taipei day (hotspot or kiosk), derived from the
    devices package's hourly telemetry rollup. Hotspots serve a street, not a shop, so these
    are counted per street; the sessions are anonymous counts, not people."""

    __tablename__ = "programme_device_uses"
    __table_args__ = (
        sa.CheckConstraint(one_of("source", UseSource), name="source_known"),
        sa.Index("ix_programme_device_uses_day", "day"),
    )

    day: Mapped[date] = mapped_column(primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    street_id: Mapped[uuid.UUID] = mapped_column(sa.ForeignKey("streets.id", ondelete="CASCADE"))
    shop_id: Mapped[uuid.UUID | None] = mapped_column(
        sa.ForeignKey("shops.id", ondelete="SET NULL")
    )
    sessions: Mapped[int] = mapped_column(sa.BigInteger())


class ProgrammeStreetMonth(Base):
    """Per month and street only: the headline figures, trends and place breakdowns read this
    small table (60 streets x 12 months a year) instead of every channel and method."""

    __tablename__ = "programme_street_months"

    month: Mapped[date] = mapped_column(primary_key=True)
    street_id: Mapped[uuid.UUID] = mapped_column(
        sa.ForeignKey("streets.id", ondelete="CASCADE"), primary_key=True
    )
    uses: Mapped[int] = mapped_column(sa.BigInteger())
    business_records: Mapped[int] = mapped_column(sa.BigInteger())
    business_minor: Mapped[int] = mapped_column(sa.BigInteger())
