"""Browser journey at 360 px: a signed-in consumer scans a shop's dynamic code, sees her
points and their worth, pays part in points and the rest with the sandbox wallet, and the
receipt shows the points used; her balance drops by exactly those points."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from infra.bootstrap.seed_data import STREETS
from tests.browser.conftest import screenshot, sign_in
from tests.browser.helpers import api_as

ADMIN = "admin@demo.onestreet.tw"
CONSUMER = "consumer@demo.onestreet.tw"
SHOP = STREETS[0].shops[3]


def test_points_pay_part_and_the_receipt_says_so(live_server, browser):
    admin, consumer_api = api_as(live_server, ADMIN), api_as(live_server, CONSUMER)
    shop_page = browser.new_page()
    shop_page.goto(f"{live_server}/shops/{SHOP.slug}")
    shop_id = shop_page.get_attribute("#cart", "data-shop")
    shop_page.close()
    before = consumer_api.get("/api/me/loyalty").json()
    assert before["balance"] >= 20, "the demo consumer has points from the seed"
    issued = admin.post(
        f"/api/shops/{shop_id}/payment-links/",
        json={"amount_minor": 5000, "order_reference": "T-points"},
    ).json()
    link_path = re.sub(r"^https?://[^/]+", "", issued["url"])

    context = browser.new_context(locale="en-US", viewport={"width": 360, "height": 780})
    page = context.new_page()
    sign_in(page, live_server, CONSUMER, link_path)
    expect(page.locator("#points-balance")).to_contain_text(f"{before['balance']} points")
    page.fill("#points", "20")
    expect(page.locator("#points-rest")).to_have_text("Left to pay: NT$30")
    screenshot(page, "scan-to-pay-points")
    page.locator("#pay-button").dblclick()
    page.wait_for_url(re.compile(r"/pay/sandbox/"))
    page.click("[data-outcome=succeed]")
    page.wait_for_url(re.compile(r"/pay/receipt/"))
    expect(page.locator("#receipt-title")).to_have_text("Payment received", timeout=20000)
    expect(page.locator("#receipt-points-used")).to_have_text("Points used: 20")
    expect(page.locator("#receipt-amount")).to_have_text("NT$30")
    # Points are captured with the ones earned, by the same event: wait for those.
    earned = page.locator("#receipt-points")
    expect(earned).to_contain_text(re.compile(r"Points earned: \d+"), timeout=30000)
    points = int(re.findall(r"\d+", earned.inner_text())[-1])
    after = consumer_api.get("/api/me/loyalty").json()
    assert (after["balance"], after["held"]) == (before["balance"] - 20 + points, 0)
    context.close()
