"""Concurrent buyers never oversell a limited offer; of concurrent redemptions one wins."""

from __future__ import annotations

import asyncio
import uuid

import sqlalchemy as sa

from infra.bootstrap.asgi import create_app
from merchant_api.vouchers.models import Voucher, VoucherOffer
from tests.conftest import run_async
from tests.merchant_api.vouchers.conftest import create_offer, signed_in_client


def _concurrently(settings, email: str, requests):  # type: ignore[no-untyped-def]
    """Send (method, url, json, headers) requests at once as `email`; the responses."""
    app = create_app(settings)

    async def go():  # type: ignore[no-untyped-def]
        client = await signed_in_client(app, email)
        try:
            return await asyncio.gather(
                *(
                    client.request(method, url, json=body, headers=headers)
                    for method, url, body, headers in requests
                )
            )
        finally:
            await client.aclose()
            await app.state.engine.dispose()

    return run_async(go)


def test_a_limited_offer_is_never_oversold(settings, caller, world, menu, db):  # type: ignore[no-untyped-def]
    offer = create_offer(caller("owner.a@test.tw"), world.shop_a, quantity_limit=3)
    url = f"/api/voucher-offers/{offer['id']}/purchase"
    requests = [("POST", url, None, {"Idempotency-Key": uuid.uuid4().hex}) for _ in range(10)]

    responses = _concurrently(settings, "consumer@test.tw", requests)

    codes = sorted(r.status_code for r in responses)
    assert codes == [201] * 3 + [409] * 7, [r.text for r in responses if r.status_code >= 500]
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {
        "voucher_sold_out"
    }
    assert db(lambda s: s.scalar(sa.select(VoucherOffer.sold_count))) == 3
    assert db(lambda s: s.scalar(sa.select(sa.func.count()).select_from(Voucher))) == 3


def test_the_per_consumer_limit_holds_under_concurrency(settings, caller, world, menu, db):  # type: ignore[no-untyped-def]
    offer = create_offer(caller("owner.a@test.tw"), world.shop_a, per_consumer_limit=2)
    url = f"/api/voucher-offers/{offer['id']}/purchase"
    requests = [("POST", url, None, {"Idempotency-Key": uuid.uuid4().hex}) for _ in range(6)]

    responses = _concurrently(settings, "consumer@test.tw", requests)

    assert sorted(r.status_code for r in responses) == [201] * 2 + [409] * 4
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {
        "voucher_limit_reached"
    }
    assert db(lambda s: s.scalar(sa.select(VoucherOffer.sold_count))) == 2


def test_concurrent_redemptions_redeem_once(settings, world, paid_voucher, events):  # type: ignore[no-untyped-def]
    url = f"/api/shops/{world.shop_a}/vouchers/redeem"
    requests = [("POST", url, {"code": paid_voucher["code"]}, {}) for _ in range(6)]

    responses = _concurrently(settings, "staff.a@test.tw", requests)

    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * 5, [r.text for r in responses if r.status_code >= 500]
    assert {r.json()["error"]["code"] for r in responses if r.status_code == 409} == {
        "voucher_already_redeemed"
    }
    assert len(events("voucher.redeemed")) == 1
