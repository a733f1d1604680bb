"""The scan-to-pay page as a consumer uses it: the order's key, points (balance, partial and
whole redemption, a repeated tap), and the hand-off to TWQR and EMVCo wallets ending on the
acquirer's signed callback. Outbox events are delivered by the test, with the real handlers."""

from __future__ import annotations

import html
import json
import re
import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from merchant_api.programme.backfill import backfill_facts
from payments.callbacks.signature import sign
from payments.intents.config import derived_secret
from payments.loyalty.audit import LedgerAudit
from payments.providers.emvco import parse_payload
from payments.providers.twqr import parse_uri
from tests.merchant_api.conftest import caller, world  # noqa: F401  (fixtures)
from tests.payments.intents.conftest import (  # noqa: F401  (fixtures)
    CONSUMER,
    OWNER,
    cheap_password_hashing,
    confirm,
    counter_order,
    menu,
    order,
    outbox,
    pay,
    place,
    settings,
)


def _static_link(caller, shop_id) -> str:  # type: ignore[no-untyped-def]  # noqa: F811
    links = caller(OWNER).get(f"/api/shops/{shop_id}/payment-links/static")
    assert links.status_code == 200, links.text
    return str(links.json()["links"][0]["token"])


def _balance(consumer) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    wallet = consumer.get("/api/me/loyalty").json()
    return wallet["balance"], wallet["held"]


def _earn(consumer, shop_id, outbox) -> int:  # type: ignore[no-untyped-def]  # noqa: F811
    """Points from an ordinary NT$3,000 payment; returns the balance afterwards."""
    paid = pay(consumer, {"shop_id": str(shop_id), "amount": 300000, "method": "sandbox"})
    assert confirm(consumer, paid.json()["id"]).status_code == 200
    outbox.relay.run_once()
    balance, _held = _balance(consumer)
    assert balance > 100
    return balance


def _pay_points(consumer, body: dict[str, Any], key: str):  # type: ignore[no-untyped-def]
    return consumer.post("/pay/points", json=body, headers={"Idempotency-Key": key})


def test_paying_for_an_order_needs_its_key_or_its_owner(caller, world, menu, order):  # type: ignore[no-untyped-def]  # noqa: F811
    anonymous = caller(None)
    placed = place(anonymous, world.shop_a, counter_order(menu))
    assert placed.status_code == 201, placed.text
    walk_in = placed.json()
    for url in (f"/pay/order/{walk_in['id']}", f"/pay/order/{walk_in['id']}?token=x"):
        refused = anonymous.get(url)
        assert refused.status_code == 403
        assert 'data-code="order_token_required"' in refused.text
        assert 'id="pay-form"' not in refused.text
    page = anonymous.get(f"/pay/order/{walk_in['id']}?token={walk_in['access_token']}")
    assert page.status_code == 200 and 'id="fixed-amount"' in page.text
    # The consumer who placed an order pays for it signed in; another consumer may not.
    assert caller(CONSUMER).get(f"/pay/order/{order['id']}").status_code == 200
    assert anonymous.get(f"/pay/order/{order['id']}").status_code == 403
    # The order page's pay button keeps the key.
    status_page = anonymous.get(f"/orders/{walk_in['id']}?token={walk_in['access_token']}")
    assert f"/pay/order/{walk_in['id']}?token={walk_in['access_token']}" in status_page.text


def test_points_pay_part_or_all_and_a_double_tap_once(caller, world, db, outbox, order):  # type: ignore[no-untyped-def]  # noqa: F811
    consumer, shop = caller(CONSUMER), str(world.shop_a)
    balance = _earn(consumer, world.shop_a, outbox)
    token = _static_link(caller, world.shop_a)
    page = consumer.get(f"/p/{token}?lang=en").text
    assert f"You have {balance} points, worth NT${balance:,}" in page
    assert 'id="points"' in page and 'for="points"' in page
    assert 'id="points-box"' not in caller(None).get(f"/p/{token}?lang=en").text

    # NT$100 at the counter's static code: 30 points and NT$70 by the demo wallet.
    body = {"shop_id": shop, "amount": 10000, "points": 30, "method": "sandbox",
            "link_token": token}  # fmt: skip
    key = uuid.uuid4().hex
    first = _pay_points(consumer, body, key)
    assert first.status_code == 201, first.text
    again = _pay_points(consumer, body, key)  # the double tap, or the reload
    assert again.status_code == 201 and again.json() == first.json()
    payment = first.json()
    assert payment["amount"] == 7000 and payment["points"] == 30
    assert _balance(consumer) == (balance - 30, 30)
    assert confirm(consumer, payment["id"]).status_code == 200
    outbox.relay.run_once()
    receipt = consumer.get(f"/pay/receipt/{payment['id']}/status").json()
    assert receipt["state"] == "succeeded" and receipt["points_used"] == 30
    earned = receipt["points"]
    assert earned is not None and earned >= 2  # on the NT$70 paid in money
    after = balance - 30 + earned
    assert _balance(consumer) == (after, 0)

    # Points worth the whole NT$20: no provider, a receipt of points.
    whole = _pay_points(consumer, {"shop_id": shop, "amount": 2000, "points": 20,
                                   "link_token": token}, uuid.uuid4().hex)  # fmt: skip
    assert whole.status_code == 201, whole.text
    assert whole.json()["id"] is None
    shown = consumer.get(f"{whole.json()['next']}?lang=en")
    assert shown.status_code == 200 and "Paid with 20 points." in shown.text
    assert caller(OWNER).get(whole.json()["next"]).status_code == 404
    assert caller(None).get(whole.json()["next"]).status_code == 404
    assert _balance(consumer) == (after - 20, 0)

    # An order (NT$140): 40 points, NT$100 by the wallet; the order becomes paid.
    assert 'id="points"' in consumer.get(f"/pay/order/{order['id']}").text
    for_order = {"shop_id": shop, "amount": order["total_minor"], "points": 40,
                 "method": "sandbox", "order_id": order["id"]}  # fmt: skip
    paid = _pay_points(consumer, for_order, uuid.uuid4().hex)
    assert paid.status_code == 201, paid.text
    assert paid.json()["amount"] == order["total_minor"] - 4000
    assert confirm(consumer, paid.json()["id"]).status_code == 200
    outbox.relay.run_once()
    assert consumer.get(f"/api/orders/{order['id']}").json()["paid"] is True
    earned_too = consumer.get(f"/pay/receipt/{paid.json()['id']}/status").json()["points"]
    assert _balance(consumer) == (after - 20 - 40 + earned_too, 0)

    # Refused, with nothing held and no payment left: more points than the amount is worth,
    # or than she has (the payment for the rest was made first, and goes with the refusal).
    payments = f"/api/shops/{shop}/payments?limit=100"
    made = len(caller(OWNER).get(payments).json()["payments"])
    for points, amount in ((11, 1000), (2000, 300000)):
        wrong = {**body, "amount": amount, "points": points}
        refused = _pay_points(consumer, wrong, uuid.uuid4().hex)
        assert 400 <= refused.status_code < 500, refused.text
    assert len(caller(OWNER).get(payments).json()["payments"]) == made
    unlinked = {"shop_id": shop, "amount": 2000, "points": 20}
    refused = _pay_points(consumer, unlinked, uuid.uuid4().hex)
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "points_invalid"
    assert _balance(consumer)[1] == 0
    # The public API takes money only: a discount needs points held by this page.
    assert pay(consumer, {**body, "points_redeemed": 30}).status_code == 422
    report = db(lambda session: LedgerAudit(session).run())
    assert report.ok, report


def test_a_whole_order_paid_in_points_once(caller, world, db, outbox, menu, order):  # type: ignore[no-untyped-def]  # noqa: F811
    consumer, owner, shop = caller(CONSUMER), caller(OWNER), str(world.shop_a)
    balance = _earn(consumer, world.shop_a, outbox)
    total, order_url = order["total_minor"], f"/api/orders/{order['id']}"
    body = {"shop_id": shop, "amount": total, "points": total // 100, "order_id": order["id"]}
    # Too few points for NT$140: refused, the order unpaid, nothing held.
    assert balance < body["points"]
    short = _pay_points(consumer, body, uuid.uuid4().hex)
    assert short.status_code == 409 and short.json()["error"]["code"] == "insufficient_points"
    assert consumer.get(order_url).json()["paid"] is False
    assert _balance(consumer) == (balance, 0)
    # A walk-in's order without its key is not hers to pay.
    walk_in = place(caller(None), world.shop_a, counter_order(menu)).json()
    other = {**body, "order_id": walk_in["id"], "amount": walk_in["total_minor"]}
    refused = _pay_points(consumer, other, uuid.uuid4().hex)
    assert refused.json()["error"]["code"] == "order_token_required"

    balance = _earn(consumer, world.shop_a, outbox)
    page = consumer.get(f"/pay/order/{order['id']}").text
    assert f'data-points-usable="{body["points"]}"' in page
    key = uuid.uuid4().hex
    first = _pay_points(consumer, body, key)
    assert first.status_code == 201, first.text
    assert _pay_points(consumer, body, key).json() == first.json()  # the reload: same answer
    assert _balance(consumer) == (balance - body["points"], 0)
    assert owner.get(order_url).json()["paid"] is True  # at once, not after the relay
    receipt = consumer.get(f"{first.json()['next']}?lang=en").text
    assert f"Paid with {body['points']} points." in receipt and 'id="receipt-order"' in receipt
    # Another attempt, in points or in money, finds it paid.
    again = _pay_points(consumer, body, uuid.uuid4().hex)
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_paid"
    money = {"shop_id": shop, "amount": total, "method": "sandbox", "order_id": order["id"]}
    assert pay(consumer, money).status_code == 409
    assert _balance(consumer) == (balance - body["points"], 0)
    # Counted as business paid with points, once, however often the event is delivered.
    outbox.relay.run_once()
    outbox.relay.run_once()
    card = owner.get(f"/api/programme/shops/{shop}/scorecard").json()
    assert card["points"]["points_redeemed_last_30_days"] == body["points"]

    async def points_business(session):  # type: ignore[no-untyped-def]
        query = "SELECT source_ref, amount_minor FROM programme_business WHERE method = 'points'"
        return [tuple(row) for row in await session.execute(sa.text(query))]

    receipt_of = f"points:{first.json()['next'].rsplit('/', 1)[1]}"  # traced to the hold
    assert db(points_business) == [(receipt_of, total)]
    db(backfill_facts)  # rebuilding the facts from the records finds the same one
    assert db(points_business) == [(receipt_of, total)]
    report = db(lambda session: LedgerAudit(session).run())
    assert report.ok, report
    # The shop cancels the order: the points come back, once, to a balanced ledger.
    cancelled = owner.post(f"{order_url}/transitions", json={"to": "cancelled"})
    assert cancelled.status_code == 200, cancelled.text
    outbox.relay.run_once()
    outbox.relay.run_once()
    assert _balance(consumer) == (balance, 0)
    assert db(lambda session: LedgerAudit(session).run()).ok


def test_a_failed_payment_gives_held_points_back(caller, world, outbox):  # type: ignore[no-untyped-def]  # noqa: F811
    consumer = caller(CONSUMER)
    balance = _earn(consumer, world.shop_a, outbox)
    body = {"shop_id": str(world.shop_a), "amount": 5000, "points": 10, "method": "sandbox",
            "link_token": _static_link(caller, world.shop_a)}  # fmt: skip
    started = _pay_points(consumer, body, uuid.uuid4().hex)
    assert started.status_code == 201, started.text
    assert _balance(consumer) == (balance - 10, 10)
    assert confirm(consumer, started.json()["id"], "fail").status_code == 200
    outbox.relay.run_once()
    assert _balance(consumer) == (balance, 0)


def _callback(settings, payment: dict[str, Any], order_no: str) -> tuple[bytes, str]:  # type: ignore[no-untyped-def]  # noqa: F811
    body = json.dumps(
        {
            "transaction_id": f"T-{uuid.uuid4().hex[:8]}",
            "order_no": order_no,
            "status": "succeeded",
            "amount": payment["amount"],
            "occurred_at": datetime.now(UTC).isoformat(),
        }
    ).encode()
    secret = derived_secret("", settings.auth.secret_key, "twqr-callback")
    return body, sign(secret, body)


def test_wallet_hand_off_shows_the_qr_and_waits(caller, world, settings, outbox):  # type: ignore[no-untyped-def]  # noqa: F811
    owner, anonymous = caller(OWNER), caller(None)
    chosen = owner.patch(
        f"/api/shops/{world.shop_a}", json={"payment_methods": ["cash", "twqr", "vietqr"]}
    )
    assert chosen.status_code == 200, chosen.text
    token = _static_link(caller, world.shop_a)
    page = anonymous.get(f"/p/{token}?lang=en").text
    assert 'value="twqr"' in page and 'value="vietqr"' in page and 'value="qris"' not in page

    # What pay.js sends for the TWQR choice, then the page it goes to.
    created = pay(anonymous, {"shop_id": str(world.shop_a), "amount": 8800, "method": "twqr",
                              "link_token": token})  # fmt: skip
    assert created.status_code == 201, created.text
    payment = created.json()
    wallet = anonymous.get(f"/pay/wallet/{payment['id']}?lang=en")
    assert wallet.status_code == 200 and "<svg" in wallet.text
    payload = html.unescape(re.search(r'data-payload="([^"]+)"', wallet.text).group(1))  # type: ignore[union-attr]
    twqr = parse_uri(payload)
    assert twqr.amount_minor == 8800  # type: ignore[union-attr]
    assert f'id="wallet-app" href="{html.escape(payload)}"' in wallet.text
    assert payload.upper().startswith("TWQRP://")
    secret = {"X-Client-Secret": payment["client_secret"]}
    status = f"/pay/receipt/{payment['id']}/status"
    assert anonymous.get(status, headers=secret).json()["state"] == "requires_action"
    body, signature = _callback(settings, payment, twqr.order_no)
    answer = anonymous.post(
        "/api/payments/callbacks/twqr",
        content=body,
        headers={"X-Signature": signature, "Content-Type": "application/json"},
    )
    assert answer.status_code == 200, answer.text
    outbox.relay.run_once()
    assert anonymous.get(status, headers=secret).json()["state"] == "succeeded"

    # An EMVCo wallet: the same page, a payload our parser reads back, no app link.
    viet = pay(anonymous, {"shop_id": str(world.shop_a), "amount": 4200, "method": "vietqr"})
    shown = anonymous.get(f"/pay/wallet/{viet.json()['id']}").text
    emv = html.unescape(re.search(r'data-payload="([^"]+)"', shown).group(1))  # type: ignore[union-attr]
    assert parse_payload(emv).amount_minor == 4200 and 'id="wallet-app"' not in shown
    assert anonymous.get(f"/pay/wallet/{uuid.uuid4()}").status_code == 404
