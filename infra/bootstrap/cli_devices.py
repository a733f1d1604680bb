"""`onestreet devices …`: the MQTT subscriber, the simulator, and telemetry maintenance."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from datetime import datetime
from pathlib import Path

import click

from infra.auth.secret_key import ensure_secret_key
from infra.bootstrap.cli_support import require_database, settings
from infra.celery_app import task_sessions
from infra.settings import Settings
from merchant_api.devices.models import DeviceType
from merchant_api.devices.provisioning import provision
from merchant_api.devices.tasks import run_activity_check
from merchant_api.telemetry.simulator import SimDevice, SimStats, run_http, run_mqtt
from merchant_api.telemetry.tasks import run_maintenance, run_rollup

SIMULATED_TYPES = (DeviceType.kiosk, DeviceType.hotspot, DeviceType.interactive_display)


def _current() -> Settings:
    current = ensure_secret_key(settings())
    require_database(current)
    return current


@click.group()
def devices() -> None:
    """Interaction devices: MQTT ingestion, the simulator, rollups and alerts."""


@devices.command()
def mqtt() -> None:
    """Subscribe to device telemetry on the MQTT broker (ONESTREET_DEVICES__MQTT_URL)."""
    from redis.asyncio import Redis

    from merchant_api.telemetry.mqtt import subscribe_forever

    current = _current()

    async def run() -> None:
        redis = Redis.from_url(current.redis.url) if current.redis.url else None
        async with task_sessions(current.database) as sessions:
            await subscribe_forever(current, sessions, redis)

    topics = f"{current.devices.mqtt_topic_prefix}/devices/+/telemetry"
    click.echo(f"Listening on {current.devices.mqtt_url} ({topics}).", err=True)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


@devices.command()
@click.option("--devices", "count", type=click.IntRange(1, 10_000), default=10, show_default=True)
@click.option(
    "--rate",
    type=float,
    default=0.0,
    show_default=True,
    help="Events/s in total; 0 = as fast as the server takes them.",
)
@click.option("--duration", type=float, default=10.0, show_default=True, help="Seconds (HTTP).")
@click.option("--batch", "batch_size", type=click.IntRange(1, 1000), default=500, show_default=True)
@click.option("--concurrency", type=click.IntRange(1, 256), default=8, show_default=True)
@click.option("--url", default=None, help="Server address (default: ONESTREET_APP__PUBLIC_URL).")
@click.option("--transport", type=click.Choice(["http", "mqtt"]), default="http", show_default=True)
@click.option(
    "--batches", type=int, default=1, show_default=True, help="Batches per device (MQTT)."
)
@click.option(
    "--street",
    "street_id",
    type=click.UUID,
    default=None,
    help="Street for new devices (default: the first).",
)
@click.option(
    "--state",
    "state_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Where simulated credentials are kept (default: <data_dir>/simulated-devices.json).",
)
def simulate(
    count: int,
    rate: float,
    duration: float,
    batch_size: int,
    concurrency: int,
    url: str | None,
    transport: str,
    batches: int,
    street_id: uuid.UUID | None,
    state_file: Path | None,
) -> None:
    """Simulate N paired devices posting signed telemetry batches."""
    current = _current()
    state_file = state_file or current.app.data_dir / "simulated-devices.json"
    known: list[dict[str, str]] = json.loads(state_file.read_text()) if state_file.exists() else []
    if len(known) < count:
        known = asyncio.run(_pair_more(current, known, count, street_id))
        state_file.parent.mkdir(parents=True, exist_ok=True)
        state_file.write_text(json.dumps(known))
    # Sequence numbers continue where the last run stopped (time-based, so they only grow).
    start = int(datetime.now().timestamp() * 1000) * 1000
    sims = [
        SimDevice(d["device_id"], d["credential_id"], d["secret"], d["type"], seq=start)
        for d in known[:count]
    ]
    if transport == "mqtt":
        sent = asyncio.run(
            run_mqtt(
                current.devices.mqtt_url,
                current.devices.mqtt_topic_prefix,
                sims,
                batches=batches,
                batch_size=batch_size,
            )
        )
        click.echo(f"Published {sent} events in {batches} batch(es) per device over MQTT.")
        return
    stats = asyncio.run(
        run_http(
            url or current.app.public_url,
            sims,
            duration=duration,
            batch_size=batch_size,
            concurrency=concurrency,
            rate=rate,
            progress=_progress,
        )
    )
    _progress(stats)


def _progress(stats: SimStats) -> None:
    click.echo(
        f"{stats.seconds:6.1f} s  requests {stats.requests}  accepted {stats.accepted}  "
        f"duplicate {stats.duplicate}  rejected {stats.rejected}  failed {stats.failed_requests}  "
        f"{stats.events_per_second:,.0f} events/s",
        err=True,
    )


async def _pair_more(
    current: Settings, known: list[dict[str, str]], count: int, street_id: uuid.UUID | None
) -> list[dict[str, str]]:
    """Register and pair devices until there are `count` (the state file keeps them)."""
    from sqlalchemy import text

    known = list(known)
    async with task_sessions(current.database) as sessions, sessions() as session:
        street = street_id or await session.scalar(
            text("SELECT id FROM streets ORDER BY slug LIMIT 1")
        )
        if street is None:
            raise click.ClickException("No street to put devices on; run `onestreet seed` first.")
        street = uuid.UUID(str(street))
        for index in range(len(known), count):
            kind = SIMULATED_TYPES[index % len(SIMULATED_TYPES)]
            name = f"Simulated {kind.value} {index + 1}"
            made = await provision(session, current, street, None, kind, name)
            known.append(made.__dict__)
        await session.commit()
    return known


@devices.command()
@click.option(
    "--start", type=click.DateTime(), default=None, help="UTC; default: the last 3 hours."
)
@click.option("--end", type=click.DateTime(), default=None, help="UTC; default: now.")
def rollup(start: datetime | None, end: datetime | None) -> None:
    """Recompute hourly rollups for a period (idempotent)."""
    from datetime import UTC

    current = _current()
    rows = asyncio.run(
        run_rollup(
            current,
            start.replace(tzinfo=UTC) if start else None,
            end.replace(tzinfo=UTC) if end else None,
        )
    )
    click.echo(f"{rows} device-hours rolled up.")


@devices.command("check-activity")
def check_activity() -> None:
    """Raise inactivity alerts for silent devices and clear those of returned ones."""
    result = asyncio.run(run_activity_check(_current()))
    click.echo(f"{result['raised']} alert(s) raised, {result['cleared']} cleared.")


@devices.command()
def maintain() -> None:
    """Create partitions ahead, drop expired raw events, recompute recent rollups."""
    result = asyncio.run(run_maintenance(_current()))
    click.echo(json.dumps(result))
