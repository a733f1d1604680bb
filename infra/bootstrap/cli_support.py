"""Helpers shared by the CLI commands: settings with friendly errors, database reachability."""

from __future__ import annotations

import asyncio

import click
from sqlalchemy import text

from infra.db import create_engine
from infra.settings import Settings, cached_settings


def settings() -> Settings:
    return cached_settings()


def require_database(settings: Settings) -> None:
    """Exit with one sentence when the database cannot be reached, before doing anything."""

    async def probe() -> None:
        engine = create_engine(settings.database, for_worker=True)
        try:
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        finally:
            await engine.dispose()

    try:
        asyncio.run(probe())
    except Exception as exc:
        where = create_engine(settings.database, for_worker=True).url.render_as_string(
            hide_password=True
        )
        raise click.ClickException(
            f"Cannot reach the database at {where} ({type(exc).__name__}: {exc}). "
            "Check ONESTREET_DATABASE_URL and that the server is running."
        ) from exc
