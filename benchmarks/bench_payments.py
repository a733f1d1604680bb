"""The payment confirmation path on PostgreSQL, against pgbench's TPC-B-like baseline.

    .venv/bin/python benchmarks/bench_payments.py --seconds 10     # a smoke run
    .venv/bin/python benchmarks/bench_payments.py                  # 60 s, concurrency 32

Creates a fresh database with 20 shops and enough sandbox payments waiting for their wallet,
then `--concurrency` workers (spread over `--processes` processes) confirm them for
`--seconds`: each confirmation is `apply_provider_update` (lock the intent, append the
payment event, update the state, write the outbox row) and its commit, exactly as a wallet
callback or webhook does after verification. It checks that every confirmation left one
event and one outbox row, then measures the relay handing the outbox rows to the Celery
broker (Redis, `--redis`; the queue is purged afterwards). Then it runs `pgbench -i -s 10`
and `pgbench -c 32 -j 2 -T <seconds>` on a scratch database and prints confirmations/s,
p50, p99 and the ratio confirmations/s ÷ pgbench TPS (targets: ratio ≥ 0.5, p99 < 50 ms).
Both databases are dropped afterwards. Needs PostgreSQL (`--postgres`) and pgbench.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa
from bench_support import admin_sql as _admin
from bench_support import pgbench_tps as _pgbench

import infra.bootstrap.models  # noqa: F401
from infra.celery_app import create_celery_app
from infra.db import create_engine, create_session_factory
from infra.migrations import runner
from infra.outbox.registry import HandlerRegistry
from infra.outbox.tasks import register_outbox_tasks
from infra.settings import CelerySettings, DatabaseSettings, Settings
from merchant_api.shops.models import Shop
from merchant_api.streets.models import Street
from payments.intents.confirmation import apply_provider_update
from payments.intents.models import PaymentIntent
from payments.providers.base import ProviderStatus, ProviderUpdate

SHOPS = 20


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--processes", type=int, default=2, help="client processes")
    parser.add_argument(
        "--payments", type=int, default=0, help="payments to prepare (default: 2500 a second)"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("ONESTREET_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432"),
        help="server URL without a database name",
    )
    parser.add_argument(
        "--redis",
        default=os.environ.get("ONESTREET_BENCH_REDIS", "redis://127.0.0.1:6379/13"),
        help="the broker the relay hands events to (its queue is purged afterwards)",
    )
    return parser.parse_args()


async def _populate(url: str, count: int) -> list[str]:
    """Shops and `count` sandbox payments in requires_action; returns their provider refs."""
    engine = create_engine(DatabaseSettings(url=url), for_worker=True)
    try:
        async with create_session_factory(engine)() as session:
            street = Street(
                slug="bench",
                name={"zh-Hant-TW": "測試街"},
                county="臺東縣",
                township="達仁鄉",
                digital_level=5,
                latitude=22.3,
                longitude=120.8,
                programme_year_joined=107,
            )
            session.add(street)
            await session.flush()
            shops = [
                Shop(
                    street_id=street.id,
                    slug=f"bench-{n}",
                    name={"zh-Hant-TW": f"店{n}"},
                    category="food_and_drink",
                    address="1 號",
                    status="active",
                    joined_on=date(2018, 1, 1),
                )
                for n in range(SHOPS)
            ]
            session.add_all(shops)
            await session.flush()
            now, refs, rows = datetime.now(UTC), [], []
            for n in range(count):
                payment_id = uuid.uuid4()
                refs.append(f"sbx_{payment_id.hex}")
                rows.append(
                    {
                        "id": payment_id,
                        "shop_id": shops[n % SHOPS].id,
                        "provider": "sandbox",
                        "provider_ref": refs[-1],
                        "method": "sandbox",
                        "state": "requires_action",
                        "amount": 10000 + n % 5000,
                        "amount_captured": 0,
                        "amount_refunded": 0,
                        "currency": "TWD",
                        "points_redeemed": 0,
                        "client_secret_hash": "0" * 64,
                        "created_at": now,
                        "state_changed_at": now,
                    }
                )
                if len(rows) == 5000:
                    await session.execute(sa.insert(PaymentIntent.__table__), rows)
                    rows = []
            if rows:
                await session.execute(sa.insert(PaymentIntent.__table__), rows)
            await session.commit()
            return refs
    finally:
        await engine.dispose()


def _confirm_slice(
    url: str, refs: list[str], workers: int, start_at: float, seconds: float
) -> tuple[list[float], int, int, float]:
    """One client process: `workers` coroutines confirming payments from `refs` until the
    deadline. Returns (latencies, errors, ignored, CPU seconds this process used)."""

    async def run() -> tuple[list[float], int, int, float]:
        engine = create_engine(DatabaseSettings(url=url, pool_size=workers))
        sessions = create_session_factory(engine)
        latencies: list[float] = []
        errors = ignored = 0
        queue = iter(refs)
        # Open the pool's connections before the clock starts.
        async with asyncio.TaskGroup() as group:
            for _ in range(workers):
                group.create_task(_warm(sessions))
        await asyncio.sleep(max(0.0, start_at - time.time()))
        deadline = time.perf_counter() + seconds
        cpu_started = time.process_time()

        async def worker() -> None:
            nonlocal errors, ignored
            while time.perf_counter() < deadline:
                ref = next(queue, None)
                if ref is None:
                    return
                update = ProviderUpdate(
                    provider="sandbox",
                    external_event_id=f"bench:{ref}",
                    provider_ref=ref,
                    status=ProviderStatus.succeeded,
                    occurred_at=datetime.now(UTC),
                )
                started = time.perf_counter()
                try:
                    async with sessions() as session:
                        changed = await apply_provider_update(session, update)
                        await session.commit()
                except Exception:
                    errors += 1
                    continue
                latencies.append(time.perf_counter() - started)
                ignored += not changed

        await asyncio.gather(*(worker() for _ in range(workers)))
        cpu = time.process_time() - cpu_started
        await engine.dispose()
        return latencies, errors, ignored, cpu

    return asyncio.run(run())


async def _statements_per_confirmation(url: str, ref: str) -> int:
    """Round trips of one confirmation: the statements sent, BEGIN and COMMIT included."""
    engine = create_engine(DatabaseSettings(url=url), for_worker=True)
    sent: list[str] = []
    sa.event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: sent.append(a[2]))
    sa.event.listen(engine.sync_engine, "begin", lambda *a: sent.append("BEGIN"))
    sa.event.listen(engine.sync_engine, "commit", lambda *a: sent.append("COMMIT"))
    update = ProviderUpdate(
        provider="sandbox",
        external_event_id=f"bench:{ref}",
        provider_ref=ref,
        status=ProviderStatus.succeeded,
        occurred_at=datetime.now(UTC),
    )
    try:
        async with create_session_factory(engine)() as session:
            await apply_provider_update(session, update)
            await session.commit()
    finally:
        await engine.dispose()
    return len(sent)


async def _warm(sessions) -> None:  # type: ignore[no-untyped-def]
    async with sessions() as session:
        await session.execute(sa.text("SELECT 1"))


async def _counts(url: str) -> tuple[int, int, int]:
    engine = create_engine(DatabaseSettings(url=url), for_worker=True)
    try:
        async with engine.connect() as connection:
            succeeded = await connection.scalar(
                sa.text("SELECT count(*) FROM payment_intents WHERE state = 'succeeded'")
            )
            events = await connection.scalar(
                sa.text("SELECT count(*) FROM payment_events WHERE to_state = 'succeeded'")
            )
            outbox = await connection.scalar(
                sa.text("SELECT count(*) FROM outbox_events WHERE event_type = 'payment.succeeded'")
            )
            return int(succeeded or 0), int(events or 0), int(outbox or 0)
    finally:
        await engine.dispose()


def _relay(url: str, redis_url: str) -> tuple[int, float]:
    """Hand every outbox row to the broker; returns (events relayed, seconds)."""
    settings = Settings(
        database=DatabaseSettings(url=url),
        celery=CelerySettings(broker_url=redis_url, outbox_batch_size=1000),
    )
    app = create_celery_app(settings)
    tasks = register_outbox_tasks(app, settings, HandlerRegistry())
    started = time.perf_counter()
    counts = tasks.relay.run_once()
    elapsed = time.perf_counter() - started
    app.control.purge()
    return counts.relayed, elapsed


def main() -> None:
    args = _parse()
    suffix = uuid.uuid4().hex[:8]
    app_db, scratch_db = f"onestreet_bench_{suffix}", f"pgbench_scratch_{suffix}"
    app_url = f"{args.postgres.replace('postgresql://', 'postgresql+asyncpg://')}/{app_db}"
    asyncio.run(_admin(args.postgres, f'CREATE DATABASE "{app_db}"'))
    asyncio.run(_admin(args.postgres, f'CREATE DATABASE "{scratch_db}"'))
    try:
        runner.upgrade(app_url)
        count = args.payments or 2500 * args.seconds
        print(f"preparing {count} payments ...", flush=True)
        refs = asyncio.run(_populate(app_url, count))
        statements = asyncio.run(_statements_per_confirmation(app_url, refs.pop()))
        processes = max(1, min(args.processes, args.concurrency))
        per_process = [args.concurrency // processes] * processes
        for n in range(args.concurrency % processes):
            per_process[n] += 1
        print(
            f"confirming: {args.seconds} s, concurrency {args.concurrency} "
            f"over {processes} processes ...",
            flush=True,
        )
        start_at = time.time() + 5  # every process has warmed its pool by then
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(processes, mp_context=context) as pool:
            futures = [
                pool.submit(
                    _confirm_slice, app_url, refs[n::processes], workers, start_at, args.seconds
                )
                for n, workers in enumerate(per_process)
            ]
            results = [future.result() for future in futures]
        latencies = sorted(lat for result in results for lat in result[0])
        errors = sum(result[1] for result in results)
        ignored = sum(result[2] for result in results)
        client_cpu = sum(result[3] for result in results)
        succeeded, events, outbox = asyncio.run(_counts(app_url))
        # Less the one confirmation whose statements were counted.
        succeeded, events, outbox = succeeded - 1, events - 1, outbox - 1
        print("relaying the outbox to the broker ...", flush=True)
        relayed, relay_seconds = _relay(app_url, args.redis)
        print(f"pgbench: -i -s 10, then -c 32 -j 2 -T {args.seconds} ...", flush=True)
        tps = _pgbench(args.postgres, scratch_db, args.seconds)
    finally:
        asyncio.run(_admin(args.postgres, f'DROP DATABASE IF EXISTS "{app_db}" WITH (FORCE)'))
        asyncio.run(_admin(args.postgres, f'DROP DATABASE IF EXISTS "{scratch_db}" WITH (FORCE)'))

    done = len(latencies)
    rate = done / args.seconds
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p99 = latencies[int(0.99 * (done - 1))] * 1000 if latencies else float("nan")
    print()
    print(f"confirmations:        {done} in {args.seconds} s = {rate:.1f}/s")
    print(f"latency p50 / p99:    {p50:.1f} ms / {p99:.1f} ms   (target p99 < 50 ms)")
    print(f"round trips:          {statements} per confirmation (BEGIN and COMMIT included)")
    print(f"errors / no-ops:      {errors} / {ignored}")
    if done:
        print(f"client CPU:           {client_cpu / done * 1000:.2f} ms per confirmation")
    print(f"exactly once:         {succeeded} succeeded, {events} events, {outbox} outbox rows")
    if relay_seconds > 0:
        print(
            f"relay to broker:      {relayed} events in {relay_seconds:.1f} s = "
            f"{relayed / relay_seconds:.0f}/s"
        )
    print(f"pgbench TPC-B-like:   {tps:.1f} TPS")
    print(f"ratio:                {rate / tps:.2f}   (target ≥ 0.5)")
    if not done == succeeded == events == outbox:
        raise SystemExit("exactly-once check failed: counts differ")


if __name__ == "__main__":
    main()
