"""Idempotency-Key for unsafe requests: a retried request acts once and gets the first answer.

    from infra.idempotency import IdempotencyGuard

    guard = IdempotencyGuard(session, f"orders:create:{account_id}", request.headers.get(
        "Idempotency-Key"), await request.body())          # 400 invalid_idempotency_key
    replay = await guard.claim()                             # 422 idempotency_key_reused
    if replay is not None:
        return replay.to_response()                          # the first answer, verbatim
    order = await service.place(...)                         # the business change
    stored = await guard.store(201, order_out)               # remembered in the same transaction
    return stored.to_response()  (or return order_out with status 201)

Rules:
- scope names the operation and the caller ("payments:create:<account or device id>"), so two
  callers never see each other's answers; key is the client's header (1-255 printable chars).
- The request fingerprint is sha256 of the canonical JSON body (sorted keys, no whitespace).
  Same key + same body replays the stored status and body; same key + different body is 422.
- `claim()` INSERTs the key row first, in the caller's transaction. A concurrent duplicate
  blocks on the unique (scope, key) index (PostgreSQL) or on the write lock (SQLite's BEGIN
  IMMEDIATE) until the first transaction ends, then reads its committed answer. A request that
  fails rolls back its key row too, so only successful answers are remembered and a client may
  retry a refused request with a corrected body under a new key or the same one.
- Keys live 24 hours (at least); `purge_expired_keys` (a periodic task) deletes older ones, and
  an expired key is claimed afresh.
"""

from infra.idempotency.errors import IdempotencyKeyReused, InvalidIdempotencyKey
from infra.idempotency.guard import HEADER, IdempotencyGuard, StoredResponse, fingerprint
from infra.idempotency.service import purge_expired_keys

__all__ = [
    "HEADER",
    "IdempotencyGuard",
    "IdempotencyKeyReused",
    "InvalidIdempotencyKey",
    "StoredResponse",
    "fingerprint",
    "purge_expired_keys",
]
