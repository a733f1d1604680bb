"""One builder per kind of advice. Each returns None when the data does not support it.

Expected values are deliberately modest fractions of the measured gap (a quarter of a slow
window's shortfall, one in ten leading orders adding the paired item, one in five lapsing
customers coming back); they rank the advice, and the measurement afterwards says how
right they were.
"""

from __future__ import annotations

from typing import Any

from recommender.advice.chart import bar_chart
from recommender.advice.drafts import MEASURE_DAYS, AdviceDraft
from recommender.advice.texts import (
    EN_WEEKDAYS,
    FOOTFALL_MISSING,
    FOOTFALL_PRESENT,
    ZH_WEEKDAYS,
    both,
    name_in,
    twd,
)
from recommender.analysis.affinity import Pair
from recommender.analysis.segments import Customer
from recommender.analysis.slots import WINDOW, SlowSlot

WEEKS = MEASURE_DAYS // 7


def not_enough_data(orders: int, needed: int, days: int) -> AdviceDraft:
    return AdviceDraft(
        kind="not_enough_data",
        expected_value_minor=0,
        title=both("資料還不夠，暫不提供建議", "Not enough data for advice yet"),
        body=both(
            f"過去 {days} 天只有 {orders} 筆訂單，至少需要 {needed} 筆才能可靠分析。"
            "請持續用 OneStreet 接單，資料足夠後會自動產生建議。",
            f"The last {days} days hold {orders} orders; reliable advice needs at least "
            f"{needed}. Keep taking orders through OneStreet and advice will follow.",
        ),
        expected_effect=both("無", "None"),
        evidence={"orders": orders, "orders_needed": needed, "days": days},
        measurement={"metric": "orders", "baseline": orders, "window_days": days},
    )


def slow_hour(slot: SlowSlot, footfall_table: str | None) -> AdviceDraft:
    end = slot.start_hour + WINDOW
    zh_day, en_day = ZH_WEEKDAYS[slot.weekday], EN_WEEKDAYS[slot.weekday]
    expected = slot.gap_per_week * WEEKS // 4
    footfall = FOOTFALL_PRESENT if footfall_table else FOOTFALL_MISSING
    hours = slot.open_hours
    return AdviceDraft(
        kind="slow_hour",
        expected_value_minor=expected,
        title=both(
            f"{zh_day} {slot.start_hour}-{end} 時較冷清：試試雙倍點數歡樂時段",
            f"{en_day} {slot.start_hour}-{end}h is quiet: try a double-points happy hour",
        ),
        body=both(
            f"過去 {slot.weeks} 個{zh_day}，{slot.start_hour}-{end} 時平均每小時營業額 "
            f"{twd(slot.slot_sales_per_hour)}，比您平日營業時段的平均 "
            f"{twd(slot.usual_sales_per_hour)} 低 {slot.shortfall_pct}%。" + footfall["zh-Hant-TW"],
            f"Over the last {slot.weeks} {en_day}s, {slot.start_hour}-{end}h took "
            f"{twd(slot.slot_sales_per_hour)} an hour on average, {slot.shortfall_pct}% below "
            f"your usual weekday hour ({twd(slot.usual_sales_per_hour)}). " + footfall["en"],
        ),
        expected_effect=both(
            f"若補回四分之一差距，{WEEKS} 週約多 {twd(expected)}。",
            f"Closing a quarter of the gap adds about {twd(expected)} over {WEEKS} weeks.",
        ),
        evidence={
            "weekday": slot.weekday,
            "start_hour": slot.start_hour,
            "end_hour": end,
            "weeks": slot.weeks,
            "slot_sales_per_hour_minor": slot.slot_sales_per_hour,
            "usual_sales_per_hour_minor": slot.usual_sales_per_hour,
            "shortfall_pct": slot.shortfall_pct,
            "gap_per_week_minor": slot.gap_per_week,
            "footfall": footfall_table or "not available",
        },
        measurement={
            "metric": "slot_sales_per_week_minor",
            "weekday": slot.weekday,
            "hours": list(range(slot.start_hour, end)),
            "baseline": slot.slot_sales_per_hour * WINDOW,
            "window_days": MEASURE_DAYS,
        },
        chart=bar_chart(
            [str(h) for h in hours],
            [slot.by_hour[h] / 100 for h in hours],
            [i for i, h in enumerate(hours) if slot.start_hour <= h < end],
            "TWD/hour",
        ),
    )


def bundle(pair: Pair, names: dict[Any, dict[str, str]], price_b: int, days: int) -> AdviceDraft:
    a_zh, b_zh = name_in(names[pair.a], "zh-Hant-TW"), name_in(names[pair.b], "zh-Hant-TW")
    a_en, b_en = name_in(names[pair.a], "en"), name_in(names[pair.b], "en")
    pct = round(100 * pair.confidence)
    base_pct = round(100 * pair.confidence / pair.lift)
    without_b = pair.with_a - pair.together
    expected = round(without_b * MEASURE_DAYS / days * 0.1 * price_b)
    return AdviceDraft(
        kind="bundle",
        expected_value_minor=expected,
        title=both(
            f"買「{a_zh}」的客人常加購「{b_zh}」：推出組合價",
            f"{a_en} buyers often add {b_en}: offer a bundle",
        ),
        body=both(
            f"過去 {days} 天，{pair.with_a} 筆含「{a_zh}」的訂單中有 {pair.together} 筆也買了"
            f"「{b_zh}」（{pct}%），而所有訂單只有 {base_pct}% 買「{b_zh}」。"
            f"點「{a_zh}」時主動推薦「{b_zh}」，或推出兩樣的組合價。",
            f"In the last {days} days, {pair.together} of {pair.with_a} orders with {a_en} "
            f"also had {b_en} ({pct}%), against {base_pct}% of all orders. Suggest {b_en} "
            f"when someone orders {a_en}, or price the two as a bundle.",
        ),
        expected_effect=both(
            f"若一成只買「{a_zh}」的訂單加購，{WEEKS} 週約多 {twd(expected)}。",
            f"If one in ten {a_en} orders without {b_en} adds it: about {twd(expected)} "
            f"over {WEEKS} weeks.",
        ),
        evidence={
            "days": days,
            "orders_with_a": pair.with_a,
            "orders_with_both": pair.together,
            "share_with_b_pct": pct,
            "share_of_all_orders_with_b_pct": base_pct,
            "lift": round(pair.lift, 2),
            "b_price_minor": price_b,
            "listing_a": str(pair.a),
            "listing_b": str(pair.b),
        },
        measurement={
            "metric": "share_of_a_orders_with_b_pct",
            "listing_a": str(pair.a),
            "listing_b": str(pair.b),
            "baseline": pct,
            "window_days": MEASURE_DAYS,
        },
        chart=bar_chart([f"{a_en}+{b_en}", "all"], [pct, base_pct], [0], "% with B"),
    )


def cross_shop(pair: Pair, shop_names: dict[Any, dict[str, str]], same_street: bool) -> AdviceDraft:
    other_zh, other_en = (
        name_in(shop_names[pair.b], "zh-Hant-TW"),
        name_in(shop_names[pair.b], "en"),
    )
    pct = round(100 * pair.confidence)
    where_zh, where_en = (
        ("同一條街", "on your street") if same_street else ("另一條街", "on another street")
    )
    return AdviceDraft(
        kind="cross_shop_bundle",
        expected_value_minor=0,  # no sales history of a joint bundle to size it from
        title=both(
            f"您的客人也常去「{other_zh}」：合推聯名組合",
            f"Your customers also shop at {other_en}: a joint bundle",
        ),
        body=both(
            f"{pair.with_a} 位會員客人中有 {pair.together} 位（{pct}%）"
            f"也在{where_zh}的「{other_zh}」消費。"
            "和對方合推聯名組合或互送點數，節慶週效果最好。",
            f"{pair.together} of your {pair.with_a} member customers ({pct}%) also buy at "
            f"{other_en} {where_en}. Offer a joint bundle or shared points, best in festival week.",
        ),
        expected_effect=both("以聯名組合的銷售筆數衡量。", "Measured by the joint bundle's sales."),
        evidence={
            "customers": pair.with_a,
            "shared_customers": pair.together,
            "share_pct": pct,
            "other_shop": str(pair.b),
            "same_street": same_street,
        },
        measurement={
            "metric": "shared_customers",
            "baseline": pair.together,
            "window_days": MEASURE_DAYS,
        },
    )


def win_back(people: list[Customer]) -> AdviceDraft | None:
    lapsing = [c for c in people if c.segment == "lapsing"]
    if not lapsing:
        return None
    avg_order = sum(c.spend_minor for c in lapsing) // sum(c.orders for c in lapsing)
    expected = len(lapsing) * avg_order // 5
    counts = {
        s: sum(1 for c in people if c.segment == s) for s in ("loyal", "regular", "new", "lapsing")
    }
    return AdviceDraft(
        kind="win_back",
        expected_value_minor=expected,
        title=both(
            f"{len(lapsing)} 位熟客久未光顧：寄送回流優惠",
            f"{len(lapsing)} regulars have not come back: send a win-back offer",
        ),
        body=both(
            f"{len(lapsing)} 位會員的未到店時間已超過他們平常間隔的兩倍（且超過 14 天），"
            f"他們平均每筆消費 {twd(avg_order)}。寄一張限時優惠券或加倍點數邀他們回來。",
            f"{len(lapsing)} members have stayed away more than twice their usual gap (and over "
            f"14 days); they spend {twd(avg_order)} an order on average. Send a time-limited "
            "voucher or double points to bring them back.",
        ),
        expected_effect=both(
            f"若五分之一回流，約多 {twd(expected)}。",
            f"If one in five comes back: about {twd(expected)}.",
        ),
        evidence={
            "lapsing_customers": len(lapsing),
            "average_order_minor": avg_order,
            "segments": counts,
        },
        measurement={
            "metric": "lapsed_customers_returned",
            "customers": [str(c.id) for c in lapsing],
            "baseline": 0,
            "window_days": MEASURE_DAYS,
        },
        chart=bar_chart(list(counts), [float(v) for v in counts.values()], [3], "customers"),
    )


def nothing_stands_out(orders: int, days: int) -> AdviceDraft:
    return AdviceDraft(
        kind="nothing_stands_out",
        expected_value_minor=0,
        title=both("目前沒有明顯需要調整之處", "Nothing stands out right now"),
        body=both(
            f"過去 {days} 天的 {orders} 筆訂單中沒有明顯的冷清時段或常一起買的商品。",
            f"The {orders} orders of the last {days} days show no clearly quiet hours or items "
            "bought together.",
        ),
        expected_effect=both("無", "None"),
        evidence={"orders": orders, "days": days},
        measurement={"metric": "orders", "baseline": orders, "window_days": days},
    )
