"""Customer segments (recency, frequency, spend) and lapse risk for win-back campaigns.

Only identified customers (orders with a consumer account) can be segmented; anonymous
counter orders are not people we can reach.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from statistics import median

from recommender.features.repository import SoldLine

MIN_CUSTOMERS = 5


@dataclass(frozen=True)
class Customer:
    id: uuid.UUID
    orders: int
    spend_minor: int
    last_order: datetime
    typical_gap_days: float | None  # median days between their orders
    segment: str  # "loyal", "regular", "new", "lapsing"


def customers(lines: Iterable[SoldLine], now: datetime) -> list[Customer]:
    times: dict[uuid.UUID, dict[uuid.UUID, datetime]] = {}
    spend: dict[uuid.UUID, int] = {}
    for line in lines:
        if line.consumer_id is None:
            continue
        times.setdefault(line.consumer_id, {})[line.order_id] = line.placed_at
        spend[line.consumer_id] = spend.get(line.consumer_id, 0) + line.line_total_minor
    result = []
    for cid, orders in times.items():
        stamps = sorted(orders.values())
        gaps = [(b - a).total_seconds() / 86400 for a, b in itertools.pairwise(stamps)]
        gap = median(gaps) if gaps else None
        since_last = (now - stamps[-1]).total_seconds() / 86400
        if gap is not None and since_last > max(2 * gap, 14):
            segment = "lapsing"
        elif len(stamps) >= 4:
            segment = "loyal"
        elif len(stamps) >= 2:
            segment = "regular"
        else:
            segment = "new"
        result.append(Customer(cid, len(stamps), spend[cid], stamps[-1], gap, segment))
    return sorted(result, key=lambda c: str(c.id))
