"""The `onestreet` command. Each group lives in its own module; this file assembles them."""

from __future__ import annotations

import sys

import click

from infra.bootstrap.cli_db import db
from infra.bootstrap.cli_demo import demo, seed
from infra.bootstrap.cli_devices import devices
from infra.bootstrap.cli_loyalty import loyalty
from infra.bootstrap.cli_payments import payments
from infra.bootstrap.cli_recommender import recommender
from infra.bootstrap.cli_serve import serve
from infra.bootstrap.cli_tasks import beat, outbox, worker
from infra.bootstrap.cli_users import users
from infra.settings import SettingsError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """OneStreet: shops, orders, payments and shared points for rural shopping streets."""


@cli.command("settings")
def settings_cmd() -> None:
    """Print every setting with its default and meaning (the README's table)."""
    from infra.settings_doc import settings_table

    click.echo("| variable | default | meaning |\n|---|---|---|\n" + settings_table())


cli.add_command(db)
cli.add_command(serve)
cli.add_command(worker)
cli.add_command(beat)
cli.add_command(outbox)
cli.add_command(users)
cli.add_command(seed)
cli.add_command(demo)
cli.add_command(devices)
cli.add_command(payments)
cli.add_command(loyalty)
cli.add_command(recommender)


def main() -> None:
    try:
        cli(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except SettingsError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
