"""The programme's rules listed and removed through the API, with the access of defining them:
removing a rule changes what is earned from now on, never what was earned before (bonuses
end, running campaigns and rallies end now, one not yet started is deleted)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from infra.db import utcnow
from tests.merchant_api.orders.conftest import place
from tests.payments.loyalty.conftest import CONSUMER, balance


def _earns(caller) -> list[int]:  # type: ignore[no-untyped-def]
    return [a["points"] for a in balance(caller)["activity"] if a["reason"] == "earn"]


def test_a_shop_lists_and_removes_its_earn_rule_and_listing_bonuses(
    caller, world, menu, payments, audit
):
    owner, other_owner = caller("owner.a@test.tw"), caller("owner.b@test.tw")
    rule_url = f"/api/shops/{world.shop_a}/loyalty/earn-rule"
    bonus_url = f"/api/shops/{world.shop_a}/loyalty/listing-bonuses"
    assert owner.get(rule_url).json() == {
        "shop_id": str(world.shop_a),
        "minor_per_point": 3000,
        "funded_by": "shop",
        "programme_default": True,
    }
    assert other_owner.get(rule_url).status_code == 403
    assert (
        owner.request(
            "PUT", bonus_url, json={"listing_id": str(menu.millet), "multiplier_pct": 300}
        ).status_code
        == 200
    )
    listed = owner.get(bonus_url).json()
    assert [(b["listing_id"], b["multiplier_pct"]) for b in listed] == [(str(menu.millet), 300)]

    def pay_for_millet() -> None:
        order = place(
            owner,
            world.shop_a,
            {"channel": "counter", "lines": [{"listing_id": str(menu.millet), "quantity": 1}]},
        )
        assert order.status_code == 201, order.text
        payments.succeeded(world.shop_a, CONSUMER, 18000, order_id=order.json()["id"])

    pay_for_millet()  # 6 base + 12 listing bonus + 10 first visit
    assert _earns(caller) == [28]
    millet_bonus = f"{bonus_url}/{menu.millet}"
    assert other_owner.request("DELETE", millet_bonus).status_code == 403
    assert owner.request("DELETE", millet_bonus).status_code == 204
    assert owner.get(bonus_url).json() == []
    assert owner.request("DELETE", millet_bonus).json()["error"]["code"] == "not_found"
    pay_for_millet()  # the bonus has ended: base points only; the first payment keeps its 28
    assert _earns(caller) == [6, 28]

    assert owner.request("PUT", rule_url, json={"minor_per_point": 1000}).status_code == 200
    assert owner.get(rule_url).json()["minor_per_point"] == 1000
    payments.succeeded(world.shop_a, CONSUMER, 30000)  # 30 at the shop's rate
    assert other_owner.request("DELETE", rule_url).status_code == 403
    assert owner.request("DELETE", rule_url).status_code == 204
    assert owner.get(rule_url).json()["programme_default"] is True
    assert owner.request("DELETE", rule_url).status_code == 404
    payments.succeeded(world.shop_a, CONSUMER, 30000)  # 10 at the programme's rate
    assert _earns(caller) == [10, 30, 6, 28]
    audit()


def _period(days_from_now: float, days: float = 7) -> dict[str, str]:
    starts: datetime = utcnow() + timedelta(days=days_from_now)
    return {
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(days=days)).isoformat(),
    }


def test_the_programme_lists_and_ends_campaigns_rallies_and_category_bonuses(
    caller, world, payments, audit
):
    admin, consultant, owner = (
        caller("admin@test.tw"),
        caller("consultant.x@test.tw"),
        caller("owner.a@test.tw"),
    )
    categories = "/api/loyalty/category-bonuses"
    assert (
        consultant.request(
            "PUT", categories, json={"category": "food_and_drink", "multiplier_pct": 150}
        ).status_code
        == 200
    )
    assert [b["category"] for b in consultant.get(categories).json()] == ["food_and_drink"]
    assert owner.get(categories).status_code == 403
    assert owner.request("DELETE", f"{categories}/food_and_drink").status_code == 403
    assert consultant.request("DELETE", f"{categories}/food_and_drink").status_code == 204
    assert consultant.get(categories).json() == []
    assert consultant.request("DELETE", f"{categories}/food_and_drink").status_code == 404

    campaigns = "/api/loyalty/campaigns"
    running = admin.post(campaigns, json={"name": "市集週", "multiplier_pct": 200, **_period(-1)})
    later = admin.post(campaigns, json={"name": "中秋", "multiplier_pct": 300, **_period(2)})
    assert running.status_code == later.status_code == 201
    assert [c["name"] for c in admin.get(campaigns).json()] == ["中秋", "市集週"]
    assert consultant.get(campaigns).status_code == 403
    assert consultant.request("DELETE", f"{campaigns}/{running.json()['id']}").status_code == 403
    payments.succeeded(world.shop_a, CONSUMER, 30000)  # 10 + 10 campaign + 10 first visit
    assert _earns(caller) == [30]

    assert admin.request("DELETE", f"{campaigns}/{running.json()['id']}").status_code == 204
    assert admin.request("DELETE", f"{campaigns}/{later.json()['id']}").status_code == 204
    (ended,) = admin.get(campaigns).json()
    assert ended["id"] == running.json()["id"]
    assert datetime.fromisoformat(ended["ends_at"]) <= utcnow()
    assert (
        admin.request("DELETE", f"{campaigns}/{running.json()['id']}").status_code == 204
    )  # over: as is
    assert admin.get(campaigns).json() == [ended]
    assert admin.request("DELETE", f"{campaigns}/{uuid.uuid4()}").status_code == 404

    rallies = "/api/loyalty/rallies"
    rally = consultant.post(
        rallies,
        json={
            "name": "兩街",
            "counts": "streets",
            "required": 2,
            "bonus_points": 50,
            **_period(-1),
        },
    )
    assert rally.status_code == 201
    assert owner.get(rallies).status_code == 403
    assert consultant.request("DELETE", f"{rallies}/{rally.json()['id']}").status_code == 204
    (ended_rally,) = consultant.get(rallies).json()
    assert datetime.fromisoformat(ended_rally["ends_at"]) <= utcnow()

    payments.succeeded(world.shop_a, CONSUMER, 30000)  # base only: no campaign, no category
    payments.succeeded(world.shop_b, CONSUMER, 30000)  # a second street, but the rally ended
    assert _earns(caller) == [20, 10, 30]
    audit()
