"""Payment links over HTTP and through the service, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import zxingcpp
from PIL import Image

from merchant_api.shops.payment_directory import ShopMerchantDirectory
from payments.links.config import LinkConfig
from payments.links.errors import LinkExpired, LinkUsed
from payments.links.service import PaymentLinkService
from payments.links.tokens import DynamicLink, LinkSigner, StaticLink
from payments.nfc import read_uri

OWNER_A = "owner.a@test.tw"


def _config(settings) -> LinkConfig:  # type: ignore[no-untyped-def]
    return LinkConfig.build(
        settings.auth.secret_key, settings.payments.link_ttl_minutes, settings.app.public_url
    )


def _code(response) -> str:  # type: ignore[no-untyped-def]
    return response.json()["error"]["code"]


def _flip(token: str) -> str:
    """Change one character well inside the token (the last may only carry padding bits)."""
    return token[:10] + ("A" if token[10] != "A" else "B") + token[11:]


def test_owner_creates_a_dynamic_link_that_resolves_with_our_shop_name(caller, world, settings):
    created = caller(OWNER_A).post(
        f"/api/shops/{world.shop_a}/payment-links",
        json={"amount_minor": 18000, "order_reference": "ORD-0001"},
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["url"] == f"{settings.app.public_url}/p/{body['token']}"
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(minutes=9) < expires - datetime.now(UTC) <= timedelta(minutes=10)

    resolved = caller(None).get(f"/api/payment-links/{body['token']}")
    assert resolved.status_code == 200, resolved.text
    assert resolved.json() | {"expires_at": None} == {
        "shop_id": str(world.shop_a),
        "shop_name": "小米工坊",
        "shop_names": {"zh-Hant-TW": "小米工坊", "en": "Millet Workshop"},
        "kind": "dynamic",
        "spot": None,
        "label": None,
        "amount_minor": 18000,
        "currency": "TWD",
        "order_reference": "ORD-0001",
        "expires_at": None,
    }
    english = caller(None).get(f"/api/payment-links/{body['token']}?lang=en")
    assert english.json()["shop_name"] == "Millet Workshop"
    png = caller(None).get(f"/api/payment-links/{body['token']}/qr/png")
    assert png.headers["content-type"] == "image/png"
    assert zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))[0].text == body["url"]
    forged = caller(None).get(f"/api/payment-links/{_flip(body['token'])}/qr/svg")
    assert _code(forged) == "payment_link_tampered"


def test_create_dynamic_link_is_for_the_shops_people_and_validated(caller, world, backend):
    if backend == "postgres":
        pytest.skip("who may create links does not depend on the database; SQLite shows it")
    url = f"/api/shops/{world.shop_a}/payment-links"
    good = {"amount_minor": 100, "order_reference": "A1"}
    assert caller(None).post(url, json=good).status_code == 401
    assert caller("consumer@test.tw").post(url, json=good).status_code == 403
    assert caller("owner.b@test.tw").post(url, json=good).status_code == 403
    assert caller("consultant.x@test.tw").post(url, json=good).status_code == 403
    assert caller("staff.a@test.tw").post(url, json=good).status_code == 201
    for bad in (
        {"amount_minor": 0, "order_reference": "A1"},
        {"amount_minor": 100, "order_reference": "has space"},
        {"amount_minor": 100},
    ):
        response = caller(OWNER_A).post(url, json=bad)
        assert response.status_code in (400, 422), response.text


def test_static_links_list_and_resolve_per_table(caller, world):
    listed = caller(OWNER_A).get(
        f"/api/shops/{world.shop_a}/payment-links/static?tables=3&kiosks=1"
    )
    assert listed.status_code == 200, listed.text
    links = listed.json()["links"]
    assert [(x["spot"], x["label"]) for x in links] == [
        ("shop", None),
        ("counter", "1"),
        ("table", "1"),
        ("table", "2"),
        ("table", "3"),
        ("kiosk", "1"),
    ]
    again = caller(OWNER_A).get(f"/api/shops/{world.shop_a}/payment-links/static?tables=3&kiosks=1")
    assert again.json()["links"] == links  # reprinting gives the same codes
    table_2 = caller(None).get(f"/api/payment-links/{links[3]['token']}").json()
    assert (table_2["kind"], table_2["spot"], table_2["label"]) == ("static", "table", "2")
    assert table_2["amount_minor"] is None and table_2["shop_name"] == "小米工坊"
    # consultants of the street may read and print; other shops' owners may not
    consultant = caller("consultant.x@test.tw").get(
        f"/api/shops/{world.shop_a}/payment-links/static"
    )
    assert consultant.status_code == 200
    other = caller("owner.b@test.tw").get(f"/api/shops/{world.shop_a}/payment-links/static")
    assert other.status_code == 403


def test_qr_png_svg_ndef_and_sheet(caller, world):
    base = f"/api/shops/{world.shop_a}/payment-links"
    link = caller(OWNER_A).get(f"{base}/static?counters=0&tables=1").json()["links"][1]
    png = caller(OWNER_A).get(f"{base}/static/table/qr/png?label=1")
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert zxingcpp.read_barcodes(Image.open(io.BytesIO(png.content)))[0].text == link["url"]
    svg = caller(OWNER_A).get(f"{base}/static/table/qr/svg?label=1")
    assert svg.headers["content-type"].startswith("image/svg+xml") and "小米工坊" in svg.text
    ndef = caller(OWNER_A).get(f"{base}/static/table/ndef?label=1")
    assert read_uri(ndef.content) == link["url"]
    tag = caller(OWNER_A).get(f"{base}/static/table/ndef?label=1&memory=type2")
    assert tag.content[0] == 0x03 and tag.content[-1] == 0xFE
    sheet = caller(OWNER_A).get(f"{base}/sheet?tables=12")
    assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/html")
    assert sheet.text.count('class="tent"') == 14 and "桌 12 · Table 12" in sheet.text
    assert caller(OWNER_A).get(f"{base}/static/booth/qr/png").status_code == 404
    assert caller(OWNER_A).get(f"{base}/static/table/qr/gif").status_code == 404
    too_long = caller(OWNER_A).get(f"{base}/static/table/qr/png?label={'x' * 40}")
    assert too_long.status_code == 422


def test_tampered_and_malformed_tokens_have_distinct_codes(caller, world, settings):
    token = (
        caller(OWNER_A)
        .post(
            f"/api/shops/{world.shop_a}/payment-links",
            json={"amount_minor": 18000, "order_reference": "ORD-0002"},
        )
        .json()["token"]
    )
    flipped = _flip(token)
    response = caller(None).get(f"/api/payment-links/{flipped}")
    assert (response.status_code, _code(response)) == (403, "payment_link_tampered")
    response = caller(None).get("/api/payment-links/not-a-token")
    assert (response.status_code, _code(response)) == (400, "payment_link_malformed")
    # a correctly signed link of a shop that does not exist
    ghost = LinkSigner(settings.auth.secret_key).sign(
        DynamicLink(
            uuid.uuid4(), uuid.uuid4(), 100, "901", datetime.now(UTC) + timedelta(minutes=5), "X"
        )
    )
    response = caller(None).get(f"/api/payment-links/{ghost}")
    assert (response.status_code, _code(response)) == (404, "payment_link_shop_unknown")


def test_expired_link_is_refused(db, world, settings, client):
    config = _config(settings)
    issued_at = datetime.now(UTC) - timedelta(minutes=11)

    async def issue(session):  # type: ignore[no-untyped-def]
        service = PaymentLinkService(session, config, ShopMerchantDirectory(), lambda: issued_at)
        return (
            await service.issue_dynamic(world.shop_a, amount_minor=500, order_reference="OLD")
        ).token

    token = db(issue)
    response = client.get(f"/api/payment-links/{token}")
    assert (response.status_code, _code(response)) == (410, "payment_link_expired")

    async def redeem(session):  # type: ignore[no-untyped-def]
        await PaymentLinkService(session, config, ShopMerchantDirectory()).redeem(token)

    with pytest.raises(LinkExpired):
        db(redeem)


def test_dynamic_link_works_once(db, world, settings, client):
    config = _config(settings)

    async def issue(session):  # type: ignore[no-untyped-def]
        service = PaymentLinkService(session, config, ShopMerchantDirectory())
        return (
            await service.issue_dynamic(world.shop_a, amount_minor=900, order_reference="ONCE")
        ).token

    token = db(issue)

    async def redeem(session):  # type: ignore[no-untyped-def]
        return await PaymentLinkService(session, config, ShopMerchantDirectory()).redeem(token)

    first = db(redeem)
    assert first.kind == "dynamic" and first.merchant.name() == "小米工坊"
    with pytest.raises(LinkUsed) as caught:
        db(redeem)
    assert caught.value.code == "payment_link_used" and caught.value.status_code == 409
    response = client.get(f"/api/payment-links/{token}")
    assert (response.status_code, _code(response)) == (409, "payment_link_used")


def test_static_links_can_be_redeemed_again_and_again(db, world, settings):
    config = _config(settings)

    async def redeem(session):  # type: ignore[no-untyped-def]
        service = PaymentLinkService(session, config, ShopMerchantDirectory())
        token = service.static_link(world.shop_a, "table", "4").token
        return (await service.redeem(token)).kind

    assert db(redeem) == db(redeem) == "static"


def test_second_insert_of_a_use_is_refused_by_the_database(db, world):
    """The primary key, not the read before it, is what makes a link work once."""
    from payments.links.models import PaymentLinkUse
    from payments.links.repository import PaymentLinkRepository

    link_id = uuid.uuid4()

    def use() -> PaymentLinkUse:
        return PaymentLinkUse(
            link_id=link_id,
            shop_id=world.shop_a,
            order_reference="PK",
            amount_minor=100,
            currency="901",
        )

    async def twice(session):  # type: ignore[no-untyped-def]
        repo = PaymentLinkRepository(session)
        first, second = await repo.record_use(use()), await repo.record_use(use())
        return first, second, await repo.is_used(link_id)  # the session is still usable

    assert db(twice) == (True, False, True)


def test_links_of_a_suspended_shop_stop_working(db, world, settings, client):
    from sqlalchemy import update

    from merchant_api.shops.models import Shop

    config = _config(settings)
    token = config.signer.sign(StaticLink(world.shop_a, "counter", "1"))
    assert client.get(f"/api/payment-links/{token}").status_code == 200

    async def suspend(session):  # type: ignore[no-untyped-def]
        await session.execute(
            update(Shop).where(Shop.id == world.shop_a).values(status="suspended")
        )

    db(suspend)
    response = client.get(f"/api/payment-links/{token}")
    assert (response.status_code, _code(response)) == (404, "payment_link_shop_unknown")
