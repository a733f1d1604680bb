"""Telemetry ingestion throughput on PostgreSQL, against a raw COPY of the same rows.

    .venv/bin/python benchmarks/bench_telemetry.py --seconds 10     # a smoke run
    .venv/bin/python benchmarks/bench_telemetry.py                  # 60 s, the real figure

Creates a fresh database with one street and `--devices` paired devices (registered, given a
pairing code and paired through the device service), serves the app as deployed on this
2-core machine (uvicorn `--workers 2`, uvloop, httptools, no access log, Redis for the shared
nonce guard; a free port), and runs the device simulator: `--concurrency` clients posting
signed batches of `--batch` events over HTTP for `--seconds`. Then it COPYs the same number of
rows (made by the same simulator) into telemetry_events with asyncpg's binary COPY and prints
events/s over HTTP, COPY rows/s, their ratio (target ≥ 0.4), and the uvicorn workers' RSS
sampled every 0.5 s (start, end and peak; flat memory means end ≈ start), and the CPU the
workers and the database's backends spent per 1,000 events (steady even when another job
shares the machine, unlike events/s: compare variants by it). Last, unless
`--pgbench-seconds 0`, pgbench's TPC-B-like TPS on a scratch database, the baseline every
benchmark reports against. The databases are dropped afterwards. Needs PostgreSQL
(`--postgres`), Redis (`--redis`) and pgbench.

The simulator runs in this process and shares the two cores with the server and PostgreSQL,
as a device fleet would not; the figure is therefore a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
import msgspec

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_support import admin_sql as _admin
from bench_support import free_port as _free_port
from bench_support import pgbench_tps as _pgbench
from bench_support import start_app_server, stop_app_server

from infra.db import create_engine, create_session_factory
from infra.migrations import runner
from infra.settings import AuthSettings, DatabaseSettings, Settings
from merchant_api.devices.models import DeviceType
from merchant_api.devices.provisioning import provision
from merchant_api.streets.models import Street
from merchant_api.telemetry.simulator import EventFactory, SimDevice, run_http

SECRET_KEY = "bench-secret-key-" + "x" * 40
TYPES = (DeviceType.kiosk, DeviceType.hotspot, DeviceType.interactive_display)


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument(
        "--batch", type=int, default=500, help="events per request (the target is set at 500)"
    )
    parser.add_argument("--devices", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--pool-size", type=int, default=8, help="connections per worker")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("ONESTREET_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432"),
        help="server URL without a database name",
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--pgbench-seconds", type=int, default=10, help="0 skips the baseline")
    return parser.parse_args()


async def _populate(url: str, count: int) -> list[SimDevice]:
    settings = Settings(
        database=DatabaseSettings(url=url), auth=AuthSettings(secret_key=SECRET_KEY)
    )
    engine = create_engine(settings.database, for_worker=True)
    try:
        async with create_session_factory(engine)() as session:
            street = Street(
                slug="bench-street", name={"zh-Hant-TW": "測試街"}, county="臺東縣",
                township="達仁鄉", digital_level=5, latitude=22.3, longitude=120.9,
                programme_year_joined=107,
            )  # fmt: skip
            session.add(street)
            await session.flush()
            devices = []
            for index in range(count):
                kind = TYPES[index % len(TYPES)]
                made = await provision(session, settings, street.id, None, kind, f"bench {index}")
                devices.append(
                    SimDevice(made.device_id, made.credential_id, made.secret, kind.value)
                )
            await session.commit()
            return devices
    finally:
        await engine.dispose()


class RssSampler(threading.Thread):
    """VmRSS (MiB) of the server's worker processes every 0.5 s, and the CPU time used by
    those workers and by the PostgreSQL backends serving the bench database: CPU per event
    compares variants fairly even when another job shares the machine."""

    def __init__(self, parent: int, database: str) -> None:
        super().__init__(daemon=True)
        self.parent = parent
        self.database = database.encode()
        self.samples: list[tuple[float, float]] = []
        self.stopping = threading.Event()
        # Last seen CPU ticks per process (a process's ticks only grow; the last sample counts).
        self.worker_ticks: dict[int, int] = {}
        self.postgres_ticks: dict[int, int] = {}

    def _children(self) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(stat[1]) == self.parent:
                    found.append(int(entry.name))
        return found

    def _postgres_backends(self) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    command = (entry / "cmdline").read_bytes()
                except OSError:
                    continue
                if command.startswith(b"postgres") and self.database in command:
                    found.append(int(entry.name))
        return found

    @staticmethod
    def _ticks(pid: int) -> int:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(stat[11]) + int(stat[12])  # utime + stime

    def cpu_seconds(self) -> tuple[float, float]:
        """(workers, PostgreSQL backends) CPU seconds used during the run."""
        tick = os.sysconf("SC_CLK_TCK")
        return sum(self.worker_ticks.values()) / tick, sum(self.postgres_ticks.values()) / tick

    def run(self) -> None:
        while not self.stopping.wait(0.5):
            total = 0.0
            for pid in self._children():
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            total = max(total, int(line.split()[1]) / 1024)
                    self.worker_ticks[pid] = self._ticks(pid)
                except OSError:
                    continue
            for pid in self._postgres_backends():
                try:
                    self.postgres_ticks[pid] = self._ticks(pid)
                except OSError:
                    continue
            if total:
                self.samples.append((time.monotonic(), total))


async def _copy_baseline(url: str, devices: list[SimDevice], rows: int) -> float:
    """Rows/s of one binary COPY of `rows` simulator events into telemetry_events."""
    factory = EventFactory(random.Random(99))
    now = datetime.now(UTC)
    records = []
    per_device = rows // len(devices) + 1
    for device in devices:
        device.seq = 10**15  # clear of the sequence numbers the HTTP run used
        for event in factory.batch(device, per_device, now):
            records.append(
                (uuid.UUID(device.device_id), event["seq"], datetime.fromisoformat(event["time"]),
                 now, event["type"], msgspec.json.encode(event).decode())
            )  # fmt: skip
    records = records[:rows]
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        started = time.monotonic()
        await conn.copy_records_to_table(
            "telemetry_events",
            records=records,
            columns=["device_id", "seq", "device_time", "received_at", "type", "payload"],
        )
        return len(records) / (time.monotonic() - started)
    finally:
        await conn.close()


def main() -> None:
    args = _parse()
    suffix = uuid.uuid4().hex[:8]
    app_db, scratch_db = f"onestreet_bench_telemetry_{suffix}", f"pgbench_scratch_{suffix}"
    app_url = f"{args.postgres.replace('postgresql://', 'postgresql+asyncpg://')}/{app_db}"
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    asyncio.run(_admin(args.postgres, f'CREATE DATABASE "{app_db}"'))
    server = None
    try:
        runner.upgrade(app_url)
        devices = asyncio.run(_populate(app_url, args.devices))
        env = {
            **os.environ,
            "ONESTREET_DATABASE_URL": app_url,
            "ONESTREET_DATABASE__POOL_SIZE": str(args.pool_size),
            "ONESTREET_REDIS_URL": args.redis,
            "ONESTREET_APP__ENVIRONMENT": "development",
            "ONESTREET_APP__LOG_LEVEL": "WARNING",
            "ONESTREET_AUTH__SECRET_KEY": SECRET_KEY,
            "ONESTREET_CELERY__EMBEDDED_RELAY": "false",
        }
        server = start_app_server(ROOT, env, port, workers=args.workers)
        sampler = RssSampler(server.pid, app_db)
        sampler.start()
        print(
            f"posting: {args.seconds} s, {args.devices} devices, batches of {args.batch}, "
            f"concurrency {args.concurrency}, {args.workers} uvicorn workers ...",
            flush=True,
        )
        stats = asyncio.run(
            run_http(base, devices, duration=args.seconds, batch_size=args.batch,
                     concurrency=args.concurrency)
        )  # fmt: skip
        sampler.stopping.set()
        sampler.join()
        stop_app_server(server)
        server = None
        print(f"COPY of {stats.accepted} rows ...", flush=True)
        copy_rate = asyncio.run(_copy_baseline(app_url, devices, max(stats.accepted, 1000)))
        tps = 0.0
        if args.pgbench_seconds > 0:
            asyncio.run(_admin(args.postgres, f'CREATE DATABASE "{scratch_db}"'))
            tps = _pgbench(args.postgres, scratch_db, args.pgbench_seconds)
    finally:
        if server is not None:
            stop_app_server(server)
        for name in (app_db, scratch_db):
            asyncio.run(_admin(args.postgres, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    rss = [mib for _, mib in sampler.samples]
    print(f"requests:        {stats.requests} ({stats.failed_requests} failed)")
    print(f"events:          {stats.accepted} accepted, {stats.duplicate} duplicate, "
          f"{stats.rejected} rejected in {stats.seconds:.1f} s")  # fmt: skip
    print(f"events/s (HTTP): {stats.events_per_second:,.0f}   (target ≥ 50,000)")
    print(f"COPY rows/s:     {copy_rate:,.0f}")
    print(f"ratio:           {stats.events_per_second / copy_rate:.3f}   (target ≥ 0.4)")
    if tps:
        print(f"pgbench TPS:     {tps:,.0f}   events/s ÷ TPS: {stats.events_per_second / tps:.2f}")
    if rss:
        print(f"worker RSS MiB:  start {rss[0]:.0f}, end {rss[-1]:.0f}, peak {max(rss):.0f}")
    workers_cpu, postgres_cpu = sampler.cpu_seconds()
    per_thousand = 1e6 / max(stats.accepted, 1)
    print(f"CPU ms per 1,000 events: web workers {workers_cpu * per_thousand:.2f}, "
          f"PostgreSQL {postgres_cpu * per_thousand:.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
