"""`onestreet recommender evaluate --forecast`: the forecaster against seasonal-naive."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from recommender.features.repository import FeatureRepository, ShopInfo, SoldLine
from recommender.forecast.grid import TAIPEI, HourlyGrid, hourly_grid
from recommender.forecast.model import MIN_DAYS, backtest
from recommender.forecast.outside import AHEAD, outside_features
from recommender.holidays import HolidayCalendar
from recommender.imports.repository import OpenDataRepository


async def load_grid(
    session: AsyncSession,
    days: int,
    today: datetime | None = None,
    street_ids: set[uuid.UUID] | None = None,
) -> tuple[list[ShopInfo], HourlyGrid, list[SoldLine]]:
    """Shops, their hourly grid and sold lines over the last `days` full Asia/Taipei days,
    of every street or only of `street_ids`."""
    repo = FeatureRepository(session)
    shops = await repo.shops()
    if street_ids is not None:
        shops = [s for s in shops if s.street_id in street_ids]
    end_day = (today or datetime.now(UTC)).astimezone(TAIPEI).date()
    first_day = end_day - timedelta(days=days)
    since = datetime.combine(first_day, time(), TAIPEI).astimezone(UTC)
    until = datetime.combine(end_day, time(), TAIPEI).astimezone(UTC)
    ids = [s.id for s in shops]
    lines = await repo.sold_lines(since, until, ids if street_ids is not None else None)
    grid = hourly_grid(lines, ids, first_day, days)
    values = await OpenDataRepository(session).values(first_day, end_day + timedelta(days=AHEAD))
    grid.outside = outside_features(shops, first_day, days, values)
    return shops, grid, lines


async def evaluate_all_shops(
    session: AsyncSession,
    progress: Callable[..., Any] = lambda it, **_: it,
    days: int = 90,
    calendar: HolidayCalendar | None = None,
) -> list[tuple[str, float, float, float]]:
    """(shop name, model WAPE, seasonal-naive WAPE, orders in the test weeks), "all" first."""
    shops, grid, _ = await load_grid(session, days)
    if not shops or days < MIN_DAYS:
        return []
    result = backtest(grid, calendar or HolidayCalendar())
    name = "all shops"
    if grid.outside:  # say which open data the forecast used
        name += f" (with open data: {', '.join(sorted(grid.outside))})"
    rows = [(name, result.model_wape, result.naive_wape, float(grid.orders[:, -14:].sum()))]
    for row, shop in progress(list(enumerate(shops)), desc="shops", unit="shop"):
        model, naive, actual = result.per_shop[row]
        rows.append(
            (shop.name.get("zh-Hant-TW") or next(iter(shop.name.values())), model, naive, actual)
        )
    return rows


def format_forecast_table(rows: list[tuple[str, float, float, float]]) -> str:
    if not rows:
        return "Not enough order history to backtest a forecast (49 days are needed)."
    lines = [
        "Orders per hour, last 14 days held out; WAPE = sum|actual - forecast| / sum actual",
        "| shop | model WAPE | seasonal-naive WAPE | orders in test |",
        "|---|---|---|---|",
    ]
    lines += [f"| {n} | {m:.3f} | {b:.3f} | {a:.0f} |" for n, m, b, a in rows]
    return "\n".join(lines)
