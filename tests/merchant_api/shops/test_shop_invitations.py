"""Invitations: owners invite by e-mail or phone; the invited person joins with the one-time
token, signed in or as a new account; expired, revoked, reused and misaddressed tokens are
refused with their own codes; the last owner stays."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from infra.outbox.models import OutboxEvent
from merchant_api.shops.invitation_models import ShopInvitation
from tests.merchant_api.shops.conftest import error_code, problem_keys

pytestmark = pytest.mark.usefixtures("cheap_password_hashing")


def _invite(caller, shop_id, **body):  # type: ignore[no-untyped-def]
    response = caller("owner.a@test.tw").post(f"/api/shops/{shop_id}/invitations", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _members(caller, shop_id) -> dict[str, str]:  # type: ignore[no-untyped-def]
    found = caller("admin@test.tw").get(f"/api/shops/{shop_id}/members").json()["members"]
    return {member["email"]: member["role"] for member in found}


def test_new_person_registers_with_the_token_and_joins_once(caller, world, client, db):
    made = _invite(caller, world.shop_a, role="staff", email="New.Staff@Test.tw")
    assert (made["email"], made["state"], made["role"]) == ("new.staff@test.tw", "pending", "staff")
    token = made["token"]

    # The outbox carries the invitation id for a later mail sender, never the token.
    async def events(session):  # type: ignore[no-untyped-def]
        rows = await session.scalars(
            select(OutboxEvent).where(OutboxEvent.event_type == "shop.invitation_created")
        )
        return [row.payload for row in rows]

    payloads = db(events)
    assert payloads == [
        {"invitation_id": made["id"], "shop_id": str(world.shop_a), "channel": "email"}
    ]
    assert token not in str(payloads)

    client.cookies.clear()
    preview = client.post("/api/shop-invitations/preview?lang=en", json={"token": token})
    assert preview.status_code == 200, preview.text
    assert (preview.json()["shop_name"], preview.json()["state"]) == ("Millet Workshop", "pending")
    assert preview.json()["needs_email"] is False
    joined = client.post(
        "/api/shop-invitations/register",
        json={"token": token, "display_name": "阿美", "password": "a long enough password"},
    )
    assert joined.status_code == 201, joined.text
    assert joined.json()["role"] == "staff"
    login = client.post(
        "/api/auth/login", json={"email": "new.staff@test.tw", "password": "a long enough password"}
    )
    assert login.status_code == 200
    assert client.get(f"/api/shops/{world.shop_a}/members").status_code == 200
    assert _members(caller, world.shop_a)["new.staff@test.tw"] == "staff"

    client.cookies.clear()
    again = client.post(
        "/api/shop-invitations/register",
        json={"token": token, "display_name": "Eve", "password": "another long password"},
    )
    assert (again.status_code, error_code(again)) == (410, "invitation_used")
    listed = caller("owner.a@test.tw").get(f"/api/shops/{world.shop_a}/invitations").json()
    assert [item["state"] for item in listed] == ["accepted"]
    assert "token" not in listed[0]


def test_signed_in_account_accepts_only_its_own_invitation(caller, world):
    made = _invite(caller, world.shop_a, role="owner", email="owner.b@test.tw")
    wrong = caller("staff.a@test.tw").post(
        "/api/shop-invitations/accept", json={"token": made["token"]}
    )
    assert (wrong.status_code, error_code(wrong)) == (403, "invitation_wrong_account")
    right = caller("owner.b@test.tw").post(
        "/api/shop-invitations/accept", json={"token": made["token"]}
    )
    assert right.status_code == 201, right.text
    assert _members(caller, world.shop_a)["owner.b@test.tw"] == "owner"
    reused = caller("owner.b@test.tw").post(
        "/api/shop-invitations/accept", json={"token": made["token"]}
    )
    assert (reused.status_code, error_code(reused)) == (410, "invitation_used")
    unknown = caller("owner.b@test.tw").post("/api/shop-invitations/accept", json={"token": "nope"})
    assert (unknown.status_code, error_code(unknown)) == (404, "invitation_not_found")


def test_expired_and_revoked_invitations_are_refused(caller, world, client, db):
    expiring = _invite(caller, world.shop_a, role="staff", phone="0912-345-678")
    assert expiring["phone"] == "+886912345678"

    async def age(session):  # type: ignore[no-untyped-def]
        await session.execute(
            update(ShopInvitation)
            .where(ShopInvitation.id == uuid.UUID(expiring["id"]))
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )

    db(age)
    client.cookies.clear()
    register = {"display_name": "Ana", "password": "a long enough password", "email": "a@x.tw"}
    expired = client.post(
        "/api/shop-invitations/register", json={**register, "token": expiring["token"]}
    )
    assert (expired.status_code, error_code(expired)) == (410, "invitation_expired")

    revoked = _invite(caller, world.shop_a, role="staff", email="later@test.tw")
    withdrawn = caller("owner.a@test.tw").request(
        "DELETE", f"/api/shops/{world.shop_a}/invitations/{revoked['id']}"
    )
    assert withdrawn.status_code == 204
    client.cookies.clear()
    refused = client.post(
        "/api/shop-invitations/register", json={**register, "token": revoked["token"]}
    )
    assert (refused.status_code, error_code(refused)) == (410, "invitation_revoked")
    # Nothing was created by the refused attempts.
    assert (
        client.post(
            "/api/auth/login", json={"email": "a@x.tw", "password": "a long enough password"}
        ).status_code
        == 401
    )


def test_phone_invitation_registration_needs_an_email_and_keeps_the_phone(caller, world, client):
    made = _invite(caller, world.shop_a, role="staff", phone="+886 912 000 111")
    client.cookies.clear()
    body = {"token": made["token"], "display_name": "Linh", "password": "a long enough password"}
    missing = client.post("/api/shop-invitations/register", json=body)
    assert missing.status_code == 422 and problem_keys(missing) == ["email"]
    short = client.post(
        "/api/shop-invitations/register",
        json={**body, "email": "linh@test.tw", "password": "short"},
    )
    assert short.status_code == 422
    ok = client.post("/api/shop-invitations/register", json={**body, "email": "linh@test.tw"})
    assert ok.status_code == 201, ok.text


BAD_INVITATIONS = [
    ({"role": "boss", "email": "x@test.tw"}, "role"),
    ({"role": "staff"}, "email"),
    ({"role": "staff", "email": "x@test.tw", "phone": "+886912345678"}, "email"),
    ({"role": "staff", "email": "not an email"}, "email"),
    ({"role": "staff", "phone": "12"}, "phone"),
]


def test_bad_invitations_are_refused_and_nothing_is_recorded(caller, world):
    owner = caller("owner.a@test.tw")
    for body, where in BAD_INVITATIONS:
        response = owner.post(f"/api/shops/{world.shop_a}/invitations", json=body)
        assert response.status_code == 422, response.text
        assert where in problem_keys(response), response.text
    assert owner.get(f"/api/shops/{world.shop_a}/invitations").json() == []


def test_inviting_a_member_again_is_a_conflict(caller, world):
    response = caller("owner.a@test.tw").post(
        f"/api/shops/{world.shop_a}/invitations", json={"role": "owner", "email": "staff.a@test.tw"}
    )
    assert (response.status_code, error_code(response)) == (409, "already_member")


def test_owner_removes_staff_but_never_the_last_owner(caller, world):
    owner = caller("owner.a@test.tw")
    staff_id = world.accounts["staff.a@test.tw"]
    owner_id = world.accounts["owner.a@test.tw"]
    assert (
        caller("staff.a@test.tw")
        .request("DELETE", f"/api/shops/{world.shop_a}/members/{owner_id}")
        .status_code
        == 403
    )
    last = owner.request("DELETE", f"/api/shops/{world.shop_a}/members/{owner_id}")
    assert (last.status_code, error_code(last)) == (409, "last_owner")
    assert (
        owner.request("DELETE", f"/api/shops/{world.shop_a}/members/{staff_id}").status_code == 204
    )
    assert _members(caller, world.shop_a) == {"owner.a@test.tw": "owner"}
    # The removed staff member has lost access.
    assert caller("staff.a@test.tw").get(f"/api/shops/{world.shop_a}/members").status_code == 403
