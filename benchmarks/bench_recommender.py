"""Training and scoring every recommender model at programme scale (a script, not a test).

    nice -n 10 .venv/bin/python benchmarks/bench_recommender.py              # 60 x 10 x 365
    .venv/bin/python benchmarks/bench_recommender.py --streets 6 --days 120  # a quick run

Generates, in memory, 60 streets x 10 shops x one year of orders (about 5 million order
lines: hourly rhythm, weekends and Taiwan holidays, items bought together, members shopping
across shops), then times each stage the nightly run does: the hourly grid, the demand
forecaster's backtest against seasonal-naive and next week's forecast, every shop's "bought
together" table with its hit-rate check, every shop's advice (slow hours, bundles, segments
and lapse risk, cross-shop pairs, busy hours, top sellers), and TIFU-KNN next baskets for
every member against GP-TopFreq. Then it stores the affinity artifacts in a scratch SQLite
database and measures "you may also like" requests through the real HTTP app (p50/p99).
Prints wall time per stage and the peak RSS of the process.
"""

from __future__ import annotations

import argparse
import logging
import random
import resource
import secrets
import statistics
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

import infra.bootstrap.models  # noqa: F401  (every table, for the scratch database)
from recommender.advice.generate import AdviceInputs, advise_shop
from recommender.analysis.uplift import diff_in_diff
from recommender.features.repository import DeviceHour, ShopInfo, SoldLine
from recommender.forecast.grid import hourly_grid
from recommender.forecast.model import backtest, forecast_next_week
from recommender.forecast.outside import AHEAD, outside_features
from recommender.holidays import HolidayCalendar
from recommender.nextbasket.baselines import GPTopFreq
from recommender.nextbasket.data import holdout_last_basket
from recommender.nextbasket.metrics import recall_at_k
from recommender.nextbasket.tifuknn import TifuKnn, TifuParams
from recommender.training import train_affinity

TAIPEI = ZoneInfo("Asia/Taipei")
LISTINGS = 20
HOUR_PROFILE = np.array(
    [0, 0, 0, 0, 0, 0, 0, 0, 0.3, 0.6, 0.8, 1.6, 1.8, 1.0, 0.6, 0.5, 0.6, 1.2, 1.4, 0.9,
     0.4, 0, 0, 0]
)  # fmt: skip
HOUR_P = HOUR_PROFILE / HOUR_PROFILE.sum()


def rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


class Stopwatch:
    def __init__(self) -> None:
        self.rows: list[tuple[str, float]] = []

    def run(self, name, fn):  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - started
        self.rows.append((name, elapsed))
        print(f"  {name:<48} {elapsed:8.1f} s   peak RSS {rss_gib():.2f} GiB", flush=True)
        return result


def generate(streets: int, shops_per_street: int, days: int, end: date, seed: int):  # type: ignore[no-untyped-def]
    rng = np.random.default_rng(seed)
    calendar = HolidayCalendar()
    first = end - timedelta(days=days)
    day_dates = [first + timedelta(days=d) for d in range(days)]
    busy = np.array([1.6 if calendar.is_day_off(d) else 1.0 for d in day_dates])
    midnight = [datetime.combine(d, dtime(), TAIPEI).astimezone(UTC) for d in day_dates]
    shops, names, lines = [], {}, []
    next_order = 0
    for s in range(streets):
        street = uuid.uuid4()
        members = [uuid.uuid4() for _ in range(400)]
        for k in range(shops_per_street):
            shop = uuid.uuid4()
            shops.append(
                ShopInfo(
                    shop, street, {"zh-Hant-TW": f"店{s}-{k}", "en": f"Shop {s}-{k}"}, "retail"
                )
            )
            items = [uuid.uuid4() for _ in range(LISTINGS)]
            for i, item in enumerate(items):
                names[item] = {"zh-Hant-TW": f"商品{i}", "en": f"Item {i}"}
            prices = rng.integers(30, 400, LISTINGS) * 100
            popularity = rng.dirichlet(np.ones(LISTINGS) * 0.7)
            partner = rng.permutation(LISTINGS)
            price_list = [int(p) for p in prices]
            counts = rng.poisson(12 * busy * rng.uniform(0.6, 1.4))
            n_all = int(counts.sum())
            # Everything random is drawn per shop in arrays; the loop below only assembles.
            day_of = np.repeat(np.arange(days), counts)
            minute_of = rng.choice(24, size=n_all, p=HOUR_P) * 60 + rng.integers(0, 60, n_all)
            sizes = rng.choice(3, size=n_all, p=[0.35, 0.4, 0.25]) + 1
            firsts = rng.choice(LISTINGS, size=n_all, p=popularity)
            with_partner = rng.random(n_all) < 0.5
            seconds = rng.integers(0, LISTINGS, size=(n_all, 2))
            member_of = np.where(rng.random(n_all) < 0.3, rng.integers(0, len(members), n_all), -1)
            doubles = rng.random((n_all, 3)) < 0.2
            for o in range(n_all):
                order = uuid.UUID(int=(next_order := next_order + 1))
                at = midnight[day_of[o]] + timedelta(minutes=int(minute_of[o]))
                who = members[member_of[o]] if member_of[o] >= 0 else None
                first_item = int(firsts[o])
                basket = [first_item]
                if sizes[o] >= 2:
                    basket.append(
                        int(partner[first_item]) if with_partner[o] else int(seconds[o, 0])
                    )
                if sizes[o] == 3:
                    basket.append(int(seconds[o, 1]))
                for j, i in enumerate(dict.fromkeys(basket)):
                    q = 2 if doubles[o, j] else 1
                    lines.append(SoldLine(order, shop, at, who, items[i], q, price_list[i] * q))
    return shops, names, lines, first


def device_hours(shops: list[ShopInfo], end: date, days: int, seed: int) -> list[DeviceHour]:
    """A kiosk per shop reporting 9-20h for the advice window (the telemetry rollups)."""
    rng = np.random.default_rng(seed + 1)
    out = []
    for shop in shops:
        views = rng.poisson(6, size=(days, 12))
        for d in range(days):
            day = datetime.combine(end - timedelta(days=days - d), dtime(9), TAIPEI)
            for h in range(12):
                v = int(views[d, h])
                at = (day + timedelta(hours=h)).astimezone(UTC)
                out.append(
                    DeviceHour(shop.id, at, "kiosk", v, v // 3, 0, v, v, v // 2, v // 4, v // 4)
                )
    return out


def open_data(first: date, days: int) -> list[tuple[date, str, str, float]]:
    """Every county's daily rain and tourists, a week past the grid (a weather forecast)."""
    rng = np.random.default_rng(7)
    values = []
    for d in range(days + AHEAD):
        day = first + timedelta(days=d)
        values.append((day, "*", "rain_mm", float(rng.gamma(0.6, 8))))
        values.append(
            (day, "*", "tourists", float(rng.poisson(3000 + 2000 * (day.weekday() >= 5))))
        )
    return values


def uplift_stage(shops: list[ShopInfo], lines: list[SoldLine], now: datetime) -> dict[str, object]:
    """A four-week campaign on the first street against every other street."""
    totals: dict[uuid.UUID, tuple[uuid.UUID, datetime, int]] = {}
    for x in lines:
        shop, at, total = totals.get(x.order_id, (x.shop_id, x.placed_at, 0))
        totals[x.order_id] = (shop, at, total + x.line_total_minor)
    street = shops[0].street_id
    treated = {s.id for s in shops if s.street_id == street}
    control = {s.id for s in shops if s.street_id != street}
    split = now - timedelta(days=28)
    result = diff_in_diff(
        list(totals.values()), treated, control, "county", split - timedelta(days=28), split, now
    )
    return {"not_measured": result} if isinstance(result, str) else result.as_dict()


def next_basket_stage(lines: list[SoldLine]) -> dict[str, float]:
    orders: dict[uuid.UUID, tuple[datetime, uuid.UUID, set[uuid.UUID]]] = {}
    for x in lines:
        if x.consumer_id is not None:
            orders.setdefault(x.order_id, (x.placed_at, x.consumer_id, set()))[2].add(x.listing_id)
    code: dict[uuid.UUID, int] = {}
    history: dict[str, list[tuple[datetime, list[int]]]] = defaultdict(list)
    for at, who, items in orders.values():
        history[str(who)].append((at, [code.setdefault(i, len(code)) for i in items]))
    histories = {u: [b for _, b in sorted(v)] for u, v in history.items()}
    data = holdout_last_basket(histories)
    users = data.users
    tifu = TifuKnn(TifuParams(groups=1, within_decay=1.0, alpha=0.5), metric="cosine").fit(
        data.history
    )
    predicted = tifu.recommend(users, 10)
    gp = GPTopFreq().fit(data.history).recommend(users, 10)
    recall = statistics.mean(recall_at_k(data.future[u], predicted[u], 10) for u in users)
    gp_recall = statistics.mean(recall_at_k(data.future[u], gp[u], 10) for u in users)
    return {"members": len(users), "tifu_recall@10": recall, "gp_recall@10": gp_recall}


def request_latency(shops: list[ShopInfo], names, lines, related: dict[uuid.UUID, dict], n: int):  # type: ignore[no-untyped-def]
    """p50/p99 of GET /api/recommendations/.../also-like through the real app on SQLite."""
    import asyncio

    import sqlalchemy as sa
    from litestar.testing import AsyncTestClient

    from infra.bootstrap.asgi import create_app
    from infra.db import create_engine, create_session_factory
    from infra.migrations import runner
    from infra.settings import AppSettings, AuthSettings, DatabaseSettings, Settings
    from merchant_api.catalog.models import Listing
    from merchant_api.shops.models import Shop
    from merchant_api.streets.models import Street
    from recommender.artifacts.models import ModelArtifact

    scratch = Path(tempfile.mkdtemp(prefix="bench-rec-"))
    url = f"sqlite+aiosqlite:///{scratch / 'bench.sqlite3'}"
    runner.upgrade(url)
    listing_shop = {x.listing_id: x.shop_id for x in lines}

    async def fill() -> None:
        engine = create_engine(DatabaseSettings(url=url), for_worker=True)
        async with create_session_factory(engine)() as session:
            streets = sorted({s.street_id for s in shops}, key=str)
            await session.execute(
                sa.insert(Street),
                [
                    {
                        "id": st,
                        "slug": f"street-{i}",
                        "name": {"zh-Hant-TW": f"街{i}"},
                        "description": {},
                        "county": "臺東縣",
                        "township": f"鄉{i}",
                        "digital_level": 5,
                        "latitude": 23.0,
                        "longitude": 121.0,
                        "programme_year_joined": 107,
                    }
                    for i, st in enumerate(streets)
                ],
            )
            await session.execute(
                sa.insert(Shop),
                [
                    {
                        "id": s.id,
                        "street_id": s.street_id,
                        "slug": f"shop-{i}",
                        "name": s.name,
                        "description": {},
                        "category": "retail",
                        "address": "x",
                        "status": "active",
                        "joined_on": date(2018, 1, 1),
                    }
                    for i, s in enumerate(shops)
                ],
            )
            await session.execute(sa.insert(Listing), [
                {"id": lid, "shop_id": listing_shop[lid], "name": nm, "price_minor": 10000}
                for lid, nm in names.items() if lid in listing_shop])  # fmt: skip
            await session.execute(
                sa.insert(ModelArtifact),
                [
                    {
                        "id": uuid.uuid4(),
                        "kind": "affinity",
                        "scope": f"shop:{shop}",
                        "version": 1,
                        "status": "current",
                        "metric_name": "hit_rate@3",
                        "metric_value": 0.5,
                        "higher_is_better": True,
                        "metrics": {},
                        "params": {},
                        "payload": payload,
                        "trained_at": datetime.now(UTC),
                    }
                    for shop, payload in related.items()
                ],
            )
            await session.commit()
        await engine.dispose()

    asyncio.run(fill())
    settings = Settings(
        app=AppSettings(environment="test", log_json=False, log_level="ERROR", data_dir=scratch),
        database=DatabaseSettings(url=url),
        auth=AuthSettings(secret_key=secrets.token_urlsafe(32)),
    )
    targets = [(x.shop_id, x.listing_id) for x in random.Random(1).sample(lines, n)]
    app = create_app(settings)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per request otherwise

    cpu: list[float] = []

    async def measure() -> list[float]:
        # In the app's own event loop: no thread hand-off between client and server.
        # CPU time per request is reported too: on a shared machine wall time includes the
        # other processes' turns.
        timings = []
        async with AsyncTestClient(app=app) as client:
            for shop, listing in targets[:50]:  # warm-up
                await client.get(f"/api/recommendations/shops/{shop}/listings/{listing}/also-like")
            for shop, listing in targets:
                started, cpu_started = time.perf_counter(), time.process_time()
                response = await client.get(
                    f"/api/recommendations/shops/{shop}/listings/{listing}/also-like"
                )
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - cpu_started) * 1000)
                assert response.status_code == 200, response.text
        return timings

    timings = asyncio.run(measure())
    timings.sort()
    cpu.sort()
    pick = lambda xs, q: xs[min(len(xs) - 1, int(len(xs) * q))]  # noqa: E731
    return pick(timings, 0.5), pick(timings, 0.99), pick(cpu, 0.5), pick(cpu, 0.99)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--streets", type=int, default=60)
    parser.add_argument("--shops-per-street", type=int, default=10)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2017)
    args = parser.parse_args()
    end = datetime.now(UTC).astimezone(TAIPEI).date()
    now = datetime.combine(end, dtime(), TAIPEI).astimezone(UTC)
    watch = Stopwatch()
    print(f"{args.streets} streets x {args.shops_per_street} shops x {args.days} days", flush=True)
    shops, names, lines, first = watch.run(
        "generate orders (not part of training)",
        lambda: generate(args.streets, args.shops_per_street, args.days, end, args.seed),
    )
    print(f"  {len(lines):,} order lines, {len({x.order_id for x in lines}):,} orders", flush=True)
    telemetry = watch.run(
        "generate kiosk telemetry, 90 days (not training)",
        lambda: device_hours(shops, end, min(90, args.days), args.seed),
    )
    started = time.perf_counter()
    calendar = HolidayCalendar()
    grid = watch.run(
        "hourly grid", lambda: hourly_grid(lines, [s.id for s in shops], first, args.days)
    )
    grid.outside = watch.run(
        "open data as forecast features",
        lambda: outside_features(shops, first, args.days, open_data(first, args.days)),
    )
    quality = watch.run("forecast backtest vs seasonal-naive", lambda: backtest(grid, calendar))
    print(f"    WAPE model {quality.model_wape:.3f}, seasonal-naive {quality.naive_wape:.3f}")
    next_week = watch.run("forecast next week", lambda: forecast_next_week(grid, calendar))
    by_shop: dict[uuid.UUID, list[SoldLine]] = defaultdict(list)
    for x in lines:
        by_shop[x.shop_id].append(x)
    affinity = watch.run(
        "bought-together tables + hit-rate (every shop)",
        lambda: {s.id: train_affinity(s.id, by_shop[s.id], now) for s in shops},
    )
    hit = statistics.mean(m.metric_value for m in affinity.values())
    print(f"    mean hit-rate@3 {hit:.3f}")

    def advise_all():  # type: ignore[no-untyped-def]
        inputs = AdviceInputs(shops, lines, grid, names, {}, now, args.days, device_hours=telemetry)
        inputs.next_week = next_week
        inputs.forecast_quality = {
            str(grid.shops[r]): (m, n) for r, (m, n, _) in quality.per_shop.items()
        }
        return {s.id: advise_shop(inputs, s) for s in shops}

    advice = watch.run("advice for every shop (segments, lapse, bundles, ...)", advise_all)
    kinds = defaultdict(int)
    for drafts in advice.values():
        for d in drafts:
            kinds[d.kind] += 1
    print(f"    {dict(kinds)}")
    uplift = watch.run(
        "campaign uplift (difference in differences)", lambda: uplift_stage(shops, lines, now)
    )
    print(f"    {uplift}")
    nb = watch.run("TIFU-KNN next basket for every member", lambda: next_basket_stage(lines))
    print(f"    {nb}")
    total = time.perf_counter() - started
    print(f"train + score total: {total:.1f} s; peak RSS {rss_gib():.2f} GiB", flush=True)
    related = {shop: model.payload for shop, model in affinity.items()}
    p50, p99, cpu50, cpu99 = watch.run(
        f"{args.requests} also-like requests via HTTP (SQLite)",
        lambda: request_latency(shops, names, lines, related, args.requests),
    )
    print(f"also-like request latency: p50 {p50:.1f} ms, p99 {p99:.1f} ms (wall)")
    print(f"also-like request CPU time: p50 {cpu50:.1f} ms, p99 {cpu99:.1f} ms")


if __name__ == "__main__":
    main()
