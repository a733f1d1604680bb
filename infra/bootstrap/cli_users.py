"""`onestreet users create`: accounts from the command line (the first admin, consultants)."""

from __future__ import annotations

import asyncio
import secrets
import sys

import click
from sqlalchemy.exc import DBAPIError

from infra.auth.models import Account
from infra.auth.roles import Role
from infra.auth.service import AccountService
from infra.bootstrap.cli_support import require_database, settings
from infra.db import create_engine, create_session_factory
from infra.errors import OneStreetError
from infra.settings import Settings


@click.group()
def users() -> None:
    """Create accounts."""


@users.command("create")
@click.option("--email", required=True, help="The sign-in e-mail address.")
@click.option(
    "--role", required=True, type=click.Choice([role.value for role in Role]), help="Role."
)
@click.option("--name", "display_name", required=True, help="The name shown to others.")
@click.option(
    "--password",
    default=None,
    help="At least 10 characters. Without it you are asked for one; when nobody can be "
    "asked (no terminal), one is generated and printed once.",
)
def create(email: str, role: str, display_name: str, password: str | None) -> None:
    """Create an active account that can sign in with e-mail and password."""
    current = settings()
    require_database(current)
    generated = False
    if password is None:
        if sys.stdin.isatty():
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        else:
            password = secrets.token_urlsafe(15)
            generated = True
    try:
        account = asyncio.run(_create(current, email, password or "", Role(role), display_name))
    except OneStreetError as exc:
        raise click.ClickException(exc.message) from None
    except DBAPIError as exc:
        raise click.ClickException(
            f"The database refused the account ({type(exc.orig).__name__}); "
            "run `onestreet db upgrade` if it has not been migrated."
        ) from None
    click.echo(f"Created {account.role.value} account {account.email} ({account.id}).")
    if generated:
        click.echo(f"Generated password (shown only now): {password}")


async def _create(
    current: Settings, email: str, password: str, role: Role, display_name: str
) -> Account:
    engine = create_engine(current.database, for_worker=True)
    try:
        async with create_session_factory(engine)() as session:
            account = await AccountService(session).create(
                email=email, password=password, role=role, display_name=display_name
            )
            # The command is the boundary: it commits what the service prepared.
            await session.commit()
            return account
    finally:
        await engine.dispose()
