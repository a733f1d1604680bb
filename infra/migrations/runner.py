"""Programmatic Alembic: the CLI and the tests share these, no alembic.ini needed."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database_url)
    config.set_main_option("path_separator", "os")
    return config


def upgrade(database_url: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


def head_revision(database_url: str) -> str | None:
    """The newest revision ("a,b" while parallel branches await their merge)."""
    heads = sorted(ScriptDirectory.from_config(alembic_config(database_url)).get_heads())
    return ",".join(heads) or None


def current_revision_of(sync_connection) -> str | None:  # type: ignore[no-untyped-def]
    heads = sorted(MigrationContext.configure(sync_connection).get_current_heads())
    return ",".join(heads) or None
