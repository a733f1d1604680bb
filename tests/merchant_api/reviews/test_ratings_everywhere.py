"""Review averages and counts appear on listings, on the menu and in search, which sorts by them."""

from __future__ import annotations

import pytest

from infra.settings import SearchSettings
from tests.merchant_api.orders.conftest import OTHER_CONSUMER, noodle_line
from tests.merchant_api.reviews.conftest import millet_line, review


@pytest.fixture
def settings(settings):  # type: ignore[no-untyped-def]
    """No search cache: each search reads the ratings as they are now."""
    return settings.model_copy(update={"search": SearchSettings(cache_seconds=0)})


def _listing(caller, world, listing_id) -> dict:  # type: ignore[no-untyped-def]
    response = caller(None).get(f"/api/shops/{world.shop_a}/listings/{listing_id}")
    assert response.status_code == 200, response.text
    return response.json()


def test_averages_appear_on_listings_menus_and_search(caller, world, menu, order_for) -> None:  # type: ignore[no-untyped-def]
    noodles = _listing(caller, world, menu.noodles)
    assert (noodles["rating"], noodles["rating_count"]) == (None, 0)

    both = order_for(lines=[noodle_line(menu), millet_line(menu)])
    assert review(caller("consumer@test.tw"), both, 5).status_code == 201
    millet_only = order_for(OTHER_CONSUMER, lines=[millet_line(menu)])
    assert review(caller(OTHER_CONSUMER), millet_only, 2).status_code == 201

    noodles, millet = _listing(caller, world, menu.noodles), _listing(caller, world, menu.millet)
    assert (noodles["rating"], noodles["rating_count"]) == (5.0, 1)
    assert (millet["rating"], millet["rating_count"]) == (3.5, 2)
    menu_page = caller(None).get(f"/api/shops/{world.shop_a}/menu/").json()
    rated = {item["id"]: item["rating"] for s in menu_page["sections"] for item in s["listings"]}
    assert rated[str(menu.noodles)] == 5.0 and rated[str(menu.millet)] == 3.5

    shops = caller(None).get("/api/search/shops", params={"sort": "rating"}).json()["items"]
    assert shops[0]["id"] == str(world.shop_a)
    assert (shops[0]["rating"], shops[0]["rating_count"]) == (3.5, 2)
    assert all(shop["rating"] is None and shop["rating_count"] == 0 for shop in shops[1:])
    shop_page = caller(None).get(f"/api/shops/{world.shop_a}").json()
    assert (shop_page["rating"], shop_page["rating_count"]) == (3.5, 2)
    on_shop = {item["id"]: item["rating"] for item in shop_page["listings"]}
    assert on_shop[str(menu.noodles)] == 5.0 and on_shop[str(menu.millet)] == 3.5

    found = caller(None).get("/api/search/listings", params={"sort": "rating", "limit": 2})
    assert found.status_code == 200, found.text
    page = found.json()
    assert [item["id"] for item in page["items"]] == [str(menu.noodles), str(menu.millet)]
    assert [item["rating"] for item in page["items"]] == [5.0, 3.5]
    # The cursor continues after the rated ones, with the unrated.
    rest = caller(None).get(
        "/api/search/listings", params={"sort": "rating", "cursor": page["next_cursor"]}
    )
    assert rest.status_code == 200, rest.text
    assert all(item["rating_count"] == 0 for item in rest.json()["items"])
    assert str(menu.noodles) not in {item["id"] for item in rest.json()["items"]}
    # Texts edited later keep the listing's rating.
    owner = caller("owner.a@test.tw")
    renamed = owner.patch(
        f"/api/shops/{world.shop_a}/listings/{menu.noodles}",
        json={"name": {"zh-Hant-TW": "小米湯麵"}},
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["rating"] == 5.0
    hit = caller(None).get("/api/search/listings", params={"q": "湯麵"}).json()["items"][0]
    assert (hit["id"], hit["rating"]) == (str(menu.noodles), 5.0)


def test_sorting_by_rating_is_refused_with_a_bad_sort_name(caller) -> None:  # type: ignore[no-untyped-def]
    response = caller(None).get("/api/search/listings", params={"sort": "stars"})
    assert response.status_code == 422
    assert "rating" in response.text
