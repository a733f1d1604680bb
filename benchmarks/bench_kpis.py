"""Programme KPI endpoints and rollup refresh on PostgreSQL at programme scale.

    .venv/bin/python benchmarks/bench_kpis.py --scale 0.01    # a smoke run (~1 min)
    .venv/bin/python benchmarks/bench_kpis.py                 # 60 streets, 600 shops, 10 M
                                                              # orders+payments, 20 M events

Creates a fresh database, generates 60 streets (each with an active hotspot and a kiosk) and
600 shops, then straight into the KPI inputs with generate_series: 10 M × scale orders and
payments (a use fact each, and a business fact per payment) and hourly telemetry summing to
20 M × scale events, spread over three years. Rebuilds the rollups, adds one more day of
data and times the incremental refresh (target < 60 s), then requests every KPI and dashboard
endpoint `--requests` times in-process as the ministry (and the scorecard and analytics as an
admin) and prints p50/p95 per endpoint (target p95 < 200 ms). The database is dropped after.
"""

# Generated SQL from constants and numbers only; the secret key is a throwaway for this run.
# ruff: noqa: S608, S106, E501

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from infra.auth.api_tokens import ApiTokenService
from infra.auth.models import Account
from infra.auth.principal import Principal
from infra.auth.roles import Role, scopes_for
from infra.db import create_engine, create_session_factory
from infra.migrations import runner
from infra.settings import (
    AppSettings,
    AuthSettings,
    CelerySettings,
    DatabaseSettings,
    Settings,
)
from merchant_api.programme.county_map import TILES
from merchant_api.programme.rollup_service import RollupService

DAYS = 3 * 365
END = date.today() - timedelta(days=1)
START = END - timedelta(days=DAYS - 1)
CATEGORIES = "{agriculture_produce,handicrafts,food_and_drink,tourism,retail}"
CHANNELS = "{counter,table_qr,kiosk,online_pickup}"
METHODS = "{twqr,line_pay,jkopay,card,cash}"
# The cheapest request the app answers, through the same client: the baseline for the ratios.
BASELINE = "/health/live"


def _parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="share of 10 M / 20 M rows")
    parser.add_argument("--requests", type=int, default=40, help="requests per endpoint")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("ONESTREET_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432"),
    )
    return parser.parse_args()


def _streets_sql() -> str:
    counties = "{" + ",".join(sorted(TILES)) + "}"
    return f"""
    INSERT INTO streets (id, slug, name, description, county, township, digital_level,
        is_remote, is_outlying_island, is_indigenous_area, latitude, longitude,
        programme_year_joined, created_at)
    SELECT gen_random_uuid(), 'street-' || g, json_build_object('zh-Hant-TW', '街' || g),
        '{{}}'::json, ('{counties}'::text[])[1 + g % 22], '鄉' || g, 1 + g % 5,
        g % 2 = 0, g % 7 = 0, g % 3 = 0, 23.5, 121.0, 106 + g % 4, now()
    FROM generate_series(1, 60) g;
    INSERT INTO shops (id, street_id, slug, name, description, category, address, status,
        joined_on, created_at, updated_at)
    SELECT gen_random_uuid(), s.id, s.slug || '-shop-' || g, json_build_object('zh-Hant-TW', '店' || g),
        '{{}}'::json, ('{CATEGORIES}'::text[])[1 + g % 5], '地址', 'active', '2018-01-01', now(), now()
    FROM streets s CROSS JOIN generate_series(1, 10) g;
    INSERT INTO street_hotspots (id, street_id, name, ssid, location, status, created_at, updated_at)
    SELECT gen_random_uuid(), id, '{{}}'::json, 'OneStreet', '{{}}'::json, 'active', now(), now()
    FROM streets;
    """


async def _devices(conn: asyncpg.Connection) -> None:
    streets = await conn.fetch("SELECT id, slug FROM streets")
    for street in streets:
        for kind in ("hotspot", "kiosk"):
            account = uuid.uuid4()
            await conn.execute(
                "INSERT INTO accounts (id, email, display_name, role, is_active,"
                " failed_login_count, created_at, updated_at) VALUES"
                " ($1, $2, $3, 'device', true, 0, now(), now())",
                account,
                f"{kind}-{street['slug']}@bench.tw",
                kind,
            )
            shop = await conn.fetchval(
                "SELECT id FROM shops WHERE street_id = $1 ORDER BY slug LIMIT 1", street["id"]
            )
            await conn.execute(
                "INSERT INTO device_devices (id, street_id, shop_id, account_id, type, name,"
                " status, installed_on, created_at) VALUES"
                " (gen_random_uuid(), $1, $2, $3, $4, $4, 'active', '2019-03-01', now())",
                street["id"],
                shop if kind == "kiosk" else None,
                account,
                kind,
            )


def _facts_sql(rows: int, first: date, days: int) -> str:
    """`rows` orders and payments over `days` days from `first`: a use each, business per
    payment. Shops are picked by a hash of the row number, times spread over the day."""
    return f"""
    CREATE TEMP TABLE bench_shops AS
        SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM shops;
    INSERT INTO programme_uses (id, source, shop_id, day, occurred_at, person_id, channel,
        method, source_ref)
    SELECT gen_random_uuid(), CASE WHEN g % 2 = 0 THEN 'order' ELSE 'payment' END, s.id,
        DATE '{first}' + (g % {days}), TIMESTAMPTZ '{first} 02:00+00' + (g % {days}) * INTERVAL '1 day',
        NULL, ('{CHANNELS}'::text[])[1 + (g / 7) % 4],
        CASE WHEN g % 2 = 0 THEN '' ELSE ('{METHODS}'::text[])[1 + (g / 3) % 5] END,
        'bench:' || g
    FROM generate_series(1, {rows}) g JOIN bench_shops s ON s.n = (g::bigint * 7919) % 600;
    INSERT INTO programme_business (id, source_ref, source, shop_id, day, occurred_at, channel,
        method, amount_minor, points_redeemed)
    SELECT gen_random_uuid(), 'payment:bench:{first}:' || g, 'payment', s.id,
        DATE '{first}' + (g % {days}), TIMESTAMPTZ '{first} 02:00+00' + (g % {days}) * INTERVAL '1 day',
        ('{CHANNELS}'::text[])[1 + (g / 7) % 4], ('{METHODS}'::text[])[1 + (g / 3) % 5],
        10000 + (g % 50) * 1000, 0
    FROM generate_series(1, {rows} / 2) g JOIN bench_shops s ON s.n = (g::bigint * 7919) % 600;
    DROP TABLE bench_shops;
    INSERT INTO programme_dirty_days (day)
    SELECT DATE '{first}' + d FROM generate_series(0, {days} - 1) d ON CONFLICT DO NOTHING;
    """


def _telemetry_sql(events: int, first: date, days: int) -> str:
    """Hourly rows per device whose event counts sum to about `events`."""
    hours = days * 24
    per_row = max(1, events // (120 * hours))
    return f"""
    INSERT INTO telemetry_hourly (device_id, hour, shop_id, street_id, device_type, events,
        heartbeats, hotspot_sessions, hotspot_clients_peak, bytes_up, bytes_down, touches,
        scans, dwell_seconds, ar_try_ons, menu_views, carts_started, carts_abandoned,
        kiosk_orders, pos_sales, pos_sales_minor, computed_at)
    SELECT d.id, TIMESTAMPTZ '{first} 00:00+08' + h * INTERVAL '1 hour', d.shop_id, d.street_id,
        d.type, {per_row}, 1, CASE WHEN d.type = 'hotspot' THEN {per_row} / 2 ELSE 0 END, 5,
        0, 0, 0, 0, 0, 0, 0, CASE WHEN d.type = 'kiosk' THEN {per_row} / 4 ELSE 0 END, 0, 0,
        0, 0, now()
    FROM device_devices d CROSS JOIN generate_series(0, {hours} - 1) h;
    """


async def _tokens(url: str) -> dict[str, str]:
    engine = create_engine(DatabaseSettings(url=url), for_worker=True)
    tokens = {}
    try:
        async with create_session_factory(engine)() as session:
            for role in (Role.ministry_viewer, Role.platform_admin):
                account = Account(
                    email=f"{role.value}@bench.tw",
                    display_name=role.value,
                    role=role,
                    password_hash=None,
                    is_active=True,
                    failed_login_count=0,
                )
                session.add(account)
                await session.flush()
                owner = Principal(account.id, role, scopes_for(role), "session", None, uuid.uuid4())
                made = await ApiTokenService(session).create(
                    owner,
                    name="bench",
                    scopes=["reports:read", "streets:read"]
                    if role == Role.ministry_viewer
                    else ["reports:read", "shops:read"],
                )
                tokens[role.value] = made.token
            await session.commit()
    finally:
        await engine.dispose()
    return tokens


async def _rollups(url: str, rebuild: bool) -> tuple[float, dict[str, int]]:
    engine = create_engine(DatabaseSettings(url=url), for_worker=True)
    try:
        async with create_session_factory(engine)() as session:
            started = time.perf_counter()
            service = RollupService(session)
            report = await (
                service.rebuild() if rebuild else service.refresh(END + timedelta(days=1))
            )
            await session.commit()
            return time.perf_counter() - started, report.as_dict()
    finally:
        await engine.dispose()


async def _measure(
    url: str, tokens: dict[str, str], requests: int
) -> list[tuple[str, float, float]]:
    from infra.bootstrap.asgi import create_app

    settings = Settings(
        app=AppSettings(environment="test", log_json=False, log_level="WARNING"),
        database=DatabaseSettings(url=url.replace("postgresql://", "postgresql+asyncpg://")),
        celery=CelerySettings(embedded_relay=False),
        auth=AuthSettings(secret_key="bench-secret-key-of-sufficient-length-0123456789"),
    )
    app = create_app(settings)
    # One line per request from the in-process client would bury the figures.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    year = START.year - 1911 + 1
    conn = await asyncpg.connect(url)
    street = await conn.fetchval("SELECT id FROM streets ORDER BY slug LIMIT 1")
    shop = await conn.fetchval("SELECT id FROM shops ORDER BY slug LIMIT 1")
    await conn.close()
    ministry = [
        BASELINE,
        f"/api/programme/kpis?roc_year={year}",
        f"/api/programme/kpis?roc_year={year}&format=csv",
        f"/api/programme/kpis?roc_year={year}&format=xlsx",
        f"/api/programme/map?roc_year={year}",
        f"/programme?roc_year={year}",
        f"/programme/report?roc_year={year}",
        "/api/programme/targets",
        f"/api/programme/kpis/areas/records?roc_year={year}",
        *[
            f"/api/programme/kpis/uses/breakdown?roc_year={year}&by={by}"
            for by in (
                "month",
                "county",
                "digital_level",
                "area_flag",
                "street",
                "category",
                "channel",
                "method",
                "source",
                "gender",
            )
        ],
        f"/api/programme/kpis/business/breakdown?roc_year={year}&by=county&street_id={street}",
        f"/api/programme/kpis/services/breakdown?roc_year={year}&by=county",
        "/api/programme/kpis/devices/breakdown?roc_year=108&by=county",
    ]
    admin = [f"/api/programme/shops/{shop}/scorecard", f"/api/programme/shops/{shop}/analytics"]
    results = []
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://b"
    ) as client:
        for paths, token in (
            (ministry, tokens["ministry_viewer"]),
            (admin, tokens["platform_admin"]),
        ):
            headers = {"Authorization": f"Bearer {token}"}
            for path in paths:
                times = []
                for n in range(requests + 2):
                    started = time.perf_counter()
                    response = await client.get(path, headers=headers)
                    elapsed = (time.perf_counter() - started) * 1000
                    assert response.status_code == 200, (
                        path,
                        response.status_code,
                        response.text[:300],
                    )
                    if n >= 2:  # the first two warm caches and the connection pool
                        times.append(elapsed)
                times.sort()
                results.append(
                    (path, statistics.median(times), times[int(0.95 * (len(times) - 1))])
                )
    return results


async def run(args: argparse.Namespace) -> None:
    name = f"onestreet_bench_kpis_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(f"{args.postgres}/postgres")
    await admin.execute(f'CREATE DATABASE "{name}"')
    await admin.close()
    url = f"{args.postgres}/{name}"
    try:
        await asyncio.to_thread(
            runner.upgrade, url.replace("postgresql://", "postgresql+asyncpg://")
        )
        rows, events = int(10_000_000 * args.scale), int(20_000_000 * args.scale)
        conn = await asyncpg.connect(url)
        started = time.perf_counter()
        await conn.execute(_streets_sql())
        await _devices(conn)
        await conn.execute(_facts_sql(rows, START, DAYS))
        await conn.execute(_telemetry_sql(events, START, DAYS))
        await conn.execute("ANALYZE")
        print(
            f"generated {rows:,} orders+payments and ~{events:,} telemetry events "
            f"in {time.perf_counter() - started:.0f} s"
        )
        spent, report = await _rollups(url.replace("postgresql://", "postgresql+asyncpg://"), True)
        rebuild = spent
        print(f"full rebuild of the rollups: {spent:.1f} s {report}")
        next_day = END + timedelta(days=1)
        await conn.execute(_facts_sql(rows // DAYS, next_day, 1).replace("bench:", "bench-next:"))
        await conn.execute(_telemetry_sql(events // DAYS, next_day, 1))
        await conn.close()
        spent, report = await _rollups(url.replace("postgresql://", "postgresql+asyncpg://"), False)
        print(
            f"refresh after a day of new data: {spent:.2f} s {report} (target < 60 s),"
            f" {spent / rebuild:.3f} of the full rebuild"
        )
        tokens = await _tokens(url.replace("postgresql://", "postgresql+asyncpg://"))
        results = await _measure(url, tokens, args.requests)
        baseline = next(p95 for path, _, p95 in results if path == BASELINE)
        worst = max(p95 for path, _, p95 in results if path != BASELINE)
        for path, p50, p95 in results:
            print(f"{p50:8.1f} ms p50 {p95:8.1f} ms p95  {path}")
        print(
            f"worst p95 {worst:.1f} ms (target < 200 ms) = {worst / baseline:.1f} x the"
            f" {BASELINE} baseline p95 of {baseline:.2f} ms"
        )
    finally:
        if not args.keep:
            admin = await asyncpg.connect(f"{args.postgres}/postgres")
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await admin.close()


def main() -> None:
    asyncio.run(run(_parse()))


if __name__ == "__main__":
    main()
