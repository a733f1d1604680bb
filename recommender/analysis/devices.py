"""Device effectiveness: the kiosk funnel and which interactions come with sales.

Telemetry rollups are per device and UTC hour; orders are bucketed into the same hours, so
"hours with touches" and "hours without" compare the same shop while its devices reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from recommender.features.repository import DeviceHour, SoldLine

MIN_KIOSK_VIEWS = 50  # below this the funnel's percentages are noise
MIN_HOURS = 20  # hours with and without an interaction, each, to compare them
INTERACTIONS = ("touches", "scans", "ar_try_ons", "hotspot_sessions")


@dataclass(frozen=True)
class KioskFunnel:
    views: int  # menu views: kiosk sessions
    carts: int
    orders: int
    abandoned: int

    @property
    def cart_pct(self) -> int:
        return round(100 * self.carts / self.views) if self.views else 0

    @property
    def order_pct(self) -> int:
        return round(100 * self.orders / self.carts) if self.carts else 0

    @property
    def losing_step(self) -> str:
        """The screen where more of the customers who reached it leave."""
        return "menu" if self.cart_pct <= self.order_pct else "cart"


@dataclass(frozen=True)
class InteractionEffect:
    interaction: str
    total: int
    hours_with: int
    hours_without: int
    orders_per_hour_with: float
    orders_per_hour_without: float

    @property
    def lift_pct(self) -> int | None:
        if self.orders_per_hour_without <= 0:
            return None
        return round(100 * (self.orders_per_hour_with / self.orders_per_hour_without - 1))


@dataclass(frozen=True)
class DeviceReport:
    device_hours: int  # shop-hours with any device report
    funnel: KioskFunnel | None  # None when the shop has no kiosk reports
    effects: list[InteractionEffect]  # only interactions with enough hours both ways


def _hour(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def device_report(hours: Iterable[DeviceHour], lines: Iterable[SoldLine]) -> DeviceReport | None:
    """One shop's report, or None when no device of the shop reported."""
    per_hour: dict[datetime, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    funnel = {"views": 0, "carts": 0, "orders": 0, "abandoned": 0}
    kiosk = False
    for h in hours:
        bucket = per_hour[_hour(h.hour)]
        for name in INTERACTIONS:
            bucket[name] += getattr(h, name)
        if h.device_type == "kiosk":
            kiosk = True
            funnel["views"] += h.menu_views
            funnel["carts"] += h.carts_started
            funnel["orders"] += h.kiosk_orders
            funnel["abandoned"] += h.carts_abandoned
    if not per_hour:
        return None
    orders: dict[datetime, set[object]] = defaultdict(set)
    for line in lines:
        orders[_hour(line.placed_at)].add(line.order_id)
    effects = []
    for name in INTERACTIONS:
        with_ = [len(orders.get(t, ())) for t, b in per_hour.items() if b[name] > 0]
        without = [len(orders.get(t, ())) for t, b in per_hour.items() if b[name] == 0]
        if len(with_) < MIN_HOURS or len(without) < MIN_HOURS:
            continue
        effects.append(
            InteractionEffect(
                interaction=name,
                total=sum(b[name] for b in per_hour.values()),
                hours_with=len(with_),
                hours_without=len(without),
                orders_per_hour_with=round(sum(with_) / len(with_), 1),
                orders_per_hour_without=round(sum(without) / len(without), 1),
            )
        )
    return DeviceReport(
        device_hours=len(per_hour), funnel=KioskFunnel(**funnel) if kiosk else None, effects=effects
    )
