"""SandboxProvider: walks the same states as a real provider, for the demo and the tests.

A sandbox payment waits in requires_action until the simulated wallet page
(POST /api/payments/sandbox/{id}/confirm) plays a signed wallet callback: processing, then
succeeded or failed, or processing only ("delay"). A payment left in processing settles as
succeeded when the reconciliation task re-fetches it, which is how the recovery of a
confirmation that never arrived is shown and tested.
"""

from __future__ import annotations

from payments.providers.base import (
    IntentRequest,
    ProviderIntent,
    ProviderRefund,
    ProviderStatus,
    RefundRequest,
)

PREFIX = "sbx_"


class SandboxProvider:
    name = "sandbox"

    def __init__(self, public_url: str = "") -> None:
        self.public_url = public_url.rstrip("/")

    async def create_intent(self, request: IntentRequest) -> ProviderIntent:
        return ProviderIntent(
            provider_ref=f"{PREFIX}{request.payment_id.hex}",
            status=ProviderStatus.requires_action,
            amount=request.amount,
            # The storefront's simulated wallet page for this payment.
            next_action_url=f"{self.public_url}/pay/sandbox/{request.payment_id}",
        )

    async def retrieve_intent(self, provider_ref: str) -> ProviderIntent:
        # The simulated wallet always settles what it started; the amount is the intent's.
        return ProviderIntent(provider_ref, ProviderStatus.succeeded, amount=0)

    async def cancel_intent(self, provider_ref: str) -> ProviderIntent:
        return ProviderIntent(provider_ref, ProviderStatus.cancelled, amount=0)

    async def refund(self, request: RefundRequest) -> ProviderRefund:
        # Deterministic per idempotency key, as a real provider's refund id would be.
        return ProviderRefund(
            provider_ref=f"{PREFIX}re_{request.idempotency_key[-32:]}",
            amount=request.amount,
            succeeded=True,
        )
