"""Browser journeys that need only the catalogue and orders: (c) the owner edits a listing's
Vietnamese name and the Vietnamese storefront shows it; (b) a kiosk order taken offline is
replayed exactly once when the connection returns."""

from __future__ import annotations

from playwright.sync_api import expect

from infra.bootstrap.seed_data import DEMO_SHOP_SLUG
from tests.browser.conftest import screenshot, sign_in
from tests.browser.helpers import api_as, open_all_day

OWNER = "owner@demo.onestreet.tw"


def test_owner_edits_the_vietnamese_name_and_the_vietnamese_page_shows_it(live_server, browser):
    owner = browser.new_context(locale="zh-TW")
    page = owner.new_page()
    sign_in(page, live_server, OWNER, "/owner")
    # One shop: the console opens straight on its order board.
    expect(page.locator("#board")).to_be_visible()
    screenshot(page, "owner-board")
    page.click("text=商品")
    expect(page.locator("table a").first).to_be_visible()
    screenshot(page, "owner-listings")
    # The listing to rename: the first one a consumer can order on the shop's page.
    page.goto(f"{live_server}/shops/{DEMO_SHOP_SLUG}")
    shop_id = page.get_attribute("#cart", "data-shop")
    listing_id = page.locator("form.add").first.get_attribute("data-listing")
    page.goto(f"{live_server}/owner/shops/{shop_id}/listings/{listing_id}")
    expect(page.locator("#name_vi")).to_be_visible()
    # A bad price comes back with the reason next to the field and the typed name kept.
    page.fill("#name_vi", "Bánh kê Tjuabal")
    page.fill("#price", "abc")
    page.click("button[type=submit]")
    expect(page.locator("#price-error")).to_contain_text("新台幣")
    expect(page.locator("#name_vi")).to_have_value("Bánh kê Tjuabal")
    page.fill("#price", "180")
    page.click("button[type=submit]")
    expect(page.locator("[role=status]")).to_have_text("已儲存。")
    screenshot(page, "owner-listing-form")
    owner.close()

    visitor = browser.new_context(locale="vi-VN")
    shop = visitor.new_page()
    shop.goto(f"{live_server}/shops/{DEMO_SHOP_SLUG}")
    expect(shop.locator("html")).to_have_attribute("lang", "vi")
    renamed = shop.locator(f'form.add[data-listing="{listing_id}"]')
    expect(renamed.locator("strong").first).to_have_text("Bánh kê Tjuabal")
    expect(renamed.locator(".price")).to_have_text("NT$180")
    # Untranslated texts fall back to Chinese; the interface is Vietnamese.
    expect(shop.locator("h2", has_text="Sản phẩm và dịch vụ")).to_be_visible()
    screenshot(shop, "shop-vi")
    visitor.close()


def test_a_kiosk_order_taken_offline_is_sent_once_when_back_online(live_server, browser):
    api = api_as(live_server, OWNER)
    context = browser.new_context(locale="zh-TW", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    sign_in(page, live_server, OWNER, "/owner")
    # The owner makes a one-time code in the console; the kiosk takes it once and from then on
    # signs its orders as the paired device (no cookies: the owner's session places nothing).
    page.click("#pair-kiosk")
    code = page.text_content("#pairing-code").strip()  # type: ignore[union-attr]
    page.goto(f"{live_server}/owner")
    page.click("text=自助點餐機模式")
    expect(page.locator("#pairing")).to_be_visible()
    page.fill("#pair-code", code)
    page.click("#pair-form button[type=submit]")
    expect(page.locator("#pairing")).to_be_hidden()
    assert page.evaluate("JSON.parse(localStorage.getItem('onestreet.kiosk.device')).secret")
    expect(page.locator("#attract")).to_be_visible()
    screenshot(page, "kiosk-attract")
    page.click("#start")
    shop_id = page.get_attribute("#cart", "data-shop")
    open_all_day(live_server, shop_id)
    kiosk_orders = {"channel": "kiosk", "limit": 100}

    def order_ids() -> set[str]:
        found = api.get(f"/api/shops/{shop_id}/orders", params=kiosk_orders).json()["orders"]
        return {order["id"] for order in found}

    before = order_ids()

    page.locator("form.add:has(button[type=submit])").first.locator("button[type=submit]").click()
    expect(page.locator("#cart-lines li")).to_have_count(1)
    context.set_offline(True)
    page.click("#cart-submit")
    expect(page.locator("#offline")).to_be_visible()
    expect(page.locator("#done")).to_be_visible()
    expect(page.locator("#queued")).to_contain_text("1")
    screenshot(page, "kiosk-offline")
    queued = page.evaluate("Object.keys(localStorage).filter(k => k.includes('queue'))")
    assert queued, "the order waits in localStorage"
    assert order_ids() == before

    context.set_offline(False)
    expect(page.locator("#offline")).to_be_hidden(timeout=15000)
    expect(page.locator("#queued")).to_have_text("", timeout=15000)
    expect(page.locator("#done-number")).to_have_text(__import__("re").compile(r"^\d+$"))
    # A reload and a while longer send nothing again.
    page.reload()
    page.wait_for_timeout(1500)
    assert len(order_ids() - before) == 1
    context.close()
