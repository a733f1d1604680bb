"""Browser journeys through payments: (a) a consumer orders at a table from its QR link, pays
with the sandbox wallet, sees the points earned, and sees the order turn ready when the shop
marks it in a second browser; (d) the scan-to-pay page survives a double tap, a lost answer
and a reload without a second charge."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from infra.bootstrap.seed_data import STREETS
from tests.browser.conftest import screenshot, sign_in
from tests.browser.helpers import api_as, open_all_day

ADMIN = "admin@demo.onestreet.tw"
CONSUMER = "consumer@demo.onestreet.tw"
FOOD_SHOP = STREETS[0].shops[4]  # 望安阿嬤小吃: food, so table orders and options


def _shop_id(browser, base: str) -> str:  # type: ignore[no-untyped-def]
    page = browser.new_page()
    page.goto(f"{base}/shops/{FOOD_SHOP.slug}")
    shop_id = page.get_attribute("#cart", "data-shop")
    page.close()
    return str(shop_id)


def test_table_order_paid_with_the_sandbox_turns_ready_live(live_server, browser):
    admin = api_as(live_server, ADMIN)
    shop_id = _shop_id(browser, live_server)
    open_all_day(live_server, shop_id)
    links = admin.get(f"/api/shops/{shop_id}/payment-links/static", params={"tables": 2}).json()
    table = next(link for link in links["links"] if link["spot"] == "table")
    table_path = re.sub(r"^https?://[^/]+", "", table["url"])

    consumer = browser.new_context(locale="zh-TW", viewport={"width": 360, "height": 780})
    page = consumer.new_page()
    sign_in(page, live_server, CONSUMER, table_path)
    expect(page.locator("#shop-name")).to_have_text(FOOD_SHOP.zh)
    screenshot(page, "scan-to-pay-table")
    page.click(f"text=在 {table['label']} 桌點餐")
    expect(page.locator(".ok")).to_contain_text(table["label"])
    screenshot(page, "shop-table-order")

    with_options = page.locator("form.add:has(fieldset):has(button[type=submit])")
    first, second = with_options.nth(0), with_options.nth(1)
    add_ons = first.locator("input[type=checkbox]")
    if add_ons.count():
        add_ons.first.check()
    first.locator("button[type=submit]").click()
    second.locator("input[name=quantity]").fill("2")
    second.locator("button[type=submit]").click()
    expect(page.locator("#cart-lines li")).to_have_count(2)
    # A reload keeps the cart (localStorage).
    page.reload()
    expect(page.locator("#cart-lines li")).to_have_count(2)
    page.click("#cart-submit")
    page.wait_for_function(
        "() => location.pathname.includes('/orders/')"
        " || !document.querySelector('#cart-error').hidden"
    )
    assert "/orders/" in page.url, page.text_content("#cart-error")
    order_url = page.url
    expect(page.locator("#status")).to_have_text("已送出")
    screenshot(page, "order-status")

    page.click("#pay")
    expect(page.locator("#fixed-amount")).to_be_visible()
    page.click("#pay-button")
    page.wait_for_url(re.compile(r"/pay/sandbox/"))
    screenshot(page, "sandbox-wallet")
    page.click("[data-outcome=succeed]")
    page.wait_for_url(re.compile(r"/pay/receipt/"))
    expect(page.locator("#receipt-title")).to_have_text("付款完成", timeout=20000)
    expect(page.locator("#receipt-points")).to_contain_text(
        re.compile(r"獲得點數：\d+"), timeout=30000
    )
    screenshot(page, "receipt")

    page.goto(order_url)
    expect(page.locator("#paid")).to_have_text("已付款", timeout=20000)
    kitchen = browser.new_context(locale="zh-TW")
    board = kitchen.new_page()
    sign_in(board, live_server, ADMIN, f"/owner/shops/{shop_id}")
    order_id = order_url.rsplit("/", 1)[1]
    card = board.locator(f"#order-{order_id}")
    for button in ("接單", "開始製作", "可取餐"):
        card.locator("button", has_text=button).click()
        board.wait_for_timeout(300)
    expect(board.locator(f'[data-status="ready"] #order-{order_id}')).to_be_visible()
    # The consumer's page follows without a reload.
    expect(page.locator("#status")).to_have_text("可取餐", timeout=15000)
    kitchen.close()
    consumer.close()


def test_scan_to_pay_survives_double_tap_lost_answer_and_reload(live_server, browser):
    admin = api_as(live_server, ADMIN)
    shop_id = _shop_id(browser, live_server)
    issued = admin.post(
        f"/api/shops/{shop_id}/payment-links/",
        json={"amount_minor": 43200, "order_reference": "T-double-tap"},
    ).json()
    link_path = re.sub(r"^https?://[^/]+", "", issued["url"])
    before = admin.get(f"/api/shops/{shop_id}/payments", params={"limit": 100}).json()["payments"]

    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 780})
    page = context.new_page()
    page.goto(f"{live_server}{link_path}")
    expect(page.locator("#fixed-amount")).to_have_text("NT$432")
    screenshot(page, "scan-to-pay-dynamic")

    # The first answer is lost on the way back: the server made the payment, the phone never
    # heard; the page keeps its key, and tapping again replays the same payment.
    lost = {"done": False}

    def lose_first_answer(route):  # type: ignore[no-untyped-def]
        if route.request.method == "POST" and not lost["done"]:
            lost["done"] = True
            route.fetch()
            route.abort()
        else:
            route.continue_()

    page.route("**/api/payments", lose_first_answer)
    page.locator("#pay-button").dblclick()
    expect(page.locator("#pay-error")).to_contain_text("not be charged twice")
    page.reload()
    page.locator("#pay-button").click()
    page.wait_for_url(re.compile(r"/pay/sandbox/"))
    page.click("[data-outcome=succeed]")
    expect(page.locator("#receipt-title")).to_have_text("Payment received", timeout=20000)
    page.reload()
    expect(page.locator("#receipt-title")).to_have_text("Payment received", timeout=20000)

    # The link again (a reload of the old tab): used, with the way back to the payment.
    page.goto(f"{live_server}{link_path}")
    expect(page.locator("#resume")).to_be_visible()
    after = admin.get(f"/api/shops/{shop_id}/payments", params={"limit": 100}).json()["payments"]
    new = [p for p in after if p["id"] not in {b["id"] for b in before}]
    assert len(new) == 1
    assert new[0]["amount"] == 43200 and new[0]["state"] == "succeeded"
    context.close()
