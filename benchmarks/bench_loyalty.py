"""Loyalty ledger throughput and settlement time on PostgreSQL, against pgbench's TPC-B-like
baseline.

    .venv/bin/python benchmarks/bench_loyalty.py --seconds 10     # a smoke run
    .venv/bin/python benchmarks/bench_loyalty.py                  # 60 s, concurrency 32
    .venv/bin/python benchmarks/bench_loyalty.py --seconds 0      # SQL statements per operation

First it counts the SQL statements (round trips, COMMIT included) of one earn and of one
counter redemption: the hot paths' cost, and what to cut when the ratio disappoints. On
PostgreSQL each is one call of a database function (migration 0019_loyalty); `--python-steps`
runs the Python steps instead (what SQLite runs), for comparison.

Creates a fresh database with 20 active shops on 2 streets and --wallets wallets. Then
--processes worker processes (one per core, as the worker runs in production) with
--concurrency clients between them earn and redeem for --seconds through the loyalty service
itself (what the outbox handler and the counter endpoint call): an earn is one ledger
transaction from a payment (rule, campaign, first visit, daily cap, lots); a redemption is a
hold and its capture (two ledger transactions, FIFO over lots, funder attribution). Then it
bulk-loads --entries ledger entries into last month and times the settlement run over them
(target < 30 s for 1 million), runs `pgbench -i -s 10` and `pgbench -c 32 -j 2 -T <seconds>` on a
scratch database, and prints ledger transactions/s and the ratio to pgbench TPS (target ≥ 0.5).
With the database functions it also runs pgbench's own C client calling them (60 % earns,
40 % redemptions) for --seconds: the ceiling when the client costs nothing, as Python and
PostgreSQL share this machine's cores. Both databases are dropped afterwards. Needs
PostgreSQL (`--postgres`) and pgbench.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import date
from pathlib import Path

import asyncpg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_support import admin_sql as _admin
from bench_support import pgbench_tps as _pgbench
from bench_support import read_tps as _read_tps
from sqlalchemy.ext.asyncio import create_async_engine

import infra.bootstrap.models  # noqa: F401
from infra.db import create_engine, create_session_factory, utcnow
from infra.migrations import runner
from infra.settings import DatabaseSettings, LoyaltySettings
from merchant_api.shops.models import Shop
from merchant_api.shops.payment_directory import ShopMerchantDirectory
from merchant_api.streets.models import Street
from payments.loyalty.errors import InsufficientPoints
from payments.loyalty.repository import LoyaltyRepository
from payments.loyalty.service import LoyaltyService, Payment
from payments.loyalty.settlement import SettlementService, period_bounds, previous_period

SHOPS = 20
# Caps off: the benchmark measures the ledger, not the abuse limits refusing it.
LOYALTY = LoyaltySettings(daily_earn_cap=10**9, redeem_max_per_hour=10**9)


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--wallets", type=int, default=2000)
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument(
        "--python-steps",
        action="store_true",
        help="run earn and redeem as Python steps, without the database functions",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("ONESTREET_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432"),
        help="server URL without a database name",
    )
    return parser.parse_args()


async def _populate(url: str, wallets: int) -> tuple[list[str], list[str]]:
    engine = create_engine(DatabaseSettings(url=url), for_worker=True)
    try:
        async with create_session_factory(engine)() as session:
            shops = []
            for s in range(2):
                street = Street(
                    slug=f"bench-{s}",
                    name={"zh-Hant-TW": f"測試街{s}"},
                    county="臺東縣",
                    township="達仁鄉",
                    digital_level=5,
                    latitude=22.3,
                    longitude=120.8,
                    programme_year_joined=107,
                )
                session.add(street)
                await session.flush()
                for n in range(SHOPS // 2):
                    shop = Shop(
                        street_id=street.id,
                        slug=f"bench-{s}-{n}",
                        name={"zh-Hant-TW": f"店{n}"},
                        category="food_and_drink",
                        address="1 號",
                        status="active",
                        joined_on=date(2018, 1, 1),
                    )
                    session.add(shop)
                    shops.append(shop)
            await session.flush()
            repo = LoyaltyRepository(session)
            ids = [str(await repo.create_wallet(None, utcnow())) for _ in range(wallets)]
            await session.commit()
            return [str(shop.id) for shop in shops], ids
    finally:
        await engine.dispose()


async def _work(
    url: str,
    shops: list[str],
    wallets: list[str],
    seconds: float,
    clients: int,
    seed: int,
    functions: bool,
) -> tuple[int, int, int, list[float]]:
    engine = create_async_engine(url, pool_size=clients, max_overflow=0)
    sessions = create_session_factory(engine)
    directory = ShopMerchantDirectory()
    balances = dict.fromkeys(wallets, 0)
    earns = redeems = refused = 0
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    async def client(n: int) -> None:
        nonlocal earns, redeems, refused
        rng = random.Random(seed * 1000 + n)
        mine = wallets[n::clients]
        while time.perf_counter() < deadline:
            wallet = rng.choice(mine)
            shop = uuid.UUID(rng.choice(shops))
            started = time.perf_counter()
            async with sessions() as session:
                service = LoyaltyService(session, LOYALTY, directory, database_functions=functions)
                if balances[wallet] >= 20 and rng.random() < 0.4:
                    points = rng.randint(5, min(balances[wallet], 60))
                    try:
                        await service.redeem_now(uuid.UUID(wallet), shop, points, utcnow())
                        await session.commit()
                        balances[wallet] -= points
                        redeems += 1
                    except InsufficientPoints:
                        refused += 1
                        continue
                else:
                    amount = rng.randint(5, 60) * 1000
                    payment = Payment(
                        uuid.uuid4(), shop, amount, 0, None, None, uuid.UUID(wallet), utcnow()
                    )
                    balances[wallet] += await service.earn_from_payment(payment, utcnow())
                    await session.commit()
                    earns += 1
            latencies.append(time.perf_counter() - started)

    try:
        await asyncio.gather(*(client(n) for n in range(clients)))
    finally:
        await engine.dispose()
    return earns, redeems, refused, latencies


async def _count_statements(
    url: str, shops: list[str], wallets: list[str], functions: bool
) -> tuple[int, int]:
    """SQL statements (round trips) of one earn and of one counter redemption, commit included."""
    from sqlalchemy import event

    engine = create_engine(DatabaseSettings(url=url), for_worker=True)
    counted: list[str] = []
    event.listen(
        engine.sync_engine, "before_cursor_execute", lambda *a: counted.append(a[2]), retval=False
    )
    sessions = create_session_factory(engine)
    directory = ShopMerchantDirectory()
    wallet, shop = uuid.UUID(wallets[-1]), uuid.UUID(shops[0])
    try:
        # Warm-up: a first visit and a first redemption at these shops create their accounts.
        async with sessions() as session:
            service = LoyaltyService(session, LOYALTY, directory)
            payment = Payment(uuid.uuid4(), shop, 30000, 0, None, None, wallet, utcnow())
            await service.earn_from_payment(payment, utcnow())
            await service.redeem_now(wallet, uuid.UUID(shops[1]), 1, utcnow())
            await session.commit()
        counts = []
        for redeem in (False, True):
            counted.clear()
            async with sessions() as session:
                service = LoyaltyService(session, LOYALTY, directory, database_functions=functions)
                if redeem:
                    await service.redeem_now(wallet, uuid.UUID(shops[1]), 5, utcnow())
                else:
                    payment = Payment(uuid.uuid4(), shop, 30000, 0, None, None, wallet, utcnow())
                    await service.earn_from_payment(payment, utcnow())
                await session.commit()
            counts.append(len(counted) + 1)  # + the COMMIT, which the hook does not see
            if os.environ.get("BENCH_SHOW_SQL"):
                print("\n---\n".join(counted))
        return counts[0], counts[1]
    finally:
        await engine.dispose()


# pgbench scripts calling the database functions as the service does (60 % earns, 40 % counter
# redemptions), with wallets and shops picked by number from the tables _server_only makes.
_EARN_SCRIPT = """\\set w random(1, :wallets)
\\set s random(1, :shops)
\\set a random(5, 60)
SELECT * FROM loyalty_earn(gen_random_uuid(), (SELECT id FROM bench_wallets WHERE n = :w),
  (SELECT id FROM bench_shops WHERE n = :s), :a * 1000, now(), date_trunc('day', now()), now(),
  now() + interval '365 days', 3000, 10, 1000000000, '{}', '{}', 'rally:');
"""
_REDEEM_SCRIPT = """\\set w random(1, :wallets)
\\set s random(1, :shops)
\\set p random(5, 20)
SELECT loyalty_redeem_now(gen_random_uuid(), (SELECT id FROM bench_wallets WHERE n = :w),
  (SELECT id FROM bench_shops WHERE n = :s), :p, NULL, now(), now() - interval '1 hour',
  1000000000, :p * 100, now() + interval '30 minutes');
"""


def _server_only(server: str, database: str, wallets: int, seconds: int) -> float:
    """Operations/s with pgbench's C client calling the same functions: the ceiling with a
    client that costs nothing, since Python and PostgreSQL share these cores."""
    url = f"{server}/{database}"
    setup = (
        "CREATE TABLE bench_wallets AS SELECT row_number() OVER (ORDER BY id) n, id "
        "FROM loyalty_wallets; CREATE TABLE bench_shops AS SELECT row_number() OVER "
        "(ORDER BY id) n, id FROM shops; CREATE UNIQUE INDEX ON bench_wallets (n); "
        "CREATE UNIQUE INDEX ON bench_shops (n)"
    )
    asyncio.run(_admin(server, setup, database))
    with tempfile.TemporaryDirectory() as folder:
        earn, redeem = Path(folder) / "earn.sql", Path(folder) / "redeem.sql"
        earn.write_text(_EARN_SCRIPT)
        redeem.write_text(_REDEEM_SCRIPT)
        command = [
            shutil.which("pgbench") or "pgbench",
            "-n", "-c", "32", "-j", "2", "-T", str(seconds),
            "-D", f"wallets={wallets}", "-D", f"shops={SHOPS}",
            "-f", f"{earn}@6", "-f", f"{redeem}@4", url,
        ]  # fmt: skip
        out = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return _read_tps(out)


def _process(args: tuple) -> tuple[int, int, int, list[float]]:  # type: ignore[type-arg]
    import uvloop

    return uvloop.run(_work(*args))


async def _bulk_entries(url: str, entries: int) -> str:
    """Half earns, half redemptions (2 entries each), spread over last month."""
    period = previous_period(utcnow())
    start, end = period_bounds(period)
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        pairs = entries // 4
        # Synthetic, balanced by construction; triggers (balance check, immutability) and
        # foreign-key checks are skipped for the load only.
        await conn.execute("SET session_replication_role = replica")
        await conn.execute(
            """
            WITH accounts AS (
              SELECT array_agg(id ORDER BY id) FILTER (WHERE kind = 'shop_funded') f,
                     array_agg(id ORDER BY id) FILTER (WHERE kind = 'shop_accepted') a,
                     array_agg(id ORDER BY id) FILTER (WHERE kind = 'consumer_wallet') w,
                     array_agg(id ORDER BY id) FILTER (WHERE kind = 'consumer_held') h
              FROM loyalty_accounts),
            tx AS (
              INSERT INTO loyalty_transactions (id, idempotency_key, reason, occurred_at)
              SELECT gen_random_uuid(), 'bulk:' || g,
                     CASE WHEN g % 2 = 0 THEN 'earn' ELSE 'capture' END,
                     $1::timestamptz + (g % 86400) * ($2::timestamptz - $1::timestamptz) / 86400
              FROM generate_series(1, $3 * 2) g
              RETURNING id, reason, idempotency_key)
            INSERT INTO loyalty_entries (id, transaction_id, account_id, amount, funded_by)
            SELECT gen_random_uuid(), tx.id,
                   CASE WHEN side = 1 AND tx.reason = 'earn' THEN w[1 + n % cardinality(w)]
                        WHEN side = 1 THEN h[1 + n % cardinality(h)]
                        WHEN tx.reason = 'earn' THEN f[1 + n % cardinality(f)]
                        ELSE a[1 + (n / 7) % cardinality(a)]
                   END,
                   CASE WHEN (side = 1) = (tx.reason = 'earn') THEN 10 ELSE -10 END,
                   CASE WHEN side = 2 AND tx.reason = 'capture' THEN f[1 + n % cardinality(f)] END
            FROM tx, accounts,
                 LATERAL (SELECT substr(tx.idempotency_key, 6)::int AS n) k,
                 generate_series(1, 2) side
            """,
            start,
            end,
            pairs,
        )
        await conn.execute("ANALYZE loyalty_entries; ANALYZE loyalty_transactions")
        count = await conn.fetchval("SELECT count(*) FROM loyalty_entries")
        print(f"ledger entries loaded: {count}", flush=True)
    finally:
        await conn.close()
    return period


async def _settle(url: str, period: str) -> tuple[float, int]:
    engine = create_engine(DatabaseSettings(url=url), for_worker=True)
    try:
        async with create_session_factory(engine)() as session:
            started = time.perf_counter()
            statements = await SettlementService(session, LOYALTY.point_value_minor).settle(
                period, utcnow()
            )
            await session.commit()
            elapsed = time.perf_counter() - started
        assert sum(s.net_minor for s in statements) == 0, "the clearing does not net to zero"
        return elapsed, len(statements)
    finally:
        await engine.dispose()


def main() -> None:
    args = _parse()
    suffix = uuid.uuid4().hex[:8]
    app_db, scratch_db = f"onestreet_bench_loyalty_{suffix}", f"pgbench_scratch_{suffix}"
    app_url = f"{args.postgres.replace('postgresql://', 'postgresql+asyncpg://')}/{app_db}"
    asyncio.run(_admin(args.postgres, f'CREATE DATABASE "{app_db}"'))
    asyncio.run(_admin(args.postgres, f'CREATE DATABASE "{scratch_db}"'))
    try:
        runner.upgrade(app_url)
        shops, wallets = asyncio.run(_populate(app_url, args.wallets))
        per_earn, per_redeem = asyncio.run(
            _count_statements(app_url, shops, wallets, not args.python_steps)
        )
        print(f"SQL statements: {per_earn} per earn, {per_redeem} per redemption", flush=True)
        if args.seconds <= 0:
            return
        per = args.concurrency // args.processes
        print(
            f"earning and redeeming: {args.seconds} s, concurrency {per * args.processes} in "
            f"{args.processes} processes, {len(wallets)} wallets ...",
            flush=True,
        )
        jobs = [
            (
                app_url,
                shops,
                wallets[p :: args.processes],
                args.seconds,
                per,
                p,
                not args.python_steps,
            )
            for p in range(args.processes)
        ]
        started = time.perf_counter()
        with multiprocessing.get_context("spawn").Pool(args.processes) as pool:
            results = pool.map(_process, jobs)
        wall = time.perf_counter() - started
        earns = sum(r[0] for r in results)
        redeems = sum(r[1] for r in results)
        refused = sum(r[2] for r in results)
        latencies = sorted(x for r in results for x in r[3])
        ceiling = None
        if not args.python_steps:
            print(f"the same functions from pgbench's client: {args.seconds} s ...", flush=True)
            ceiling = _server_only(args.postgres, app_db, len(wallets), args.seconds)
        period = asyncio.run(_bulk_entries(app_url, args.entries))
        settle_seconds, statements = asyncio.run(_settle(app_url, period))
        print(f"pgbench: -i -s 10, then -c 32 -j 2 -T {args.seconds} ...", flush=True)
        tps = _pgbench(args.postgres, scratch_db, args.seconds)
    finally:
        asyncio.run(_admin(args.postgres, f'DROP DATABASE IF EXISTS "{app_db}" WITH (FORCE)'))
        asyncio.run(_admin(args.postgres, f'DROP DATABASE IF EXISTS "{scratch_db}" WITH (FORCE)'))
    ledger_tx = earns + 2 * redeems
    operations = (earns + redeems) / args.seconds
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("nan")
    print(
        f"earns: {earns}, redemptions: {redeems} (hold + capture), refused: {refused}"
        f"  (wall {wall:.1f} s incl. start-up)"
    )
    print(f"operations/s:          {operations:.1f}  (earns + redemptions)")
    print(f"ledger transactions/s: {ledger_tx / args.seconds:.1f}")
    print(f"latency p50 / p99:     {p50:.1f} / {p99:.1f} ms")
    print(f"pgbench TPS:           {tps:.1f}")
    print(
        f"ratio:                 {operations / tps:.3f}   (operations/s ÷ pgbench TPS; "
        f"ledger transactions: {ledger_tx / args.seconds / tps:.3f}; target ≥ 0.5)"
    )
    if ceiling is not None:
        print(
            f"pgbench's client, same functions: {ceiling:.1f} operations/s = "
            f"{ceiling / tps:.3f} of pgbench TPS (the ceiling without Python's share)"
        )
    print(
        f"settlement:            {settle_seconds:.2f} s over {args.entries} entries, "
        f"{statements} statements (target < 30 s)"
    )


if __name__ == "__main__":
    main()
