"""Category and listing bonuses (the listing's share of an order's lines), the cross-street
stamp rally (awarded once per consumer), and per-shop redemption limits: defined through the
API, refused with stable codes when wrong, and applied when points are earned or redeemed."""

from __future__ import annotations

from datetime import timedelta

from infra.db import utcnow
from tests.merchant_api.orders.conftest import place
from tests.payments.loyalty.conftest import CONSUMER, balance, hold


def _problem(response) -> str:  # type: ignore[no-untyped-def]
    return response.json()["error"]["details"]["problems"][0]["key"]


def test_category_and_listing_bonuses_apply_to_an_orders_lines(
    caller, world, menu, payments, audit
):
    admin, owner = caller("admin@test.tw"), caller("owner.a@test.tw")
    url = "/api/loyalty/category-bonuses"
    assert (
        _problem(admin.request("PUT", url, json={"category": "bogus", "multiplier_pct": 150}))
        == "category"
    )
    bad = admin.request("PUT", url, json={"category": "food_and_drink", "multiplier_pct": 100})
    assert bad.status_code == 422 and _problem(bad) == "multiplier_pct"
    assert (
        caller(CONSUMER)
        .request("PUT", url, json={"category": "retail", "multiplier_pct": 150})
        .status_code
        == 403
    )
    ok = admin.request("PUT", url, json={"category": "food_and_drink", "multiplier_pct": 150})
    assert ok.status_code == 200, ok.text

    listing_url = f"/api/shops/{world.shop_a}/loyalty/listing-bonuses"
    other = owner.request(
        "PUT", listing_url, json={"listing_id": str(menu.tea_b), "multiplier_pct": 300}
    )
    assert other.status_code == 422 and _problem(other) == "listing_id"
    ok = owner.request(
        "PUT", listing_url, json={"listing_id": str(menu.millet), "multiplier_pct": 300}
    )
    assert ok.status_code == 200, ok.text

    order = place(
        owner,
        world.shop_a,
        {"channel": "counter", "lines": [{"listing_id": str(menu.millet), "quantity": 2}]},
    )
    assert order.status_code == 201, order.text
    payments.succeeded(world.shop_a, CONSUMER, 36000, order_id=order.json()["id"])
    # 12 base + 6 category (x1.5) + 24 listing (x3 on 12) + 10 first visit
    assert balance(caller)["balance"] == 52
    audit()


def test_a_stamp_rally_pays_its_bonus_once(caller, world, payments, audit):
    admin, now = caller("admin@test.tw"), utcnow()
    body = {
        "name": "兩街集章",
        "counts": "streets",
        "required": 2,
        "bonus_points": 50,
        "starts_at": (now - timedelta(days=1)).isoformat(),
        "ends_at": (now + timedelta(days=6)).isoformat(),
    }
    assert _problem(admin.post("/api/loyalty/rallies", json={**body, "required": 1})) == "required"
    assert (
        _problem(admin.post("/api/loyalty/rallies", json={**body, "counts": "towns"})) == "counts"
    )
    assert caller("owner.a@test.tw").post("/api/loyalty/rallies", json=body).status_code == 403
    assert caller("consultant.x@test.tw").post("/api/loyalty/rallies", json=body).status_code == 201
    payments.succeeded(world.shop_a, CONSUMER, 30000)  # street X: 10 + 10 first visit
    payments.succeeded(world.shop_c, CONSUMER, 30000)  # street X again: no new stamp
    assert balance(caller)["balance"] == 40
    payments.succeeded(world.shop_b, CONSUMER, 30000)  # street Y: the second street
    assert balance(caller)["balance"] == 40 + 20 + 50
    payments.succeeded(world.shop_b, CONSUMER, 30000)
    payments.succeeded(world.shop_a, CONSUMER, 30000)
    assert balance(caller)["balance"] == 110 + 10 + 10  # the bonus came once
    audit()


def test_a_shop_redemption_limit_refuses_what_is_over_it(caller, world, payments, audit):
    payments.succeeded(world.shop_a, CONSUMER, 30000)  # 20 points
    url = f"/api/shops/{world.shop_b}/loyalty/redemption-limit"
    admin = caller("admin@test.tw")
    assert (
        _problem(admin.request("PUT", url, json={"max_points_per_day": 0})) == "max_points_per_day"
    )
    assert (
        caller("owner.b@test.tw").request("PUT", url, json={"max_points_per_day": 99}).status_code
        == 403
    )
    limit = {"max_points_per_redemption": 5, "max_points_per_day": 8}
    assert admin.request("PUT", url, json=limit).status_code == 200
    too_big = hold(caller, world.shop_b, 6)
    assert too_big.status_code == 409
    assert too_big.json()["error"]["code"] == "shop_redemption_limited"
    assert hold(caller, world.shop_b, 5).status_code == 201
    assert hold(caller, world.shop_b, 5).json()["error"]["code"] == "shop_redemption_limited"
    assert hold(caller, world.shop_b, 3).status_code == 201
    assert hold(caller, world.shop_a, 6).status_code == 201  # other shops are not limited
    wallet = balance(caller)
    assert (wallet["balance"], wallet["held"]) == (6, 14)
    audit()


def test_a_rally_bonus_is_outside_the_daily_earning_cap(caller, world, payments, audit):
    now = utcnow()
    rally = {
        "name": "兩街集章",
        "counts": "streets",
        "required": 2,
        "bonus_points": 450,
        "starts_at": (now - timedelta(days=1)).isoformat(),
        "ends_at": (now + timedelta(days=6)).isoformat(),
    }
    assert caller("admin@test.tw").post("/api/loyalty/rallies", json=rally).status_code == 201
    payments.succeeded(world.shop_a, CONSUMER, 30000)  # street X: 10 + 10 first visit
    payments.succeeded(world.shop_b, CONSUMER, 30000)  # street Y: 20, and the rally's 450
    assert balance(caller)["balance"] == 490
    # The daily cap (500) counts the 40 earned, not the rally bonus: 460 may still be earned.
    payments.succeeded(world.shop_c, CONSUMER, 600000)  # 200 + 10 first visit
    assert balance(caller)["balance"] == 700
    payments.succeeded(world.shop_a, CONSUMER, 1500000)  # 500 wanted, the cap leaves 250
    assert balance(caller)["balance"] == 950
    audit()
