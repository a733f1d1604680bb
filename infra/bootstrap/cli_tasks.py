"""`onestreet worker`, `onestreet beat` and `onestreet outbox relay|status`."""

from __future__ import annotations

import asyncio
import signal
import threading

import click
from kombu.utils.url import maybe_sanitize_url

from infra.bootstrap.cli_support import require_database, settings
from infra.bootstrap.worker import process_worker
from infra.celery_app import task_sessions
from infra.db import utcnow
from infra.outbox.relay import RelayCounts
from infra.outbox.repository import OutboxRepository
from infra.settings import Settings

NO_BROKER = (
    "no broker configured (ONESTREET_CELERY__BROKER_URL is empty): tasks run in-process "
    "inside `onestreet serve`, so there is nothing for {what} to do. To run tasks on workers, "
    "set ONESTREET_CELERY__BROKER_URL=redis://127.0.0.1:6379/1 for every process."
)
PASSTHROUGH = {"ignore_unknown_options": True, "help_option_names": ["-h", "--help"]}


def require_broker(current: Settings, what: str) -> str:
    if not current.celery.broker_url:
        raise click.ClickException(NO_BROKER.format(what=what))
    return maybe_sanitize_url(current.celery.broker_url)


@click.command(context_settings=PASSTHROUGH)
@click.option("-c", "--concurrency", type=int, default=None, help="Processes (default: CPUs).")
@click.option(
    "--pool",
    type=click.Choice(["prefork", "solo", "threads"]),
    default="prefork",
    show_default=True,
)
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
def worker(concurrency: int | None, pool: str, celery_args: tuple[str, ...]) -> None:
    """Run a Celery worker for OneStreet's tasks; other arguments go to `celery worker`."""
    current = settings()
    broker = require_broker(current, "a worker")
    require_database(current)
    argv = ["worker", f"--pool={pool}", f"--loglevel={current.app.log_level}"]
    if concurrency:
        argv.append(f"--concurrency={concurrency}")
    click.echo(f"Worker taking tasks from {broker}.", err=True)
    process_worker().celery.worker_main([*argv, *celery_args])


@click.command(context_settings=PASSTHROUGH)
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
def beat(celery_args: tuple[str, ...]) -> None:
    """Run the scheduler (exactly one per deployment); other arguments go to `celery beat`."""
    current = settings()
    broker = require_broker(current, "the scheduler")
    current.app.data_dir.mkdir(parents=True, exist_ok=True)
    schedule_file = current.app.data_dir / "celerybeat-schedule"
    interval = current.celery.outbox_relay_interval_seconds
    click.echo(f"Scheduling on {broker}: outbox relay every {interval:g} s.", err=True)
    process_worker().celery.start(
        [
            "beat",
            f"--loglevel={current.app.log_level}",
            f"--schedule={schedule_file}",
            *celery_args,
        ]
    )


@click.group()
def outbox() -> None:
    """Relay or inspect the transactional outbox."""


@outbox.command()
@click.option("--loop", is_flag=True, help="Keep relaying until interrupted (Ctrl-C).")
@click.option("--interval", type=float, default=None, help="Seconds between passes with --loop.")
def relay(loop: bool, interval: float | None) -> None:
    """Hand committed outbox events to the task queue (in-process without a broker)."""
    current = settings()
    require_database(current)
    relayer = process_worker().outbox.relay
    if relayer.in_process:
        click.echo("no broker configured: delivering events in-process.", err=True)
    else:
        click.echo(f"Relaying to {maybe_sanitize_url(current.celery.broker_url)}.", err=True)

    if not loop:
        counts = relayer.run_once(on_batch=lambda size: click.echo(f"batch of {_events(size)}"))
        click.echo(_summary(counts))
        return

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    every = interval or current.celery.outbox_relay_interval_seconds
    click.echo(f"Relaying every {every:g} s; Ctrl-C stops.", err=True)

    def report(counts: RelayCounts) -> None:
        if counts.relayed:
            click.echo(_summary(counts))

    try:
        relayer.run_forever(stop, every, on_pass=report)
    except KeyboardInterrupt:
        click.echo("Stopped.", err=True)


@outbox.command()
def status() -> None:
    """Count published, due and failing events."""
    current = settings()
    require_database(current)

    async def read() -> dict[str, int]:
        async with task_sessions(current.database) as sessions, sessions() as session:
            return await OutboxRepository(session).counts(utcnow())

    counts = asyncio.run(read())
    click.echo(" ".join(f"{name}: {value}" for name, value in counts.items()))


def _summary(counts: RelayCounts) -> str:
    failed = f", {counts.failed} failed" if counts.failed else ""
    batches = "batch" if counts.batches == 1 else "batches"
    return f"relayed {_events(counts.relayed)} in {counts.batches} {batches}{failed}"


def _events(count: int) -> str:
    return f"{count} event" if count == 1 else f"{count} events"
