"""Nightly training: the demand forecaster and each shop's "bought together" table.

Each model is backtested on the last 14 days before it is recorded, so a retrain that
scores worse than the current version never replaces it (see artifacts.service).
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from recommender.analysis.affinity import baskets_by_order, item_pairs
from recommender.artifacts.service import ArtifactService, TrainedModel
from recommender.features.repository import ShopInfo, SoldLine
from recommender.forecast.evaluate import load_grid
from recommender.forecast.grid import HourlyGrid
from recommender.forecast.model import MIN_DAYS, backtest
from recommender.holidays import HolidayCalendar

TEST_DAYS = 14
RELATED = 5  # "you may also like" keeps this many per listing
MIN_PAIR_BASKETS = 2


def related_table(
    lines: list[SoldLine], min_together: int = MIN_PAIR_BASKETS
) -> dict[str, list[str]]:
    related: dict[str, list[str]] = defaultdict(list)
    for pair in item_pairs(baskets_by_order(lines).values(), min_together=min_together):
        if len(related[str(pair.a)]) < RELATED:
            related[str(pair.a)].append(str(pair.b))
    return dict(related)


def affinity_hit_rate(train: list[SoldLine], test: list[SoldLine], k: int = 3) -> tuple[float, int]:
    """Share of test baskets (2+ items) where an item's top-k related holds another item."""
    table = related_table(train)
    hits = cases = 0
    for basket in baskets_by_order(test).values():
        if len(basket) < 2:
            continue
        for item in basket:
            cases += 1
            others = {str(x) for x in basket if x != item}
            hits += bool(others.intersection(table.get(str(item), [])[:k]))
    return (hits / cases if cases else 0.0), cases


def train_affinity(shop_id: uuid.UUID, lines: list[SoldLine], now: datetime) -> TrainedModel:
    cutoff = now - timedelta(days=TEST_DAYS)
    train = [x for x in lines if x.placed_at < cutoff]
    test = [x for x in lines if x.placed_at >= cutoff]
    hit_rate, cases = affinity_hit_rate(train, test)
    return TrainedModel(
        kind="affinity",
        scope=f"shop:{shop_id}",
        metric_name="hit_rate@3",
        metric_value=round(hit_rate, 4),
        higher_is_better=True,
        metrics={"hit_rate@3": round(hit_rate, 4), "test_cases": cases, "lines": len(lines)},
        params={"min_together": MIN_PAIR_BASKETS, "related": RELATED, "test_days": TEST_DAYS},
        payload={"related": related_table(lines)},
    )


def train_forecast(grid: HourlyGrid, calendar: HolidayCalendar) -> TrainedModel | None:
    if grid.orders.shape[1] < MIN_DAYS:
        return None
    result = backtest(grid, calendar, TEST_DAYS)
    if math.isnan(result.model_wape):
        return None  # nothing sold in the test weeks: nothing to score a model by
    # A shop that sold nothing in the test weeks has no WAPE (NaN is not JSON): left out.
    per_shop = {
        str(grid.shops[row]): {"model_wape": m, "naive_wape": n}
        for row, (m, n, _) in result.per_shop.items()
        if not (math.isnan(m) or math.isnan(n))
    }
    return TrainedModel(
        kind="forecast",
        scope="all",
        metric_name="wape",
        metric_value=round(result.model_wape, 4),
        higher_is_better=False,
        metrics={
            "wape": round(result.model_wape, 4),
            "seasonal_naive_wape": round(result.naive_wape, 4),
            "train_rows": result.train_rows,
        },
        params={
            "test_days": TEST_DAYS,
            "target": "orders per hour",
            "open_data_features": sorted(grid.outside),
        },
        payload={"per_shop": per_shop},
    )


async def train_all(
    session: AsyncSession,
    now: datetime,
    calendar: HolidayCalendar,
    days: int = 90,
    progress: Callable[[list[ShopInfo]], Iterable[ShopInfo]] = iter,
) -> dict[str, int]:
    """Train and record every model; returns how many versions became current/were kept."""
    shops, grid, lines = await load_grid(session, days, now)
    artifacts = ArtifactService(session)
    promoted = kept = 0
    forecast = train_forecast(grid, calendar)
    trained = [forecast] if forecast else []
    by_shop: dict[uuid.UUID, list[SoldLine]] = defaultdict(list)
    for line in lines:
        by_shop[line.shop_id].append(line)
    for shop in progress(shops):
        trained.append(train_affinity(shop.id, by_shop.get(shop.id, []), now))
    for model in trained:
        artifact = await artifacts.record(model, now)
        promoted += artifact.status == "current"
        kept += artifact.status != "current"
    return {"current": promoted, "rejected": kept}
