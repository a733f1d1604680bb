"""Contact, accepted payment methods and staff languages: validated, all-or-nothing, shown on
the public shop read."""

from __future__ import annotations

from tests.merchant_api.shops.conftest import error_code, problem_keys


def test_owner_sets_contact_payment_methods_and_languages(caller, world, client):
    owner = caller("owner.a@test.tw")
    response = owner.patch(
        f"/api/shops/{world.shop_a}",
        json={
            "contact_email": " Millet@Tjuabal.TW ",
            "line_id": "@Tjuabal",
            "website": "https://tjuabal.example.tw",
            "payment_methods": ["twqr", "cash", "points", "cash"],
            "staff_languages": ["ZH-hant-tw", "nan", "pwn", "vi"],
        },
    )
    assert response.status_code == 200, response.text
    shop = client.get(f"/api/shops/{world.shop_a}").json()
    assert shop["contact"] == {
        "phone": "089-702123",
        "email": "millet@tjuabal.tw",
        "line_id": "@tjuabal",
        "website": "https://tjuabal.example.tw",
    }
    assert shop["payment_methods"] == ["cash", "twqr", "points"]
    assert shop["accepts_points"] is True
    assert shop["staff_languages"] == ["nan", "pwn", "vi", "zh-Hant-TW"]

    # Lists are replaced whole; a blank contact clears it.
    owner.patch(f"/api/shops/{world.shop_a}", json={"payment_methods": ["cash"], "line_id": " "})
    shop = client.get(f"/api/shops/{world.shop_a}").json()
    assert (shop["payment_methods"], shop["accepts_points"]) == (["cash"], False)
    assert shop["contact"]["line_id"] is None
    assert shop["staff_languages"] == ["nan", "pwn", "vi", "zh-Hant-TW"]


def test_invalid_details_are_refused_naming_each_field_and_nothing_is_saved(caller, world, client):
    owner = caller("owner.a@test.tw")
    owner.patch(f"/api/shops/{world.shop_a}", json={"payment_methods": ["cash"]})
    before = client.get(f"/api/shops/{world.shop_a}").json()
    cases = [
        ({"payment_methods": ["cash", "bitcoin"]}, "payment_methods[1]"),
        ({"staff_languages": ["vi", "not a language!"]}, "staff_languages[1]"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"website": "javascript:alert(1)"}, "website"),
        ({"line_id": "a b"}, "line_id"),
        ({"payment_methods": "cash"}, "payment_methods"),
        # One bad field spoils the whole request: the good ones are not saved either.
        ({"payment_methods": ["points"], "contact_email": "x"}, "contact_email"),
    ]
    for body, where in cases:
        response = owner.patch(f"/api/shops/{world.shop_a}", json=body)
        assert response.status_code == 422, (body, response.text)
        assert error_code(response) == "validation_failed"
        assert any(where == key or key.startswith(where) for key in problem_keys(response)), (
            body,
            response.text,
        )
    assert client.get(f"/api/shops/{world.shop_a}").json() == before
