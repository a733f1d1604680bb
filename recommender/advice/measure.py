"""The measured effect of advice the owner acted on: its metric after, against before."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from recommender.advice.texts import both
from recommender.analysis.affinity import baskets_by_order
from recommender.features.repository import SoldLine
from recommender.forecast.grid import TAIPEI


def metric_after(
    measurement: dict[str, Any], lines: list[SoldLine], start: datetime, end: datetime
) -> float:
    metric = measurement.get("metric")
    if metric == "slot_sales_per_week_minor":
        weekday, hours = measurement["weekday"], set(measurement["hours"])
        total = sum(
            x.line_total_minor
            for x in lines
            if (t := x.placed_at.astimezone(TAIPEI)).weekday() == weekday and t.hour in hours
        )
        weeks = max((end - start).days / 7, 1)
        return round(total / weeks)
    if metric == "share_of_a_orders_with_b_pct":
        baskets = [b for b in baskets_by_order(lines).values() if _has(b, measurement["listing_a"])]
        if not baskets:
            return 0.0
        with_b = sum(1 for b in baskets if _has(b, measurement["listing_b"]))
        return round(100 * with_b / len(baskets))
    if metric == "orders_with_listing":
        baskets = baskets_by_order(lines).values()
        return float(sum(1 for b in baskets if _has(b, measurement["listing"])))
    if metric == "lapsed_customers_returned":
        wanted = set(measurement.get("customers", []))
        return float(len({str(x.consumer_id) for x in lines if str(x.consumer_id) in wanted}))
    return float(len({x.order_id for x in lines}))


def _has(basket: set[Any], listing: str) -> bool:
    return any(str(x) == listing for x in basket)


def effect(
    measurement: dict[str, Any], after: float, start: datetime, end: datetime
) -> dict[str, Any]:
    baseline = float(measurement.get("baseline", 0))
    change = after - baseline
    pct = round(100 * change / baseline) if baseline else None
    sign = "+" if change >= 0 else ""
    pct_text = f" ({sign}{pct}%)" if pct is not None else ""
    return {
        "metric": measurement.get("metric"),
        "baseline": baseline,
        "after": after,
        "change": change,
        "change_pct": pct,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "summary": both(
            f"執行後 {measurement.get('metric')}：{after:g}，之前 {baseline:g}{pct_text}。",
            f"After acting, {measurement.get('metric')} is {after:g} against {baseline:g}"
            f" before{pct_text}.",
        ),
    }
