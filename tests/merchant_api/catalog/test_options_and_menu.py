"""Option groups through the API, and the public menu per channel and language."""

from __future__ import annotations

from merchant_api.catalog.models import Option, OptionGroup
from tests.merchant_api.catalog.conftest import count_rows, problem_keys

SIZE = {
    "name": {"zh-Hant-TW": "份量", "en": "Size"},
    "required": True,
    "min_choices": 1,
    "max_choices": 1,
    "options": [
        {"name": {"zh-Hant-TW": "小"}, "price_delta_minor": -1000},
        {"name": {"zh-Hant-TW": "大", "en": "Large"}, "price_delta_minor": 2000},
    ],
}


def _listing(owner, shop_id, **extra):  # type: ignore[no-untyped-def]
    body = {"name": {"zh-Hant-TW": "米苔目", "en": "Rice noodles"}, "price_minor": 5000, **extra}
    response = owner.post(f"/api/shops/{shop_id}/listings", json=body)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_option_group_with_options_is_created_changed_and_removed(caller, world, db):
    owner = caller("owner.a@test.tw")
    listing = _listing(owner, world.shop_a)
    groups_url = f"/api/shops/{world.shop_a}/listings/{listing}/option-groups"
    created = owner.post(f"{groups_url}?lang=en", json=SIZE)
    assert created.status_code == 201, created.text
    group = created.json()
    assert (group["name"], [o["price_delta_minor"] for o in group["options"]]) == (
        "Size",
        [-1000, 2000],
    )
    assert [o["name"] for o in group["options"]] == ["小", "Large"]  # falls back to zh-Hant-TW

    added = owner.post(
        f"{groups_url}/{group['id']}/options",
        json={"name": {"zh-Hant-TW": "特大"}, "price_delta_minor": 3000},
    )
    assert added.status_code == 201 and len(added.json()["options"]) == 3
    small = group["options"][0]["id"]
    turned_off = owner.patch(
        f"{groups_url}/{group['id']}/options/{small}", json={"is_available": False}
    )
    assert turned_off.json()["options"][0]["is_available"] is False

    # The listing's price may not drop below what the small size takes off.
    too_cheap = owner.patch(
        f"/api/shops/{world.shop_a}/listings/{listing}", json={"price_minor": 500}
    )
    assert too_cheap.status_code == 422 and problem_keys(too_cheap) == ["price_minor"]

    detail = caller(None).get(f"/api/shops/{world.shop_a}/listings/{listing}").json()
    assert [g["id"] for g in detail["option_groups"]] == [group["id"]]

    assert owner.request("DELETE", f"{groups_url}/{group['id']}").status_code == 204
    assert (count_rows(db, OptionGroup), count_rows(db, Option)) == (0, 0)


def test_bad_option_group_names_each_field_and_writes_nothing(caller, world, db):
    owner = caller("owner.a@test.tw")
    listing = _listing(owner, world.shop_a)
    body = {
        "name": {"en": "Spice"},
        "required": True,
        "min_choices": 0,
        "max_choices": 2,
        "options": [
            {"name": {"zh-Hant-TW": "小辣"}},
            {"name": {"zh-Hant-TW": "免費"}, "price_delta_minor": -5001},
        ],
    }
    response = owner.post(f"/api/shops/{world.shop_a}/listings/{listing}/option-groups", json=body)
    assert response.status_code == 422
    assert set(problem_keys(response)) == {
        "name.zh-Hant-TW",
        "min_choices",
        "options[1].price_delta_minor",
    }
    assert (count_rows(db, OptionGroup), count_rows(db, Option)) == (0, 0)

    backwards = {**SIZE, "min_choices": 3, "max_choices": 2}
    response = owner.post(
        f"/api/shops/{world.shop_a}/listings/{listing}/option-groups", json=backwards
    )
    assert response.status_code == 422 and "min_choices" in problem_keys(response)
    # A group cannot be hung on another shop's listing through this shop's URL.
    other = _listing(caller("owner.b@test.tw"), world.shop_b)
    response = owner.post(f"/api/shops/{world.shop_a}/listings/{other}/option-groups", json=SIZE)
    assert response.status_code == 404
    assert count_rows(db, OptionGroup) == 0


def test_menu_shows_offered_listings_per_channel_by_category_in_a_language(caller, world):
    owner = caller("owner.a@test.tw")
    drinks = owner.post(
        f"/api/shops/{world.shop_a}/categories",
        json={"name": {"zh-Hant-TW": "飲料", "en": "Drinks"}, "position": 1},
    ).json()["id"]
    tea = _listing(
        owner, world.shop_a, name={"zh-Hant-TW": "小米茶", "en": "Millet tea"}, category_id=drinks
    )
    kiosk_only = _listing(owner, world.shop_a, channels=["kiosk"])
    hidden = _listing(owner, world.shop_a, is_available=False)
    sold_out = _listing(owner, world.shop_a, sold_out=True, category_id=drinks)
    none_left = _listing(owner, world.shop_a, stock=0, category_id=drinks)

    def menu(query):  # type: ignore[no-untyped-def]
        response = caller(None).get(f"/api/shops/{world.shop_a}/menu?{query}")
        assert response.status_code == 200, response.text
        return response.json()

    counter = menu("channel=counter&lang=en")
    assert [section["name"] for section in counter["sections"]] == ["Drinks", "Other"]
    drink_items = counter["sections"][0]["listings"]
    assert [(i["id"], i["name"], i["in_stock"]) for i in drink_items] == [
        (tea, "Millet tea", True),
        (sold_out, "Rice noodles", False),
        (none_left, "Rice noodles", False),
    ]
    ids = {item["id"] for section in counter["sections"] for item in section["listings"]}
    assert kiosk_only not in ids and hidden not in ids

    kiosk = menu("channel=kiosk&lang=th")
    ids = {item["id"] for section in kiosk["sections"] for item in section["listings"]}
    assert kiosk_only in ids and kiosk["language"] == "th"
    assert kiosk["sections"][0]["name"] == "飲料"  # no Thai name: Traditional Chinese

    unknown = caller(None).get(f"/api/shops/{world.shop_a}/menu?channel=drone")
    assert unknown.status_code == 422 and "channel" in unknown.text
