"""Settlement: points funded by one shop (or a pool) and spent at another become a statement
per party; statements reconcile with the ledger to the point; a closed period cannot change."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from infra.db import utcnow
from merchant_api.shops.payment_directory import ShopMerchantDirectory
from payments.loyalty.models import LoyaltyEntry, LoyaltyStatement
from payments.loyalty.repository import LoyaltyRepository
from payments.loyalty.service import LoyaltyService, Payment
from payments.loyalty.settlement import TAIPEI, period_bounds, previous_period


@pytest.fixture
def last_month(db, world, settings, payments):  # type: ignore[no-untyped-def]
    """Activity dated in last month: consumers earn at A (A funds) and at B (funded by street
    Y's pool), then spend at B and C."""
    period = previous_period(utcnow())
    start, _end = period_bounds(period)
    when = start + timedelta(days=3)
    loyalty = settings.loyalty.model_copy(update={"first_visit_bonus": 0})

    async def act(session):  # type: ignore[no-untyped-def]
        service = LoyaltyService(session, loyalty, ShopMerchantDirectory())
        await LoyaltyRepository(session).put_earn_rule(world.shop_b, 3000, "street", when)
        one = await LoyaltyRepository(session).create_wallet(None, when)
        two = await LoyaltyRepository(session).create_wallet(None, when)
        for minute, (wallet, shop, amount) in enumerate(
            [(one, world.shop_a, 90000), (two, world.shop_b, 60000), (two, world.shop_a, 30000)]
        ):
            paid = when + timedelta(minutes=minute)  # distinct times: FIFO order is certain
            payment = Payment(uuid.uuid4(), shop, amount, 0, None, None, wallet, paid)
            await service.earn_from_payment(payment, paid)
        # one: 30 from A. two: 20 from street Y's pool, then 10 from A.
        await service.redeem_now(one, world.shop_b, 12, when + timedelta(hours=1))
        await service.redeem_now(two, world.shop_c, 25, when + timedelta(hours=2))  # 20 pool + 5 A
        await service.hold(one, world.shop_c, 3, None, when + timedelta(hours=3))  # not spent
        return period

    return db(act)


def test_a_settled_period_reconciles_with_the_ledger(caller, world, last_month, db, audit):
    admin = caller("admin@test.tw")
    settled = admin.post("/api/loyalty/settlements", json={"period": last_month})
    assert settled.status_code == 201, settled.text
    report = settled.json()
    lines = {(s["party_kind"], s["party_id"]): s for s in report["statements"]}
    a, b, c = (lines[("shop", str(shop))] for shop in (world.shop_a, world.shop_b, world.shop_c))
    pool = lines[("pool_street", str(world.street_y))]
    assert (a["points_funded"], a["points_accepted"], a["funded_points_redeemed"]) == (40, 0, 17)
    assert (b["points_accepted"], b["net_minor"]) == (12, 1200)
    assert (c["points_accepted"], c["net_minor"]) == (25, 2500)
    assert (pool["points_funded"], pool["funded_points_redeemed"], pool["net_minor"]) == (
        20,
        20,
        -2000,
    )
    assert a["net_minor"] == -1700
    assert report["net_sum_minor"] == 0
    assert report["total_accepted"] == report["total_funded_redeemed"] == 37

    # To the point: what the statements say was accepted is what the ledger credited.
    start, end = period_bounds(last_month)

    async def credited(session):  # type: ignore[no-untyped-def]
        from payments.loyalty.models import LoyaltyTransaction

        return await session.scalar(
            sa.select(sa.func.sum(LoyaltyEntry.amount))
            .join(LoyaltyTransaction, LoyaltyTransaction.id == LoyaltyEntry.transaction_id)
            .where(
                LoyaltyEntry.funded_by.is_not(None),
                LoyaltyTransaction.reason == "capture",
                LoyaltyTransaction.occurred_at >= start,
                LoyaltyTransaction.occurred_at < end,
            )
        )

    assert db(credited) == 37
    audit()

    shop_view = caller("owner.b@test.tw").get(
        f"/api/shops/{world.shop_b}/loyalty/statements/{last_month}"
    )
    assert shop_view.status_code == 200
    assert [s["points_accepted"] for s in shop_view.json()] == [12]
    assert "phone" not in shop_view.text

    exported = admin.get(f"/api/loyalty/settlements/{last_month}?format=csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert sum(int(r["net_twd_minor"]) for r in rows) == 0
    assert len(rows) == len(report["statements"])


def test_a_closed_period_cannot_change_and_an_open_one_cannot_close(
    caller, last_month, db, backend
):
    admin = caller("admin@test.tw")
    assert admin.post("/api/loyalty/settlements", json={"period": last_month}).status_code == 201
    again = admin.post("/api/loyalty/settlements", json={"period": last_month})
    assert again.status_code == 409 and again.json()["error"]["code"] == "period_closed"
    current = utcnow().astimezone(TAIPEI).strftime("%Y-%m")
    still_open = admin.post("/api/loyalty/settlements", json={"period": current})
    assert still_open.status_code == 409 and still_open.json()["error"]["code"] == "period_open"
    malformed = admin.post("/api/loyalty/settlements", json={"period": "2026-13"})
    assert malformed.status_code == 422
    assert malformed.json()["error"]["details"]["problems"][0]["key"] == "period"
    unsettled = admin.get("/api/loyalty/settlements/2020-01")
    assert unsettled.status_code == 409
    assert (
        caller("owner.a@test.tw")
        .post("/api/loyalty/settlements", json={"period": last_month})
        .status_code
        == 403
    )
    if backend == "postgres":
        # The database itself refuses to rewrite a closed statement or a ledger entry.
        for table in (LoyaltyStatement, LoyaltyEntry):

            async def rewrite(session, table=table):  # type: ignore[no-untyped-def]
                await session.execute(sa.delete(table))

            with pytest.raises(sa.exc.DBAPIError, match="immutable"):
                db(rewrite)
