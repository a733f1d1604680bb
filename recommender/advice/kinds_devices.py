"""Advice on devices: the kiosk screen that loses customers, the interaction that sells.

Numbers come from the telemetry rollups and orders of the same hours; with too little device
data the advice says so rather than guess.
"""

from __future__ import annotations

from recommender.advice.chart import bar_chart
from recommender.advice.drafts import MEASURE_DAYS, AdviceDraft
from recommender.advice.texts import both, twd
from recommender.analysis.devices import MIN_HOURS, MIN_KIOSK_VIEWS, DeviceReport, KioskFunnel

WEEKS = MEASURE_DAYS // 7
INTERACTION_NAMES = {
    "touches": ("互動螢幕觸控", "display touches"),
    "scans": ("QR 掃描", "QR scans"),
    "ar_try_ons": ("AR 試穿／試用", "AR try-ons"),
    "hotspot_sessions": ("熱點上網連線", "hotspot sessions"),
}
# Per kiosk step: (zh short, zh long, en short, en long).
STEP_NAMES = {
    "menu": (
        "菜單畫面",
        "菜單畫面（瀏覽後沒有加入購物車）",
        "menu screen",
        "menu screen (views that never start a cart)",
    ),
    "cart": (
        "購物車／結帳畫面",
        "購物車／結帳畫面（加入後沒有下單）",
        "cart and checkout screen",
        "cart and checkout screen (carts never ordered)",
    ),
}


def device_advice(
    report: DeviceReport, days: int, average_order_minor: int, orders_per_day: float
) -> list[AdviceDraft]:
    drafts = []
    funnel = report.funnel
    if funnel is not None and funnel.views >= MIN_KIOSK_VIEWS:
        drafts.append(kiosk_funnel(funnel, days, average_order_minor))
    if report.effects:
        drafts.append(interaction_effect(report, days, orders_per_day))
    if not drafts:
        drafts.append(too_little_device_data(report, days))
    return drafts


def kiosk_funnel(funnel: KioskFunnel, days: int, average_order_minor: int) -> AdviceDraft:
    step = funnel.losing_step
    zh_short, zh_step, en_short, en_step = STEP_NAMES[step]
    lost = funnel.views - funnel.carts if step == "menu" else funnel.abandoned
    # One in ten of the customers lost at that screen ordering instead, over the window.
    expected = round(lost * MEASURE_DAYS / days * 0.1 * average_order_minor)
    return AdviceDraft(
        kind="kiosk_funnel",
        expected_value_minor=expected,
        title=both(
            f"資訊機在「{zh_short}」流失最多客人",
            f"Your kiosk loses most customers at the {en_short}",
        ),
        body=both(
            f"過去 {days} 天資訊機有 {funnel.views} 次菜單瀏覽，{funnel.carts} 次加入購物車"
            f"（{funnel.cart_pct}%），{funnel.orders} 筆下單（購物車的 {funnel.order_pct}%），"
            f"{funnel.abandoned} 個購物車被放棄。流失最多的是{zh_step}：請簡化這個畫面，"
            "例如把招牌商品放第一頁、減少必選項目。",
            f"In the last {days} days the kiosk had {funnel.views} menu views, {funnel.carts} "
            f"carts started ({funnel.cart_pct}%) and {funnel.orders} orders ({funnel.order_pct}% "
            f"of carts); {funnel.abandoned} carts were abandoned. The {en_step} loses the most: "
            "simplify it, e.g. star items on the first page and fewer required choices.",
        ),
        expected_effect=both(
            f"若該畫面流失的客人有一成改為下單，{WEEKS} 週約多 {twd(expected)}。",
            f"If one in ten customers lost there orders instead: about {twd(expected)} over "
            f"{WEEKS} weeks.",
        ),
        evidence={
            "days": days,
            "menu_views": funnel.views,
            "carts_started": funnel.carts,
            "kiosk_orders": funnel.orders,
            "carts_abandoned": funnel.abandoned,
            "cart_pct": funnel.cart_pct,
            "order_pct": funnel.order_pct,
            "losing_step": step,
            "lost_at_step": lost,
            "average_order_minor": average_order_minor,
        },
        measurement={
            "metric": "orders",
            "baseline": round(funnel.orders * MEASURE_DAYS / days),
            "window_days": MEASURE_DAYS,
        },
        chart=bar_chart(
            ["views", "carts", "orders"],
            [float(funnel.views), float(funnel.carts), float(funnel.orders)],
            [1 if step == "menu" else 2],
            "kiosk customers",
        ),
    )


def interaction_effect(report: DeviceReport, days: int, orders_per_day: float) -> AdviceDraft:
    """The weakest interaction when one sells no more than its absence; else the strongest."""
    ranked = sorted(report.effects, key=lambda e: (e.lift_pct is None, e.lift_pct or 0))
    weakest, strongest = ranked[0], ranked[-1]
    losing = weakest.lift_pct is not None and weakest.lift_pct <= 0
    chosen = weakest if losing else strongest
    zh, en = INTERACTION_NAMES[chosen.interaction]
    lift = chosen.lift_pct
    size = abs(lift) if lift is not None else None
    lift_zh = f"（{'多' if (lift or 0) > 0 else '少'} {size}%）" if size is not None else ""
    lift_en = f" ({size}% {'more' if (lift or 0) > 0 else 'fewer'})" if size is not None else ""
    if losing:
        title = both(
            f"「{zh}」沒有帶來更多訂單：調整裝置內容或位置",
            f"{en.capitalize()} do not bring more orders: change the content or the spot",
        )
        action = both(
            "這個裝置吸引了互動卻沒有轉成訂單：在畫面上加入招牌商品與點餐 QR，或移到結帳動線上。",
            "The device draws attention but not orders: show star items and the order QR on "
            "it, or move it onto the way to the counter.",
        )
    else:
        title = both(
            f"有「{zh}」的時段訂單較多：把它放在更顯眼的位置",
            f"Hours with {en} sell more: give that device a better spot",
        )
        action = both(
            "把這個裝置放在更多人經過的地方，並在冷清時段主動邀客人使用。",
            "Put the device where more people pass and invite customers to use it in quiet hours.",
        )
    return AdviceDraft(
        kind="device_effect",
        expected_value_minor=0,  # association, not a measured cause: it is not priced
        title=title,
        body=both(
            f"過去 {days} 天，有{zh}的 {chosen.hours_with} 個小時平均每小時 "
            f"{chosen.orders_per_hour_with} 筆訂單，沒有的 {chosen.hours_without} 個小時為 "
            f"{chosen.orders_per_hour_without} 筆{lift_zh}。" + action["zh-Hant-TW"],
            f"In the last {days} days, the {chosen.hours_with} hours with {en} averaged "
            f"{chosen.orders_per_hour_with} orders an hour, the {chosen.hours_without} hours "
            f"without {chosen.orders_per_hour_without}{lift_en}. " + action["en"],
        ),
        expected_effect=both(
            f"以 {MEASURE_DAYS} 天內的訂單數衡量。", f"Measured by orders over {MEASURE_DAYS} days."
        ),
        evidence={
            "days": days,
            "interaction": chosen.interaction,
            "interactions_total": chosen.total,
            "hours_with": chosen.hours_with,
            "hours_without": chosen.hours_without,
            "orders_per_hour_with": chosen.orders_per_hour_with,
            "orders_per_hour_without": chosen.orders_per_hour_without,
            "lift_pct": lift,
            "lift_pct_size": size,
            "per_interaction": {
                e.interaction: {
                    "with": e.orders_per_hour_with,
                    "without": e.orders_per_hour_without,
                    "lift_pct": e.lift_pct,
                }
                for e in report.effects
            },
        },
        measurement={
            "metric": "orders",
            "baseline": round(orders_per_day * MEASURE_DAYS),
            "window_days": MEASURE_DAYS,
        },
        chart=bar_chart(
            [f"{e.interaction} {w}" for e in report.effects for w in ("with", "without")],
            [
                v
                for e in report.effects
                for v in (e.orders_per_hour_with, e.orders_per_hour_without)
            ],
            [2 * report.effects.index(chosen)],
            "orders/hour",
        ),
    )


def too_little_device_data(report: DeviceReport, days: int) -> AdviceDraft:
    views = report.funnel.views if report.funnel else 0
    return AdviceDraft(
        kind="device_not_enough_data",
        expected_value_minor=0,
        title=both("裝置資料還不夠，暫不評估裝置成效", "Not enough device data to judge devices"),
        body=both(
            f"過去 {days} 天只有 {report.device_hours} 個小時有裝置回報、{views} 次資訊機菜單瀏覽；"
            f"需要至少 {MIN_KIOSK_VIEWS} 次瀏覽，或有互動與無互動各 {MIN_HOURS} 個小時，"
            "才能判斷哪個畫面或裝置帶來訂單。",
            f"In the last {days} days devices reported in {report.device_hours} hours, with "
            f"{views} kiosk menu views; judging which screen or device brings orders needs "
            f"{MIN_KIOSK_VIEWS} views, or {MIN_HOURS} hours each with and without an "
            "interaction.",
        ),
        expected_effect=both("無", "None"),
        evidence={
            "days": days,
            "device_hours": report.device_hours,
            "menu_views": views,
            "views_needed": MIN_KIOSK_VIEWS,
            "hours_needed": MIN_HOURS,
        },
        measurement={"metric": "orders", "baseline": 0, "window_days": days},
    )
