"""Providers for QR wallets whose confirmations arrive as signed callbacks (no client SDK).

`TwqrProvider` writes a TWQR purchase URI (D1 amount, D2 our order number, D3 the acquirer's
code); `EmvcoProvider` writes a dynamic EMVCo payload for VietQR, PromptPay or QRIS visitors.
The payload's order number is the provider_ref, which the acquirer's callback echoes. Neither
acquirer can be queried, so a re-fetch reports `processing` and changes nothing.
The payload says TWD and TW: the shop is in Taiwan, the visitor's wallet network converts.
"""

from __future__ import annotations

from dataclasses import dataclass

from payments.providers.base import (
    IntentRequest,
    ProviderIntent,
    ProviderRefund,
    ProviderStatus,
    RefundRequest,
)
from payments.providers.emvco import (
    AdditionalData,
    PaymentRequest,
    PromptPay,
    QrisNational,
    VietQR,
    build_payload,
)
from payments.providers.twqr import purchase_uri

ORDER_NO_LENGTH = 20  # TWQR D2 allows 20 letters/digits


def order_number(request: IntentRequest) -> str:
    return request.payment_id.hex[:ORDER_NO_LENGTH]


class _CallbackConfirmed:
    """What QR acquirers without a query API answer to re-fetch, cancel and refund."""

    name = ""

    async def retrieve_intent(self, provider_ref: str) -> ProviderIntent:
        return ProviderIntent(provider_ref, ProviderStatus.processing, amount=0)

    async def cancel_intent(self, provider_ref: str) -> ProviderIntent:
        # A QR code not yet paid simply expires; nothing to tell the acquirer.
        return ProviderIntent(provider_ref, ProviderStatus.cancelled, amount=0)

    async def refund(self, request: RefundRequest) -> ProviderRefund:
        # The acquirer's settlement file nets refunds against the shop's next payout.
        return ProviderRefund(
            provider_ref=f"{self.name}_re_{request.idempotency_key[-32:]}",
            amount=request.amount,
            succeeded=True,
        )


class TwqrProvider(_CallbackConfirmed):
    name = "twqr"

    def __init__(self, acquirer_code: str) -> None:
        self.acquirer_code = acquirer_code

    async def create_intent(self, request: IntentRequest) -> ProviderIntent:
        order_no = order_number(request)
        uri = purchase_uri(
            request.metadata.get("merchant_name") or request.description,
            order_no=order_no,
            acquirer_code=self.acquirer_code,
            amount_minor=request.amount,
        )
        return ProviderIntent(
            order_no, ProviderStatus.requires_action, request.amount, qr_payload=uri
        )


@dataclass(frozen=True)
class EmvcoAccounts:
    vietqr_acquirer_bin: str
    vietqr_account: str
    promptpay_mobile: str
    qris_nmid: str


class EmvcoProvider(_CallbackConfirmed):
    name = "emvco"

    def __init__(self, accounts: EmvcoAccounts) -> None:
        self.accounts = accounts

    async def create_intent(self, request: IntentRequest) -> ProviderIntent:
        order_no = order_number(request)
        accounts = self.accounts
        template: VietQR | PromptPay | QrisNational
        if request.method == "vietqr":
            template = VietQR(accounts.vietqr_acquirer_bin, accounts.vietqr_account)
        elif request.method == "promptpay":
            template = PromptPay.mobile(accounts.promptpay_mobile)
        else:
            template = QrisNational(accounts.qris_nmid)
        payload = build_payload(
            PaymentRequest(
                accounts=(template,),
                currency=request.currency,
                country="TW",
                merchant_name=request.metadata.get("merchant_name") or request.description,
                merchant_city=request.metadata.get("merchant_city") or "Taiwan",
                amount_minor=request.amount,
                additional=AdditionalData(bill_number=order_no),
            )
        )
        return ProviderIntent(
            order_no, ProviderStatus.requires_action, request.amount, qr_payload=payload
        )
