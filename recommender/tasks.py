"""Celery tasks: the nightly retrain, advice fanned out per street, effect measurement.

Tasks take ids, never objects, and are safe to run twice: a retrain records one more
version (kept only if it scores at least as well), an advice run supersedes its own drafts,
and measurement only touches advice not yet measured.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from celery import Celery
from celery.schedules import crontab

from infra.celery_app import task_sessions
from infra.db import utcnow
from infra.settings import Settings
from recommender.advice.service import AdviceService
from recommender.features.repository import FeatureRepository
from recommender.holidays import HolidayCalendar
from recommender.training import train_all

NIGHTLY_TASK = "recommender.nightly"
ADVISE_STREET_TASK = "recommender.advise_street"
MEASURE_TASK = "recommender.measure_effects"


def register_recommender_tasks(app: Celery, settings: Settings) -> dict[str, Any]:
    config = settings.recommender

    def calendar() -> HolidayCalendar:
        return HolidayCalendar.from_file(config.holidays_file or None)

    async def in_session(work):  # type: ignore[no-untyped-def]
        async with task_sessions(settings.database) as sessions, sessions() as session:
            result = await work(session)
            await session.commit()
            return result

    @app.task(name=ADVISE_STREET_TASK, shared=False)
    def advise_street(street_id: str) -> dict[str, Any]:
        async def work(session):  # type: ignore[no-untyped-def]
            shops = await FeatureRepository(session).shops()
            ids = [s.id for s in shops if s.street_id == uuid.UUID(street_id)]
            made = await AdviceService(session).generate(
                ids, utcnow(), calendar(), config.history_days
            )
            return sum(made.values())

        return {"street_id": street_id, "drafts": asyncio.run(in_session(work))}

    @app.task(name=NIGHTLY_TASK, shared=False)
    def nightly() -> dict[str, Any]:
        """Retrain every model, then fan advice out per street."""

        async def work(session):  # type: ignore[no-untyped-def]
            trained = await train_all(session, utcnow(), calendar(), config.history_days)
            streets = sorted({str(s.street_id) for s in await FeatureRepository(session).shops()})
            return trained, streets

        trained, streets = asyncio.run(in_session(work))
        for street in streets:
            advise_street.delay(street)
        return {**trained, "streets": len(streets)}

    @app.task(name=MEASURE_TASK, shared=False)
    def measure_effects() -> dict[str, Any]:
        async def work(session):  # type: ignore[no-untyped-def]
            return await AdviceService(session).measure_due(utcnow())

        return {"measured": asyncio.run(in_session(work))}

    return {"nightly": nightly, "advise_street": advise_street, "measure": measure_effects}


def recommender_beat_schedule(settings: Settings) -> dict[str, dict[str, Any]]:
    hour = settings.recommender.nightly_hour_utc
    return {
        "recommender-nightly": {"task": NIGHTLY_TASK, "schedule": crontab(hour=hour, minute=0)},
        "recommender-measure": {
            "task": MEASURE_TASK,
            "schedule": crontab(hour=(hour + 2) % 24, minute=0),
        },
    }
