"""Consultants' records (visits, courses, registered services) and consumers' opt-in
demographics. Visits name what a consultant found in one shop: never for the ministry."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import authenticated, require_roles, shop_guard
from infra.auth.roles import Role
from infra.db import utcnow
from infra.errors import NotFound
from infra.http.openapi import SIGNED_IN as SECURITY
from merchant_api.consultant_guard import programme_write
from merchant_api.programme.facts_service import taipei_day
from merchant_api.programme.params import checked_year
from merchant_api.programme.periods import year_days
from merchant_api.programme.records_repository import RecordsRepository
from merchant_api.programme.records_service import RecordsService
from merchant_api.programme.schemas import (
    CourseIn,
    DemographicsIn,
    RegisteredServiceIn,
    VisitIn,
)
from merchant_api.strict_body import decode_strictly

SHOP_ADVISERS = [shop_guard(allow={"consultant", "admin"})]
SHOP_WRITERS = [*SHOP_ADVISERS, programme_write("shops:write")]
COURSE_READERS = [require_roles(Role.ministry_viewer, Role.consultant, Role.platform_admin)]
COURSE_WRITERS = [
    require_roles(Role.consultant, Role.platform_admin),
    programme_write("shops:write"),
]


def _visit(visit: Any) -> dict[str, Any]:
    return {
        "id": visit.id,
        "shop_id": visit.shop_id,
        "consultant_id": visit.consultant_id,
        "visited_on": visit.visited_on,
        "findings": visit.findings,
        "agreed_actions": visit.agreed_actions,
        "follow_up_on": visit.follow_up_on,
    }


def _service(service: Any) -> dict[str, Any]:
    return {
        "id": service.id,
        "shop_id": service.shop_id,
        "name": service.name,
        "evidence": service.evidence,
        "started_on": service.started_on,
    }


class ProgrammeRecordsController(Controller):
    path = "/api/programme"
    tags = ["programme"]  # noqa: RUF012
    security = SECURITY

    @get(
        "/shops/{shop_id:uuid}/visits", summary="The shop's diagnosis visits", guards=SHOP_ADVISERS
    )
    async def visits(
        self, db_session: NamedDependency[AsyncSession], shop_id: FromPath[uuid.UUID]
    ) -> list[dict[str, Any]]:
        return [_visit(v) for v in await RecordsRepository(db_session).visits(shop_id)]

    @post(
        "/shops/{shop_id:uuid}/visits", summary="Log a diagnosis visit (短診)", guards=SHOP_WRITERS
    )
    async def add_visit(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        data: JSONBody[VisitIn],
    ) -> dict[str, Any]:
        body = await decode_strictly(request, VisitIn)
        visit = await RecordsService(db_session).add_visit(
            shop_id, authenticated(request).account_id, body, taipei_day(utcnow())
        )
        return _visit(visit)

    @get(
        "/shops/{shop_id:uuid}/services",
        summary="Services registered for the shop",
        guards=SHOP_ADVISERS,
    )
    async def services(
        self, db_session: NamedDependency[AsyncSession], shop_id: FromPath[uuid.UUID]
    ) -> list[dict[str, Any]]:
        found = await RecordsRepository(db_session).registered_services(shop_id)
        return [_service(s) for s in found]

    @post(
        "/shops/{shop_id:uuid}/services",
        summary="Register a digital service with evidence",
        guards=SHOP_WRITERS,
    )
    async def register_service(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        data: JSONBody[RegisteredServiceIn],
    ) -> dict[str, Any]:
        body = await decode_strictly(request, RegisteredServiceIn)
        service = await RecordsService(db_session).register_service(
            shop_id, body, authenticated(request).account_id, taipei_day(utcnow())
        )
        return _service(service)

    @get(
        "/courses",
        summary="Courses held in a ROC year, with attendance per shop",
        guards=COURSE_READERS,
    )
    async def courses(
        self,
        db_session: NamedDependency[AsyncSession],
        roc_year: FromQuery[int | None] = None,
    ) -> list[dict[str, Any]]:
        repo = RecordsRepository(db_session)
        courses = await repo.courses(*year_days(checked_year(roc_year)))
        attendance = await repo.attendance([course.id for course, _ in courses])
        return [
            {
                "id": course.id,
                "held_on": course.held_on,
                "place": course.place,
                "topic": course.topic,
                "street_id": course.street_id,
                "attendees": total,
                "shops": [
                    {"shop_id": row.shop_id, "attendees": row.attendees}
                    for row in attendance
                    if row.course_id == course.id
                ],
            }
            for course, total in courses
        ]

    @post("/courses", summary="Record a course that was held", guards=COURSE_WRITERS)
    async def add_course(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[CourseIn],
    ) -> dict[str, Any]:
        body = await decode_strictly(request, CourseIn)
        principal = authenticated(request)
        course, attendance = await RecordsService(db_session).add_course(
            body, principal.account_id, principal.role == Role.consultant, taipei_day(utcnow())
        )
        return {
            "id": course.id,
            "held_on": course.held_on,
            "place": course.place,
            "topic": course.topic,
            "street_id": course.street_id,
            "attendees": sum(row.attendees for row in attendance),
        }

    @get(
        "/me/demographics",
        summary="What you share for programme statistics",
        guards=[require_roles(Role.consumer)],
    )
    async def my_demographics(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
    ) -> dict[str, Any]:
        found = await RecordsRepository(db_session).demographics(authenticated(request).account_id)
        if found is None:
            raise NotFound("You share nothing.")
        return {"gender": found.gender, "age_group": found.age_group, "shared_at": found.shared_at}

    @put(
        "/me/demographics",
        summary="Share your gender and age group (aggregated only)",
        guards=[require_roles(Role.consumer)],
    )
    async def share(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[DemographicsIn],
    ) -> dict[str, Any]:
        body = await decode_strictly(request, DemographicsIn)
        found = await RecordsService(db_session).share_demographics(
            authenticated(request).account_id, body
        )
        return {"gender": found.gender, "age_group": found.age_group}

    @delete(
        "/me/demographics",
        summary="Stop sharing",
        guards=[require_roles(Role.consumer)],
        status_code=204,
    )
    async def withdraw(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
    ) -> None:
        await RecordsService(db_session).withdraw_demographics(authenticated(request).account_id)
