"""SQL for the programme's own records: visits, courses, registered services, demographics,
and the shops a consultant looks after."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.programme.models import (
    ProgrammeCourse,
    ProgrammeCourseAttendance,
    ProgrammeDemographic,
    ProgrammeRegisteredService,
    ProgrammeVisit,
)
from merchant_api.shops.models import ConsultantAssignment, Shop
from merchant_api.streets.models import Street


class RecordsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, *rows: Any) -> None:
        self.session.add_all(rows)
        await self.session.flush()

    async def visits(self, shop_id: uuid.UUID) -> list[ProgrammeVisit]:
        found = await self.session.scalars(
            sa.select(ProgrammeVisit)
            .where(ProgrammeVisit.shop_id == shop_id)
            .order_by(ProgrammeVisit.visited_on.desc(), ProgrammeVisit.created_at.desc())
        )
        return list(found)

    async def registered_services(self, shop_id: uuid.UUID) -> list[ProgrammeRegisteredService]:
        found = await self.session.scalars(
            sa.select(ProgrammeRegisteredService)
            .where(ProgrammeRegisteredService.shop_id == shop_id)
            .order_by(ProgrammeRegisteredService.started_on)
        )
        return list(found)

    async def courses(self, start: date, end: date) -> list[tuple[ProgrammeCourse, int]]:
        attendance = (
            sa.select(sa.func.coalesce(sa.func.sum(ProgrammeCourseAttendance.attendees), 0))
            .where(ProgrammeCourseAttendance.course_id == ProgrammeCourse.id)
            .scalar_subquery()
        )
        rows = await self.session.execute(
            sa.select(ProgrammeCourse, attendance)
            .where(ProgrammeCourse.held_on >= start, ProgrammeCourse.held_on < end)
            .order_by(ProgrammeCourse.held_on)
        )
        return [(course, int(total)) for course, total in rows]

    async def attendance(self, course_ids: list[uuid.UUID]) -> list[ProgrammeCourseAttendance]:
        if not course_ids:
            return []
        found = await self.session.scalars(
            sa.select(ProgrammeCourseAttendance).where(
                ProgrammeCourseAttendance.course_id.in_(course_ids)
            )
        )
        return list(found)

    async def existing_shops(self, shop_ids: list[uuid.UUID]) -> set[uuid.UUID]:
        found = await self.session.scalars(sa.select(Shop.id).where(Shop.id.in_(shop_ids)))
        return set(found)

    async def street_exists(self, street_id: uuid.UUID) -> bool:
        return await self.session.get(Street, street_id) is not None

    async def demographics(self, account_id: uuid.UUID) -> ProgrammeDemographic | None:
        return await self.session.get(ProgrammeDemographic, account_id, populate_existing=True)

    async def delete_demographics(self, account_id: uuid.UUID) -> None:
        await self.session.execute(
            sa.delete(ProgrammeDemographic).where(ProgrammeDemographic.account_id == account_id)
        )

    async def covered_shops(self, account_id: uuid.UUID | None) -> list[tuple[Shop, Street]]:
        """Shops assigned to the consultant directly or through their street; every shop
        for an admin (account_id None)."""
        statement = sa.select(Shop, Street).join(Street, Street.id == Shop.street_id)
        if account_id is not None:
            direct = sa.select(ConsultantAssignment.shop_id).where(
                ConsultantAssignment.account_id == account_id,
                ConsultantAssignment.shop_id.is_not(None),
            )
            streets = sa.select(ConsultantAssignment.street_id).where(
                ConsultantAssignment.account_id == account_id,
                ConsultantAssignment.street_id.is_not(None),
            )
            statement = statement.where(sa.or_(Shop.id.in_(direct), Shop.street_id.in_(streets)))
        rows = await self.session.execute(statement.order_by(Street.slug, Shop.slug))
        return [(shop, street) for shop, street in rows]
