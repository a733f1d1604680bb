"""Languages, text size, page weight, the owner's pages and the order and payment pages,
through the test client (the browser suite drives the same pages in Chromium)."""

from __future__ import annotations

import re
import uuid

import pytest
from markupsafe import escape

from infra.bootstrap.seed import seed_demo
from infra.bootstrap.seed_data import DEMO_SHOP_SLUG, STREETS

PASSWORD = "onestreet-demo"  # the public demo password
PAGE_BUDGET = 100 * 1024


@pytest.fixture
def seeded(db):  # type: ignore[no-untyped-def]
    return db(lambda session: seed_demo(session, 2017))


def _sign_in(client, email: str) -> str:  # type: ignore[no-untyped-def]
    answer = client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return str(answer.json()["csrf_token"])


def _ids(client, slug: str) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    page = client.get(f"/shops/{slug}").text
    shop_id = re.search(r'id="cart"[^>]*data-shop="([0-9a-f-]{36})"', page)
    assert shop_id, "the shop page names its shop for the cart"
    return shop_id.group(1), re.findall(r'data-listing="([0-9a-f-]{36})"', page)


def test_language_follows_the_browser_can_be_switched_and_is_remembered(client, seeded):
    street = STREETS[0]
    shop = street.shops[4]
    page = client.get("/", headers={"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.8"}).text
    assert '<html lang="vi">' in page
    assert f"{len(street.shops)} cửa hàng" in page
    # Shop texts without a Vietnamese translation fall back to Traditional Chinese.
    page = client.get(f"/shops/{shop.slug}", headers={"Accept-Language": "vi"}).text
    assert shop.zh in page and "Sản phẩm và dịch vụ" in page

    switched = client.get(f"/streets/{street.slug}?lang=th")
    assert '<html lang="th">' in switched.text
    assert "onestreet_lang=th" in switched.headers["set-cookie"]
    again = client.get("/", headers={"Accept-Language": "en"})
    assert '<html lang="th">' in again.text, "the switch wins over the browser's language"
    assert client.get("/?lang=en").text.count('<html lang="en">') == 1
    assert "Farm and sea produce" in client.get(f"/streets/{street.slug}").text
    for code in ("id", "zh-Hant-TW"):
        assert f'<html lang="{code}">' in client.get(f"/?lang={code}").text

    large = client.get("/?text=large")
    assert '<body class="large">' in large.text
    assert '<body class="large">' in client.get(f"/shops/{shop.slug}").text
    assert escape(shop.en) in client.get(f"/shops/{shop.slug}").text


def test_every_consumer_page_stays_under_100_kb_with_its_scripts(client, seeded):
    shop_id, _listings = _ids(client, STREETS[0].shops[4].slug)
    csrf = _sign_in(client, "admin@demo.onestreet.tw")
    static = client.get(f"/api/shops/{shop_id}/payment-links/static", params={"tables": 1}).json()
    links = [re.sub(r"^https?://[^/]+", "", link["url"]) for link in static["links"]]
    client.post("/api/auth/logout", headers={"x-csrf-token": csrf})
    pages = ["/", f"/streets/{STREETS[0].slug}", f"/shops/{STREETS[0].shops[4].slug}", *links]
    pages += ["/login"]
    for url in pages:
        answer = client.get(url)
        assert answer.status_code == 200, url
        weight = len(answer.content)
        for script in re.findall(r'<script src="([^"]+)"', answer.text):
            weight += len(client.get(script).content)
        assert weight < PAGE_BUDGET, f"{url} weighs {weight} bytes"
        assert 'loading="lazy"' in answer.text or "<img" not in answer.text


def test_owner_pages_ask_to_sign_in_and_the_listing_form_keeps_what_was_typed(client, seeded):
    answer = client.get("/owner", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"].startswith("/owner/login?next=")
    shop_id, listings = _ids(client, DEMO_SHOP_SLUG)
    csrf = _sign_in(client, "owner@demo.onestreet.tw")
    assert client.get("/owner", follow_redirects=False).headers["location"] == (
        f"/owner/shops/{shop_id}"
    )
    assert 'id="board"' in client.get(f"/owner/shops/{shop_id}").text
    form_url = f"/owner/shops/{shop_id}/listings/{listings[0]}"
    form = client.get(form_url).text
    zh_name = re.search(r'id="name_zh-Hant-TW" [^>]*value="([^"]*)"', form).group(1)  # type: ignore[union-attr]
    fields = {"_csrf_token": csrf, "name_zh-Hant-TW": zh_name, "name_vi": "Kê thử", "price": "12x"}
    refused = client.post(form_url, data=fields, headers={"Accept-Language": "vi"})
    assert refused.status_code == 422
    assert "Nhập giá bằng số Đài tệ nguyên" in refused.text
    assert 'value="Kê thử"' in refused.text
    saved = client.post(form_url, data={**fields, "price": "150", "shown": "on"})
    assert saved.status_code == 200 and "saved=1" in str(saved.url)
    client.post("/api/auth/logout", headers={"x-csrf-token": csrf})
    page = client.get(f"/shops/{DEMO_SHOP_SLUG}?lang=vi").text
    assert "Kê thử" in page and "NT$150" in page
    # Another shop's console is not hers.
    _sign_in(client, "owner@demo.onestreet.tw")
    other_id, _ = _ids(client, STREETS[0].shops[0].slug)
    assert client.get(f"/owner/shops/{other_id}").status_code == 403


def test_order_status_and_the_pay_pages(client, seeded):
    shop_id, listings = _ids(client, DEMO_SHOP_SLUG)
    csrf = _sign_in(client, "admin@demo.onestreet.tw")
    # No weekly hours means open: the suite may run at any hour in Taipei.
    opened = client.put(
        f"/api/shops/{shop_id}/hours", json={"periods": []}, headers={"x-csrf-token": csrf}
    )
    assert opened.status_code == 200, opened.text
    client.post("/api/auth/logout", headers={"x-csrf-token": csrf})
    placed = client.post(
        f"/api/shops/{shop_id}/orders",
        json={"channel": "counter", "lines": [{"listing_id": listings[0], "quantity": 1}]},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert placed.status_code == 201, placed.text
    order = placed.json()
    status_url = f"/orders/{order['id']}?token={order['access_token']}"
    page = client.get(f"{status_url}&lang=en").text
    assert f'<p class="number">{order["number"]}</p>' in page
    assert f'href="/pay/order/{order["id"]}?token={order["access_token"]}"' in page
    polled = client.get(f"/orders/{order['id']}/status?token={order['access_token']}")
    assert polled.json()["status"] == "placed"
    pay = client.get(f"/pay/order/{order['id']}?token={order['access_token']}&lang=en").text
    assert 'value="sandbox"' in pay and 'id="fixed-amount"' in pay
    assert client.get("/p/not-a-real-token").status_code == 404
    # Without the order's key (or with a wrong one) the page refuses, the same for any id.
    for url in (f"/orders/{order['id']}", f"/orders/{order['id']}?token=x{order['access_token']}",
                f"/orders/{uuid.uuid4()}"):  # fmt: skip
        refused = client.get(f"{url}{'&' if '?' in url else '?'}lang=en")
        assert refused.status_code == 403, url
        assert "missing its key" in refused.text and 'class="number"' not in refused.text
    unpolled = client.get(f"/orders/{order['id']}/status")
    assert unpolled.status_code == 403
    assert unpolled.json()["error"]["code"] == "order_token_required"
