"""Order placement throughput on PostgreSQL, against pgbench's TPC-B-like baseline.

    .venv/bin/python benchmarks/bench_orders.py --seconds 10     # a smoke run
    .venv/bin/python benchmarks/bench_orders.py                  # 60 s, concurrency 32

Creates a fresh database with 20 open shops of 8 listings each (a required size group and an
add-on group per listing), serves the app as deployed on a 2-core machine (uvicorn with
`--workers 2`, uvloop, httptools, no access log; a free port unless `--port`), and has
`--concurrency` clients place three-line orders with options over HTTP, each with its own
Idempotency-Key and a consumer's API token, for `--seconds`. Then it runs `pgbench -i -s 10` and
`pgbench -c 32 -j 2 -T <seconds>` on a scratch database and prints orders/s, p50, p99 and the
ratio orders/s ÷ pgbench TPS (targets: ratio ≥ 0.4, p99 < 100 ms). Both databases are
dropped afterwards. Needs PostgreSQL (`--postgres`, default the test server) and pgbench.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
import uuid
from datetime import date
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_support import admin_sql as _admin
from bench_support import free_port as _free_port
from bench_support import pgbench_tps as _pgbench
from bench_support import start_app_server, stop_app_server

from infra.auth.api_tokens import ApiTokenService
from infra.auth.models import Account
from infra.auth.principal import Principal
from infra.auth.roles import Role, scopes_for
from infra.db import create_engine, create_session_factory
from infra.migrations import runner
from infra.settings import DatabaseSettings
from merchant_api.catalog.models import Listing, Option, OptionGroup
from merchant_api.shops.models import Shop
from merchant_api.streets.models import Street

SHOPS = 20
LISTINGS_PER_SHOP = 8


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="uvicorn worker processes")
    parser.add_argument("--pool-size", type=int, default=16, help="connections per worker")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("ONESTREET_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432"),
        help="server URL without a database name",
    )
    return parser.parse_args()


async def _populate(url: str) -> tuple[list[tuple[str, list[tuple[str, list[list[str]]]]]], str]:
    """Shops with listings and options; returns the menu and a consumer's API token."""
    engine = create_engine(DatabaseSettings(url=url), for_worker=True)
    menu: list[tuple[str, list[tuple[str, list[list[str]]]]]] = []
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
            for s in range(SHOPS):
                shop = Shop(
                    street_id=street.id,
                    slug=f"bench-{s}",
                    name={"zh-Hant-TW": f"店{s}"},
                    category="food_and_drink",
                    address="1 號",
                    status="active",
                    joined_on=date(2018, 1, 1),
                )
                session.add(shop)
                await session.flush()
                listings = []
                for n in range(LISTINGS_PER_SHOP):
                    listing = Listing(
                        shop_id=shop.id,
                        name={"zh-Hant-TW": f"餐點{n}"},
                        price_minor=8000 + 1000 * n,
                    )
                    session.add(listing)
                    await session.flush()
                    size = OptionGroup(
                        listing_id=listing.id,
                        name={"zh-Hant-TW": "份量"},
                        required=True,
                        min_choices=1,
                        max_choices=1,
                    )
                    extras = OptionGroup(
                        listing_id=listing.id,
                        name={"zh-Hant-TW": "加料"},
                        min_choices=0,
                        max_choices=2,
                        position=1,
                    )
                    session.add_all([size, extras])
                    await session.flush()
                    sizes = [
                        Option(group_id=size.id, name={"zh-Hant-TW": z}, price_delta_minor=d)
                        for z, d in (("小", -1000), ("大", 2000))
                    ]
                    adds = [
                        Option(group_id=extras.id, name={"zh-Hant-TW": a}, price_delta_minor=d)
                        for a, d in (("蛋", 1500), ("豆腐", 1000), ("青菜", 500))
                    ]
                    session.add_all([*sizes, *adds])
                    await session.flush()
                    listings.append(
                        (str(listing.id), [[str(o.id) for o in sizes], [str(o.id) for o in adds]])
                    )
                menu.append((str(shop.id), listings))
            account = Account(
                email="bench@test.tw",
                display_name="bench",
                role=Role.consumer,
                password_hash=None,
                is_active=True,
                failed_login_count=0,
            )
            session.add(account)
            await session.flush()
            owner = Principal(
                account.id, Role.consumer, scopes_for(Role.consumer), "session", None, uuid.uuid4()
            )
            token = await ApiTokenService(session).create(
                owner, name="bench", scopes=["orders:read", "orders:write"]
            )
            await session.commit()
            return menu, token.token
    finally:
        await engine.dispose()


def _order_body(rng: random.Random, listings) -> dict:  # type: ignore[no-untyped-def]
    lines = []
    for listing_id, (sizes, adds) in rng.sample(listings, 3):
        options = [rng.choice(sizes), *rng.sample(adds, rng.randint(0, 2))]
        lines.append(
            {"listing_id": listing_id, "quantity": rng.randint(1, 3), "option_ids": options}
        )
    return {"channel": "counter", "lines": lines}


async def _load(base: str, token: str, menu, seconds: float, concurrency: int):  # type: ignore[no-untyped-def]
    latencies: list[float] = []
    errors: dict[str, int] = {}
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base, headers=headers, limits=limits, timeout=30
    ) as client:
        # Warm up connections and caches; not measured.
        await asyncio.gather(*(client.get("/health/live") for _ in range(concurrency)))
        deadline = time.perf_counter() + seconds

        async def worker(n: int) -> None:
            rng = random.Random(n)
            while time.perf_counter() < deadline:
                shop_id, listings = rng.choice(menu)
                body = _order_body(rng, listings)
                started = time.perf_counter()
                response = await client.post(
                    f"/api/shops/{shop_id}/orders",
                    json=body,
                    headers={"Idempotency-Key": uuid.uuid4().hex},
                )
                elapsed = time.perf_counter() - started
                if response.status_code == 201:
                    latencies.append(elapsed)
                else:
                    key = f"{response.status_code} {response.text[:120]}"
                    errors[key] = errors.get(key, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker(n) for n in range(concurrency)))
        wall = time.perf_counter() - started
    return latencies, errors, wall


def main() -> None:
    args = _parse()
    suffix = uuid.uuid4().hex[:8]
    app_db, scratch_db = f"onestreet_bench_{suffix}", f"pgbench_scratch_{suffix}"
    app_url = f"{args.postgres.replace('postgresql://', 'postgresql+asyncpg://')}/{app_db}"
    port = args.port or _free_port()
    base = f"http://127.0.0.1:{port}"
    asyncio.run(_admin(args.postgres, f'CREATE DATABASE "{app_db}"'))
    asyncio.run(_admin(args.postgres, f'CREATE DATABASE "{scratch_db}"'))
    server = None
    try:
        runner.upgrade(app_url)
        menu, token = asyncio.run(_populate(app_url))
        env = {
            **os.environ,
            "ONESTREET_DATABASE_URL": app_url,
            "ONESTREET_DATABASE__POOL_SIZE": str(args.pool_size),
            "ONESTREET_APP__ENVIRONMENT": "development",
            "ONESTREET_APP__LOG_LEVEL": "WARNING",
            "ONESTREET_AUTH__SECRET_KEY": "bench-secret-key-" + "x" * 40,
            # The outbox relay runs as its own process in production; not part of this path.
            "ONESTREET_CELERY__EMBEDDED_RELAY": "false",
        }
        # Served as it is deployed on a 2-core machine: one uvicorn process per core, uvloop and
        # httptools, no access log (a reverse proxy logs requests), the app built by its factory.
        server = start_app_server(ROOT, env, port, workers=args.workers)
        print(
            f"placing orders: {args.seconds} s, concurrency {args.concurrency}, "
            f"{args.workers} uvicorn workers ...",
            flush=True,
        )
        latencies, errors, wall = asyncio.run(
            _load(base, token, menu, args.seconds, args.concurrency)
        )
        stop_app_server(server)
        server = None
        print(f"pgbench: -i -s 10, then -c 32 -j 2 -T {args.seconds} ...", flush=True)
        tps = _pgbench(args.postgres, scratch_db, args.seconds)
    finally:
        if server is not None:
            stop_app_server(server)
        asyncio.run(_admin(args.postgres, f'DROP DATABASE IF EXISTS "{app_db}" WITH (FORCE)'))
        asyncio.run(_admin(args.postgres, f'DROP DATABASE IF EXISTS "{scratch_db}" WITH (FORCE)'))
    latencies.sort()
    rate = len(latencies) / wall
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("nan")
    print(f"orders placed:   {len(latencies)} in {wall:.1f} s, errors: {sum(errors.values())}")
    for error, count in sorted(errors.items(), key=lambda item: -item[1])[:5]:
        print(f"  {count} x {error}")
    print(f"orders/s:        {rate:.1f}")
    print(f"latency p50:     {p50:.1f} ms")
    print(f"latency p99:     {p99:.1f} ms   (target < 100 ms)")
    print(f"pgbench TPS:     {tps:.1f}")
    print(f"ratio:           {rate / tps:.3f}   (orders/s ÷ pgbench TPS, target ≥ 0.4)")


if __name__ == "__main__":
    main()
