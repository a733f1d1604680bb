"""`onestreet loyalty settle|daily|verify|statement`: settlement runs, expiry, ledger audit."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click
from sqlalchemy.ext.asyncio import AsyncSession

from infra.bootstrap.cli_support import require_database, settings
from infra.db import create_engine, create_session_factory, utcnow
from infra.errors import OneStreetError
from payments.loyalty.audit import LedgerAudit
from payments.loyalty.settlement import SettlementService, previous_period, statements_csv
from payments.loyalty.tasks import run_daily

T = TypeVar("T")


def _in_session(fn: Callable[[AsyncSession], Awaitable[T]], commit: bool = False) -> T:
    current = settings()
    require_database(current)

    async def go() -> T:
        engine = create_engine(current.database, for_worker=True)
        try:
            async with create_session_factory(engine)() as session:
                result = await fn(session)
                if commit:
                    await session.commit()
                return result
        finally:
            await engine.dispose()

    try:
        return asyncio.run(go())
    except OneStreetError as refused:
        raise click.ClickException(f"{refused.code}: {refused.message}") from refused


@click.group()
def loyalty() -> None:
    """Loyalty points: settlement between merchants, expiry, ledger checks."""


@loyalty.command("settle")
@click.option("--period", default=None, help="YYYY-MM (Asia/Taipei); default: last month.")
def settle(period: str | None) -> None:
    """Settle and close a month: one statement per shop and pool (CSV on stdout)."""
    chosen = period or previous_period(utcnow())
    value = settings().loyalty.point_value_minor
    statements = _in_session(
        lambda s: SettlementService(s, value).settle(chosen, utcnow()), commit=True
    )
    click.echo(statements_csv(statements), nl=False)


@loyalty.command("statement")
@click.option("--period", required=True, help="A closed period, YYYY-MM.")
def statement(period: str) -> None:
    """Print a closed period's statements as CSV."""
    value = settings().loyalty.point_value_minor
    click.echo(
        statements_csv(_in_session(lambda s: SettlementService(s, value).statements(period))),
        nl=False,
    )


@loyalty.command("daily")
def daily() -> None:
    """Release lapsed holds, expire lots, send expiry notices (what the beat runs daily)."""
    current = settings()
    require_database(current)

    async def go() -> dict[str, int]:
        engine = create_engine(current.database, for_worker=True)
        try:
            return await run_daily(create_session_factory(engine), current.loyalty)
        finally:
            await engine.dispose()

    click.echo(json.dumps(asyncio.run(go())))


@loyalty.command("verify")
def verify() -> None:
    """Check the ledger's invariants; exits 1 when one fails."""
    report = _in_session(lambda s: LedgerAudit(s).run())
    body: dict[str, Any] = {k: v for k, v in vars(report).items()}
    click.echo(json.dumps({"ok": report.ok, **body}))
    if not report.ok:
        raise SystemExit(1)
