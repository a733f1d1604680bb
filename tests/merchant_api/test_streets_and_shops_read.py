"""The public reads: streets with their shop counts, a street with its shops, a shop with its
listings in the asked language."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from merchant_api.catalog.models import Listing


def test_streets_are_listed_with_their_shop_counts(client, world):
    streets = client.get("/api/streets").json()
    counts = {street["slug"]: street["shop_count"] for street in streets}
    assert counts == {"street-x": 2, "street-y": 1}
    x = next(street for street in streets if street["slug"] == "street-x")
    assert (x["county"], x["township"], x["name"]) == ("臺東縣", "達仁鄉", "達仁鄉一條街")
    english = client.get("/api/streets?lang=en").json()
    assert {street["name"] for street in english} == {"street-x street", "street-y street"}


def test_a_street_lists_its_shops(client, world):
    street = client.get(f"/api/streets/{world.street_x}?lang=en").json()
    assert street["language"] == "en"
    assert {shop["slug"]: shop["name"] for shop in street["shops"]} == {
        "shop-a": "Millet Workshop",
        "shop-c": "部落廚房",  # no English name yet
    }


def test_a_shop_shows_its_listings_and_falls_back_to_traditional_chinese(client, world):
    shop = client.get(f"/api/shops/{world.shop_b}?lang=vi").json()
    assert shop["language"] == "vi"
    assert shop["name"] == "高山茶園"
    for unknown in ("xx", "", "zh-TW"):
        assert client.get(f"/api/shops/{world.shop_a}?lang={unknown}").json()["language"] == (
            "zh-Hant-TW"
        )
    listing = client.get(f"/api/shops/{world.shop_a}").json()["listings"][0]
    assert (listing["name"], listing["price_minor"], listing["currency"]) == (
        "小米 600g",
        18000,
        "TWD",
    )


def test_removed_listings_are_not_shown(client, world, db):
    async def remove(session):  # type: ignore[no-untyped-def]
        await session.execute(
            update(Listing)
            .where(Listing.shop_id == world.shop_a)
            .values(deleted_at=datetime.now(UTC))
        )

    db(remove)
    assert client.get(f"/api/shops/{world.shop_a}").json()["listings"] == []


def test_unknown_street_and_shop_are_404(client, world):
    missing = "00000000-0000-4000-8000-000000000000"
    for url in (f"/api/streets/{missing}", f"/api/shops/{missing}", "/api/shops/not-a-uuid"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert error_code(response) == "not_found"


def error_code(response) -> str:  # type: ignore[no-untyped-def]
    return response.json()["error"]["code"]
