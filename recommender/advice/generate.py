"""From loaded data to ranked advice drafts for one shop (no database here)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from recommender.advice import kinds, kinds_forecast
from recommender.advice.drafts import AdviceDraft
from recommender.advice.kinds_devices import device_advice
from recommender.analysis.affinity import baskets_by_order, item_pairs, shop_pairs
from recommender.analysis.devices import device_report
from recommender.analysis.segments import MIN_CUSTOMERS, customers
from recommender.analysis.slots import slow_slot
from recommender.features.repository import DeviceHour, ShopInfo, SoldLine
from recommender.forecast.grid import HourlyGrid

MIN_ORDERS = 30  # below this a shop gets "not enough data", never a guess
MAX_BUNDLES = 2


@dataclass
class AdviceInputs:
    shops: list[ShopInfo]
    lines: list[SoldLine]  # every shop's, for cross-shop affinity
    grid: HourlyGrid
    listing_names: dict[uuid.UUID, dict[str, str]]
    sources: dict[str, str | None]  # optional data source -> table name or None
    now: datetime
    days: int
    # [shop row, 7, hour] expected orders next week, and per shop (model WAPE, naive WAPE).
    next_week: np.ndarray | None = None
    forecast_quality: dict[str, tuple[float, float]] | None = None
    device_hours: list[DeviceHour] | None = None  # telemetry rollups of the same window

    def __post_init__(self) -> None:
        self.by_shop: dict[uuid.UUID, list[SoldLine]] = defaultdict(list)
        for line in self.lines:
            self.by_shop[line.shop_id].append(line)
        self.devices_by_shop: dict[uuid.UUID, list[DeviceHour]] = defaultdict(list)
        for hour in self.device_hours or ():
            self.devices_by_shop[hour.shop_id].append(hour)
        self.cross_pairs = shop_pairs(self.lines)
        self.shop_info = {s.id: s for s in self.shops}


def _unit_prices(lines: list[SoldLine]) -> dict[uuid.UUID, int]:
    total: dict[uuid.UUID, int] = defaultdict(int)
    units: dict[uuid.UUID, int] = defaultdict(int)
    for line in lines:
        total[line.listing_id] += line.line_total_minor
        units[line.listing_id] += line.quantity
    return {k: total[k] // units[k] for k in total if units[k]}


def advise_shop(inputs: AdviceInputs, shop: ShopInfo) -> list[AdviceDraft]:
    """Ranked by expected value; a shop with too few orders gets one honest item."""
    lines = inputs.by_shop.get(shop.id, [])
    orders = len({line.order_id for line in lines})
    if orders < MIN_ORDERS:
        return [kinds.not_enough_data(orders, MIN_ORDERS, inputs.days)]
    drafts: list[AdviceDraft] = []
    slot = slow_slot(inputs.grid, inputs.grid.row(shop.id))
    if slot is not None:
        # Footfall is "connected" only when this shop's devices reported hotspot sessions.
        hotspot = any(h.hotspot_sessions for h in inputs.devices_by_shop.get(shop.id, ()))
        drafts.append(kinds.slow_hour(slot, inputs.sources.get("telemetry") if hotspot else None))
    prices = _unit_prices(lines)
    used: set[uuid.UUID] = set()
    for pair in item_pairs(baskets_by_order(lines).values()):
        if len([d for d in drafts if d.kind == "bundle"]) >= MAX_BUNDLES:
            break
        if pair.a in used or pair.b in used or pair.b not in prices:
            continue
        if pair.a not in inputs.listing_names or pair.b not in inputs.listing_names:
            continue
        used.update((pair.a, pair.b))
        drafts.append(kinds.bundle(pair, inputs.listing_names, prices[pair.b], inputs.days))
    drafts += _forecast_and_mix(inputs, shop, lines)
    drafts += _devices(inputs, shop, lines, orders)
    people = customers(lines, inputs.now)
    if len(people) >= MIN_CUSTOMERS:
        draft = kinds.win_back(people)
        if draft is not None:
            drafts.append(draft)
    shop_names = {s.id: s.name for s in inputs.shops}
    for pair in inputs.cross_pairs:
        if pair.a == shop.id and pair.b in shop_names:
            same_street = inputs.shop_info[pair.b].street_id == shop.street_id
            drafts.append(kinds.cross_shop(pair, shop_names, same_street))
            break
    if not drafts:
        return [kinds.nothing_stands_out(orders, inputs.days)]
    return sorted(drafts, key=lambda d: -d.expected_value_minor)


def _devices(
    inputs: AdviceInputs, shop: ShopInfo, lines: list[SoldLine], orders: int
) -> list[AdviceDraft]:
    report = device_report(inputs.devices_by_shop.get(shop.id, ()), lines)
    if report is None:  # the shop has no reporting device: nothing to say about devices
        return []
    average_order = sum(x.line_total_minor for x in lines) // orders
    return device_advice(report, inputs.days, average_order, orders / inputs.days)


def _forecast_and_mix(
    inputs: AdviceInputs, shop: ShopInfo, lines: list[SoldLine]
) -> list[AdviceDraft]:
    drafts = []
    row = inputs.grid.row(shop.id)
    quality = (inputs.forecast_quality or {}).get(str(shop.id))
    if inputs.next_week is not None and quality is not None:
        orders = inputs.grid.orders[row]
        open_hours = orders[orders > 0]
        usual = float(open_hours.mean()) if open_hours.size else 0.0
        first = inputs.grid.days[-1] + timedelta(days=1)
        draft = kinds_forecast.busy_hour(inputs.next_week[row], first, usual, *quality)
        if draft is not None:
            drafts.append(draft)
    sales: dict[uuid.UUID, int] = defaultdict(int)
    orders_with: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for line in lines:
        sales[line.listing_id] += line.line_total_minor
        orders_with[line.listing_id].add(line.order_id)
    counts = {k: len(v) for k, v in orders_with.items()}
    star = kinds_forecast.top_seller(dict(sales), counts, inputs.listing_names, inputs.days)
    if star is not None:
        drafts.append(star)
    return drafts
