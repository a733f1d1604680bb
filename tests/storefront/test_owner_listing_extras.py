"""Photos and option groups from the console's listing form: uploaded and removed through the
page, refusals shown next to the fields with what was typed kept, and the menu API sees them."""

# ruff: noqa: F811  (fixtures imported from the merchant API tests)

from __future__ import annotations

import io

from PIL import Image

from tests.merchant_api.conftest import caller, world  # noqa: F401  (fixtures)
from tests.merchant_api.orders.conftest import cheap_password_hashing  # noqa: F401  (fixture)


def _listing(owner, shop_id) -> str:  # type: ignore[no-untyped-def]
    made = owner.post(
        f"/api/shops/{shop_id}/listings",
        json={"name": {"zh-Hant-TW": "小米麵"}, "price_minor": 12000},
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 160, 40)).save(out, "PNG")
    return out.getvalue()


def test_owner_adds_and_removes_a_photo(caller, world):  # type: ignore[no-untyped-def]
    owner = caller("owner.a@test.tw")
    listing = _listing(owner, world.shop_a)
    form_url = f"/owner/shops/{world.shop_a}/listings/{listing}"
    assert 'enctype="multipart/form-data"' in owner.get(form_url).text

    bad = owner.post(
        f"{form_url}/photos?lang=en", files={"photo": ("x.png", b"not an image", "image/png")}
    )
    assert bad.status_code == 415 and "not a JPEG, PNG or WebP photo" in bad.text
    empty = owner.post(f"{form_url}/photos?lang=en", files={"photo": ("x.png", b"", "image/png")})
    assert empty.status_code == 422 and "Choose a photo first." in empty.text

    sent = owner.post(
        f"{form_url}/photos",
        files={"photo": ("x.png", _png(), "image/png")},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    photos = owner.get(f"/api/shops/{world.shop_a}/listings/{listing}").json()["photos"]
    assert len(photos) == 1
    page = owner.get(form_url).text
    assert f"/media/listing-photos/{photos[0]['id']}/160.webp" in page
    assert owner.get(f"/media/listing-photos/{photos[0]['id']}/160.webp").status_code == 200

    removed = owner.post(f"{form_url}/photos/{photos[0]['id']}/delete", follow_redirects=False)
    assert removed.status_code == 303
    assert owner.get(f"/api/shops/{world.shop_a}/listings/{listing}").json()["photos"] == []
    other = caller("owner.b@test.tw")
    assert other.post(f"{form_url}/photos", files={"photo": ("x.png", _png())}).status_code == 403


def test_owner_adds_an_option_group_and_a_refusal_keeps_what_was_typed(caller, world):  # type: ignore[no-untyped-def]
    owner = caller("owner.a@test.tw")
    listing = _listing(owner, world.shop_a)
    form_url = f"/owner/shops/{world.shop_a}/listings/{listing}"
    typed = {"group_name": "", "group_max": "1", "group_options": "小碗 -200\n大碗 +20"}

    refused = owner.post(f"{form_url}/options?lang=vi", data=typed)
    assert refused.status_code == 422
    assert "Đặt tên cho nhóm tùy chọn" in refused.text
    assert "小碗 -200\n大碗 +20</textarea>" in refused.text
    fixed = {
        **typed,
        "group_name": "份量",
        "group_options": "小碗 -10\n大碗 +20",
        "group_required": "on",
    }
    saved = owner.post(f"{form_url}/options", data=fixed, follow_redirects=False)
    assert saved.status_code == 303

    groups = owner.get(f"/api/shops/{world.shop_a}/listings/{listing}").json()["option_groups"]
    assert len(groups) == 1 and groups[0]["required"] and groups[0]["max_choices"] == 1
    assert [(o["name"], o["price_delta_minor"]) for o in groups[0]["options"]] == [
        ("小碗", -1000),
        ("大碗", 2000),
    ]
    page = owner.get(form_url).text
    assert "份量" in page and "大碗 +NT$20" in page

    gone = owner.post(f"{form_url}/options/{groups[0]['id']}/delete", follow_redirects=False)
    assert gone.status_code == 303
    assert owner.get(f"/api/shops/{world.shop_a}/listings/{listing}").json()["option_groups"] == []
