"""Server time of the catalogue pages on PostgreSQL with the demo seed (a script, not a test).

    .venv/bin/python benchmarks/bench_pages.py --seconds 5     # a smoke run
    .venv/bin/python benchmarks/bench_pages.py                 # 15 s per page

Creates a fresh database, migrates it and fills it with the demo seed (`onestreet seed`), serves
the app as deployed (uvicorn, uvloop, httptools, no access log; one worker, so one request at a
time is measured without queueing behind another), and requests each catalogue page in turn
from one keep-alive client, for `--seconds` per page: the programme home (the streets
listing), every street page and every shop page of the seed, rotated. One client, one request
in flight: the latency is the server's time plus a loopback round trip, an upper bound on
server time. The client keeps cookies like a returning visitor, so a shop's visit is written
once per day (storefront.consumer.visits) and the rest are reads. Then pgbench's TPC-B-like
baseline runs for `--seconds` on a scratch database and the page rates are reported against it.
Prints p50/p95/p99 per page kind (target: p95 < 50 ms). Both databases are dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench_support import admin_sql as _admin
from bench_support import free_port as _free_port
from bench_support import pgbench_tps as _pgbench
from bench_support import start_app_server, stop_app_server

from infra.bootstrap.seed import seed_demo
from infra.db import create_engine, create_session_factory
from infra.migrations import runner
from infra.settings import DatabaseSettings

TARGET_P95_MS = 50.0
WARM_UP_REQUESTS = 30


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=15, help="per page kind, and for pgbench")
    parser.add_argument("--seed", type=int, default=2017, help="the demo seed number")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("ONESTREET_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432"),
        help="server URL without a database name",
    )
    return parser.parse_args()


async def _seed(url: str, seed_number: int) -> None:
    engine = create_engine(DatabaseSettings(url=url), for_worker=True)
    try:
        async with create_session_factory(engine)() as session:
            await seed_demo(session, seed_number)
            await session.commit()
    finally:
        await engine.dispose()


def _pages(client: httpx.Client) -> dict[str, list[str]]:
    """The catalogue pages by kind, found by following the home page's links."""
    home = client.get("/").text
    streets = sorted(set(re.findall(r'href="(/streets/[^"?#]+)"', home)))
    shops: set[str] = set()
    for street in streets:
        shops.update(re.findall(r'href="(/shops/[^"?#]+)"', client.get(street).text))
    if not streets or not shops:
        raise SystemExit("the demo seed produced no streets or shops")
    return {"home (streets listing)": ["/"], "street page": streets, "shop page": sorted(shops)}


def _measure(client: httpx.Client, urls: list[str], seconds: float) -> tuple[list[float], int]:
    for n in range(WARM_UP_REQUESTS):
        client.get(urls[n % len(urls)])
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < deadline:
        url = urls[n % len(urls)]
        n += 1
        started = time.perf_counter()
        answer = client.get(url)
        latencies.append(time.perf_counter() - started)
        errors += answer.status_code != 200
    return latencies, errors


def _percentile(ordered: list[float], share: float) -> float:
    return ordered[max(0, int(len(ordered) * share) - 1)] * 1000


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
    results: dict[str, tuple[list[float], int, int]] = {}
    try:
        runner.upgrade(app_url)
        print("seeding the demo programme ...", flush=True)
        asyncio.run(_seed(app_url, args.seed))
        env = {
            **os.environ,
            "ONESTREET_DATABASE_URL": app_url,
            "ONESTREET_APP__ENVIRONMENT": "development",
            "ONESTREET_APP__LOG_LEVEL": "WARNING",
            "ONESTREET_AUTH__SECRET_KEY": "bench-secret-key-" + "x" * 40,
            # The outbox relay runs as its own process in production; not part of this path.
            "ONESTREET_CELERY__EMBEDDED_RELAY": "false",
        }
        server = start_app_server(ROOT, env, port, workers=1)
        with httpx.Client(base_url=base, timeout=30) as client:
            for kind, urls in _pages(client).items():
                print(f"{kind}: {len(urls)} url(s), {args.seconds} s ...", flush=True)
                latencies, errors = _measure(client, urls, args.seconds)
                results[kind] = (latencies, errors, len(urls))
        stop_app_server(server)
        server = None
        print(f"pgbench: -i -s 10, then -c 32 -j 2 -T {args.seconds} ...", flush=True)
        tps = _pgbench(args.postgres, scratch_db, args.seconds)
    finally:
        if server is not None:
            stop_app_server(server)
        asyncio.run(_admin(args.postgres, f'DROP DATABASE IF EXISTS "{app_db}" WITH (FORCE)'))
        asyncio.run(_admin(args.postgres, f'DROP DATABASE IF EXISTS "{scratch_db}" WITH (FORCE)'))
    print(f"{'page':24} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'per s':>7}")
    worst = 0.0
    for kind, (latencies, errors, _count) in results.items():
        ordered = sorted(latencies)
        p95 = _percentile(ordered, 0.95)
        worst = max(worst, p95)
        rate = len(ordered) / sum(ordered)
        print(
            f"{kind:24} {len(ordered):8d} {statistics.median(ordered) * 1000:8.1f} "
            f"{p95:8.1f} {_percentile(ordered, 0.99):8.1f} {rate:7.1f}"
            + (f"   ({errors} errors)" if errors else "")
        )
    print(f"worst p95:       {worst:.1f} ms   (target < {TARGET_P95_MS:.0f} ms)")
    print(f"pgbench TPS:     {tps:.1f}   (one page request's rate ÷ TPS is printed per kind)")
    for kind, (latencies, _errors, _count) in results.items():
        print(f"  {kind:22} pages/s ÷ pgbench TPS = {len(latencies) / sum(latencies) / tps:.3f}")


if __name__ == "__main__":
    main()
