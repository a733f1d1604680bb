"""Receiving a signed callback: verify, store in the inbox once, answer; processed in a task.

The request only verifies the signature, stores the body in the inbox (keyed by the
acquirer's transaction and status) and writes a `payments.wallet_callback_received` outbox
row in the same transaction, then answers 2xx: the acquirer stops retrying as soon as the
callback is safely stored, whatever the payment's state. The outbox handler applies it later
(`process_callback`), which is safe to run twice: a handled entry is skipped, and the payment
update is idempotent by its external event id even when two runs overlap.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import OneStreetError, ValidationFailed
from infra.logging import get_logger
from infra.outbox import publish
from payments.callbacks.schemas import WalletCallback
from payments.callbacks.signature import verify
from payments.inbox.repository import InboxRepository
from payments.intents.confirmation import apply_provider_update
from payments.intents.repository import PaymentRepository
from payments.providers.base import ProviderStatus, ProviderUpdate

log = get_logger("onestreet.payments.callbacks")
MAX_BODY = 8192


class SignatureInvalid(OneStreetError):
    status_code = 401
    code = "signature_invalid"


WALLET_CALLBACK_RECEIVED = "payments.wallet_callback_received"


@dataclass(frozen=True)
class CallbackResult:
    duplicate: bool
    external_id: str  # the inbox key: "<transaction id>:<status>"


def decode(body: bytes) -> WalletCallback:
    try:
        callback = msgspec.json.decode(body, type=WalletCallback, strict=True)
    except msgspec.ValidationError as exc:
        raise ValidationFailed(
            "The callback body is not valid.",
            details={"problems": [{"key": "", "message": str(exc), "source": "body"}]},
        ) from None
    except msgspec.DecodeError:
        raise ValidationFailed("The callback body is not JSON.") from None
    if callback.occurred_at.tzinfo is None:
        raise ValidationFailed(
            "occurred_at needs its UTC offset.", details={"field": "occurred_at"}
        )
    return callback


async def receive_callback(
    session: AsyncSession, provider: str, secret: bytes, body: bytes, signature: str | None
) -> CallbackResult:
    if len(body) > MAX_BODY or not verify(secret, body, signature):
        # Logged without the body or the signature: neither belongs in a log.
        log.warning("payment_callback_signature_invalid", provider=provider, size=len(body))
        raise SignatureInvalid("The callback's signature does not match.")
    callback = decode(body)
    key = f"{callback.transaction_id}:{callback.status}"
    inbox = InboxRepository(session)
    stored = await inbox.store_once(
        provider, key, f"wallet.{callback.status}", msgspec.to_builtins(callback)
    )
    if not stored:
        return CallbackResult(duplicate=True, external_id=key)
    publish(
        session,
        WALLET_CALLBACK_RECEIVED,
        {"provider": provider, "external_id": key},
        key=f"{provider}:{key}",
    )
    return CallbackResult(duplicate=False, external_id=key)


async def process_callback(session: AsyncSession, provider: str, external_id: str) -> bool:
    """Apply a stored callback; True when the payment changed. Never commits."""
    inbox = InboxRepository(session)
    entry = await inbox.get(provider, external_id)
    if entry is None or entry.handled_at is not None:
        return False
    callback = msgspec.convert(entry.payload, WalletCallback, strict=False)
    update = await _update(session, provider, callback, external_id)
    changed = await apply_provider_update(session, update)
    await inbox.mark_handled(provider, external_id)
    return changed


async def _update(
    session: AsyncSession, provider: str, callback: WalletCallback, key: str
) -> ProviderUpdate:
    status, failure = ProviderStatus(callback.status), callback.failure_code
    if status == ProviderStatus.succeeded:
        intent = await PaymentRepository(session).get_by_provider_ref(provider, callback.order_no)
        # A wallet that paid another amount than the QR code asked for did not pay this one.
        if intent is not None and callback.amount != intent.amount:
            status, failure = ProviderStatus.failed, "amount_mismatch"
    return ProviderUpdate(
        provider=provider,
        external_event_id=key,
        provider_ref=callback.order_no,
        status=status,
        occurred_at=callback.occurred_at,
        amount_received=callback.amount if status == ProviderStatus.succeeded else 0,
        failure_code=failure,
    )
