"""The declarative base with a naming convention, and async engine/session factories."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, ClassVar

import msgspec
from sqlalchemy import DateTime, MetaData, TypeDecorator, Uuid, event
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.pool import NullPool

from infra.settings import DatabaseSettings

# Stable constraint names keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps are stored in UTC and always come back timezone-aware.

    SQLite drops the offset, so values are normalised to UTC on the way in and tagged on the
    way out; PostgreSQL stores them as timestamptz.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def one_of(column: str, values: type[StrEnum]) -> str:
    """A CHECK expression limiting a string column to an enum's values.

    Plain strings with a check constraint read the same on SQLite and PostgreSQL, and adding a
    value is a constraint change rather than a type migration.
    """
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime(), uuid.UUID: Uuid()}


class UUIDPrimaryKey:
    """Public identifiers are random UUIDs, never sequential ids."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def _configure_sqlite(engine: AsyncEngine) -> None:
    """Foreign keys on, WAL, a busy timeout, and transactions SQLAlchemy fully controls.

    The sqlite3 driver otherwise opens transactions on its own, which breaks SAVEPOINT
    (a rolled-back outer transaction would keep a released savepoint's rows). Following
    SQLAlchemy's recipe, the driver's handling is turned off and we emit BEGIN ourselves;
    IMMEDIATE takes the write lock up front, so two writers wait for each other (busy
    timeout) instead of one failing when it upgrades a read lock.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _json_text(value: Any) -> str:
    return msgspec.json.encode(value).decode()


# JSON columns (names, line snapshots, payloads, stored answers) go through msgspec rather than
# the json module: several per order, and msgspec is several times faster. The same values come
# back; only the stored text differs (UTF-8 characters rather than \u escapes).
_JSON_CODEC: dict[str, Any] = {
    "json_serializer": _json_text,
    "json_deserializer": msgspec.json.decode,
}


def create_engine(settings: DatabaseSettings, *, for_worker: bool = False) -> AsyncEngine:
    """An engine for the configured database.

    Workers run each task in a fresh event loop, and asyncpg connections belong to the loop
    that opened them, so worker engines do not pool connections.
    """
    if settings.is_sqlite:
        _ensure_sqlite_directory(settings.url)
        engine = create_async_engine(settings.url, echo=settings.echo, **_JSON_CODEC)
        _configure_sqlite(engine)
        return engine
    if for_worker:
        return create_async_engine(
            settings.url, echo=settings.echo, poolclass=NullPool, **_JSON_CODEC
        )
    # No pre-ping: it costs a round trip on every checkout, which on the order and payment
    # paths is a sixth of the request. Connections are recycled instead, and a connection
    # that died with a database restart fails one request, which the client retries with
    # its Idempotency-Key.
    return create_async_engine(
        settings.url,
        echo=settings.echo,
        pool_size=settings.pool_size,
        pool_recycle=1800,
        **_JSON_CODEC,
    )


def _ensure_sqlite_directory(url: str) -> None:
    path = url.split(":///", 1)[1] if ":///" in url else ""
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
