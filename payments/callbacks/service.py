"""Receiving a signed callback: verify, store in the inbox once, process, mark handled.

Processing runs in the same transaction as the inbox insert: if it fails, both roll back and
the acquirer, which retries until it gets a 2xx, delivers it again. A duplicate delivery finds
its inbox row and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import OneStreetError, ValidationFailed
from infra.logging import get_logger
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


@dataclass(frozen=True)
class CallbackResult:
    duplicate: bool
    changed: bool


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
        return CallbackResult(duplicate=True, changed=False)
    changed = await apply_provider_update(session, await _update(session, provider, callback, key))
    await inbox.mark_handled(provider, key)
    return CallbackResult(duplicate=False, changed=changed)


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
