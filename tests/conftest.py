"""Test fixtures. The same suite runs on the embedded SQLite default and, when reachable, on
PostgreSQL + Redis; with ONESTREET_TEST_REQUIRE_SERVICES=1 a missing service fails the run.

Schemas are built by running the Alembic migrations, never by create_all.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from litestar.testing import TestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from infra.bootstrap.models import metadata
from infra.db import create_engine, create_session_factory
from infra.migrations import runner
from infra.settings import (
    AppSettings,
    AuthSettings,
    CelerySettings,
    DatabaseSettings,
    RedisSettings,
    Settings,
)

T = TypeVar("T")

REQUIRE_SERVICES = os.environ.get("ONESTREET_TEST_REQUIRE_SERVICES") == "1"
POSTGRES_ADMIN_URL = os.environ.get(
    "ONESTREET_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("ONESTREET_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _postgres_reachable() -> str | None:
    """None when reachable, else the reason."""
    import asyncpg

    async def probe() -> None:
        conn = await asyncpg.connect(POSTGRES_ADMIN_URL.replace("+asyncpg", ""), timeout=3)
        await conn.close()

    try:
        asyncio.run(probe())
    except Exception as exc:
        return f"PostgreSQL at {POSTGRES_ADMIN_URL} is not reachable: {exc}"
    return None


def redis_unavailable_reason() -> str | None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except Exception as exc:
        return f"Redis at {REDIS_URL} is not reachable: {exc}"
    return None


def skip_or_fail(reason: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (ONESTREET_TEST_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def run_async(factory: Callable[[], Awaitable[T]]) -> T:
    return asyncio.run(factory())  # type: ignore[arg-type]


def create_postgres_database() -> str:
    """A fresh, empty database for this test session; returns its asyncpg URL."""
    import asyncpg

    name = f"onestreet_test_{uuid.uuid4().hex[:10]}"

    async def create() -> None:
        conn = await asyncpg.connect(POSTGRES_ADMIN_URL.replace("+asyncpg", ""))
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    run_async(create)
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_postgres_database(url: str) -> None:
    import asyncpg

    name = url.rsplit("/", 1)[1]

    async def drop() -> None:
        conn = await asyncpg.connect(POSTGRES_ADMIN_URL.replace("+asyncpg", ""))
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await conn.close()

    run_async(drop)


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres":
        reason = _postgres_reachable() or redis_unavailable_reason()
        if reason:
            skip_or_fail(reason)
    return request.param


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated database for the whole session (SQLite file or a fresh PostgreSQL db)."""
    if backend == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "onestreet.sqlite3"
        url = f"sqlite+aiosqlite:///{path}"
        runner.upgrade(url)
        yield url
        return
    url = create_postgres_database()
    runner.upgrade(url)
    try:
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture
def settings(backend: str, database_url: str, tmp_path: Path) -> Settings:
    """Settings for one test: the session's database; Redis and a broker on PostgreSQL runs.

    Tasks stay in-process (no broker) unless a test asks for a real worker itself.
    """
    return Settings(
        app=AppSettings(environment="test", log_json=False, log_level="WARNING", data_dir=tmp_path),
        database=DatabaseSettings(url=database_url),
        redis=RedisSettings(url=REDIS_URL if backend == "postgres" else ""),
        celery=CelerySettings(),
        auth=AuthSettings(secret_key="test-secret-key-of-sufficient-length-0123456789"),
    )


@pytest.fixture(autouse=True)
def _clean_state(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every test starts with empty tables and an empty Redis test db."""
    yield
    if "database_url" not in request.fixturenames:
        return
    url = request.getfixturevalue("database_url")
    run_async(lambda: _truncate_all(url))
    if request.getfixturevalue("backend") == "postgres":
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()


async def _truncate_all(url: str) -> None:
    engine = create_engine(DatabaseSettings(url=url), for_worker=True)
    try:
        async with engine.begin() as connection:
            tables = [t.name for t in reversed(metadata.sorted_tables)]
            if not tables:
                return
            if connection.dialect.name == "postgresql":
                joined = ", ".join(f'"{name}"' for name in tables)
                await connection.execute(text(f"TRUNCATE {joined} RESTART IDENTITY CASCADE"))
            else:
                for name in tables:
                    await connection.execute(text(f'DELETE FROM "{name}"'))
    finally:
        await engine.dispose()


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    from infra.bootstrap.asgi import create_app

    return create_app(settings)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app=app, base_url="http://testserver.local") as test_client:
        yield test_client


@pytest.fixture
def db(database_url: str) -> Callable[[Callable[[AsyncSession], Awaitable[Any]]], Any]:
    """Run `fn(session)` against the test database and commit; for arranging and asserting."""

    def run(fn: Callable[[AsyncSession], Awaitable[Any]]) -> Any:
        async def go() -> Any:
            engine = create_engine(DatabaseSettings(url=database_url), for_worker=True)
            try:
                async with create_session_factory(engine)() as session:
                    result = await fn(session)
                    await session.commit()
                    return result
            finally:
                await engine.dispose()

        return run_async(go)

    return run
