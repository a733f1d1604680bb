"""Anonymous read-back: the placement answer's access token (or status URL) reads that order,
and its live status, without signing in; nothing else does."""

from __future__ import annotations

from tests.merchant_api.orders.conftest import counter_order, noodle_line, place


def test_an_anonymous_table_order_is_read_back_with_its_token(caller, world, menu) -> None:  # type: ignore[no-untyped-def]
    anonymous = caller(None)
    body = {"channel": "table_qr", "table": "A1", "lines": [noodle_line(menu)]}
    placed = place(anonymous, world.shop_a, body).json()
    token, url = placed["access_token"], placed["status_url"]
    assert token and len(token) >= 32
    assert url == f"/api/orders/{placed['id']}?token={token}"

    seen = anonymous.get(url)
    assert seen.status_code == 200, seen.text
    assert (seen.json()["id"], seen.json()["status"], seen.json()["table"]) == (
        placed["id"],
        "placed",
        "A1",
    )
    assert seen.json()["access_token"] is None  # shown once, at placement
    # The live status: the shop accepts, the phone sees it.
    staff = caller("staff.a@test.tw")
    moved = staff.post(f"/api/orders/{placed['id']}/transitions", json={"to": "accepted"})
    assert moved.status_code == 200, moved.text
    by_header = anonymous.get(f"/api/orders/{placed['id']}", headers={"X-Order-Token": token})
    assert by_header.json()["status"] == "accepted"
    assert [c["to_status"] for c in by_header.json()["history"]] == ["placed", "accepted"]


def test_without_the_right_token_anonymous_callers_see_nothing(caller, world, menu) -> None:  # type: ignore[no-untyped-def]
    anonymous = caller(None)
    first = place(anonymous, world.shop_a, counter_order(menu)).json()
    second = place(anonymous, world.shop_a, counter_order(menu)).json()
    assert anonymous.get(f"/api/orders/{first['id']}").status_code == 401
    wrong = anonymous.get(f"/api/orders/{first['id']}", params={"token": "x" * 32})
    assert wrong.status_code == 404
    # One order's token does not open another.
    other = anonymous.get(f"/api/orders/{second['id']}", params={"token": first["access_token"]})
    assert other.status_code == 404
    # A token reads; it never moves the order.
    cancel = anonymous.post(
        f"/api/orders/{first['id']}/transitions?token={first['access_token']}",
        json={"to": "cancelled"},
    )
    assert cancel.status_code == 401


def test_signed_in_orders_get_no_token_and_stay_private(caller, world, menu) -> None:  # type: ignore[no-untyped-def]
    mine = place(caller("consumer@test.tw"), world.shop_a, counter_order(menu)).json()
    assert mine["access_token"] is None and mine["status_url"] is None
    assert caller("consumer2@test.tw").get(f"/api/orders/{mine['id']}").status_code == 404
    assert caller(None).get(f"/api/orders/{mine['id']}").status_code == 401
