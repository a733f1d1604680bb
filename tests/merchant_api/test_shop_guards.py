"""Who may read a shop's members, change the shop and add listings: nobody crosses shops.

Street X has shops A and C; street Y has shop B. Every denied write is checked to have
changed nothing.
"""

from __future__ import annotations

import pytest

NEW_LISTING = {"name": {"zh-Hant-TW": "紅藜 300g"}, "price_minor": 35000}


def _attempts(shop_id):  # type: ignore[no-untyped-def]
    """The three guarded calls on one shop: (label, method, url, body)."""
    return [
        ("members", "GET", f"/api/shops/{shop_id}/members", None),
        ("patch", "PATCH", f"/api/shops/{shop_id}", {"phone": "089-700000"}),
        ("listing", "POST", f"/api/shops/{shop_id}/listings", NEW_LISTING),
    ]


def _call(who, method, url, body):  # type: ignore[no-untyped-def]
    return who.request(method, url, json=body) if body is not None else who.request(method, url)


def _snapshot(client, shop_id):  # type: ignore[no-untyped-def]
    shop = client.get(f"/api/shops/{shop_id}").json()
    return shop["phone"], len(shop["listings"])


def test_anonymous_callers_are_asked_to_sign_in(caller, world, client):
    anonymous = caller(None)
    before = _snapshot(client, world.shop_a)
    for label, method, url, body in _attempts(world.shop_a):
        response = _call(anonymous, method, url, body)
        assert response.status_code == 401, label
        assert error_code(response) == "not_authenticated", label
    assert _snapshot(client, world.shop_a) == before


def test_public_reads_need_no_sign_in(caller, world):
    anonymous = caller(None)
    assert anonymous.get("/api/streets").status_code == 200
    assert anonymous.get(f"/api/streets/{world.street_x}").status_code == 200
    assert anonymous.get(f"/api/shops/{world.shop_a}").status_code == 200


@pytest.mark.parametrize("email", ["owner.a@test.tw", "staff.a@test.tw"])
def test_owner_and_staff_act_for_their_own_shop_only(caller, world, client, email):
    member = caller(email)
    for label, method, url, body in _attempts(world.shop_a):
        response = _call(member, method, url, body)
        assert response.status_code in (200, 201), (label, response.text)

    # Shop B is on another street; shop C is a neighbour on the same street.
    for other in (world.shop_b, world.shop_c):
        before = _snapshot(client, other)
        for label, method, url, body in _attempts(other):
            response = _call(member, method, url, body)
            assert response.status_code == 403, (label, other)
            assert error_code(response) == "permission_denied"
        assert _snapshot(client, other) == before


def test_street_consultant_reads_shops_of_that_street_only(caller, world, client):
    consultant = caller("consultant.x@test.tw")
    # Assigned to street X: covers A and C, read-only.
    for shop in (world.shop_a, world.shop_c):
        members = consultant.get(f"/api/shops/{shop}/members")
        assert members.status_code == 200
    people = consultant.get(f"/api/shops/{world.shop_a}/members").json()
    assert [p["email"] for p in people["members"]] == ["owner.a@test.tw", "staff.a@test.tw"]
    assert [p["email"] for p in people["consultants"]] == ["consultant.x@test.tw"]

    # Consultants advise; they do not change a shop's data, even on their own street.
    before = _snapshot(client, world.shop_a)
    for label, method, url, body in _attempts(world.shop_a)[1:]:
        assert _call(consultant, method, url, body).status_code == 403, label
    assert _snapshot(client, world.shop_a) == before

    # Street Y is not theirs at all.
    for label, method, url, body in _attempts(world.shop_b):
        assert _call(consultant, method, url, body).status_code == 403, label


def test_shop_consultant_covers_that_shop_not_its_street(caller, world):
    consultant = caller("consultant.b@test.tw")
    assert consultant.get(f"/api/shops/{world.shop_b}/members").status_code == 200
    for shop in (world.shop_a, world.shop_c):
        assert consultant.get(f"/api/shops/{shop}/members").status_code == 403


@pytest.mark.parametrize("email", ["consumer@test.tw", "ministry@test.tw"])
def test_consumers_and_the_ministry_cannot_touch_shops(caller, world, client, email):
    outsider = caller(email)
    before = _snapshot(client, world.shop_a)
    for label, method, url, body in _attempts(world.shop_a):
        response = _call(outsider, method, url, body)
        assert response.status_code == 403, label
        assert error_code(response) == "permission_denied"
    assert _snapshot(client, world.shop_a) == before


def test_platform_admin_can_act_for_any_shop(caller, world, client):
    admin = caller("admin@test.tw")
    for shop in (world.shop_a, world.shop_b):
        for label, method, url, body in _attempts(shop):
            response = _call(admin, method, url, body)
            assert response.status_code in (200, 201), (label, response.text)
        assert _snapshot(client, shop) == ("089-700000", 2 if shop == world.shop_a else 1)


def test_unknown_shop_is_denied_like_a_foreign_one(caller, world):
    """Members get the same 403 for a shop that does not exist, so ids cannot be probed."""
    owner = caller("owner.a@test.tw")
    missing = "00000000-0000-4000-8000-000000000000"
    assert owner.get(f"/api/shops/{missing}/members").status_code == 403
    admin = caller("admin@test.tw")
    response = admin.get(f"/api/shops/{missing}/members")
    assert response.status_code == 404
    assert error_code(response) == "not_found"


def test_session_writes_need_the_csrf_token(caller, world, client):
    owner = caller("owner.a@test.tw")
    before = _snapshot(client, world.shop_a)
    client.cookies.clear()
    client.cookies.set(owner.cookie_name, owner.cookie)
    response = client.patch(f"/api/shops/{world.shop_a}", json={"phone": "089-700000"})
    assert response.status_code == 403
    assert error_code(response) == "csrf_failed"
    assert _snapshot(client, world.shop_a) == before


def error_code(response) -> str:  # type: ignore[no-untyped-def]
    return response.json()["error"]["code"]
