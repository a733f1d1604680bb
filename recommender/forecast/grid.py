"""Sold lines turned into an hourly grid per shop (Asia/Taipei days and hours)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from recommender.features.repository import SoldLine

TAIPEI = ZoneInfo("Asia/Taipei")


@dataclass
class HourlyGrid:
    shops: list[uuid.UUID]
    first_day: date
    orders: np.ndarray  # [shop, day, hour] distinct orders
    sales: np.ndarray  # [shop, day, hour] sales in minor units
    # Imported open data, metric -> [shop, day] (a week longer than the grid); may be empty.
    outside: dict[str, np.ndarray] = field(default_factory=dict)

    @property
    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=i) for i in range(self.orders.shape[1])]

    def row(self, shop_id: uuid.UUID) -> int:
        return self.shops.index(shop_id)


def hourly_grid(
    lines: Iterable[SoldLine], shops: list[uuid.UUID], first_day: date, n_days: int
) -> HourlyGrid:
    index = {s: i for i, s in enumerate(shops)}
    orders = np.zeros((len(shops), n_days, 24), dtype=np.float32)
    sales = np.zeros((len(shops), n_days, 24), dtype=np.float64)
    seen: set[uuid.UUID] = set()
    # Lines of one order (and orders of one minute) share a timestamp: convert each once.
    slots: dict[datetime, tuple[int, int]] = {}
    for line in lines:
        row = index.get(line.shop_id)
        slot = slots.get(line.placed_at)
        if slot is None:
            local = line.placed_at.astimezone(TAIPEI)
            slot = slots[line.placed_at] = ((local.date() - first_day).days, local.hour)
        day, hour = slot
        if row is None or not 0 <= day < n_days:
            continue
        sales[row, day, hour] += line.line_total_minor
        if line.order_id not in seen:
            seen.add(line.order_id)
            orders[row, day, hour] += 1
    return HourlyGrid(shops=shops, first_day=first_day, orders=orders, sales=sales)
