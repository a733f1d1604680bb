"""Listings through the HTTP API: rich create/update, validation that names the field and
writes nothing, soft delete that keeps a listing readable by id, and who may write."""

from __future__ import annotations

from merchant_api.catalog.models import Listing, ListingCategory
from tests.merchant_api.catalog.conftest import count_rows, problem_keys

NAME = {"zh-Hant-TW": "小米粽"}


def _category(owner, shop_id, zh="主食"):  # type: ignore[no-untyped-def]
    response = owner.post(f"/api/shops/{shop_id}/categories", json={"name": {"zh-Hant-TW": zh}})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_full_listing_is_created_updated_and_read_in_a_language(caller, world):
    owner = caller("owner.a@test.tw")
    category = _category(owner, world.shop_a)
    body = {
        "name": {"zh-Hant-TW": "小米粽", "vi": "Bánh kê"},
        "description": {"zh-Hant-TW": "排灣族傳統"},
        "price_minor": 6000,
        "category_id": category,
        "stock": 12,
        "channels": ["kiosk", "counter"],
        "time_windows": [{"weekday": 5, "start": "10:00", "end": "24:00"}],
        "tags": ["indigenous", "local_produce", "indigenous"],
    }
    created = owner.post(f"/api/shops/{world.shop_a}/listings?lang=vi", json=body)
    assert created.status_code == 201, created.text
    listing = created.json()
    assert (listing["name"], listing["description"]) == ("Bánh kê", "排灣族傳統")
    assert listing["channels"] == ["counter", "kiosk"]
    assert listing["tags"] == ["indigenous", "local_produce"]
    assert (listing["stock"], listing["category_id"], listing["sold_out"]) == (12, category, False)

    url = f"/api/shops/{world.shop_a}/listings/{listing['id']}"
    changed = owner.patch(url, json={"stock": None, "sold_out": True, "price_minor": 6500})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["stock"], changed.json()["sold_out"]) == (None, True)
    read = caller(None).get(url).json()
    assert (read["price_minor"], read["stock"], read["name"]) == (6500, None, "小米粽")
    assert read["time_windows"] == [{"weekday": 5, "start": "10:00", "end": "24:00"}]


BAD_LISTINGS = (
    ({"name": NAME, "price_minor": 100_000_001}, "price_minor"),
    ({"name": NAME, "price_minor": -1}, "price_minor"),
    ({"name": NAME, "price_minor": 100, "channels": ["drone"]}, "channels[0]"),
    ({"name": NAME, "price_minor": 100, "tags": ["cheap"]}, "tags[0]"),
    ({"name": NAME, "price_minor": 100, "channels": []}, "channels"),
    (
        {
            "name": NAME,
            "price_minor": 100,
            "time_windows": [{"weekday": 1, "start": "10:00", "end": "11:00"}] * 29,
        },
        "time_windows",
    ),
    (
        {
            "name": NAME,
            "price_minor": 100,
            "time_windows": [{"weekday": 7, "start": "10:00", "end": "11:00"}],
        },
        "time_windows[0].weekday",
    ),
    (
        {
            "name": NAME,
            "price_minor": 100,
            "time_windows": [{"weekday": 1, "start": "9:00", "end": "11:00"}],
        },
        "time_windows[0].start",
    ),
    (
        {
            "name": NAME,
            "price_minor": 100,
            "time_windows": [{"weekday": 1, "start": "12:00", "end": "11:00"}],
        },
        "time_windows[0].end",
    ),
    (
        {
            "name": NAME,
            "price_minor": 100,
            "category_id": "7f1a61a0-0000-4000-8000-000000000000",
        },
        "category_id",
    ),
    ({"name": NAME, "price_minor": 100, "stock": 1.5}, "stock"),
)


def test_bad_listing_names_the_field_and_writes_nothing(caller, world, db):
    owner = caller("owner.a@test.tw")
    before = count_rows(db, Listing)
    for body, key in BAD_LISTINGS:
        response = owner.post(f"/api/shops/{world.shop_a}/listings", json=body)
        assert response.status_code == 422, response.text
        assert key in problem_keys(response), (key, response.text)
    assert count_rows(db, Listing) == before


def test_category_of_another_shop_is_refused_on_update(caller, world, db):
    owner_a, owner_b = caller("owner.a@test.tw"), caller("owner.b@test.tw")
    foreign = _category(owner_b, world.shop_b, "茶")
    listing = owner_a.post(
        f"/api/shops/{world.shop_a}/listings", json={"name": NAME, "price_minor": 100}
    )
    url = f"/api/shops/{world.shop_a}/listings/{listing.json()['id']}"
    response = owner_a.patch(url, json={"category_id": foreign, "price_minor": 200})
    assert response.status_code == 422 and problem_keys(response) == ["category_id"]
    # Nothing of the refused update stuck, not even the valid price.
    assert caller(None).get(url).json()["price_minor"] == 100


def test_removed_listing_leaves_menus_but_stays_readable_by_id(caller, world, client):
    owner = caller("owner.a@test.tw")
    created = owner.post(
        f"/api/shops/{world.shop_a}/listings", json={"name": NAME, "price_minor": 6000}
    )
    listing_id = created.json()["id"]
    url = f"/api/shops/{world.shop_a}/listings/{listing_id}"

    assert owner.request("DELETE", url).status_code == 204
    assert owner.request("DELETE", url).status_code == 204  # removing twice is harmless

    read = caller(None).get(url)
    assert read.status_code == 200 and read.json()["deleted_at"] is not None
    menu = caller(None).get(f"/api/shops/{world.shop_a}/menu").json()
    on_menu = [item["id"] for section in menu["sections"] for item in section["listings"]]
    assert listing_id not in on_menu and on_menu  # the fixture's millet is still there
    owned = owner.get(f"/api/shops/{world.shop_a}/listings").json()
    assert listing_id not in [item["id"] for item in owned]
    assert owner.patch(url, json={"price_minor": 1}).status_code == 404


OUTSIDERS = (
    (None, 401),
    ("consultant.x@test.tw", 403),
    ("owner.b@test.tw", 403),
    ("consumer@test.tw", 403),
)


def test_only_the_shops_people_write(caller, world, db):
    before = (count_rows(db, Listing), count_rows(db, ListingCategory))
    for who, status in OUTSIDERS:
        _refused_writes(caller(who), world, status)
    assert (count_rows(db, Listing), count_rows(db, ListingCategory)) == before


def _refused_writes(person, world, status):  # type: ignore[no-untyped-def]
    assert (
        person.post(
            f"/api/shops/{world.shop_a}/listings", json={"name": NAME, "price_minor": 1}
        ).status_code
        == status
    )
    assert (
        person.post(f"/api/shops/{world.shop_a}/categories", json={"name": NAME}).status_code
        == status
    )


def test_staff_and_admin_write(caller, world):
    for who in ("staff.a@test.tw", "admin@test.tw"):
        response = caller(who).post(
            f"/api/shops/{world.shop_a}/listings", json={"name": NAME, "price_minor": 1}
        )
        assert response.status_code == 201, (who, response.text)


def test_categories_are_renamed_and_removed_leaving_their_listings(caller, world, db):
    owner = caller("owner.a@test.tw")
    category = _category(owner, world.shop_a)
    listing = owner.post(
        f"/api/shops/{world.shop_a}/listings",
        json={"name": NAME, "price_minor": 100, "category_id": category},
    ).json()["id"]
    url = f"/api/shops/{world.shop_a}/categories/{category}"
    renamed = owner.patch(url, json={"name": {"zh-Hant-TW": "點心", "en": "Snacks"}})
    assert renamed.status_code == 200 and renamed.json()["names"]["en"] == "Snacks"
    assert owner.patch(url, json={"name": {"en": "x"}}).status_code == 422
    assert caller(None).get(f"/api/shops/{world.shop_a}/categories?lang=en").json()[0]["name"] == (
        "Snacks"
    )

    assert owner.request("DELETE", url).status_code == 204
    assert count_rows(db, ListingCategory) == 0
    read = caller(None).get(f"/api/shops/{world.shop_a}/listings/{listing}").json()
    assert read["category_id"] is None and read["deleted_at"] is None
