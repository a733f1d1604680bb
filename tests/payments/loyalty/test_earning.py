"""Points are earned from payment.succeeded (never on the client's word), exactly once per
payment, by the shop's rule, campaigns, first-visit bonus and daily cap; refunds claw back in
proportion."""

from __future__ import annotations

import uuid
from datetime import timedelta

from infra.db import utcnow
from tests.payments.loyalty.conftest import CONSUMER, OTHER_CONSUMER, balance


def test_a_payment_earns_base_and_first_visit_points_once(caller, world, payments, audit):
    payment = payments.succeeded(world.shop_a, CONSUMER, 30000)  # NT$300 at 1 point per NT$30
    assert balance(caller)["balance"] == 10 + 10  # base + first visit
    payments.succeeded(world.shop_a, CONSUMER, 30000, payment_id=payment)  # replayed event
    payments.succeeded(world.shop_a, CONSUMER, 9000)  # second visit: no bonus
    wallet = balance(caller)
    assert wallet["balance"] == 23
    assert [a["reason"] for a in wallet["activity"]] == ["earn", "earn"]
    assert balance(caller, OTHER_CONSUMER)["balance"] == 0
    audit()


def test_an_anonymous_payment_earns_nothing(caller, world, payments, audit):
    payments.succeeded(world.shop_a, None, 30000)
    assert audit().transactions == 0


def test_refunds_claw_back_in_proportion(caller, world, payments, audit):
    payment = payments.succeeded(world.shop_a, CONSUMER, 30000)
    assert balance(caller)["balance"] == 20
    payments.refunded(payment, world.shop_a, CONSUMER, 30000, total=15000)  # half back
    assert balance(caller)["balance"] == 10
    payments.refunded(payment, world.shop_a, CONSUMER, 30000, total=30000)  # the rest
    wallet = balance(caller)
    assert wallet["balance"] == 0
    assert [a["reason"] for a in wallet["activity"]].count("clawback") == 2
    audit()


def test_claw_back_takes_only_what_is_left(caller, world, payments, audit):
    payment = payments.succeeded(world.shop_a, CONSUMER, 30000)
    response = caller(CONSUMER).post(
        "/api/me/loyalty/holds",
        json={"shop_id": str(world.shop_b), "points": 15},
        headers={"Idempotency-Key": "spend-15"},
    )
    assert response.status_code == 201, response.text
    payments.refunded(payment, world.shop_a, CONSUMER, 30000, total=30000)
    wallet = balance(caller)
    assert (wallet["balance"], wallet["held"]) == (0, 15)  # 5 clawed, held points untouched
    audit()


def test_the_shop_rule_sets_the_rate_within_programme_limits(caller, world, payments, audit):
    owner = caller("owner.a@test.tw")
    url = f"/api/shops/{world.shop_a}/loyalty/earn-rule"
    negative = owner.request("PUT", url, json={"minor_per_point": -30})
    assert negative.status_code == 422
    assert negative.json()["error"]["details"]["problems"][0]["key"] == "minor_per_point"
    too_generous = owner.request("PUT", url, json={"minor_per_point": 10})
    assert too_generous.status_code == 422
    pool = owner.request("PUT", url, json={"minor_per_point": 1000, "funded_by": "programme"})
    assert pool.status_code == 403
    other_shop = owner.request(
        "PUT", f"/api/shops/{world.shop_b}/loyalty/earn-rule", json={"minor_per_point": 1000}
    )
    assert other_shop.status_code == 403
    ok = owner.request("PUT", url, json={"minor_per_point": 1000})
    assert ok.status_code == 200, ok.text
    payments.succeeded(world.shop_a, CONSUMER, 30000)
    assert balance(caller)["balance"] == 30 + 10
    audit()


def test_a_festival_campaign_multiplies_on_its_street_only(caller, world, payments, audit):
    admin = caller("admin@test.tw")
    now = utcnow()
    body = {
        "name": "豐年祭週",
        "multiplier_pct": 200,
        "street_id": str(world.street_x),
        "starts_at": (now - timedelta(days=1)).isoformat(),
        "ends_at": (now + timedelta(days=6)).isoformat(),
    }
    bad = admin.post("/api/loyalty/campaigns", json={**body, "multiplier_pct": 50})
    assert bad.status_code == 422
    assert caller("owner.a@test.tw").post("/api/loyalty/campaigns", json=body).status_code == 403
    assert admin.post("/api/loyalty/campaigns", json=body).status_code == 201
    payments.succeeded(world.shop_a, CONSUMER, 30000)  # street X: 10 base + 10 bonus + 10 first
    assert balance(caller)["balance"] == 30
    payments.succeeded(world.shop_b, CONSUMER, 30000)  # street Y: 10 base + 10 first
    assert balance(caller)["balance"] == 50
    audit()


def test_the_daily_cap_cuts_bonuses_first(caller, world, payments, audit):
    payments.succeeded(world.shop_a, CONSUMER, 3_000_000)  # 1,000 base points
    assert balance(caller)["balance"] == 500
    payments.succeeded(world.shop_b, CONSUMER, 30000)
    assert balance(caller)["balance"] == 500
    audit()


def test_a_refund_delivered_before_its_payment_is_clawed_back_by_the_earn(
    caller, world, payments, audit
):
    payment, first_refund = str(uuid.uuid4()), str(uuid.uuid4())

    def refund(refund_id: str, total: int) -> None:
        payments.publish(
            "payment.refunded",
            payments.payload(payment, world.shop_a, CONSUMER, 30000, total, refund_id=refund_id),
        )

    refund(first_refund, 15000)  # half refunded, delivered before the payment itself
    refund(first_refund, 15000)  # and delivered twice
    assert balance(caller)["balance"] == 0
    payments.succeeded(world.shop_a, CONSUMER, 30000, payment_id=payment)  # 10 + 10 first visit
    wallet = balance(caller)
    assert wallet["balance"] == 10  # half taken back at once
    assert [a["reason"] for a in wallet["activity"]].count("clawback") == 1
    refund(first_refund, 15000)  # again, after the earn: already applied
    payments.succeeded(world.shop_a, CONSUMER, 30000, payment_id=payment)  # earn replayed
    assert balance(caller)["balance"] == 10
    refund(str(uuid.uuid4()), 30000)  # the rest
    assert balance(caller)["balance"] == 0
    audit()
