"""The consumer's vouchers page (status, code and QR) and the owner's redemption page: typed
code redeemed once, refusals worded next to the field in the owner's language."""

# ruff: noqa: F811  (fixtures imported from the merchant API tests)

from __future__ import annotations

import re

from tests.merchant_api.conftest import caller, world  # noqa: F401  (fixtures)
from tests.merchant_api.vouchers.conftest import (  # noqa: F401  (fixtures)
    buy,
    cheap_password_hashing,
    create_offer,
    menu,
    offer,
    outbox,
    paid_voucher,
    pay,
    settings,
)


def test_consumer_sees_bought_vouchers_with_status_and_qr(caller, world, paid_voucher, offer):  # type: ignore[no-untyped-def]
    consumer = caller("consumer@test.tw")
    unpaid = buy(consumer, offer["id"])
    assert unpaid.status_code == 201

    wallet = consumer.get("/wallet?lang=en").text
    assert 'href="/wallet/vouchers"' in wallet
    page = consumer.get("/wallet/vouchers?lang=en")
    assert page.status_code == 200
    assert page.text.count('class="voucher"') == 2
    assert "Millet set for two" in page.text and "Millet Workshop" in page.text
    assert "Ready to use" in page.text and "Waiting for payment" in page.text
    assert "Worth NT$300, paid NT$250" in page.text
    # Only the paid voucher shows its code, once as QR and once to read out.
    assert page.text.count("<svg") == 1
    assert paid_voucher["code_display"] in page.text
    assert unpaid.json()["code_display"] not in page.text

    vi = consumer.get("/wallet/vouchers?lang=vi").text
    assert "Phiếu mua hàng của tôi" in vi


def test_vouchers_page_is_for_signed_in_consumers(caller, world):  # type: ignore[no-untyped-def]
    anonymous = caller(None).get("/wallet/vouchers", follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == "/owner/login?next=/wallet/vouchers"
    assert caller("owner.a@test.tw").get("/wallet/vouchers").status_code == 403


def test_staff_redeem_a_typed_code_once(caller, world, paid_voucher):  # type: ignore[no-untyped-def]
    url = f"/owner/shops/{world.shop_a}/vouchers"
    staff = caller("staff.a@test.tw")
    form = staff.get(f"{url}?lang=en")
    assert form.status_code == 200 and 'name="code"' in form.text
    assert '<script src="/assets/owner_scan.js"' in form.text
    script = staff.get("/assets/owner_scan.js")
    assert script.status_code == 200 and "BarcodeDetector" in script.text
    # Scanning is an addition: the button stays hidden until the script finds a camera API.
    assert '<button type="button" class="quiet" id="scan" hidden>' in form.text
    typed = paid_voucher["code_display"].lower()

    redeemed = staff.post(url, data={"code": typed}, follow_redirects=False)
    assert redeemed.status_code == 303
    done = staff.get(redeemed.headers["location"] + "&lang=en").text
    assert "Voucher used: Millet set for two, worth NT$300." in done
    mine = caller("consumer@test.tw").get("/api/me/vouchers").json()["vouchers"]
    assert [v["status"] for v in mine] == ["redeemed"]

    again = staff.post(f"{url}?lang=en", data={"code": paid_voucher["qr_payload"]})
    assert again.status_code == 409
    assert re.search(r'id="code-error"[^>]*>This voucher was already used \(\d{4}-', again.text)
    assert f'value="{paid_voucher["qr_payload"]}"' in again.text, "what was typed is kept"
    assert 'aria-invalid="true"' in again.text
    assert caller("consumer@test.tw").get("/wallet/vouchers?lang=en").text.count("<svg") == 0


def test_redemption_refuses_unknown_other_shop_and_empty_codes(caller, world, paid_voucher):  # type: ignore[no-untyped-def]
    owner_b = caller("owner.b@test.tw")
    other_shop = owner_b.post(
        f"/owner/shops/{world.shop_b}/vouchers?lang=vi", data={"code": paid_voucher["code"]}
    )
    assert other_shop.status_code == 404
    assert "của cửa hàng khác" in other_shop.text
    assert owner_b.get(f"/owner/shops/{world.shop_a}/vouchers").status_code == 403
    owner_a = caller("owner.a@test.tw")
    unknown = owner_a.post(
        f"/owner/shops/{world.shop_a}/vouchers?lang=en", data={"code": "ABCD-EFGH"}
    )
    assert unknown.status_code == 404 and "No voucher of this shop has this code" in unknown.text
    empty = owner_a.post(f"/owner/shops/{world.shop_a}/vouchers?lang=en", data={"code": " "})
    assert empty.status_code == 422 and "Type the voucher code" in empty.text
    mine = caller("consumer@test.tw").get("/api/me/vouchers").json()["vouchers"]
    assert [v["status"] for v in mine] == ["active"]
