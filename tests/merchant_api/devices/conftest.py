"""A paired device that signs its requests like real firmware does, for device and telemetry
tests (reuses the merchant API world: street X with shops A and C, street Y with shop B)."""

from __future__ import annotations

import gzip
import itertools
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest

from merchant_api.devices.signing import sign_request
from tests.merchant_api.conftest import World

_nonces = itertools.count(1)


@dataclass
class SignedDevice:
    client: Any
    device_id: str
    credential_id: str
    secret: str
    seq: int = 0

    def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        *,
        headers: dict[str, str] | None = None,
        nonce: str | None = None,
        timestamp: int | None = None,
        credential_id: str | None = None,
        secret: str | None = None,
    ):  # type: ignore[no-untyped-def]
        signed = sign_request(
            secret or self.secret,
            credential_id or self.credential_id,
            method,
            path,
            body,
            nonce or f"n{next(_nonces):08d}{uuid.uuid4().hex[:8]}",
            timestamp,
        )
        self.client.cookies.clear()
        return self.client.request(
            method, path, content=body, headers={**signed, **(headers or {})}
        )

    def event(self, type_: str = "heartbeat", *, at: datetime | None = None, **fields: Any):
        self.seq += 1
        base: dict[str, Any] = {
            "type": type_,
            "seq": self.seq,
            "time": (at or datetime.now(UTC)).isoformat(),
        }
        if type_ == "heartbeat":
            base.update(uptime_seconds=60, cpu_percent=12.5, memory_percent=40.0)
        return {**base, **fields}

    def send(self, events: list[dict[str, Any]], *, gzip_body: bool = False, **kwargs: Any):  # type: ignore[no-untyped-def]
        body = msgspec.json.encode(events)
        headers = {"content-type": "application/json"}
        if gzip_body:
            body = gzip.compress(body)
            headers["content-encoding"] = "gzip"
        return self.request(
            "POST", f"/api/devices/{self.device_id}/telemetry", body, headers=headers, **kwargs
        )


def pair_device(client, caller, shop_id, *, type_: str = "kiosk", who: str = "owner.a@test.tw"):  # type: ignore[no-untyped-def]
    made = caller(who).post(
        f"/api/shops/{shop_id}/devices/pairing-codes", json={"type": type_, "name": "Kiosk 1"}
    )
    assert made.status_code == 201, made.text
    client.cookies.clear()
    paired = client.post(
        "/api/devices/pair",
        json={
            "code": made.json()["code"],
            "serial": "SN-1",
            "firmware": "1.2.0",
            "app_version": "3.4",
        },
    )
    assert paired.status_code == 200, paired.text
    body = paired.json()
    return SignedDevice(client, body["device_id"], body["credential_id"], body["secret"])


@pytest.fixture
def kiosk(client, caller, world: World) -> SignedDevice:
    return pair_device(client, caller, world.shop_a)
