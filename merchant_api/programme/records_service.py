"""Consultants' records: diagnosis visits, courses with attendance, registered services;
and consumers' opt-in demographics."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from infra.errors import PermissionDenied, ValidationFailed
from merchant_api.programme.definitions import AGE_GROUPS, GENDERS
from merchant_api.programme.facts_repository import FactsRepository
from merchant_api.programme.facts_service import taipei_day
from merchant_api.programme.models import (
    ProgrammeCourse,
    ProgrammeCourseAttendance,
    ProgrammeDemographic,
    ProgrammeRegisteredService,
    ProgrammeVisit,
)
from merchant_api.programme.records_repository import RecordsRepository
from merchant_api.programme.schemas import (
    CourseIn,
    DemographicsIn,
    RegisteredServiceIn,
    VisitIn,
)
from merchant_api.shops.repository import ShopRepository


def _problem(key: str, message: str) -> ValidationFailed:
    return ValidationFailed(
        "The request body is not valid.",
        details={"problems": [{"key": key, "message": message, "source": "body"}]},
    )


class RecordsService:
    def __init__(self, session: AsyncSession) -> None:
        self.repo = RecordsRepository(session)
        self.shops = ShopRepository(session)
        self.facts = FactsRepository(session)

    async def add_visit(
        self, shop_id: uuid.UUID, consultant_id: uuid.UUID, body: VisitIn, today: date
    ) -> ProgrammeVisit:
        if body.visited_on > today:
            raise _problem("visited_on", "A visit is logged after it happened.")
        if body.follow_up_on is not None and body.follow_up_on < body.visited_on:
            raise _problem("follow_up_on", "The follow-up date is after the visit.")
        visit = ProgrammeVisit(
            shop_id=shop_id,
            consultant_id=consultant_id,
            visited_on=body.visited_on,
            findings=body.findings,
            agreed_actions=body.agreed_actions,
            follow_up_on=body.follow_up_on,
        )
        await self.repo.add(visit)
        return visit

    async def add_course(
        self, body: CourseIn, by: uuid.UUID, consultant: bool, today: date
    ) -> tuple[ProgrammeCourse, list[ProgrammeCourseAttendance]]:
        if body.held_on > today:
            raise _problem("held_on", "Only courses that were held count; record it afterwards.")
        shop_ids = [row.shop_id for row in body.attendance]
        if len(set(shop_ids)) != len(shop_ids):
            raise _problem("attendance", "Each shop appears once; add its attendees together.")
        if set(shop_ids) - await self.repo.existing_shops(shop_ids):
            raise _problem("attendance", "An attending shop does not exist.")
        if body.street_id is not None and not await self.repo.street_exists(body.street_id):
            raise _problem("street_id", "The street does not exist.")
        if consultant:
            for shop_id in shop_ids:
                if not await self.shops.consultant_covers_shop(by, shop_id):
                    raise PermissionDenied("You can only record attendance of your own shops.")
        course = ProgrammeCourse(
            id=uuid.uuid4(),
            held_on=body.held_on,
            place=body.place,
            topic=body.topic,
            street_id=body.street_id,
            recorded_by=by,
        )
        attendance = [
            ProgrammeCourseAttendance(
                course_id=course.id, shop_id=row.shop_id, attendees=row.attendees
            )
            for row in body.attendance
        ]
        await self.repo.add(course)
        if attendance:
            await self.repo.add(*attendance)
        return course, attendance

    async def register_service(
        self, shop_id: uuid.UUID, body: RegisteredServiceIn, by: uuid.UUID, today: date
    ) -> ProgrammeRegisteredService:
        if body.started_on > today:
            raise _problem("started_on", "A service counts once it is in use.")
        service = ProgrammeRegisteredService(
            shop_id=shop_id,
            name=body.name,
            evidence=body.evidence,
            started_on=body.started_on,
            registered_by=by,
        )
        await self.repo.add(service)
        return service

    async def share_demographics(
        self, account_id: uuid.UUID, body: DemographicsIn
    ) -> ProgrammeDemographic:
        if body.gender not in GENDERS:
            raise _problem("gender", f"One of {', '.join(GENDERS)}.")
        if body.age_group not in AGE_GROUPS:
            raise _problem("age_group", f"One of {', '.join(AGE_GROUPS)}.")
        found = await self.repo.demographics(account_id)
        if found is None:
            found = ProgrammeDemographic(account_id=account_id)
        found.gender, found.age_group, found.shared_at = body.gender, body.age_group, utcnow()
        await self.repo.add(found)
        await self._restate_demographic_months()
        return found

    async def withdraw_demographics(self, account_id: uuid.UUID) -> None:
        await self.repo.delete_demographics(account_id)
        await self._restate_demographic_months()

    async def _restate_demographic_months(self) -> None:
        """Sharing or withdrawing changes the demographic rollup of the current month; earlier
        months follow at the nightly rebuild."""
        await self.facts.mark_dirty(taipei_day(utcnow()))
