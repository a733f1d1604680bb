"""The kiosk as a paired device (code from the owner console, signed orders and heartbeats) and
storefront visits counted once per visitor, shop and day for the programme's use figures."""

from __future__ import annotations

import json
import re
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from infra.bootstrap.seed import seed_demo
from infra.bootstrap.seed_data import DEMO_SHOP_SLUG, STREETS
from merchant_api.devices.signing import sign_request
from merchant_api.programme.models import ProgrammeUse
from storefront.consumer.visits import VISITS_COOKIE

PASSWORD = "onestreet-demo"  # the public demo password
OWNER = "owner@demo.onestreet.tw"


@pytest.fixture
def seeded(db):  # type: ignore[no-untyped-def]
    return db(lambda session: seed_demo(session, 2017))


def _shop(client, slug: str) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    page = client.get(f"/shops/{slug}").text
    found = re.search(r'id="cart"[^>]*data-shop="([0-9a-f-]{36})"', page)
    assert found, "the shop page names its shop for the cart"
    return found.group(1), re.findall(r'data-listing="([0-9a-f-]{36})"', page)


def test_a_kiosk_pairs_with_the_owners_code_then_orders_and_beats_as_the_device(client, seeded):
    shop_id, listings = _shop(client, DEMO_SHOP_SLUG)
    # The tablet needs nobody signed in: the menu opens with the pairing dialog.
    kiosk = client.get(f"/kiosk/{shop_id}")
    assert kiosk.status_code == 200 and 'id="pairing"' in kiosk.text
    assert "data-csrf" not in kiosk.text

    login = client.post("/api/auth/login", json={"email": OWNER, "password": PASSWORD})
    csrf = login.json()["csrf_token"]
    hours = client.put(
        f"/api/shops/{shop_id}/hours", json={"periods": []}, headers={"x-csrf-token": csrf}
    )
    assert hours.status_code == 200, hours.text  # no weekly hours: open at any test hour
    assert 'id="pair-kiosk"' in client.get(f"/owner/shops/{shop_id}").text
    made = client.post(f"/owner/shops/{shop_id}/kiosk-pairing", data={"_csrf_token": csrf})
    assert made.status_code == 201, made.text
    code = re.search(r'id="pairing-code">([A-Z0-9]+)<', made.text).group(1)  # type: ignore[union-attr]

    client.cookies.clear()  # from here on the kiosk: no session at all
    paired = client.post("/api/devices/pair", json={"code": code, "app_version": "web-kiosk/1"})
    assert paired.status_code == 200, paired.text
    device = paired.json()
    assert device["shop_id"] == shop_id
    again = client.post("/api/devices/pair", json={"code": code})
    assert again.status_code == 401, "a pairing code works once"

    def signed(path: str, payload: object, nonce: str, **headers: str):  # type: ignore[no-untyped-def]
        body = json.dumps(payload).encode()
        signature = sign_request(
            device["secret"], device["credential_id"], "POST", path, body, nonce
        )
        all_headers = {**signature, "content-type": "application/json", **headers}
        return client.post(f"{path}?lang=en", content=body, headers=all_headers)

    orders = f"/api/shops/{shop_id}/orders"
    order = {"channel": "kiosk", "lines": [{"listing_id": listings[0], "quantity": 2}]}
    key = {"Idempotency-Key": str(uuid.uuid4())}
    first = signed(orders, order, "kiosk-nonce-0001", **key)
    assert first.status_code == 201, first.text
    assert first.json()["channel"] == "kiosk"
    # A replay after a dropped connection: signed afresh, same key, the same order.
    replay = signed(orders, order, "kiosk-nonce-0002", **key)
    assert replay.status_code == 201 and replay.json()["id"] == first.json()["id"]
    reused = signed(orders, order, "kiosk-nonce-0002", **{"Idempotency-Key": str(uuid.uuid4())})
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "device_nonce_replayed"
    unsigned = client.post(orders, json=order, headers={"Idempotency-Key": str(uuid.uuid4())})
    assert unsigned.status_code == 403, "a kiosk order needs the kiosk"

    beat = {
        "type": "heartbeat",
        "seq": 1,
        "time": datetime.now(UTC).isoformat(),
        "uptime_seconds": 60,
        "cpu_percent": 0,
        "memory_percent": 0,
        "app_version": "web-kiosk/1",
    }
    telemetry = f"/api/devices/{device['device_id']}/telemetry"
    assert signed(telemetry, [beat], "kiosk-nonce-0003").status_code == 200
    login = client.post("/api/auth/login", json={"email": OWNER, "password": PASSWORD})
    listed = client.get(f"/api/shops/{shop_id}/devices").json()
    mine = next(d for d in listed if d["id"] == device["device_id"])
    assert mine["online"] and mine["last_seen_at"] is not None


def test_a_storefront_visit_counts_once_per_visitor_shop_and_day(client, seeded, db):
    a, b = STREETS[0].shops[4].slug, STREETS[1].shops[0].slug

    def visits() -> dict[str, int]:
        async def count(session):  # type: ignore[no-untyped-def]
            rows = await session.execute(
                select(ProgrammeUse.shop_id, func.count())
                .where(ProgrammeUse.source == "storefront_visit")
                .group_by(ProgrammeUse.shop_id)
            )
            return {str(shop): n for shop, n in rows}

        return db(count)  # type: ignore[no-any-return]

    a_id, _ = _shop(client, a)
    assert visits() == {a_id: 1}
    second = client.get(f"/shops/{a}")
    assert VISITS_COOKIE not in second.headers.get("set-cookie", ""), "no write when counted"
    b_id, _ = _shop(client, b)
    assert visits() == {a_id: 1, b_id: 1}

    client.cookies.clear()  # another visitor
    client.get(f"/shops/{a}")
    assert visits() == {a_id: 2, b_id: 1}
    # Yesterday's cookie does not stop today's count; a crawler is no visitor.
    client.cookies.set(VISITS_COOKIE, f"20000101:{uuid.UUID(a_id).hex[:12]}")
    client.get(f"/shops/{a}")
    client.get(f"/shops/{b}", headers={"User-Agent": "Googlebot/2.1"})
    assert visits() == {a_id: 3, b_id: 1}
