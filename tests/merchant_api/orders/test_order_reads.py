"""Who reads which orders: consumers their own, shops theirs, filtered and paginated."""

from __future__ import annotations

from tests.merchant_api.orders.conftest import counter_order, noodle_line, place


def test_consumers_see_only_their_own_orders(caller, world, menu) -> None:  # type: ignore[no-untyped-def]
    mine = place(caller("consumer@test.tw"), world.shop_a, counter_order(menu)).json()
    theirs = place(caller("consumer2@test.tw"), world.shop_a, counter_order(menu)).json()
    consumer = caller("consumer@test.tw")
    listed = consumer.get("/api/me/orders").json()
    assert [o["id"] for o in listed["orders"]] == [mine["id"]]
    assert consumer.get(f"/api/orders/{mine['id']}").status_code == 200
    assert consumer.get(f"/api/orders/{theirs['id']}").status_code == 404
    assert consumer.get(f"/api/shops/{world.shop_a}/orders").status_code == 403
    assert caller(None).get(f"/api/orders/{mine['id']}").status_code == 401


def test_shop_lists_filter_and_paginate_and_stay_in_their_shop(caller, world, menu) -> None:  # type: ignore[no-untyped-def]
    anonymous = caller(None)
    for _ in range(3):
        assert place(anonymous, world.shop_a, counter_order(menu)).status_code == 201
    table = {"channel": "table_qr", "table": "7", "lines": [noodle_line(menu)]}
    assert place(anonymous, world.shop_a, table).status_code == 201
    staff = caller("staff.a@test.tw")
    url = f"/api/shops/{world.shop_a}/orders"
    page = staff.get(url, params={"limit": 3}).json()
    assert (len(page["orders"]), page["has_more"], page["cursor"]) == (3, True, 4)
    assert page["orders"][0]["channel"] == "table_qr"  # newest first
    rest = staff.get(url, params={"limit": 3, "offset": 3}).json()
    assert (len(rest["orders"]), rest["has_more"]) == (1, False)
    tables = staff.get(url, params={"channel": "table_qr"}).json()["orders"]
    assert [o["table"] for o in tables] == ["7"]
    assert staff.get(url, params={"status": "completed"}).json()["orders"] == []
    today = page["orders"][0]["business_date"]
    assert len(staff.get(url, params={"date_from": today, "date_to": today}).json()["orders"]) == 4
    assert len(staff.get(url, params={"date_to": "2020-01-01"}).json()["orders"]) == 0
    assert staff.get(url, params={"limit": 500}).status_code == 422
    assert caller("consultant.x@test.tw").get(url).status_code == 200
    assert caller("owner.b@test.tw").get(url).status_code == 403
