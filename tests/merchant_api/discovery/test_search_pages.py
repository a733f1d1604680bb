"""Sort orders and keyset pages: walking page by page gives the one-page answer."""

from __future__ import annotations

from tests.merchant_api.discovery.support import names


def walk(client, path: str, **params) -> list[str]:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    cursor = None
    for _ in range(20):
        response = client.get(
            f"/api/search/{path}",
            params={**params, "limit": 1, **({"cursor": cursor} if cursor else {})},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert len(body["items"]) <= 1
        seen += [item["name"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            return seen
    raise AssertionError("pagination did not end")


def test_price_sorts(client, catalogue):
    assert names(client, "listings", sort="price") == ["小米麻糬", "拿鐵", "花生糖", "小米酒"]
    assert names(client, "listings", sort="price_desc") == ["小米酒", "花生糖", "拿鐵", "小米麻糬"]


def test_newest_and_name_sorts(client, catalogue):
    assert names(client, "listings", sort="newest") == ["花生糖", "拿鐵", "小米麻糬", "小米酒"]
    assert names(client, "shops", sort="newest") == ["達仁咖啡", "望安花生糖", "土坂部落小米工坊"]
    assert names(client, "listings", sort="name", lang="en") == [
        "Latte",
        "Millet Mochi",
        "Millet Wine",
        "Peanut Candy",
    ]


ORDERS = [
    ("listings", {"sort": "price"}),
    ("listings", {"sort": "price_desc"}),
    ("listings", {"sort": "newest"}),
    ("listings", {"sort": "name", "lang": "en"}),
    ("listings", {"q": "小米"}),
    ("shops", {"sort": "name"}),
    ("shops", {"q": "millet", "lang": "en"}),
]


def test_pages_of_one_add_up_to_the_whole_answer(client, catalogue):
    for path, params in ORDERS:
        whole = names(client, path, **params)
        assert len(whole) >= 2
        assert walk(client, path, **params) == whole, (path, params)


def test_equal_sort_keys_are_neither_skipped_nor_repeated(client, catalogue, db):
    from merchant_api.catalog.models import Listing

    async def same_price(session):  # type: ignore[no-untyped-def]
        for index in range(5):
            session.add(
                Listing(
                    shop_id=catalogue.peanut_shop,
                    name={"zh-Hant-TW": f"花生禮盒{index}"},
                    price_minor=15000,
                )
            )

    db(same_price)
    walked = walk(client, "listings", sort="price", price_min=15000, price_max=15000)
    assert sorted(walked) == sorted({*walked}) and len(walked) == 6


def test_a_page_has_at_most_limit_items_and_a_cursor_when_more(client, catalogue):
    body = client.get("/api/search/listings", params={"limit": 3, "sort": "price"}).json()
    assert len(body["items"]) == 3
    assert body["next_cursor"]
    rest = client.get(
        "/api/search/listings", params={"limit": 3, "sort": "price", "cursor": body["next_cursor"]}
    ).json()
    assert [item["name"] for item in rest["items"]] == ["小米酒"]
    assert rest["next_cursor"] is None
