"""Wallet identity (anonymous card, phone one-time codes, merging) and the PDPA rights
(consent, download, erasure that keeps the ledger balanced); ministry and admin reports."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from infra.db import utcnow
from payments.loyalty.models import LoyaltyPhoneChallenge
from payments.loyalty.phone import ConsoleSmsSender
from tests.payments.loyalty.conftest import CONSUMER, OTHER_CONSUMER, balance

PHONE = "0912-345-678"


@pytest.fixture
def sms(app) -> ConsoleSmsSender:  # type: ignore[no-untyped-def]
    sender = ConsoleSmsSender()
    app.state.loyalty_sms_sender = sender
    return sender


def _code(sms: ConsoleSmsSender) -> str:
    return re.search(r"\d{6}", sms.sent[-1][1]).group(0)  # type: ignore[union-attr]


def test_an_anonymous_card_earns_then_links_to_a_consumer(caller, world, payments, audit):
    issued = caller("staff.a@test.tw").post(f"/api/shops/{world.shop_a}/loyalty/cards")
    assert issued.status_code == 201, issued.text
    card = issued.json()
    payments.succeeded(world.shop_a, None, 30000, wallet_id=card["wallet_id"])  # 10 + 10 first
    payments.succeeded(world.shop_b, CONSUMER, 30000)
    linked = caller(CONSUMER).post(
        "/api/me/loyalty/cards/link", json={"card_number": card["card_number"]}
    )
    assert linked.status_code == 200 and linked.json() == {"merged_points": 20}
    assert balance(caller)["balance"] == 40
    again = caller(OTHER_CONSUMER).post(
        "/api/me/loyalty/cards/link", json={"card_number": card["card_number"]}
    )
    assert again.status_code == 404
    audit()


def test_a_phone_code_links_once_and_merges_the_other_wallet(caller, world, payments, sms, audit):
    payments.succeeded(world.shop_a, CONSUMER, 30000)  # consumer: 20
    payments.succeeded(world.shop_b, OTHER_CONSUMER, 60000)  # the same person's other login: 30
    for email in (OTHER_CONSUMER, CONSUMER):
        started = caller(email).post("/api/me/loyalty/phone", json={"phone": PHONE})
        assert started.status_code == 202, started.text
        verified = caller(email).post("/api/me/loyalty/phone/verify", json={"code": _code(sms)})
        assert verified.status_code == 200, verified.text
    # The second verification found the phone on the other wallet and merged it in.
    assert balance(caller)["balance"] == 50
    assert balance(caller)["phone_linked"] is True
    assert balance(caller, OTHER_CONSUMER)["balance"] == 50  # it follows the merged wallet
    reused = caller(CONSUMER).post("/api/me/loyalty/phone/verify", json={"code": _code(sms)})
    assert reused.status_code == 422  # single use
    audit()


def test_wrong_codes_lock_and_old_codes_expire(caller, world, payments, sms, db):
    me = caller(CONSUMER)
    bad_phone = me.post("/api/me/loyalty/phone", json={"phone": "12345"})
    assert bad_phone.status_code == 422
    assert bad_phone.json()["error"]["details"]["problems"][0]["key"] == "phone"
    me.post("/api/me/loyalty/phone", json={"phone": PHONE})
    right = _code(sms)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        refused = me.post("/api/me/loyalty/phone/verify", json={"code": wrong})
        assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_code"
    locked = me.post("/api/me/loyalty/phone/verify", json={"code": right})
    assert locked.status_code == 423 and locked.json()["error"]["code"] == "code_locked"
    assert balance(caller)["phone_linked"] is False

    me.post("/api/me/loyalty/phone", json={"phone": PHONE})

    async def age(session):  # type: ignore[no-untyped-def]
        await session.execute(
            sa.update(LoyaltyPhoneChallenge).values(expires_at=utcnow() - timedelta(seconds=1))
        )

    db(age)
    expired = me.post("/api/me/loyalty/phone/verify", json={"code": _code(sms)})
    assert expired.status_code == 422 and expired.json()["error"]["code"] == "code_expired"
    for _ in range(3):
        me.post("/api/me/loyalty/phone", json={"phone": PHONE})
    limited = me.post("/api/me/loyalty/phone", json={"phone": PHONE})
    assert limited.status_code == 429
    assert balance(caller)["phone_linked"] is False


def test_consent_download_and_erasure(caller, world, payments, sms, audit):
    me = caller(CONSUMER)
    payments.succeeded(world.shop_a, CONSUMER, 30000)
    consent = me.post(
        "/api/me/loyalty/consents", json={"purpose": "marketing_messages", "granted": True}
    )
    assert consent.status_code == 201
    assert (
        me.post("/api/me/loyalty/consents", json={"purpose": "x", "granted": True}).status_code
        == 422
    )
    me.post("/api/me/loyalty/phone", json={"phone": PHONE})
    me.post("/api/me/loyalty/phone/verify", json={"code": _code(sms)})
    me.post(
        "/api/me/loyalty/holds",
        json={"shop_id": str(world.shop_b), "points": 5},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    data = me.get("/api/me/loyalty/export").json()
    assert data["wallet"]["phone"] == "0912345678"
    assert data["consents"][0]["purpose"] == "marketing_messages"
    assert {a["reason"] for a in data["activity"]} == {"earn", "hold"}
    erased = me.request("DELETE", "/api/me/loyalty/account")
    assert erased.status_code == 200 and erased.json() == {"forfeited_points": 20}
    fresh = balance(caller)  # a new, empty wallet: the old one no longer belongs to anyone
    assert (fresh["balance"], fresh["phone_linked"]) == (0, False)
    assert fresh["card_number"] != data["wallet"]["card_number"]
    report = audit()  # the erased wallet's entries still balance
    assert report.transactions >= 4


def test_ministry_sees_aggregates_and_admin_sees_anomalies(caller, world, payments):
    payments.succeeded(world.shop_a, CONSUMER, 30000)
    summary = caller("ministry@test.tw").get("/api/loyalty/summary")
    assert summary.status_code == 200, summary.text
    assert summary.json()["points_issued"] == 20
    assert "phone" not in summary.text and "wallet" not in summary.text.replace(
        "active_wallets", ""
    )
    assert caller("owner.a@test.tw").get("/api/loyalty/summary").status_code == 403
    for _ in range(10):
        payments.succeeded(world.shop_c, OTHER_CONSUMER, 3000)
    # Many "first visits" paying NT$30 each at shop B: bonuses far above the sales.
    for _ in range(6):
        card = caller("owner.b@test.tw").post(f"/api/shops/{world.shop_b}/loyalty/cards").json()
        payments.succeeded(world.shop_b, None, 3000, wallet_id=card["wallet_id"])
    anomalies = caller("admin@test.tw").get("/api/loyalty/anomalies").json()
    kinds = {(a["kind"], a["shop_id"]) for a in anomalies}
    assert ("repeated_earning", str(world.shop_c)) in kinds
    assert ("points_above_sales", str(world.shop_b)) in kinds
    assert ("points_above_sales", str(world.shop_a)) not in kinds
    assert caller("ministry@test.tw").get("/api/loyalty/anomalies").status_code == 403


def test_shops_see_points_activity_but_no_consumer(caller, world, payments, sms):
    me = caller(CONSUMER)
    me.post("/api/me/loyalty/phone", json={"phone": PHONE})
    me.post("/api/me/loyalty/phone/verify", json={"code": _code(sms)})
    payments.succeeded(world.shop_a, CONSUMER, 30000)
    activity = caller("staff.a@test.tw").get(f"/api/shops/{world.shop_a}/loyalty/activity")
    assert activity.status_code == 200, activity.text
    assert [(a["reason"], a["points"]) for a in activity.json()] == [("earn", 20)]
    text = activity.text
    assert "0912345678" not in text and "wallet" not in text and "card" not in text
    other = caller("owner.b@test.tw").get(f"/api/shops/{world.shop_a}/loyalty/activity")
    assert other.status_code == 403
