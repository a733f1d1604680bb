"""Every shop-scoped write endpoint the app registers, for every outsider.

The endpoints are read from the app's own route table, so a new endpoint under
/api/shops/{shop_id}/... that forgets its guard fails here without anyone listing it. The
callers are people of shop B, of street Y, consumers, the ministry and anonymous visitors,
all aimed at shop A (street X): every one of them must be refused before anything runs.
"""

from __future__ import annotations

import re
import uuid

import pytest

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
OUTSIDERS = [
    "owner.b@test.tw",  # owner of another shop
    "consultant.b@test.tw",  # consultant assigned to another shop
    "consumer@test.tw",
    "ministry@test.tw",
]
# Writes any visitor may make to any shop, on purpose: ordering from it. Who may order on
# which channel is tested in tests/merchant_api/orders.
PUBLIC_WRITES = {("POST", "/api/shops/{shop_id:uuid}/orders")}
# Reads that only the shop's people may make (everything else under a shop is its public menu).
PRIVATE_READS = (
    "/members",
    "/orders",
    "/orders/stream",
    "/invitations",
    "/vouchers",
    "/voucher-offers/all",
)
PARAM = re.compile(r"\{([a-z_]+)(?::([a-z]+))?\}")


def shop_write_routes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    found = set()
    for route in app.routes:
        if "{shop_id" not in route.path or not route.path.startswith("/api/"):
            continue
        for method in getattr(route, "methods", ()):
            private_read = method == "GET" and route.path.endswith(PRIVATE_READS)
            if (method in UNSAFE or private_read) and (method, route.path) not in PUBLIC_WRITES:
                found.add((method, route.path))
    return sorted(found)


def concrete(path: str, shop_id: uuid.UUID) -> str:
    def fill(match: re.Match[str]) -> str:
        name, kind = match.group(1), match.group(2)
        if name == "shop_id":
            return str(shop_id)
        if kind == "int":
            return "1"
        if kind == "date":
            return "2026-01-05"
        return str(uuid.uuid4())

    return PARAM.sub(fill, path)


def test_the_matrix_covers_the_shop_endpoints(app):
    routes = shop_write_routes(app)
    # Listings, hours, orders, vouchers, payment links, members: a guard-less registry would
    # make this test vacuous, so insist the table really is that wide.
    assert len(routes) >= 15, routes


@pytest.mark.parametrize("who", [None, *OUTSIDERS])
def test_outsiders_cannot_touch_another_shop(app, world, caller, who):
    person = caller(who)
    allowed = []
    for method, path in shop_write_routes(app):
        url = concrete(path, world.shop_a)
        body = {} if method != "GET" else None
        response = person.request(method, url, json=body)
        expected = {401, 403} if who is None else {403}
        if response.status_code not in expected:
            allowed.append((method, path, response.status_code, response.text[:120]))
    assert allowed == [], f"{who or 'anonymous'} was not refused: {allowed}"
