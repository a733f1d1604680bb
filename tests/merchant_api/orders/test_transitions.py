"""The state machine on the server: allowed moves, refused moves, actors, stock on cancel."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from infra.db import utcnow
from infra.outbox import Event
from infra.outbox.models import OutboxEvent
from merchant_api.catalog.models import Listing
from merchant_api.orders.tasks import mark_order_paid
from tests.merchant_api.orders.conftest import place


def _move(caller, order_id, to, reason=None):  # type: ignore[no-untyped-def]
    return caller.post(f"/api/orders/{order_id}/transitions", json={"to": to, "reason": reason})


def _millet_order(caller, world, menu, quantity=2):  # type: ignore[no-untyped-def]
    body = {"channel": "counter", "lines": [{"listing_id": str(menu.millet), "quantity": quantity}]}
    response = place(caller("consumer@test.tw"), world.shop_a, body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_the_shop_walks_an_order_to_completion_with_actors_recorded(
    caller, world, menu, db
) -> None:  # type: ignore[no-untyped-def]
    order_id = _millet_order(caller, world, menu)
    staff, owner = caller("staff.a@test.tw"), caller("owner.a@test.tw")
    assert _move(staff, order_id, "accepted").status_code == 200
    assert _move(staff, order_id, "preparing").status_code == 200
    assert _move(owner, order_id, "ready", "shelf 2").status_code == 200
    done = _move(owner, order_id, "completed")
    assert done.status_code == 200, done.text
    history = done.json()["history"]
    assert [(h["from_status"], h["to_status"]) for h in history] == [
        (None, "placed"),
        ("placed", "accepted"),
        ("accepted", "preparing"),
        ("preparing", "ready"),
        ("ready", "completed"),
    ]
    assert history[1]["actor_account_id"] == str(world.accounts["staff.a@test.tw"])
    assert history[3]["actor_account_id"] == str(world.accounts["owner.a@test.tw"])
    assert history[3]["reason"] == "shelf 2"
    assert {h["actor_kind"] for h in history[1:]} == {"staff"}
    events = db(lambda s: s.scalars(select(OutboxEvent.event_type)))
    assert sorted(events) == ["order.placed"] + ["order.status_changed"] * 4
    # Completed orders cannot be cancelled (only refunded).
    response = _move(owner, order_id, "cancelled")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert response.json()["error"]["details"]["allowed"] == ["refunded"]


def test_skipping_states_is_refused(caller, world, menu) -> None:  # type: ignore[no-untyped-def]
    order_id = _millet_order(caller, world, menu)
    response = _move(caller("staff.a@test.tw"), order_id, "ready")
    assert (response.status_code, response.json()["error"]["code"]) == (409, "invalid_transition")
    assert _move(caller("staff.a@test.tw"), order_id, "shipped").status_code == 422


def test_cancellation_releases_stock(caller, world, menu, db) -> None:  # type: ignore[no-untyped-def]
    order_id = _millet_order(caller, world, menu, quantity=3)
    stock = lambda: db(lambda s: s.scalar(select(Listing.stock).where(Listing.id == menu.millet)))  # noqa: E731
    assert stock() == 2
    staff = caller("staff.a@test.tw")
    assert _move(staff, order_id, "accepted").status_code == 200
    response = _move(staff, order_id, "cancelled", "out of millet flour")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert stock() == 5
    # Cancelling twice never returns the units twice.
    assert _move(staff, order_id, "cancelled").status_code == 409
    assert stock() == 5


def test_consumers_cancel_their_own_order_only_while_placed(caller, world, menu) -> None:  # type: ignore[no-untyped-def]
    consumer = caller("consumer@test.tw")
    first = _millet_order(caller, world, menu, quantity=1)
    assert _move(consumer, first, "accepted").status_code == 403
    cancelled = _move(consumer, first, "cancelled", "changed my mind")
    assert cancelled.status_code == 200
    assert cancelled.json()["history"][-1]["actor_kind"] == "consumer"
    second = _millet_order(caller, world, menu, quantity=1)
    assert _move(caller("staff.a@test.tw"), second, "accepted").status_code == 200
    assert _move(consumer, second, "cancelled").status_code == 403
    # Another consumer cannot even see it.
    assert _move(caller("consumer2@test.tw"), second, "cancelled").status_code == 404


def test_consultants_read_but_do_not_move_and_other_shops_cannot_touch(caller, world, menu) -> None:  # type: ignore[no-untyped-def]
    order_id = _millet_order(caller, world, menu, quantity=1)
    consultant = caller("consultant.x@test.tw")
    assert consultant.get(f"/api/orders/{order_id}").status_code == 200
    assert _move(consultant, order_id, "accepted").status_code == 403
    owner_b = caller("owner.b@test.tw")
    assert owner_b.get(f"/api/orders/{order_id}").status_code == 404
    assert _move(owner_b, order_id, "accepted").status_code == 404
    assert caller("consultant.b@test.tw").get(f"/api/orders/{order_id}").status_code == 404


def test_a_paid_order_can_be_refunded_before_completion(caller, world, menu, db) -> None:  # type: ignore[no-untyped-def]
    order_id = _millet_order(caller, world, menu, quantity=1)
    owner = caller("owner.a@test.tw")
    assert _move(owner, order_id, "refunded").status_code == 409  # not paid yet

    async def pay(session):  # type: ignore[no-untyped-def]
        event = Event(
            uuid.uuid4(), "payments.payment_succeeded", {"order_id": order_id}, None, utcnow()
        )
        await mark_order_paid(session, event)
        await mark_order_paid(session, event)  # handlers may run twice

    db(pay)
    assert owner.get(f"/api/orders/{order_id}").json()["paid"] is True
    refunded = _move(owner, order_id, "refunded", "customer left")
    assert refunded.status_code == 200
    assert refunded.json()["status"] == "refunded"
