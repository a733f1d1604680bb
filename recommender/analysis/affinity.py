"""Product affinity: items bought together within a shop, and shops shared by customers.

Support counts baskets (orders) holding both; confidence = P(B | A); lift = confidence /
P(B). Only pairs seen in enough baskets count, so a coincidence is not advice.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from recommender.features.repository import SoldLine

MIN_TOGETHER = 5


@dataclass(frozen=True)
class Pair:
    a: uuid.UUID  # the item that leads
    b: uuid.UUID  # the one to add
    together: int  # baskets with both
    with_a: int  # baskets with a
    baskets: int  # all baskets considered
    confidence: float
    lift: float


def baskets_by_order(lines: Iterable[SoldLine]) -> dict[uuid.UUID, set[uuid.UUID]]:
    baskets: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for line in lines:
        baskets[line.order_id].add(line.listing_id)
    return baskets


def item_pairs(baskets: Iterable[set[uuid.UUID]], min_together: int = MIN_TOGETHER) -> list[Pair]:
    """Directed pairs (a -> b) with lift > 1, strongest evidence first."""
    single: Counter[uuid.UUID] = Counter()
    both: Counter[tuple[uuid.UUID, uuid.UUID]] = Counter()
    n = 0
    for basket in baskets:
        n += 1
        single.update(basket)
        both.update(combinations(sorted(basket), 2))
    pairs = []
    for (x, y), together in both.items():
        if together < min_together:
            continue
        for a, b in ((x, y), (y, x)):
            confidence = together / single[a]
            lift = confidence / (single[b] / n)
            if lift > 1.0:
                pairs.append(Pair(a, b, together, single[a], n, confidence, lift))
    return sorted(pairs, key=lambda p: (-p.together * p.lift, str(p.a), str(p.b)))


def shop_pairs(lines: Iterable[SoldLine], min_customers: int = 3) -> list[Pair]:
    """Shops whose identified customers overlap (cross-shop and cross-street bundles).

    Here a "basket" is one customer's set of shops over the period.
    """
    shops_of: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for line in lines:
        if line.consumer_id is not None:
            shops_of[line.consumer_id].add(line.shop_id)
    return item_pairs(shops_of.values(), min_together=min_customers)
