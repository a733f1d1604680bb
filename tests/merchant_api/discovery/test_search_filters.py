"""Street, county, category, points, open now, tags, prices and shop filters."""

from __future__ import annotations

from tests.merchant_api.discovery.support import names


def test_street_by_slug_or_id_and_county(client, catalogue):
    assert names(client, "shops", street="daren") == ["土坂部落小米工坊", "達仁咖啡"]
    assert names(client, "shops", street=str(catalogue.wangan)) == ["望安花生糖"]
    assert names(client, "shops", county="澎湖縣") == ["望安花生糖"]
    assert names(client, "listings", county="澎湖縣") == ["花生糖"]
    assert names(client, "shops", street="nowhere") == []


def test_category(client, catalogue):
    assert names(client, "shops", category="retail") == ["望安花生糖"]
    assert sorted(names(client, "listings", category="agriculture_produce")) == [
        "小米酒",
        "小米麻糬",
    ]


def test_accepts_points(client, catalogue):
    assert names(client, "shops", accepts_points="true") == ["土坂部落小米工坊"]
    assert names(client, "shops", accepts_points="false") == ["望安花生糖", "達仁咖啡"]
    assert sorted(names(client, "listings", accepts_points="true")) == ["小米酒", "小米麻糬"]


def test_open_now(client, catalogue):
    # The coffee shop opens on another weekday only; the peanut shop is closed today.
    assert names(client, "shops", open_now="true") == ["土坂部落小米工坊"]
    assert len(names(client, "shops", open_now="false")) == 3  # false does not filter
    assert sorted(names(client, "listings", open_now="true")) == ["小米酒", "小米麻糬"]


def test_tags_must_all_match(client, catalogue):
    assert sorted(names(client, "listings", tag="vegetarian")) == ["小米麻糬", "拿鐵", "花生糖"]
    assert names(client, "listings", tag=["vegetarian", "vegan"]) == ["花生糖"]


def test_price_range_is_inclusive(client, catalogue):
    assert sorted(names(client, "listings", price_min=8000, price_max=12000)) == [
        "小米麻糬",
        "拿鐵",
    ]
    assert names(client, "listings", price_min=35000) == ["小米酒"]


def test_shop_by_slug_or_id(client, catalogue):
    assert names(client, "listings", shop="wangan-peanut") == ["花生糖"]
    assert names(client, "listings", shop=str(catalogue.coffee_shop)) == ["拿鐵"]
    # A suspended shop's listings stay hidden even when asked for by name.
    assert names(client, "listings", shop="closed-millet") == []


def test_filters_combine_with_text(client, catalogue):
    assert names(client, "listings", q="小米", street="daren", tag="vegetarian") == [
        "小米麻糬",
        "拿鐵",
    ]
