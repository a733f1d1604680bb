"""The demo vouchers and reviews: offers on sale, the consumer's vouchers in each state, reviews
of the consumer's completed orders; and they work through the API like live ones."""

from __future__ import annotations

import uuid
from collections import Counter

from infra.bootstrap.seed_orders import seed_orders
from infra.bootstrap.seed_vouchers_reviews import REVIEWS_PER_SHOP, seed_vouchers_and_reviews


def _ids(kind: str, key: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"test/{kind}:{key}")


def test_seeded_vouchers_and_reviews(caller, world, db, request):  # type: ignore[no-untyped-def]
    request.getfixturevalue("menu")
    shops = {"shop-a": world.shop_a, "shop-b": world.shop_b, "shop-c": world.shop_c}
    db(lambda s: seed_orders(s, 2017, {"shop-a": world.shop_a}))
    offers, vouchers, reviews = db(lambda s: seed_vouchers_and_reviews(s, 2017, _ids, shops))

    # The first food shop of each street (A on X, B on Y) offers both food vouchers.
    assert (offers, vouchers) == (4, 4)
    assert 0 < reviews <= REVIEWS_PER_SHOP
    on_sale = caller(None).get(f"/api/shops/{world.shop_a}/voucher-offers").json()["offers"]
    assert len(on_sale) == 2 and all(o["price_minor"] < o["face_value_minor"] for o in on_sale)
    assert caller(None).get(f"/api/shops/{world.shop_c}/voucher-offers").json()["offers"] == []

    mine = caller("consumer@test.tw").get("/api/me/vouchers").json()["vouchers"]
    assert Counter(v["status"] for v in mine) == {
        "active": 2,
        "redeemed": 1,
        "pending_payment": 1,
    }
    active_a = next(
        v for v in mine if v["status"] == "active" and v["shop_id"] == str(world.shop_a)
    )
    redeemed = caller("staff.a@test.tw").post(
        f"/api/shops/{world.shop_a}/vouchers/redeem", json={"code": active_a["code"]}
    )
    assert redeemed.status_code == 200, redeemed.text

    page = caller(None).get(f"/api/shops/{world.shop_a}/reviews").json()
    assert page["count"] == reviews and 1 <= page["average"] <= 5
    assert page["listings"]
    # Seeded reviews count in the ratings search and listings show.
    found = caller(None).get("/api/search/shops", params={"sort": "rating"}).json()["items"]
    assert (found[0]["id"], found[0]["rating"], found[0]["rating_count"]) == (
        str(world.shop_a),
        page["average"],
        page["count"],
    )
