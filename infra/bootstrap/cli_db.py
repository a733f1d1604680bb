"""`onestreet db upgrade|downgrade|current`."""

from __future__ import annotations

import asyncio

import click

from infra.bootstrap.cli_support import require_database, settings
from infra.db import create_engine
from infra.migrations import runner


@click.group()
def db() -> None:
    """Apply, roll back or show database migrations."""


@db.command()
@click.argument("revision", default="heads")
def upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: the newest)."""
    current = settings()
    require_database(current)
    runner.upgrade(current.database.url, revision)
    click.echo(f"Database is at {_current(current.database.url) or 'base'}.")


@db.command()
@click.argument("revision", default="-1")
def downgrade(revision: str) -> None:
    """Migrate the database down to REVISION (default: one step; 'base' empties it)."""
    current = settings()
    require_database(current)
    runner.downgrade(current.database.url, revision)
    click.echo(f"Database is at {_current(current.database.url) or 'base'}.")


@db.command("current")
def current_cmd() -> None:
    """Show the database's revision and the newest one available."""
    current = settings()
    require_database(current)
    at = _current(current.database.url) or "base (empty)"
    head = runner.head_revision(current.database.url)
    click.echo(f"current: {at}\nnewest:  {head}")


def _current(url: str) -> str | None:
    from infra.settings import DatabaseSettings

    async def read() -> str | None:
        engine = create_engine(DatabaseSettings(url=url), for_worker=True)
        try:
            async with engine.connect() as connection:
                return await connection.run_sync(runner.current_revision_of)
        finally:
            await engine.dispose()

    return asyncio.run(read())
