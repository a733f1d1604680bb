"""The demo seed: advice for every demo shop, some already approved by the demo consultant."""

from __future__ import annotations

import sqlalchemy as sa

from infra.bootstrap.seed import seed_demo
from infra.bootstrap.seed_data import DEMO_PASSWORD, DEMO_SHOP_SLUG
from merchant_api.shops.models import Shop
from recommender.advice.models import AdviceItem


def _login(client, email: str) -> None:  # type: ignore[no-untyped-def]
    client.cookies.clear()
    response = client.post("/api/auth/login", json={"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.text


def test_seeded_days_give_advice_for_every_shop(client, db):  # type: ignore[no-untyped-def]
    db(lambda session: seed_demo(session, 2017))

    async def facts(session):  # type: ignore[no-untyped-def]
        shops = set((await session.scalars(sa.select(Shop.id))).all())
        advised = set((await session.scalars(sa.select(AdviceItem.shop_id))).all())
        approved = (
            await session.execute(sa.select(sa.func.count()).where(AdviceItem.status == "approved"))
        ).scalar()
        demo = (await session.scalars(sa.select(Shop.id).where(Shop.slug == DEMO_SHOP_SLUG))).one()
        return shops, advised, approved, demo

    shops, advised, approved, demo_shop = db(facts)
    assert shops == advised
    assert approved >= 3

    _login(client, "owner@demo.onestreet.tw")
    seen = client.get(f"/api/shops/{demo_shop}/advice").json()
    assert seen and all(item["status"] == "approved" for item in seen)
    assert all(item["body"]["zh-Hant-TW"] and item["body"]["en"] for item in seen)

    _login(client, "consultant@demo.onestreet.tw")
    everything = client.get(f"/api/shops/{demo_shop}/advice").json()
    assert {i["status"] for i in everything} >= {"approved"}
    assert len(everything) >= len(seen)


def test_the_api_is_documented(client):  # type: ignore[no-untyped-def]
    paths = client.get("/schema/openapi.json").json()["paths"]
    assert "/api/shops/{shop_id}/advice" in paths
    assert "/api/shops/{shop_id}/advice/{advice_id}/approve" in paths
    assert "/api/recommendations/shops/{shop_id}/listings/{listing_id}/also-like" in paths
