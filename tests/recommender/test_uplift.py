"""Measured effect with difference in differences against a comparable street.

Shop B (street Y: another county, the same digital level as street X) sold NT$100 a day in
the three weeks before shop A's owner acted and NT$200 a day after: the common change that
difference in differences takes out of shop A's before/after change. A loyalty campaign on
street Y makes it no longer comparable.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from infra.bootstrap.worker import build_worker
from merchant_api.orders.models import Order
from payments.loyalty.models import LoyaltyCampaign
from recommender.advice.models import AdviceItem
from tests.recommender.conftest import TAIPEI, _today
from tests.recommender.test_advice_api import CONSULTANT, OWNER, _advice, _generate


def _shop_b_orders(db, shop) -> None:  # type: ignore[no-untyped-def]
    async def build(session):  # type: ignore[no-untyped-def]
        rows = []
        for back in range(1, 43):
            day = _today() - timedelta(days=back)
            at = datetime.combine(day, time(12), TAIPEI).astimezone(UTC)
            total = 20000 if back <= 21 else 10000
            rows.append(
                {"id": uuid.uuid4(), "shop_id": shop, "business_date": day, "number": 1,
                 "channel": "counter", "status": "completed", "item_count": 1,
                 "total_minor": total, "currency": "TWD", "placed_at": at, "updated_at": at}
            )  # fmt: skip
        await session.execute(sa.insert(Order), rows)

    db(build)


def _act_on(caller, db, shop, advice_id) -> None:  # type: ignore[no-untyped-def]
    base = f"/api/shops/{shop}/advice/{advice_id}"
    assert caller(CONSULTANT).post(f"{base}/approve", json={}).status_code == 200
    assert caller(OWNER).post(f"{base}/feedback", json={"verdict": "done"}).status_code == 200

    async def backdate(session):  # type: ignore[no-untyped-def]
        # Midnight in Taipei 21 days ago: the windows line up with whole days of orders.
        when = datetime.combine(_today() - timedelta(days=21), time(), TAIPEI).astimezone(UTC)
        await session.execute(
            sa.update(AdviceItem)
            .where(AdviceItem.id == uuid.UUID(advice_id))
            .values(owner_feedback_at=when)
        )

    db(backdate)


def test_uplift_against_comparable_streets(caller, sales, db, settings):  # type: ignore[no-untyped-def]
    world = sales.world
    _shop_b_orders(db, world.shop_b)
    shop = world.shop_a
    _generate(caller, shop)
    first, second, *_ = _advice(caller, CONSULTANT, shop)
    _act_on(caller, db, shop, first["id"])
    measure = build_worker(settings).celery.tasks["recommender.measure_effects"]
    assert measure.apply().get() == {"measured": 1}

    (item,) = [i for i in _advice(caller, OWNER, shop) if i["id"] == first["id"]]
    uplift = item["measured_effect"]["uplift"]
    assert uplift["method"] == "difference_in_differences"
    assert uplift["comparable_by"] == "digital_level"  # street Y is in another county
    assert (uplift["treated_shops"], uplift["control_shops"]) == (1, 1)
    assert uplift["before_days"] == uplift["after_days"] >= 21
    assert (uplift["control_before_minor"], uplift["control_after_minor"]) == (10000, 20000)
    treated_change = uplift["treated_after_minor"] - uplift["treated_before_minor"]
    assert uplift["effect_per_day_minor"] == treated_change - 10000
    summary = item["measured_effect"]["uplift_summary"]["en"]
    assert "from NT$100 to NT$200" in summary and "1 comparable shops" in summary

    # A campaign on street Y over the same weeks: no street is left to compare against.
    async def campaign(session):  # type: ignore[no-untyped-def]
        now = datetime.now(UTC)
        session.add(
            LoyaltyCampaign(
                name="Festival", street_id=world.street_y, multiplier_pct=200,
                starts_at=now - timedelta(days=30), ends_at=now - timedelta(days=10),
            )
        )  # fmt: skip

    db(campaign)
    _act_on(caller, db, shop, second["id"])
    assert measure.apply().get() == {"measured": 1}
    (item,) = [i for i in _advice(caller, OWNER, shop) if i["id"] == second["id"]]
    assert item["measured_effect"]["uplift"] == {"not_measured": "no_comparable_street"}
    assert "No comparable street" in item["measured_effect"]["uplift_summary"]["en"]
