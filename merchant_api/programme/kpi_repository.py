"""SQL behind the KPIs: rollup sums for uses and business, and the small record sets behind
areas, devices, services and courses (each row is a record an auditor can look up)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.programme.models import (
    ProgrammeAdoption,
    ProgrammeCourse,
    ProgrammeCourseAttendance,
    ProgrammeDemographicRollup,
    ProgrammeMonthlyRollup,
    ProgrammeRegisteredService,
    ProgrammeStreetMonth,
)
from merchant_api.shops.models import Shop
from merchant_api.streets.models import Street, StreetHotspot

# Device types the plan counts as 智慧互動設備 (hotspots are counted as areas).
INTERACTIVE_DEVICE_TYPES = ("kiosk", "interactive_display", "signage")


@dataclass(frozen=True)
class Filters:
    county: str | None = None
    digital_level: int | None = None
    area_flag: str | None = None  # remote, outlying_island, indigenous_area
    street_id: uuid.UUID | None = None
    category: str | None = None
    channel: str | None = None
    method: str | None = None
    source: str | None = None


FLAG_COLUMNS = {
    "remote": Street.is_remote,
    "outlying_island": Street.is_outlying_island,
    "indigenous_area": Street.is_indigenous_area,
}


def street_conditions(filters: Filters) -> list[Any]:
    conditions: list[Any] = []
    if filters.county:
        conditions.append(Street.county == filters.county)
    if filters.digital_level:
        conditions.append(Street.digital_level == filters.digital_level)
    if filters.area_flag in FLAG_COLUMNS:
        conditions.append(FLAG_COLUMNS[filters.area_flag].is_(True))
    if filters.street_id:
        conditions.append(Street.id == filters.street_id)
    return conditions


def street_columns() -> list[Any]:
    return [
        Street.id.label("street_id"),
        Street.slug.label("street_slug"),
        Street.name.label("street_name"),
        Street.county,
        Street.township,
        Street.digital_level,
        Street.is_remote,
        Street.is_outlying_island,
        Street.is_indigenous_area,
    ]


class KpiRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _rows(self, statement: Any) -> list[dict[str, Any]]:
        return [dict(row._mapping) for row in await self.session.execute(statement)]

    async def rollup_sums(
        self, start: date, end: date, filters: Filters, group: list[Any]
    ) -> list[dict[str, Any]]:
        """Uses, business records and business (minor units) per group, month range [start, end)."""
        r: Any = ProgrammeMonthlyRollup
        fine = (filters.category, filters.channel, filters.method, filters.source)
        coarse = not any(fine) and all(
            column is r.month
            or getattr(getattr(column, "element", column), "table", None) is Street.__table__
            for column in group
        )
        if coarse:
            # Only months and places asked for: the small per-street table answers.
            r = ProgrammeStreetMonth
            group = [
                r.month if column is ProgrammeMonthlyRollup.month else column for column in group
            ]
        statement = (
            sa.select(
                *group,
                sa.func.sum(r.uses).label("uses"),
                sa.func.sum(r.business_records).label("business_records"),
                sa.func.sum(r.business_minor).label("business_minor"),
            )
            .select_from(r)
            .join(Street, Street.id == r.street_id)
            .where(r.month >= start, r.month < end, *street_conditions(filters))
            .group_by(*group)
        )
        if not coarse:
            for column, value in (
                (r.category, filters.category),
                (r.channel, filters.channel),
                (r.method, filters.method),
                (r.source, filters.source),
            ):
                if value:
                    statement = statement.where(column == value)
        return await self._rows(statement)

    async def demographic_sums(
        self, start: date, end: date, filters: Filters, group: list[Any]
    ) -> list[dict[str, Any]]:
        d = ProgrammeDemographicRollup
        statement = (
            sa.select(*group, sa.func.sum(d.uses).label("uses"))
            .select_from(d)
            .join(Street, Street.id == d.street_id)
            .where(d.month >= start, d.month < end, *street_conditions(filters))
            .group_by(*group)
        )
        if filters.source:
            statement = statement.where(d.source == filters.source)
        return await self._rows(statement)

    async def area_streets(self, filters: Filters) -> list[dict[str, Any]]:
        """Every street with whether it has an active hotspot and an active shop."""
        hotspot = sa.exists().where(
            StreetHotspot.street_id == Street.id, StreetHotspot.status == "active"
        )
        shop = sa.exists().where(Shop.street_id == Street.id, Shop.status == "active")
        statement = sa.select(
            *street_columns(),
            Street.programme_year_joined,
            hotspot.label("has_active_hotspot"),
            shop.label("has_active_shop"),
        ).where(*street_conditions(filters))
        return await self._rows(statement.order_by(Street.programme_year_joined, Street.slug))

    async def devices(self, filters: Filters) -> list[dict[str, Any]] | None:
        """Active interactive devices; None while the devices table does not exist yet."""
        devices = sa.table(
            "device_devices",
            sa.column("id", sa.Uuid()),
            sa.column("street_id", sa.Uuid()),
            sa.column("shop_id", sa.Uuid()),
            sa.column("type", sa.String()),
            sa.column("name", sa.String()),
            sa.column("status", sa.String()),
            sa.column("installed_on", sa.Date()),
            sa.column("created_at", sa.DateTime()),
        )
        statement = (
            sa.select(
                devices.c.id.label("device_id"),
                devices.c.type,
                devices.c.name.label("device_name"),
                devices.c.installed_on,
                devices.c.created_at,
                *street_columns(),
            )
            .join(Street, Street.id == devices.c.street_id)
            .where(
                devices.c.status == "active",
                devices.c.type.in_(INTERACTIVE_DEVICE_TYPES),
                *street_conditions(filters),
            )
        )
        try:
            async with self.session.begin_nested():
                return await self._rows(statement)
        except sa.exc.DBAPIError:
            return None

    async def adoptions(self, start: datetime, end: datetime, filters: Filters) -> list[dict]:
        a = ProgrammeAdoption
        statement = (
            sa.select(
                a.id.label("record_id"),
                a.service,
                a.first_at.label("at"),
                a.source_ref,
                Shop.id.label("shop_id"),
                Shop.name.label("shop_name"),
                Shop.category,
                *street_columns(),
            )
            .join(Shop, Shop.id == a.shop_id)
            .join(Street, Street.id == Shop.street_id)
            .where(a.first_at >= start, a.first_at < end, *street_conditions(filters))
        )
        if filters.category:
            statement = statement.where(Shop.category == filters.category)
        return await self._rows(statement.order_by(a.first_at))

    async def registered_services(self, start: date, end: date, filters: Filters) -> list[dict]:
        s = ProgrammeRegisteredService
        statement = (
            sa.select(
                s.id.label("record_id"),
                s.name.label("service"),
                s.started_on.label("at"),
                s.evidence.label("source_ref"),
                Shop.id.label("shop_id"),
                Shop.name.label("shop_name"),
                Shop.category,
                *street_columns(),
            )
            .join(Shop, Shop.id == s.shop_id)
            .join(Street, Street.id == Shop.street_id)
            .where(s.started_on >= start, s.started_on < end, *street_conditions(filters))
        )
        if filters.category:
            statement = statement.where(Shop.category == filters.category)
        return await self._rows(statement.order_by(s.started_on))

    async def courses(self, start: date, end: date, filters: Filters) -> list[dict]:
        c = ProgrammeCourse
        attendance = (
            sa.select(sa.func.coalesce(sa.func.sum(ProgrammeCourseAttendance.attendees), 0))
            .where(ProgrammeCourseAttendance.course_id == c.id)
            .scalar_subquery()
        )
        statement = (
            sa.select(
                c.id.label("record_id"),
                c.held_on.label("at"),
                c.place,
                c.topic,
                attendance.label("attendees"),
                *street_columns(),
            )
            .outerjoin(Street, Street.id == c.street_id)
            .where(c.held_on >= start, c.held_on < end)
        )
        conditions = street_conditions(filters)
        if conditions:
            statement = statement.where(*conditions)
        return await self._rows(statement.order_by(c.held_on))
