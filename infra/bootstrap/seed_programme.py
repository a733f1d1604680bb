"""Demo programme records: courses with attendance, the consultant's diagnosis visits,
registered services, this year's targets, one consumer who shares demographics; then the
activity facts derived from the seeded orders and payments, and the rollups built from them.

Deterministic for a seed number; run only by the seeder on an empty database.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from merchant_api.programme.backfill import backfill_facts
from merchant_api.programme.definitions import DEFINITIONS
from merchant_api.programme.models import (
    ProgrammeCourse,
    ProgrammeCourseAttendance,
    ProgrammeDemographic,
    ProgrammeRegisteredService,
    ProgrammeTarget,
    ProgrammeVisit,
)
from merchant_api.programme.periods import TAIPEI, current_roc_year
from merchant_api.programme.rollup_service import RollupService

TOPICS = (
    "行動支付與 TWQR 收款",
    "社群行銷與 LINE 官方帳號",
    "商品拍照與多語菜單",
    "電子發票與點數",
)
FINDINGS = (
    ("菜單只有中文，外籍旅客看不懂。", "新增英文、越南文品名，兩週內上架。"),
    ("假日下午排隊長，櫃台只能收現金。", "開通 TWQR 與 LINE Pay，張貼掃碼牌。"),
    ("熱銷品常缺貨，沒有庫存紀錄。", "在後台設定庫存數量，每日收攤時更新。"),
)


async def seed_programme(
    session: AsyncSession,
    seed_number: int,
    make_id: Callable[[str, str], uuid.UUID],
    shop_ids: dict[str, uuid.UUID],
    street_ids: dict[str, uuid.UUID],
    consultant_id: uuid.UUID,
    consumer_id: uuid.UUID,
) -> str:
    rng = random.Random(f"programme:{seed_number}")
    today = datetime.now(UTC).astimezone(TAIPEI).date()
    shops = sorted(shop_ids.items())
    courses = 0
    for street_slug, street_id in sorted(street_ids.items()):
        for n in range(2):
            held = today - timedelta(days=20 + 45 * n + rng.randrange(10))
            course = ProgrammeCourse(
                id=make_id("course", f"{street_slug}:{n}"),
                held_on=held,
                place=f"{street_slug} 社區活動中心",
                topic=TOPICS[(courses + n) % len(TOPICS)],
                street_id=street_id,
                recorded_by=consultant_id,
            )
            session.add(course)
            await session.flush()
            for _slug, shop_id in rng.sample(shops, 3):
                session.add(
                    ProgrammeCourseAttendance(
                        course_id=course.id, shop_id=shop_id, attendees=rng.randint(1, 3)
                    )
                )
            courses += 1
    visits = 0
    for slug, shop_id in shops[:4]:
        findings, actions = FINDINGS[visits % len(FINDINGS)]
        visited = today - timedelta(days=rng.randint(7, 40))
        session.add(
            ProgrammeVisit(
                id=make_id("visit", slug),
                shop_id=shop_id,
                consultant_id=consultant_id,
                visited_on=visited,
                findings=findings,
                agreed_actions=actions,
                follow_up_on=visited + timedelta(days=30),
            )
        )
        visits += 1
    for (slug, shop_id), name in zip(shops[:2], ("AR 試穿互動看板", "LINE 預約取貨"), strict=False):
        session.add(
            ProgrammeRegisteredService(
                id=make_id("registered-service", slug),
                shop_id=shop_id,
                name=name,
                evidence="顧問現場查核：設備照片與一週使用紀錄（20 筆以上）。",
                started_on=today - timedelta(days=rng.randint(30, 90)),
                registered_by=consultant_id,
            )
        )
    year = current_roc_year()
    for kpi, definition in DEFINITIONS.items():
        # This year's targets follow the plan's last year until the ministry says otherwise.
        session.add(
            ProgrammeTarget(kpi=kpi.value, roc_year=year, target=definition.plan_targets[109])
        )
    session.add(ProgrammeDemographic(account_id=consumer_id, gender="female", age_group="30-39"))
    await session.flush()
    facts = await backfill_facts(session)
    refreshed = await RollupService(session).rebuild()
    return (
        f"Added {courses} courses, {visits} diagnosis visits, 2 registered services and "
        f"{facts['uses']} uses / {facts['business']} business facts "
        f"(rollups over {refreshed.days} days)"
    )
