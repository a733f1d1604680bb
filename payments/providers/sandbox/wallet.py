"""The simulated wallet: plays the signed callbacks a real wallet or acquirer would send.

For a sandbox, TWQR or EMVCo payment it signs each callback with that provider's callback
secret and hands it to the same receiving code the real callbacks go through (verify, inbox,
outbox), then applies it as the task would, so the demo exercises the production path.
Transaction ids are fixed per payment and status: pressing "pay" twice changes nothing the
second time.
"""

from __future__ import annotations

from typing import Literal

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from payments.callbacks.schemas import WalletCallback
from payments.callbacks.service import process_callback, receive_callback
from payments.callbacks.signature import sign
from payments.intents.models import PaymentIntent

Outcome = Literal["succeed", "fail", "delay"]
WALLET_PROVIDERS = frozenset({"sandbox", "twqr", "emvco"})
_STEPS: dict[str, tuple[str, ...]] = {
    "succeed": ("processing", "succeeded"),
    "fail": ("processing", "failed"),
    # Left in processing: the reconciliation task settles it later.
    "delay": ("processing",),
}


def signed_callback(
    secret: bytes, intent: PaymentIntent, status: str, *, amount: int | None = None
) -> tuple[bytes, str]:
    """The body and X-Signature header a wallet would send for `intent` reaching `status`."""
    callback = WalletCallback(
        transaction_id=f"sbx-{intent.id.hex}",
        order_no=intent.provider_ref,
        status=status,  # type: ignore[arg-type]
        amount=intent.amount if amount is None else amount,
        occurred_at=utcnow(),
        failure_code="card_declined" if status == "failed" else None,
    )
    body = msgspec.json.encode(callback)
    return body, sign(secret, body)


async def play_wallet(
    session: AsyncSession, intent: PaymentIntent, outcome: Outcome, secret: bytes
) -> None:
    for status in _STEPS[outcome]:
        body, signature = signed_callback(secret, intent, status)
        received = await receive_callback(session, intent.provider, secret, body, signature)
        # The simulated wallet also plays the worker, so the demo page shows the outcome at
        # once; the queued task then finds the entry handled and changes nothing.
        await process_callback(session, intent.provider, received.external_id)
