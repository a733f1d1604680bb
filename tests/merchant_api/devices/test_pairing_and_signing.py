"""Pairing codes, per-device signatures, replay refusal, rotation and revocation."""

from __future__ import annotations

import time

from tests.merchant_api.devices.conftest import pair_device


def test_owner_pairs_a_kiosk_which_then_sends_signed_heartbeats(client, caller, world, kiosk):
    sent = kiosk.send([kiosk.event()])
    assert sent.status_code == 200, sent.text
    assert sent.json()["results"] == ["accepted"]
    listed = caller("owner.a@test.tw").get(f"/api/shops/{world.shop_a}/devices").json()
    assert [(d["id"], d["status"], d["online"], d["firmware"]) for d in listed] == [
        (kiosk.device_id, "active", True, "1.2.0")
    ]
    # The shop's consultant sees it too; the owner of another shop does not.
    assert (
        caller("consultant.x@test.tw").get(f"/api/shops/{world.shop_a}/devices").status_code == 200
    )
    assert caller("owner.b@test.tw").get(f"/api/shops/{world.shop_a}/devices").status_code == 403


def test_a_pairing_code_works_once(client, caller, world):
    code = (
        caller("owner.a@test.tw")
        .post(f"/api/shops/{world.shop_a}/devices/pairing-codes", json={})
        .json()["code"]
    )
    client.cookies.clear()
    assert client.post("/api/devices/pair", json={"code": code}).status_code == 200
    again = client.post("/api/devices/pair", json={"code": code})
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "pairing_code_invalid"


def test_staff_and_outsiders_cannot_make_pairing_codes(caller, world):
    for who in ("staff.a@test.tw", "owner.b@test.tw", "consumer@test.tw"):
        made = caller(who).post(f"/api/shops/{world.shop_a}/devices/pairing-codes", json={})
        assert made.status_code == 403, who


def test_wrong_signature_stale_time_and_replayed_nonce_are_refused(kiosk):
    body = [kiosk.event()]
    wrong = kiosk.send(body, secret="0" * 64)
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (401, "device_signature_invalid")
    stale = kiosk.send(body, timestamp=int(time.time()) - 3600)
    assert stale.json()["error"]["code"] == "device_timestamp_out_of_range"
    first = kiosk.send(body, nonce="replay-nonce-1")
    assert first.status_code == 200
    replay = kiosk.send(body, nonce="replay-nonce-1")
    assert (replay.status_code, replay.json()["error"]["code"]) == (401, "device_nonce_replayed")
    unsigned = kiosk.client.post(f"/api/devices/{kiosk.device_id}/telemetry", content=b"[]")
    assert unsigned.json()["error"]["code"] == "device_signature_missing"


def test_a_device_cannot_write_another_devices_stream(client, caller, world, kiosk):
    other = pair_device(client, caller, world.shop_b, who="owner.b@test.tw")
    kiosk.device_id = other.device_id  # signs correctly with its own secret, wrong stream
    refused = kiosk.send([kiosk.event()])
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "device_mismatch")


def test_rotation_keeps_the_old_secret_valid_during_the_grace_period(kiosk):
    rotated = kiosk.request("POST", f"/api/devices/{kiosk.device_id}/credentials/rotate")
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()
    assert kiosk.send([kiosk.event()]).status_code == 200  # the old secret still works
    old_credential, old_secret = kiosk.credential_id, kiosk.secret
    kiosk.credential_id, kiosk.secret = new["credential_id"], new["secret"]
    assert kiosk.send([kiosk.event()]).status_code == 200
    # The old secret does not sign for the new credential.
    mixed = kiosk.send([kiosk.event()], secret=old_secret)
    assert mixed.json()["error"]["code"] == "device_signature_invalid"
    assert old_credential != new["credential_id"]


def test_revocation_takes_effect_at_once_and_the_device_can_be_paired_again(
    client, caller, world, kiosk
):
    assert kiosk.send([kiosk.event()]).status_code == 200
    # An owner may not revoke; the street's consultant may.
    assert (
        caller("owner.a@test.tw").post(f"/api/devices/{kiosk.device_id}/revoke").status_code == 403
    )
    revoked = caller("consultant.x@test.tw").post(f"/api/devices/{kiosk.device_id}/revoke")
    assert revoked.status_code == 200, revoked.text
    refused = kiosk.send([kiosk.event()])
    assert (refused.status_code, refused.json()["error"]["code"]) == (
        401,
        "device_credential_revoked",
    )
    code = (
        caller("owner.a@test.tw")
        .post(f"/api/devices/{kiosk.device_id}/pairing-codes")
        .json()["code"]
    )
    client.cookies.clear()
    repaired = client.post("/api/devices/pair", json={"code": code}).json()
    assert repaired["device_id"] == kiosk.device_id
    kiosk.credential_id, kiosk.secret = repaired["credential_id"], repaired["secret"]
    assert kiosk.send([kiosk.event()]).status_code == 200


def test_consultant_registers_devices_on_a_street_and_reads_versions(caller, world):
    consultant = caller("consultant.x@test.tw")
    made = consultant.post(
        f"/api/streets/{world.street_x}/devices",
        json={
            "type": "hotspot",
            "name": "AP 1",
            "model": "EAP225",
            "firmware": "5.0",
            "serial": "AP-1",
            "installed_on": "2026-01-05",
            "location": "廟口",
        },
    )
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "provisioned"
    wrong_shop = consultant.post(
        f"/api/streets/{world.street_x}/devices",
        json={"type": "kiosk", "name": "K", "shop_id": str(world.shop_b)},
    )
    assert wrong_shop.status_code == 422
    versions = consultant.get(f"/api/streets/{world.street_x}/devices/versions").json()
    assert versions == [{"type": "hotspot", "firmware": "5.0", "app_version": None, "devices": 1}]
    assert (
        caller("consultant.b@test.tw").get(f"/api/streets/{world.street_x}/devices").status_code
        == 403
    )
