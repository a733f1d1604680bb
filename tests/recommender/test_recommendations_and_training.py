"""The nightly task trains versioned models, keeps the last good one, and feeds the
consumers' "you may also like" and next-basket answers."""

from __future__ import annotations

import sqlalchemy as sa

from infra.bootstrap.worker import build_worker
from recommender.artifacts.models import ModelArtifact


def _artifacts(db, kind: str):  # type: ignore[no-untyped-def]
    async def load(session):  # type: ignore[no-untyped-def]
        query = sa.select(ModelArtifact).where(ModelArtifact.kind == kind)
        return (await session.scalars(query.order_by(ModelArtifact.version))).all()

    return db(load)


def test_nightly_trains_and_fans_advice_out_per_street(settings, sales, db, caller):  # type: ignore[no-untyped-def]
    tasks = build_worker(settings).celery.tasks
    outcome = tasks["recommender.nightly"].apply().get()
    assert outcome["streets"] == 2 and outcome["current"] >= 4  # forecast + 3 shops
    (forecast,) = _artifacts(db, "forecast")
    assert forecast.status == "current" and forecast.metric_name == "wape"
    assert forecast.metrics["wape"] < forecast.metrics["seasonal_naive_wape"]
    drafts = caller("consultant.x@test.tw").get(f"/api/shops/{sales.world.shop_a}/advice").json()
    assert {"slow_hour", "bundle"} <= {d["kind"] for d in drafts}


def test_a_worse_retrain_does_not_replace_the_current_version(settings, sales, db):  # type: ignore[no-untyped-def]
    nightly = build_worker(settings).celery.tasks["recommender.nightly"]
    nightly.apply().get()
    scope = f"shop:{sales.world.shop_a}"
    (good,) = [a for a in _artifacts(db, "affinity") if a.scope == scope]
    assert good.metric_value > 0.5  # mochi -> oolong is found again in the last two weeks

    async def damage(session):  # type: ignore[no-untyped-def]
        # Everything oolong sold since the first week is gone: the pattern no longer holds.
        from merchant_api.orders.models import OrderLine

        await session.execute(sa.delete(OrderLine).where(OrderLine.listing_id == sales.oolong))

    db(damage)
    nightly.apply().get()
    versions = [a for a in _artifacts(db, "affinity") if a.scope == scope]
    assert [(a.version, a.status) for a in versions] == [(1, "current"), (2, "rejected")]
    assert versions[1].metric_value < versions[0].metric_value


def test_you_may_also_like_and_next_basket(settings, sales, db, caller):  # type: ignore[no-untyped-def]
    shop = sales.world.shop_a
    url = f"/api/recommendations/shops/{shop}/listings/{sales.mochi}/also-like"
    assert caller(None).get(url).json() == []  # nothing trained yet: nothing invented
    build_worker(settings).celery.tasks["recommender.nightly"].apply().get()
    liked = caller(None).get(url)
    assert liked.status_code == 200
    assert liked.json()[0]["listing_id"] == str(sales.oolong)
    assert liked.json()[0]["reason"] == "bought_together"

    basket = caller("consumer@test.tw").get(f"/api/recommendations/shops/{shop}/next-basket")
    assert basket.status_code == 200, basket.text
    ranked = [(s["listing_id"], s["reason"]) for s in basket.json()]
    assert ranked == [
        (str(sales.mochi), "you_often_buy"),
        (str(sales.oolong), "you_often_buy"),
        (str(sales.cake), "you_often_buy"),
    ]
    assert (
        caller("owner.a@test.tw").get(f"/api/recommendations/shops/{shop}/next-basket").status_code
        == 403
    )
