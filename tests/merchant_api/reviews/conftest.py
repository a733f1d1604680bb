"""Orders placed by consumers through the API and walked to completion by shop A's staff."""

from __future__ import annotations

from typing import Any

import pytest

from tests.merchant_api.orders.conftest import (  # noqa: F401  (fixtures)
    OTHER_CONSUMER,
    Menu,
    cheap_password_hashing,
    menu,
    noodle_line,
    place,
)

STEPS = ("accepted", "preparing", "ready", "completed")


@pytest.fixture
def order_for(caller, world, menu):  # type: ignore[no-untyped-def]  # noqa: F811
    """`order_for(email, lines, until="completed")`: the id of an order of shop A for that
    consumer, moved by staff through the states up to `until`."""

    def make(
        email: str = "consumer@test.tw",
        lines: list[dict[str, Any]] | None = None,
        until: str = "completed",
    ) -> str:
        body = {"channel": "counter", "lines": lines or [noodle_line(menu)]}
        placed = place(caller(email), world.shop_a, body)
        assert placed.status_code == 201, placed.text
        order_id = placed.json()["id"]
        staff = caller("staff.a@test.tw")
        for step in STEPS[: STEPS.index(until) + 1] if until != "placed" else ():
            moved = staff.post(f"/api/orders/{order_id}/transitions", json={"to": step})
            assert moved.status_code == 200, moved.text
        return order_id

    return make


def millet_line(menu: Menu) -> dict[str, Any]:  # noqa: F811
    return {"listing_id": str(menu.millet), "quantity": 1}


def review(caller, order_id: str, rating: int = 5, text: str | None = "好吃"):  # type: ignore[no-untyped-def]
    return caller.post(f"/api/orders/{order_id}/review", json={"rating": rating, "text": text})
