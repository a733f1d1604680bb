"""The Celery app, built from settings (never at import time), and helpers for task bodies.

With a broker (Redis) tasks leave the process and run on `onestreet worker`. Without one,
Celery runs every task in-process (`task_always_eager`), which is what the embedded mode uses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache

from celery import Celery
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from infra.db import create_engine, create_session_factory
from infra.logging import get_logger
from infra.settings import DatabaseSettings, Settings

log = get_logger("onestreet.celery")


def create_celery_app(settings: Settings) -> Celery:
    celery = settings.celery
    in_process = not celery.broker_url
    # Not the "current app": tests build several apps with different settings in one process.
    app = Celery("onestreet", set_as_current=False)
    app.conf.update(
        broker_url=celery.broker_url or "memory://",
        result_backend=celery.result_backend or None,
        task_ignore_result=not celery.result_backend,
        task_always_eager=in_process,
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        timezone="UTC",
        enable_utc=True,
        # Acknowledge after the task ran, and give the task back when the process running it
        # dies: a killed worker's task runs again elsewhere. Tasks are safe to run twice.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # One task at a time per process: a slow task does not hold others hostage.
        worker_prefetch_multiplier=1,
        worker_cancel_long_running_tasks_on_connection_loss=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options=_redis_transport_options(celery.visibility_timeout_seconds),
        # Our logging setup (infra.logging) stays in charge of the root logger.
        worker_hijack_root_logger=False,
    )
    if in_process:
        _announce_in_process()
    return app


def _redis_transport_options(visibility_timeout: int) -> dict[str, int]:
    return {
        # How long a taken but unacknowledged task stays hidden before Redis hands it out again.
        "visibility_timeout": visibility_timeout,
        # kombu looks for such abandoned tasks every interval x throttle seconds (100 s by
        # default); look every few seconds so a dead worker's task comes back soon after
        # the visibility timeout, not minutes later.
        "unacked_restore_interval": max(1, min(10, visibility_timeout // 2)),
        "unacked_restore_throttle": 1,
    }


@cache
def _announce_in_process() -> None:
    log.info(
        "no broker configured: tasks run in-process",
        hint="set ONESTREET_CELERY__BROKER_URL=redis://… to run them on `onestreet worker`",
    )


@asynccontextmanager
async def task_sessions(
    database: DatabaseSettings,
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A session factory for one task run.

    Each task body runs in its own event loop (asyncio.run), and connections belong to the
    loop that opened them, so the engine lives exactly as long as the run.
    """
    engine = create_engine(database, for_worker=True)
    try:
        yield create_session_factory(engine)
    finally:
        await engine.dispose()
