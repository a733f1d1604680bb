"""`onestreet seed` and `onestreet demo`: a working programme on a laptop in one command."""

from __future__ import annotations

import click

from infra.bootstrap.cli_serve import run_server
from infra.bootstrap.cli_support import require_database, settings
from infra.bootstrap.seed import SeedSummary, is_database_empty, schema_is_current, seed_database
from infra.bootstrap.seed_data import DEMO_LOGINS, DEMO_PASSWORD
from infra.migrations import runner
from infra.settings import Settings


@click.command()
def seed() -> None:
    """Fill an empty database with the demo streets, shops and logins.

    The data follows ONESTREET_APP__SEED_NUMBER (default 2017): the same number always gives
    the same data. A database that already has streets or demo logins is left alone.
    """
    current = settings()
    require_database(current)
    if not schema_is_current(current):
        raise click.ClickException(
            "The database is not at the newest schema; run `onestreet db upgrade` first "
            "(or `onestreet demo`, which does both)."
        )
    if not is_database_empty(current):
        raise click.ClickException(
            "The database already has streets or demo logins; `onestreet seed` only fills an "
            "empty database. Use a fresh database (or `onestreet db downgrade base` then "
            "`onestreet db upgrade`, which deletes everything) to seed again."
        )
    _seed(current)
    _print_logins()


@click.command()
@click.option("--host", default=None, help="Address to listen on (default from settings).")
@click.option("--port", type=int, default=None, help="Port (default from settings).")
@click.option("--no-serve", is_flag=True, help="Prepare the database and print, then exit.")
def demo(host: str | None, port: int | None, no_serve: bool) -> None:
    """Migrate the database, seed it when empty, print the demo logins and serve."""
    current = settings()
    host = host or current.app.host
    port = port or current.app.port
    require_database(current)
    click.echo("Migrating the database to the newest schema...")
    runner.upgrade(current.database.url)
    if is_database_empty(current):
        _seed(current)
    else:
        click.echo("The database already has data; keeping it as it is.")

    base = f"http://{host}:{port}"
    click.echo("")
    click.echo(f"  Home page      {base}/")
    click.echo(f"  Consumer       {base}/demo/table (order at a table, pay in the demo wallet)")
    click.echo(f"  Owner console  {base}/owner (sign in as owner@demo.onestreet.tw)")
    click.echo(f"  Kiosk          {base}/kiosk (sign in as owner@demo.onestreet.tw)")
    click.echo(f"  API and docs   {base}/schema")
    click.echo(f"  Readiness      {base}/health/ready")
    _print_logins()
    if no_serve:
        return
    click.echo(f"\nServing on {base} (Ctrl+C stops).")
    run_server(host, port)


def _seed(current: Settings) -> SeedSummary:
    click.echo(f"Seeding the demo programme (seed number {current.app.seed_number})...")
    summary = seed_database(current, progress=lambda line: click.echo(f"  {line}"))
    click.echo(
        f"Seeded {summary.streets} streets, {summary.shops} shops, {summary.listings} listings "
        f"and {summary.accounts} demo logins."
    )
    return summary


def _print_logins() -> None:
    click.echo(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
    width = max(len(login.email) for login in DEMO_LOGINS)
    click.echo(f"  {'e-mail'.ljust(width)}  {'role'.ljust(15)}  who")
    for login in DEMO_LOGINS:
        click.echo(f"  {login.email.ljust(width)}  {login.role.value.ljust(15)}  {login.what}")
