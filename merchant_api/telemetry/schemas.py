"""Telemetry answers."""

from __future__ import annotations

from datetime import datetime

import msgspec


class IngestOut(msgspec.Struct):
    """One result per event, in batch order: "accepted", "duplicate" or "rejected"; each
    rejected event also appears in `errors` with its index, seq (when readable) and reason."""

    accepted: int
    duplicate: int
    rejected: int
    results: list[str]
    errors: list[dict[str, object]]


class ShopHour(msgspec.Struct):
    hour: datetime
    events: int
    hotspot_sessions: int
    hotspot_clients_peak: int
    touches: int
    scans: int
    dwell_seconds: int
    ar_try_ons: int
    menu_views: int
    carts_started: int
    carts_abandoned: int
    kiosk_orders: int
    pos_sales: int
    pos_sales_minor: int
    orders: int
    orders_minor: int
    paid_orders: int
    paid_minor: int
