"""Every new shop endpoint refuses people of another shop (and anonymous callers) and changes
nothing; ids of another shop's closures and invitations read as unknown."""

from __future__ import annotations

from tests.merchant_api.shops.conftest import days_from_today

DAY = days_from_today(5).isoformat()
WRITES = [
    ("PATCH", "", {"payment_methods": ["cash"]}),
    ("PUT", "/hours", {"periods": [{"weekday": 0, "opens": "09:00", "closes": "17:00"}]}),
    ("PUT", f"/special-openings/{DAY}", {"periods": [{"opens": "09:00", "closes": "12:00"}]}),
    ("POST", "/closures", {"starts_on": DAY, "ends_on": DAY}),
    ("POST", "/invitations", {"role": "staff", "email": "someone@test.tw"}),
    ("GET", "/invitations", None),
    ("GET", "/status-history", None),
    ("POST", "/status", {"status": "suspended", "reason": "x"}),
    ("DELETE", "/members/00000000-0000-0000-0000-000000000001", None),
    ("DELETE", "/invitations/00000000-0000-0000-0000-000000000001", None),
    ("DELETE", "/closures/00000000-0000-0000-0000-000000000001", None),
]


def test_people_of_another_shop_are_refused_everywhere(caller, world, client):
    before = client.get(f"/api/shops/{world.shop_a}/hours").json()
    for email in ["owner.b@test.tw", "consultant.b@test.tw", "consumer@test.tw", None]:
        person = caller(email)
        for method, path, body in WRITES:
            response = person.request(method, f"/api/shops/{world.shop_a}{path}", json=body)
            assert response.status_code in (401, 403), (email, method, path, response.text)
    after = client.get(f"/api/shops/{world.shop_a}/hours").json()
    assert after["weekly"] == before["weekly"] and after["special_openings"] == []
    assert after["closures"] == []
    assert client.get(f"/api/shops/{world.shop_a}").json()["payment_methods"] == []


def test_a_closure_or_invitation_of_another_shop_cannot_be_removed_through_yours(caller, world):
    owner_b = caller("owner.b@test.tw")
    closure = (
        caller("owner.a@test.tw")
        .post(f"/api/shops/{world.shop_a}/closures", json={"starts_on": DAY, "ends_on": DAY})
        .json()
    )
    invitation = (
        caller("owner.a@test.tw")
        .post(
            f"/api/shops/{world.shop_a}/invitations", json={"role": "staff", "email": "x@test.tw"}
        )
        .json()
    )
    assert (
        owner_b.request("DELETE", f"/api/shops/{world.shop_b}/closures/{closure['id']}").status_code
        == 404
    )
    assert (
        owner_b.request(
            "DELETE", f"/api/shops/{world.shop_b}/invitations/{invitation['id']}"
        ).status_code
        == 404
    )
    staff_a = world.accounts["staff.a@test.tw"]
    assert (
        owner_b.request("DELETE", f"/api/shops/{world.shop_b}/members/{staff_a}").status_code == 404
    )
    listed = caller("owner.a@test.tw").get(f"/api/shops/{world.shop_a}/invitations").json()
    assert [item["state"] for item in listed] == ["pending"]


def test_staff_edit_hours_but_do_not_manage_people(caller, world):
    staff = caller("staff.a@test.tw")
    assert (
        staff.request("PUT", f"/api/shops/{world.shop_a}/hours", json={"periods": []}).status_code
        == 200
    )
    assert (
        staff.post(
            f"/api/shops/{world.shop_a}/invitations", json={"role": "owner", "email": "me@test.tw"}
        ).status_code
        == 403
    )
