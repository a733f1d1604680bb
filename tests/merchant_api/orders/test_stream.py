"""The live order queue: events for new orders and state changes, resumable by event id."""

from __future__ import annotations

import json
import threading

from infra.db import utcnow
from merchant_api.catalog.models import Channel
from merchant_api.catalog.pricing import LineRequest
from merchant_api.orders.service import Actor, OrderService, PlaceOrder
from tests.merchant_api.orders.conftest import counter_order, place


def _read_stream(who, shop_id, *, seconds: int = 1, **kwargs):  # type: ignore[no-untyped-def]
    """Everything the stream sends until it closes itself after `seconds`: [(id, event, data)].

    (The test client waits for the app to finish the response, so reading stops at the
    stream's own `max_seconds`, not when the test has seen enough.)
    """
    who.client.cookies.clear()
    if who.cookie:
        who.client.cookies.set(who.cookie_name, who.cookie)
    params = {"max_seconds": seconds, **kwargs.pop("params", {})}
    url = f"/api/shops/{shop_id}/orders/stream"
    with who.client.stream("GET", url, params=params, **kwargs) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        text = response.read().decode()
    events = []
    for block in text.replace("\r\n", "\n").split("\n\n"):
        fields = dict(
            line.split(": ", 1) for line in block.splitlines() if ": " in line and line[0] != ":"
        )
        if "id" in fields:
            events.append((int(fields["id"]), fields["event"], json.loads(fields["data"])))
    return events


def test_the_stream_delivers_and_resumes_from_last_event_id(caller, world, menu) -> None:  # type: ignore[no-untyped-def]
    first = place(caller(None), world.shop_a, counter_order(menu)).json()
    second = place(caller(None), world.shop_a, counter_order(menu)).json()
    staff = caller("staff.a@test.tw")
    moved = staff.post(f"/api/orders/{first['id']}/transitions", json={"to": "accepted"})
    assert moved.status_code == 200

    events = _read_stream(staff, world.shop_a, params={"after": 0})
    assert [(seq, kind) for seq, kind, _ in events] == [
        (1, "order.placed"),
        (2, "order.placed"),
        (3, "order.status_changed"),
    ]
    assert events[1][2]["order"]["number"] == second["number"]
    assert (events[2][2]["from"], events[2][2]["to"]) == ("placed", "accepted")

    # A screen that dropped after event 1 gets 2 and 3, and what happened since, once each.
    staff.post(f"/api/orders/{second['id']}/transitions", json={"to": "cancelled"})
    resumed = _read_stream(staff, world.shop_a, headers={"Last-Event-ID": "1"})
    assert [seq for seq, _, _ in resumed] == [2, 3, 4]
    assert resumed[-1][2]["to"] == "cancelled"


def test_a_fresh_stream_starts_now_and_picks_up_orders_while_open(caller, world, menu, db) -> None:  # type: ignore[no-untyped-def]
    place(caller(None), world.shop_a, counter_order(menu))

    async def place_directly(session):  # type: ignore[no-untyped-def]
        placement = PlaceOrder(Channel.counter, [LineRequest(menu.millet, 1)])
        await OrderService(session).place(
            world.shop_a, placement, Actor(None, "anonymous"), utcnow()
        )

    staff = caller("staff.a@test.tw")
    # Without a cursor the stream starts now: the earlier order is not replayed.
    assert _read_stream(staff, world.shop_a) == []
    # The console's flow: list the orders, then stream from the list's cursor.
    cursor = staff.get(f"/api/shops/{world.shop_a}/orders").json()["cursor"]
    # Placed by another process while the stream is open and polling.
    timer = threading.Timer(0.3, lambda: db(place_directly))
    timer.start()
    events = _read_stream(staff, world.shop_a, seconds=3, params={"after": cursor})
    timer.join()
    assert [(seq, kind) for seq, kind, _ in events] == [(2, "order.placed")]
    assert events[0][2]["order"]["number"] == 2


def test_only_the_shops_own_people_read_its_queue(caller, world, menu) -> None:  # type: ignore[no-untyped-def]
    url = f"/api/shops/{world.shop_a}/orders/stream?max_seconds=1"
    assert caller("owner.b@test.tw").get(url).status_code == 403
    assert caller("consultant.x@test.tw").get(url).status_code == 403
    assert caller("consumer@test.tw").get(url).status_code == 403
    assert caller(None).get(url).status_code == 401
    bad = caller("staff.a@test.tw").get(url, headers={"Last-Event-ID": "abc"})
    assert bad.status_code == 422
