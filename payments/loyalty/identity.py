"""Rotating member QR codes: what staff scan at the counter to earn or redeem.

A code names the wallet and a time step and is signed with the app's secret key; it is valid in
its own step and the next one, so a screenshot stops working within two steps.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from datetime import datetime

from payments.loyalty.errors import InvalidMemberCode, problem

PREFIX = "OSM1"


def _step(now: datetime, step_seconds: int) -> int:
    return int(now.timestamp()) // step_seconds


def _signature(secret: str, wallet_id: uuid.UUID, step: int) -> str:
    message = f"{PREFIX}.{wallet_id.hex}.{step}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:20]


def member_code(secret: str, wallet_id: uuid.UUID, now: datetime, step_seconds: int) -> str:
    step = _step(now, step_seconds)
    return f"{PREFIX}.{wallet_id.hex}.{step}.{_signature(secret, wallet_id, step)}"


def wallet_of_code(secret: str, code: str, now: datetime, step_seconds: int) -> uuid.UUID:
    """The wallet a scanned code names, or 422 invalid_member_code (forged, old, garbled)."""
    refusal = InvalidMemberCode(
        "This member code is not valid; ask the customer to show a fresh one.",
        details=problem("member_code", "invalid or expired"),
    )
    parts = code.strip().split(".")
    if len(parts) != 4 or parts[0] != PREFIX or not parts[2].isdigit():
        raise refusal
    try:
        wallet_id = uuid.UUID(hex=parts[1])
    except ValueError:
        raise refusal from None
    step = int(parts[2])
    if _step(now, step_seconds) - step not in (0, 1):
        raise refusal
    if not hmac.compare_digest(parts[3], _signature(secret, wallet_id, step)):
        raise refusal
    return wallet_id
