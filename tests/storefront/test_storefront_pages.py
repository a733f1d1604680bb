"""The public pages: programme home, a street by category, a shop with its prices."""

from __future__ import annotations

import pytest
from markupsafe import escape
from sqlalchemy import update

from infra.bootstrap.seed import seed_demo
from infra.bootstrap.seed_data import STREETS
from merchant_api.shops.models import Shop
from storefront.formatting import format_twd


@pytest.fixture
def seeded(db):  # type: ignore[no-untyped-def]
    return db(lambda session: seed_demo(session, 2017))


def test_home_lists_the_programme_streets(client, seeded):
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert '<html lang="zh-Hant-TW">' in page
    assert 'name="viewport"' in page
    for street in STREETS:
        assert street.zh in page
        assert f"{street.county} {street.township}" in page
        assert f"{len(street.shops)} 家店" in page
        assert f'href="/streets/{street.slug}"' in page
    assert "<script" not in page


def test_home_without_streets_says_how_to_get_the_demo(client):
    page = client.get("/").text
    assert "onestreet seed" in page


def test_street_page_groups_shops_by_category(client, seeded):
    street = STREETS[1]
    page = client.get(f"/streets/{street.slug}").text
    assert street.zh in page
    for label in ("農糧漁牧", "手工藝品", "餐飲服務", "觀光旅遊", "產品零售"):
        assert label in page
    for shop in street.shops:
        assert f'href="/shops/{shop.slug}"' in page
    # Categories appear in the page order, produce first.
    assert page.index("農糧漁牧") < page.index("餐飲服務") < page.index("產品零售")


def test_shop_page_shows_listings_with_prices(client, seeded):
    shop = STREETS[0].shops[4]  # 望安阿嬤小吃
    page = client.get(f"/shops/{shop.slug}").text
    assert shop.zh in page and escape(shop.en) in page
    for listing in shop.listings:
        assert listing.zh in page and escape(listing.en) in page
        assert f'<span class="price">NT${listing.price_twd:,}</span>' in page
    assert f'href="/streets/{STREETS[0].slug}"' in page


def test_unknown_pages_are_friendly_404s(client, seeded):
    for url in ("/streets/nowhere", "/shops/nothing"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.headers["content-type"].startswith("text/html")
        assert "回到首頁" in response.text


def test_only_active_shops_are_shown_on_the_street(client, seeded, db):
    street = STREETS[0]
    hidden = street.shops[0]

    async def suspend(session):  # type: ignore[no-untyped-def]
        await session.execute(
            update(Shop).where(Shop.slug == hidden.slug).values(status="suspended")
        )

    db(suspend)
    page = client.get(f"/streets/{street.slug}").text
    assert f'href="/shops/{hidden.slug}"' not in page
    assert f'href="/shops/{street.shops[1].slug}"' in page


def test_text_is_escaped(client, seeded, db):
    shop = STREETS[0].shops[0]

    async def vandalise(session):  # type: ignore[no-untyped-def]
        await session.execute(
            update(Shop)
            .where(Shop.slug == shop.slug)
            .values(description={"zh-Hant-TW": "<script>alert(1)</script>"})
        )

    db(vandalise)
    page = client.get(f"/shops/{shop.slug}").text
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("minor", "text"),
    [(12000, "NT$120"), (0, "NT$0"), (120000, "NT$1,200"), (123456, "NT$1,234.56"), (5, "NT$0.05")],
)
def test_prices_are_written_in_new_taiwan_dollars(minor, text):
    assert format_twd(minor) == text
