"""The one Alembic history matches the models and rolls back cleanly on both databases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from infra.bootstrap.models import metadata
from infra.db import create_engine
from infra.migrations import runner
from infra.settings import DatabaseSettings
from tests.conftest import create_postgres_database, drop_postgres_database, run_async


@pytest.fixture
def empty_database(backend: str, tmp_path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


def _inspect(url: str, fn):  # type: ignore[no-untyped-def]
    async def go():  # type: ignore[no-untyped-def]
        engine = create_engine(DatabaseSettings(url=url), for_worker=True)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(fn)
        finally:
            await engine.dispose()

    return run_async(go)


def _differences(sync_connection):  # type: ignore[no-untyped-def]
    context = MigrationContext.configure(
        sync_connection, opts={"compare_type": True, "target_metadata": metadata}
    )
    return compare_metadata(context, metadata)


def _tables(sync_connection) -> set[str]:  # type: ignore[no-untyped-def]
    return set(inspect(sync_connection).get_table_names())


def test_models_and_migrations_do_not_drift(empty_database):
    runner.upgrade(empty_database)
    differences = _inspect(empty_database, _differences)
    assert differences == [], f"models and migrations differ: {differences}"


def test_upgrade_downgrade_upgrade_round_trip(empty_database):
    model_tables = {table.name for table in metadata.sorted_tables}

    runner.upgrade(empty_database)
    assert model_tables <= _inspect(empty_database, _tables)
    assert _inspect(empty_database, runner.current_revision_of) == runner.head_revision(
        empty_database
    )

    runner.downgrade(empty_database, "base")
    assert _inspect(empty_database, _tables) <= {"alembic_version"}
    assert _inspect(empty_database, runner.current_revision_of) is None

    runner.upgrade(empty_database)
    assert model_tables <= _inspect(empty_database, _tables)


def test_drift_check_notices_a_model_without_migration(empty_database):
    """The drift check itself can fail: a table only in the models is reported."""
    from sqlalchemy import Column, Integer, MetaData, Table

    runner.upgrade(empty_database)
    extended = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.sorted_tables:
        table.to_metadata(extended)
    Table("not_migrated_yet", extended, Column("id", Integer, primary_key=True))

    def differences(sync_connection):  # type: ignore[no-untyped-def]
        context = MigrationContext.configure(sync_connection, opts={"compare_type": True})
        return compare_metadata(context, extended)

    found = _inspect(empty_database, differences)
    assert any(diff[0] == "add_table" and diff[1].name == "not_migrated_yet" for diff in found)
