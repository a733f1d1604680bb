"""Bad parameters are refused with 4xx naming the parameter."""

from __future__ import annotations

from tests.merchant_api.discovery.support import problem_keys

BAD = [
    ("shops", {"limit": 0}, "limit"),
    ("shops", {"limit": 101}, "limit"),
    ("listings", {"limit": "many"}, "limit"),
    ("shops", {"sort": "price"}, "sort"),
    ("listings", {"sort": "cheapest"}, "sort"),
    ("listings", {"sort": "relevance"}, "sort"),
    ("shops", {"category": "bakery"}, "category"),
    ("listings", {"tag": "sweet"}, "tag"),
    ("listings", {"price_min": -1}, "price_min"),
    ("listings", {"price_min": "cheap"}, "price_min"),
    ("listings", {"price_min": 500, "price_max": 100}, "price_max"),
    ("shops", {"q": "a"}, "q"),
    ("shops", {"q": "米" * 101}, "q"),
    ("shops", {"open_now": "maybe"}, "open_now"),
    ("shops", {"cursor": "not-a-cursor"}, "cursor"),
]


def test_bad_parameters_are_named(client):
    for path, params, key in BAD:
        response = client.get(f"/api/search/{path}", params=params)
        assert key in problem_keys(response), (path, params)


def test_cursor_of_another_sort_is_refused(client, catalogue):
    first = client.get("/api/search/listings", params={"sort": "price", "limit": 1}).json()
    response = client.get(
        "/api/search/listings",
        params={"sort": "newest", "limit": 1, "cursor": first["next_cursor"]},
    )
    assert problem_keys(response) == {"cursor"}
