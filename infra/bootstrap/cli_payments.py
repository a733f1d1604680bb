"""`onestreet payments reconcile`: re-fetch payments stuck in processing, now."""

from __future__ import annotations

import asyncio
import json

import click

from infra.bootstrap.cli_support import require_database, settings
from payments.intents.tasks import run_reconciliation


@click.group()
def payments() -> None:
    """Payments housekeeping."""


@payments.command("reconcile")
def reconcile() -> None:
    """Ask providers about payments processing longer than
    ONESTREET_PAYMENTS__RECONCILE_AFTER_MINUTES and apply their answers (safe to repeat)."""
    current = settings()
    require_database(current)
    report = asyncio.run(run_reconciliation(current))
    click.echo(json.dumps(report.as_dict()))
    if report.errors:
        raise SystemExit(1)
