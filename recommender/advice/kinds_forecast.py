"""Advice from the demand forecast and the sales mix: staffing, stock, what to show first."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np

from recommender.advice.chart import bar_chart
from recommender.advice.drafts import MEASURE_DAYS, AdviceDraft
from recommender.advice.texts import EN_WEEKDAYS, ZH_WEEKDAYS, both, name_in, twd


def busy_hour(
    next_week: np.ndarray, first_day: date, usual_orders: float, wape: float, naive_wape: float
) -> AdviceDraft | None:
    """The busiest hour of next week, when the forecast beats last week's same hour."""
    if not wape < naive_wape or usual_orders <= 0:
        return None
    day, hour = np.unravel_index(int(np.argmax(next_week)), next_week.shape)
    expected = round(float(next_week[day, hour]), 1)
    ratio = round(expected / usual_orders, 1)
    if ratio < 1.5:
        return None
    when = first_day + timedelta(days=int(day))
    zh_day, en_day = ZH_WEEKDAYS[when.weekday()], EN_WEEKDAYS[when.weekday()]
    hour = int(hour)
    by_hour = next_week[day]
    hours = [h for h in range(24) if by_hour[h] >= 0.05]
    return AdviceDraft(
        kind="busy_hour",
        expected_value_minor=0,  # saves lost sales and waiting, which the data cannot price
        title=both(
            f"{when.isoformat()}（{zh_day}）{hour}-{hour + 1} 時預計最忙：提前備貨、排人手",
            f"{en_day} {when.isoformat()} {hour}-{hour + 1}h will be busiest: stock up and "
            "staff up",
        ),
        body=both(
            f"預測約 {expected} 筆訂單，是您平均營業小時（{round(usual_orders, 1)} 筆）的 "
            f"{ratio} 倍。這個預測的誤差 WAPE {wape:.2f}，優於「上週同一時段」的 "
            f"{naive_wape:.2f}。",
            f"About {expected} orders are expected, {ratio} times your usual open hour "
            f"({round(usual_orders, 1)}). This forecast's error (WAPE {wape:.2f}) beats "
            f"'same hour last week' ({naive_wape:.2f}).",
        ),
        expected_effect=both(
            "減少尖峰時段缺貨與久候。", "Fewer sold-out items and less waiting at the peak."
        ),
        evidence={
            "date": when.isoformat(),
            "hour": hour,
            "expected_orders": expected,
            "usual_orders_per_open_hour": round(usual_orders, 1),
            "ratio": ratio,
            "model_wape": round(wape, 2),
            "seasonal_naive_wape": round(naive_wape, 2),
        },
        measurement={
            "metric": "orders",
            "date": when.isoformat(),
            "hour": hour,
            "baseline": expected,
            "window_days": 1,
        },
        chart=bar_chart(
            [str(h) for h in hours],
            [round(float(by_hour[h]), 1) for h in hours],
            [hours.index(hour)],
            "orders/hour",
        ),
    )


def top_seller(
    sales_by_listing: dict[Any, int],
    orders_with: dict[Any, int],
    names: dict[Any, dict[str, str]],
    days: int,
) -> AdviceDraft | None:
    total = sum(sales_by_listing.values())
    if total <= 0 or len(sales_by_listing) < 3:
        return None
    top = max(sales_by_listing, key=lambda k: (sales_by_listing[k], str(k)))
    share = round(100 * sales_by_listing[top] / total)
    if share < 20 or top not in names:
        return None
    zh, en = name_in(names[top], "zh-Hant-TW"), name_in(names[top], "en")
    return AdviceDraft(
        kind="top_seller",
        expected_value_minor=0,
        title=both(f"「{zh}」是招牌：放在菜單與資訊機第一位", f"{en} is your star: show it first"),
        body=both(
            f"過去 {days} 天「{zh}」賣了 {twd(sales_by_listing[top])}，佔營業額 {share}%。"
            "把它放在菜單、QR 點餐頁與資訊機的第一位，並用它帶出搭配商品。",
            f"In the last {days} days {en} took {twd(sales_by_listing[top])}, {share}% of your "
            "sales. Put it first on the menu, the QR order page and the kiosk, and pair it "
            "with other items.",
        ),
        expected_effect=both(
            f"以 {MEASURE_DAYS} 天內含「{zh}」的訂單數衡量。",
            f"Measured by orders with {en} over {MEASURE_DAYS} days.",
        ),
        evidence={
            "days": days,
            "listing": str(top),
            "listing_sales_minor": sales_by_listing[top],
            "all_sales_minor": total,
            "share_pct": share,
        },
        measurement={
            "metric": "orders_with_listing",
            "listing": str(top),
            "baseline": round(orders_with[top] * MEASURE_DAYS / days),
            "window_days": MEASURE_DAYS,
        },
    )
