"""Programme status: onboarding -> active -> suspended -> active, by an assigned consultant or
an admin only, with who, when and why recorded."""

from __future__ import annotations

from tests.merchant_api.shops.conftest import error_code, problem_keys


def _status(client, shop_id) -> str:  # type: ignore[no-untyped-def]
    return client.get(f"/api/shops/{shop_id}").json()["status"]


def test_consultant_suspends_and_admin_reactivates_with_history(caller, world, client):
    consultant = caller("consultant.x@test.tw")
    suspended = consultant.post(
        f"/api/shops/{world.shop_a}/status",
        json={"status": "suspended", "reason": "Unpaid hotspot fee"},
    )
    assert suspended.status_code == 201, suspended.text
    assert suspended.json()["from_status"] == "active"
    assert _status(client, world.shop_a) == "suspended"
    # Suspended shops are shown closed, whatever their hours.
    assert client.get(f"/api/shops/{world.shop_a}").json()["opening"]["is_open"] is False

    admin = caller("admin@test.tw")
    assert (
        admin.post(f"/api/shops/{world.shop_a}/status", json={"status": "active"}).status_code
        == 201
    )
    history = caller("owner.a@test.tw").get(f"/api/shops/{world.shop_a}/status-history").json()
    assert [(h["from_status"], h["to_status"], h["changed_by_name"]) for h in history] == [
        ("suspended", "active", "admin"),
        ("active", "suspended", "consultant.x"),
    ]
    assert history[1]["reason"] == "Unpaid hotspot fee"
    assert history[1]["changed_by"] == str(world.accounts["consultant.x@test.tw"])


def test_a_suspended_shop_is_never_open(caller, world, db):
    from datetime import UTC, datetime

    from merchant_api.shops.hours import is_open

    caller("admin@test.tw").post(
        f"/api/shops/{world.shop_a}/status", json={"status": "suspended", "reason": "Fraud"}
    )

    async def check(session):  # type: ignore[no-untyped-def]
        return await is_open(session, world.shop_a, datetime(2026, 3, 6, 4, 0, tzinfo=UTC))

    assert db(check) is False


def test_invalid_transitions_and_input_are_refused(caller, world, client):
    admin = caller("admin@test.tw")
    url = f"/api/shops/{world.shop_a}/status"
    back = admin.post(url, json={"status": "onboarding"})
    assert (back.status_code, error_code(back)) == (409, "invalid_status_transition")
    same = admin.post(url, json={"status": "active"})
    assert (same.status_code, error_code(same)) == (409, "invalid_status_transition")
    unknown = admin.post(url, json={"status": "closed"})
    assert unknown.status_code == 422 and problem_keys(unknown) == ["status"]
    silent = admin.post(url, json={"status": "suspended"})
    assert silent.status_code == 422 and problem_keys(silent) == ["reason"]
    assert _status(client, world.shop_a) == "active"
    assert admin.get(f"/api/shops/{world.shop_a}/status-history").json() == []


def test_owners_staff_and_unassigned_people_cannot_change_status(caller, world, client):
    for email in [
        "owner.a@test.tw",
        "staff.a@test.tw",
        "consultant.b@test.tw",
        "consumer@test.tw",
        None,
    ]:
        response = caller(email).post(
            f"/api/shops/{world.shop_a}/status", json={"status": "suspended", "reason": "x"}
        )
        assert response.status_code in (401, 403), (email, response.text)
    assert _status(client, world.shop_a) == "active"
