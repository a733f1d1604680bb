"""Listing creation and shop updates validate their input and write nothing when they refuse."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from merchant_api.catalog.models import Listing


def _listing_rows(db) -> int:  # type: ignore[no-untyped-def]
    async def count(session):  # type: ignore[no-untyped-def]
        return await session.scalar(select(func.count()).select_from(Listing))

    return db(count)


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ({"name": {"en": "Millet"}, "price_minor": 18000}, "name.zh-Hant-TW"),
        ({"name": {"zh-Hant-TW": "   "}, "price_minor": 18000}, "name.zh-Hant-TW"),
        ({"name": {"zh-Hant-TW": "小米", "xx": "?"}, "price_minor": 18000}, "name.xx"),
        ({"name": {"zh-Hant-TW": "小米" * 61}, "price_minor": 18000}, "name.zh-Hant-TW"),
        ({"name": {"zh-Hant-TW": "小米"}, "price_minor": -100}, "price_minor"),
        ({"name": {"zh-Hant-TW": "小米"}, "price_minor": 180.5}, "price_minor"),
        ({"name": {"zh-Hant-TW": "小米"}, "price_minor": "18000"}, "price_minor"),
        ({"name": {"zh-Hant-TW": "小米"}}, "price_minor"),
        ({"name": {"zh-Hant-TW": "小米"}, "price_minor": 100, "currency": "USD"}, "currency"),
        ({"name": {"zh-Hant-TW": "小米"}, "price_minor": 100, "stock": -3}, "stock"),
        ({"name": {"zh-Hant-TW": "小米"}, "price_minor": 100, "colour": "red"}, "colour"),
    ],
)
def test_invalid_listing_is_refused_with_reasons_and_not_written(caller, world, db, body, where):
    owner = caller("owner.a@test.tw")
    before = _listing_rows(db)
    response = owner.post(f"/api/shops/{world.shop_a}/listings", json=body)
    assert response.status_code == 422, response.text
    assert error_code(response) == "validation_failed"
    problems = response.json()["error"]["details"]["problems"]
    assert any(where in str(problem) for problem in problems), problems
    assert _listing_rows(db) == before


def test_listing_is_created_and_shown_in_the_shop(caller, world, client, db):
    owner = caller("owner.a@test.tw")
    before = _listing_rows(db)
    response = owner.post(
        f"/api/shops/{world.shop_a}/listings",
        json={
            "name": {"zh-Hant-TW": " 紅藜 300g ", "en": "Djulis 300 g"},
            "description": {"zh-Hant-TW": "部落輪作"},
            "price_minor": 35000,
        },
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["name"] == "紅藜 300g"
    assert (created["price_minor"], created["currency"], created["is_available"]) == (
        35000,
        "TWD",
        True,
    )
    assert _listing_rows(db) == before + 1

    shop = client.get(f"/api/shops/{world.shop_a}?lang=en").json()
    names = {item["name"]: item["price_minor"] for item in shop["listings"]}
    assert names["Djulis 300 g"] == 35000
    # No English name: the Traditional Chinese one is shown.
    assert names["小米 600g"] == 18000


def test_shop_update_changes_phone_and_merges_descriptions(caller, world, client):
    staff = caller("staff.a@test.tw")
    response = staff.patch(
        f"/api/shops/{world.shop_a}",
        json={"phone": "(089) 781-234", "description": {"en": "Village millet"}},
    )
    assert response.status_code == 200, response.text
    assert response.json()["phone"] == "(089) 781-234"
    assert client.get(f"/api/shops/{world.shop_a}?lang=en").json()["description"] == (
        "Village millet"
    )
    # The Traditional Chinese description was kept.
    assert client.get(f"/api/shops/{world.shop_a}").json()["description"] == "小米工坊的介紹"

    cleared = staff.patch(f"/api/shops/{world.shop_a}", json={"phone": None})
    assert cleared.status_code == 200
    assert client.get(f"/api/shops/{world.shop_a}").json()["phone"] is None


@pytest.mark.parametrize(
    "body",
    [
        {"phone": "call me maybe"},
        {"phone": "089-700000", "description": {"fr": "Bonjour"}},
        {"name": {"zh-Hant-TW": "改名"}},
        {"phone": 89700000},
    ],
)
def test_invalid_shop_update_changes_nothing(caller, world, client, body):
    owner = caller("owner.a@test.tw")
    before = client.get(f"/api/shops/{world.shop_a}").json()
    response = owner.patch(f"/api/shops/{world.shop_a}", json=body)
    assert response.status_code == 422, response.text
    assert error_code(response) == "validation_failed"
    assert client.get(f"/api/shops/{world.shop_a}").json() == before


def error_code(response) -> str:  # type: ignore[no-untyped-def]
    return response.json()["error"]["code"]
