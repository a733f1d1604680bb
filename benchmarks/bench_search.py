"""Search latency on PostgreSQL at programme scale (a script, not a test).

    .venv/bin/python benchmarks/bench_search.py        # 10,000 shops and 500,000 listings
    .venv/bin/python benchmarks/bench_search.py --shops 500 --listings 20000 --queries 300

Creates a scratch database next to the one at --admin-url (default: the test cluster),
migrates it, fills it with COPY (Chinese and English names from a vocabulary of rural
products, hours, payment methods, tags, some deleted listings and inactive shops), then runs
a mix of searches through DiscoveryService (the layer under the HTTP routes, cache off) and
reports p50/p95/p99 per kind and overall, against the p99 of `SELECT 1` and of a primary-key
lookup on the same pool. The scratch database is dropped at the end unless --keep.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta

import asyncpg
from sqlalchemy import select, text

from infra.db import create_engine, create_session_factory
from infra.migrations import runner
from infra.settings import DatabaseSettings
from merchant_api.catalog.models import Listing
from merchant_api.discovery.indexing import document
from merchant_api.discovery.params import SearchParams
from merchant_api.discovery.service import DiscoveryService

COUNTIES = [
    "臺東縣",
    "澎湖縣",
    "嘉義縣",
    "屏東縣",
    "花蓮縣",
    "南投縣",
    "宜蘭縣",
    "金門縣",
    "連江縣",
]
PLACES = [
    ("達仁", "Daren"),
    ("望安", "Wang-an"),
    ("阿里山", "Alishan"),
    ("蘭嶼", "Lanyu"),
    ("綠島", "Green Island"),
    ("霧台", "Wutai"),
    ("三地門", "Sandimen"),
    ("信義", "Xinyi"),
    ("仁愛", "Ren'ai"),
    ("秀林", "Xiulin"),
    ("萬榮", "Wanrong"),
    ("南澳", "Nan'ao"),
    ("大武", "Dawu"),
    ("金峰", "Jinfeng"),
    ("海端", "Haiduan"),
    ("延平", "Yanping"),
    ("七美", "Qimei"),
    ("白沙", "Baisha"),
    ("烈嶼", "Lieyu"),
    ("東引", "Dongyin"),
]
PRODUCTS = [
    ("小米酒", "Millet Wine"),
    ("小米麻糬", "Millet Mochi"),
    ("小米粥", "Millet Porridge"),
    ("花生糖", "Peanut Candy"),
    ("花生醬", "Peanut Butter"),
    ("高山茶", "High Mountain Tea"),
    ("烏龍茶", "Oolong Tea"),
    ("紅茶", "Black Tea"),
    ("咖啡豆", "Coffee Beans"),
    ("手沖咖啡", "Pour-over Coffee"),
    ("愛玉", "Aiyu Jelly"),
    ("山豬肉香腸", "Wild Boar Sausage"),
    ("竹筒飯", "Bamboo Rice"),
    ("刺蔥烘蛋", "Prickly Ash Omelette"),
    ("洛神花茶", "Roselle Tea"),
    ("小卷", "Dried Squid"),
    ("丁香魚", "Anchovy Snack"),
    ("仙人掌冰", "Cactus Ice"),
    ("黑糖糕", "Brown Sugar Cake"),
    ("琉璃珠", "Glass Beads"),
    ("木雕", "Wood Carving"),
    ("編織包", "Woven Bag"),
    ("月桃蓆", "Shell Ginger Mat"),
    ("民宿住宿", "Homestay Night"),
    ("部落導覽", "Village Guided Tour"),
    ("浮潛體驗", "Snorkelling Trip"),
    ("芋頭冰", "Taro Ice"),
    ("地瓜", "Sweet Potato"),
    ("金針花", "Daylily"),
    ("梅子", "Plum"),
    ("薑黃粉", "Turmeric"),
    ("蜂蜜", "Honey"),
    ("香菇", "Shiitake"),
    ("山蘇", "Bird's-nest Fern"),
    ("芒果乾", "Dried Mango"),
    ("高粱酒", "Sorghum Liquor"),
    ("貢糖", "Kung Candy"),
    ("麵線", "Wheat Noodles"),
    ("魚丸湯", "Fish Ball Soup"),
    ("牛肉麵", "Beef Noodles"),
]
SIZES = [("", ""), ("禮盒", "Gift Box"), ("小包", "Small Pack"), ("家庭號", "Family Size")]
DESCRIPTIONS = [
    ({"zh-Hant-TW": "部落族人手作，當季新鮮。", "en": "Handmade by villagers, in season."}),
    ({"zh-Hant-TW": "使用在地小米與山泉水。", "en": "Made with local millet and spring water."}),
    ({"zh-Hant-TW": "無添加防腐劑。", "en": "No preservatives."}),
    ({"zh-Hant-TW": "可宅配，離島運費另計。", "en": "Delivery available; islands cost extra."}),
    ({"zh-Hant-TW": "老闆推薦！", "en": "The owner's pick!"}),
    ({}),
]
CATEGORIES = ["agriculture_produce", "handicrafts", "food_and_drink", "tourism", "retail"]
TAGS = ["vegetarian", "vegan", "halal", "local_produce", "indigenous", "organic", "spicy"]
NOW = datetime.now(UTC)


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


async def _admin(admin_url: str, sql: str) -> None:
    conn = await asyncpg.connect(admin_url.replace("+asyncpg", ""))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _street_place(i: int) -> dict[str, str]:
    """What a shop's document holds of its street (see discovery.indexing._street_place)."""
    return {
        "name.zh-Hant-TW": f"{PLACES[i % 20][0]}一條街{i}",
        "name.en": f"{PLACES[i % 20][1]} Street {i}",
        "t": PLACES[i % 20][0] + "鄉",
        "c": COUNTIES[i % len(COUNTIES)],
    }


async def fill(url: str, shops: int, listings: int, rng: random.Random) -> dict[str, object]:
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        await conn.execute("SET maintenance_work_mem = '512MB'")
        # Bulk load first, index afterwards (far faster than maintaining GIN row by row).
        for table in ("listing_search", "shop_search"):
            await conn.execute(f"DROP INDEX ix_{table}_grams, ix_{table}_name_grams")
        street_ids = [uuid.uuid4() for _ in range(max(1, shops // 33))]
        await conn.copy_records_to_table(
            "streets",
            columns=[
                "id",
                "slug",
                "name",
                "description",
                "county",
                "township",
                "digital_level",
                "is_remote",
                "is_outlying_island",
                "is_indigenous_area",
                "latitude",
                "longitude",
                "programme_year_joined",
                "created_at",
            ],
            records=[
                (
                    sid,
                    f"street-{i}",
                    _json(
                        {
                            "zh-Hant-TW": f"{PLACES[i % 20][0]}一條街{i}",
                            "en": f"{PLACES[i % 20][1]} Street {i}",
                        }
                    ),
                    "{}",
                    COUNTIES[i % len(COUNTIES)],
                    PLACES[i % 20][0] + "鄉",
                    4 + i % 2,
                    True,
                    i % 3 == 0,
                    i % 2 == 0,
                    23.0,
                    121.0,
                    107,
                    NOW,
                )
                for i, sid in enumerate(street_ids)
            ],
        )
        shop_rows, shop_docs, methods, periods = [], [], [], []
        shop_ids = []
        for i in range(shops):
            sid = uuid.uuid4()
            shop_ids.append(sid)
            place, place_en = PLACES[rng.randrange(20)]
            product, product_en = PRODUCTS[rng.randrange(len(PRODUCTS))]
            name = {"zh-Hant-TW": f"{place}{product}{i}號店", "en": f"{place_en} {product_en} {i}"}
            description = DESCRIPTIONS[rng.randrange(len(DESCRIPTIONS))]
            status = "active" if rng.random() < 0.9 else rng.choice(["onboarding", "suspended"])
            shop_rows.append(
                (
                    sid,
                    street_ids[i % len(street_ids)],
                    f"shop-{i}",
                    _json(name),
                    _json(description),
                    CATEGORIES[i % 5],
                    "測試地址",
                    status,
                    date(2018, 1, 1),
                    NOW - timedelta(minutes=i),
                    NOW,
                )
            )
            street = i % len(street_ids)
            doc = document(name, description, "postgresql", _street_place(street))
            shop_docs.append(
                (sid, doc["name_text"], doc["search_text"], doc["grams"], doc["name_grams"])
            )
            methods.append((sid, "cash"))
            if rng.random() < 0.4:
                methods.append((sid, "points"))
            opens = rng.choice([0, 420, 540, 660, 1020])
            closes = rng.choice([1440, 1260, 840, 120])
            for weekday in range(7):
                if rng.random() < 0.85:
                    periods.append(
                        (uuid.uuid4(), sid, weekday, opens, closes if closes != opens else 1440)
                    )
        await conn.copy_records_to_table(
            "shops",
            columns=[
                "id",
                "street_id",
                "slug",
                "name",
                "description",
                "category",
                "address",
                "status",
                "joined_on",
                "created_at",
                "updated_at",
            ],
            records=shop_rows,
        )
        await conn.copy_records_to_table(
            "shop_search",
            columns=["shop_id", "name_text", "search_text", "grams", "name_grams"],
            records=shop_docs,
        )
        await conn.copy_records_to_table(
            "shop_payment_methods", columns=["shop_id", "method"], records=methods
        )
        await conn.copy_records_to_table(
            "shop_opening_periods",
            columns=["id", "shop_id", "weekday", "opens_minute", "closes_minute"],
            records=periods,
        )

        documents: dict[tuple[int, int, int, int], tuple[str, str, list[str], list[str]]] = {}
        batch: list[tuple[object, ...]] = []
        docs_batch: list[tuple[object, ...]] = []
        sample_ids: list[uuid.UUID] = []

        async def flush() -> None:
            await conn.copy_records_to_table(
                "listings",
                columns=[
                    "id",
                    "shop_id",
                    "name",
                    "description",
                    "price_minor",
                    "currency",
                    "is_available",
                    "tags",
                    "deleted_at",
                    "created_at",
                    "updated_at",
                ],
                records=batch,
            )
            await conn.copy_records_to_table(
                "listing_search",
                columns=["listing_id", "name_text", "search_text", "grams", "name_grams"],
                records=docs_batch,
            )
            batch.clear()
            docs_batch.clear()

        # A shop enters its menu in one go, so its listings are written together (as COPY
        # lays them down here: shop by shop).
        for i in range(listings):
            lid = uuid.uuid4()
            key = (
                rng.randrange(20),
                rng.randrange(len(PRODUCTS)),
                rng.randrange(4),
                rng.randrange(len(DESCRIPTIONS)),
            )
            place, product, size, desc = key
            name = {
                "zh-Hant-TW": f"{PLACES[place][0]}{PRODUCTS[product][0]}{SIZES[size][0]}",
                "en": f"{PLACES[place][1]} {PRODUCTS[product][1]} {SIZES[size][1]}".strip(),
            }
            if key not in documents:
                doc = document(name, DESCRIPTIONS[desc], "postgresql")
                documents[key] = (
                    doc["name_text"],
                    doc["search_text"],
                    doc["grams"],
                    doc["name_grams"],
                )
            tags = rng.sample(TAGS, rng.randrange(3))
            deleted = NOW if rng.random() < 0.02 else None
            batch.append(
                (
                    lid,
                    shop_ids[i * shops // listings],
                    _json(name),
                    _json(DESCRIPTIONS[desc]),
                    rng.randrange(20, 3000) * 100,
                    "TWD",
                    rng.random() < 0.97,
                    _json(tags),
                    deleted,
                    NOW - timedelta(seconds=i),
                    NOW,
                )
            )
            docs_batch.append((lid, *documents[key]))
            if i % 997 == 0:
                sample_ids.append(lid)
            if len(batch) >= 20_000:
                await flush()
        if batch:
            await flush()
        for table in ("listing_search", "shop_search"):
            for column in ("grams", "name_grams"):
                await conn.execute(
                    f"CREATE INDEX ix_{table}_{column} ON {table} USING gin ({column})"
                )
        # Review ratings on about a third of the shops and listings (1.00-5.00, 1-60 reviews),
        # so "sort by rating" walks an index with real values in it.
        for table in ("listing_search", "shop_search"):
            await conn.execute(
                f"UPDATE {table} SET rating_centi = 100 + (random() * 400)::int, "  # noqa: S608
                "rating_count = 1 + (random() * 59)::int WHERE random() < 0.33"
            )
        await conn.execute("VACUUM ANALYZE")
        return {"street_ids": street_ids, "shop_ids": shop_ids, "listing_ids": sample_ids}
    finally:
        await conn.close()


async def existing(url: str) -> dict[str, object]:
    conn = await asyncpg.connect(url.replace("+asyncpg", ""))
    try:
        return {
            "street_ids": [r[0] for r in await conn.fetch("SELECT id FROM streets")],
            "shop_ids": [r[0] for r in await conn.fetch("SELECT id FROM shops")],
            "listing_ids": [
                r[0] for r in await conn.fetch("SELECT id FROM listings TABLESAMPLE SYSTEM (1)")
            ],
        }
    finally:
        await conn.close()


def query_mix(data: dict[str, object], rng: random.Random) -> list[tuple[str, str, SearchParams]]:
    """(kind, shops|listings, params); weights roughly what a consumer app would send."""
    street_ids = data["street_ids"]
    shop_ids = data["shop_ids"]
    assert isinstance(street_ids, list) and isinstance(shop_ids, list)
    cjk = ["小米", "花生", "咖啡", "茶", "愛玉", "小米酒", "黑糖糕", "達仁", "蘭嶼小卷", "酒"]
    latin = ["millet", "Coffee", "daren", "tea", "peanut candy", "Wild Boar", "gift box"]
    mix: list[tuple[str, str, SearchParams]] = []
    for _ in range(400):
        roll = rng.random()
        if roll < 0.25:
            mix.append(("text_cjk", "listings", SearchParams(q=rng.choice(cjk))))
        elif roll < 0.40:
            mix.append(("text_latin", "listings", SearchParams(q=rng.choice(latin), lang="en")))
        elif roll < 0.50:
            mix.append(
                (
                    "text_street",
                    "listings",
                    SearchParams(q=rng.choice(cjk + latin), street=str(rng.choice(street_ids))),
                )
            )
        elif roll < 0.60:
            mix.append(
                (
                    "street_price",
                    "listings",
                    SearchParams(street=str(rng.choice(street_ids)), sort="price"),
                )
            )
        elif roll < 0.68:
            mix.append(
                (
                    "county_tag_price",
                    "listings",
                    SearchParams(
                        county=rng.choice(COUNTIES),
                        tags=(rng.choice(TAGS),),
                        price_min=10000,
                        price_max=50000,
                        sort="price",
                    ),
                )
            )
        elif roll < 0.74:
            mix.append(("shop_menu", "listings", SearchParams(shop=str(rng.choice(shop_ids)))))
        elif roll < 0.77:
            mix.append(("newest", "listings", SearchParams(sort="newest")))
        elif roll < 0.79:
            mix.append(("rating", "listings", SearchParams(sort="rating")))
        elif roll < 0.80:
            street = str(rng.choice(street_ids))
            mix.append(("street_rating", "listings", SearchParams(street=street, sort="rating")))
        elif roll < 0.90:
            mix.append(
                ("shops_text_open", "shops", SearchParams(q=rng.choice(cjk + latin), open_now=True))
            )
        else:
            mix.append(
                (
                    "shops_filters",
                    "shops",
                    SearchParams(
                        county=rng.choice(COUNTIES),
                        category=rng.choice(CATEGORIES),
                        accepts_points=True,
                    ),
                )
            )
    return mix


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)

    def at(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))]

    return at(0.50), at(0.95), at(0.99)


async def timed(fn: Callable[[], Awaitable[object]]) -> float:
    started = time.perf_counter()
    await fn()
    return (time.perf_counter() - started) * 1000


async def measure(url: str, data: dict[str, object], queries: int, rng: random.Random) -> None:
    engine = create_engine(DatabaseSettings(url=url, pool_size=5))
    sessions = create_session_factory(engine)
    mix = query_mix(data, rng)
    samples: dict[str, list[float]] = {}
    baseline: dict[str, list[float]] = {"select_1": [], "listing_by_pk": []}
    listing_ids = data["listing_ids"]
    assert isinstance(listing_ids, list)
    try:
        async with sessions() as session:
            service = DiscoveryService(session)  # no cache: every search reaches the database

            def search(path: str, params: SearchParams):  # type: ignore[no-untyped-def]
                return (service.shops if path == "shops" else service.listings)(params)

            for _kind, path, params in mix[:50]:  # warm-up: pool, plans, caches
                await search(path, params)
                await session.rollback()
            for n in range(queries):
                kind, path, params = mix[n % len(mix)]
                started = time.perf_counter()
                page = await search(path, params)
                samples.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
                await session.rollback()  # a request's own transaction, as in the app
                # One search in ten also reads its next page, as a scrolling client does.
                if page.next_cursor and rng.random() < 0.1:
                    follow = SearchParams(**{**params.__dict__, "cursor": page.next_cursor})
                    samples.setdefault("next_page", []).append(
                        await timed(lambda path=path, follow=follow: search(path, follow))
                    )
                    await session.rollback()
            for _ in range(max(200, queries // 2)):
                baseline["select_1"].append(await timed(lambda: session.execute(text("SELECT 1"))))
                pk = rng.choice(listing_ids)
                baseline["listing_by_pk"].append(
                    await timed(
                        lambda pk=pk: session.execute(select(Listing).where(Listing.id == pk))
                    )
                )
                await session.rollback()
    finally:
        await engine.dispose()

    print(f"\n{'kind':<18}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    every: list[float] = []
    for kind, values in sorted(samples.items()):
        every += values
        p50, p95, p99 = percentiles(values)
        print(f"{kind:<18}{len(values):>6}{p50:>9.2f}{p95:>9.2f}{p99:>9.2f}")
    p50, p95, p99 = percentiles(every)
    print(f"{'ALL SEARCHES':<18}{len(every):>6}{p50:>9.2f}{p95:>9.2f}{p99:>9.2f}")
    for kind, values in baseline.items():
        b50, b95, b99 = percentiles(values)
        print(f"{'baseline ' + kind:<18}{len(values):>6}{b50:>9.2f}{b95:>9.2f}{b99:>9.2f}")
    base_p99 = percentiles(baseline["listing_by_pk"])[2]
    print(f"\nsearch p99 / primary-key lookup p99 = {p99 / base_p99:.1f}x")
    print(f"search p99 {p99:.1f} ms: {'within' if p99 < 50 else 'OVER'} the 50 ms target")
    print(f"mean {statistics.fmean(every):.2f} ms")


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--shops", type=int, default=10_000)
    parser.add_argument("--listings", type=int, default=500_000)
    parser.add_argument("--queries", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=2017)
    parser.add_argument(
        "--admin-url", default="postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument("--reuse", metavar="NAME", help="measure a database kept by --keep")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    name = args.reuse or f"onestreet_bench_{uuid.uuid4().hex[:8]}"
    url = args.admin_url.rsplit("/", 1)[0] + f"/{name}"
    if args.reuse:
        await measure(url, await existing(url), args.queries, rng)
        return
    await _admin(args.admin_url, f'CREATE DATABASE "{name}"')
    try:
        started = time.perf_counter()
        await asyncio.to_thread(runner.upgrade, url)
        data = await fill(url, args.shops, args.listings, rng)
        print(
            f"database {name}: {args.shops:,} shops, {args.listings:,} listings "
            f"loaded and indexed in {time.perf_counter() - started:.0f} s"
        )
        await measure(url, data, args.queries, rng)
    finally:
        if args.keep:
            print(f"kept {url}")
        else:
            await _admin(args.admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    asyncio.run(main())
