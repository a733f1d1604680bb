"""Errors a client gets for a bad Idempotency-Key."""

from __future__ import annotations

from infra.errors import OneStreetError


class InvalidIdempotencyKey(OneStreetError):
    status_code = 400
    code = "invalid_idempotency_key"


class IdempotencyKeyReused(OneStreetError):
    status_code = 422
    code = "idempotency_key_reused"
