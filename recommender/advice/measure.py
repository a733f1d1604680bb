"""The measured effect of advice the owner acted on: its metric after, against before."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from recommender.advice.texts import both, twd
from recommender.analysis.affinity import baskets_by_order
from recommender.analysis.uplift import Uplift
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


UPLIFT_REASONS = {
    "no_comparable_street": (
        "沒有可比較的街區（同縣市或同數位等級、且沒有同期活動），無法做對照。",
        "No comparable street (same county or digital level, without a campaign then) to "
        "compare against.",
    ),
    "window_too_short": ("前後期間不足一週，無法做對照。", "Before or after spans under a week."),
    "no_sales_before": ("之前沒有銷售資料，無法做對照。", "No sales before to compare with."),
}


def uplift_effect(result: Uplift | str) -> dict[str, Any]:
    """The difference-in-differences part of a measured effect, with its plain summary."""
    if isinstance(result, str):
        zh, en = UPLIFT_REASONS[result]
        return {"uplift": {"not_measured": result}, "uplift_summary": both(zh, en)}
    u = result
    pct = "" if u.effect_pct is None else f" ({u.effect_pct:+d}%)"
    where_zh = "同縣市" if u.comparable_by == "county" else "同數位等級"
    where_en = "in the same county" if u.comparable_by == "county" else "of the same digital level"
    return {
        "uplift": u.as_dict(),
        "uplift_summary": both(
            f"每店日均營業額由 {twd(u.treated_before_minor)} 變為 {twd(u.treated_after_minor)}；"
            f"{where_zh}的 {u.control_shops} 家對照店由 {twd(u.control_before_minor)} 變為 "
            f"{twd(u.control_after_minor)}。扣除共同變化後，每天約 "
            f"{twd(u.effect_per_day_minor)}{pct}。",
            f"Daily sales per shop went from {twd(u.treated_before_minor)} to "
            f"{twd(u.treated_after_minor)}; at {u.control_shops} comparable shops {where_en} "
            f"from {twd(u.control_before_minor)} to {twd(u.control_after_minor)}. Net of the "
            f"common change: {twd(u.effect_per_day_minor)} a day{pct}.",
        ),
    }
