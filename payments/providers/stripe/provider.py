"""The Stripe adapter: PaymentIntents (cards, wallets, Terminal), refunds, connected accounts.

The only module that calls the stripe SDK. It speaks our dataclasses (payments.providers.base)
and typed errors; the SDK's asynchronous methods keep the event loop free. A client (and its
HTTP connection pool) is made per call, because Celery tasks run each in a new event loop and
an async pool must not outlive its loop.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import stripe

from infra.logging import get_logger
from infra.settings import StripeSettings
from payments.providers.base import (
    IntentRequest,
    ProviderIntent,
    ProviderRefund,
    RefundRequest,
)
from payments.providers.stripe.errors import StripeRefused, StripeUnavailable
from payments.providers.stripe.params import intent_call, refund_params
from payments.providers.stripe.payloads import (
    intent_from_payload,
    refund_from_payload,
    split_provider_ref,
)

log = get_logger("onestreet.payments.stripe")

# Expanded so a retrieved intent says the card's brand and last four digits.
_EXPAND = ["payment_method", "latest_charge"]


class StripeProvider:
    name = "stripe"

    def __init__(self, settings: StripeSettings) -> None:
        if not settings.secret_key:
            raise ValueError("the Stripe provider needs ONESTREET_STRIPE__SECRET_KEY")
        self.settings = settings

    @asynccontextmanager
    async def _client(self) -> AsyncIterator[stripe.StripeClient]:
        http = stripe.HTTPXClient(timeout=self.settings.request_timeout_seconds)
        base = {"api": self.settings.api_base} if self.settings.api_base else None
        client = stripe.StripeClient(
            self.settings.secret_key,
            base_addresses=base,  # type: ignore[arg-type]
            http_client=http,
            # Safe: creates and refunds carry our idempotency key (the SDK adds one to any
            # other POST it retries), so a retry reaches the same object.
            max_network_retries=2,
        )
        try:
            yield client
        except stripe.StripeError as exc:
            raise _typed(exc) from None
        finally:
            await http.close_async()

    async def create_intent(self, request: IntentRequest) -> ProviderIntent:
        call = intent_call(request, self.settings)
        options = _options(request.idempotency_key, call.account)
        async with self._client() as client:
            intent = await client.v1.payment_intents.create_async(call.params, options)
        log.info(
            "stripe_intent_created",
            payment_id=str(request.payment_id),
            intent=intent.id,
            connected=bool(call.account),
        )
        return intent_from_payload(intent.to_dict(), call.account)

    async def retrieve_intent(self, provider_ref: str) -> ProviderIntent:
        account, intent_id = split_provider_ref(provider_ref)
        async with self._client() as client:
            intent = await client.v1.payment_intents.retrieve_async(
                intent_id, {"expand": _EXPAND}, _options(None, account)
            )
        return intent_from_payload(intent.to_dict(), account)

    async def cancel_intent(self, provider_ref: str) -> ProviderIntent:
        account, intent_id = split_provider_ref(provider_ref)
        async with self._client() as client:
            intent = await client.v1.payment_intents.cancel_async(
                intent_id, None, _options(None, account)
            )
        return intent_from_payload(intent.to_dict(), account)

    async def refund(self, request: RefundRequest) -> ProviderRefund:
        account, intent_id = split_provider_ref(request.provider_ref)
        params = refund_params(intent_id, request.amount, request.reason, account is not None)
        async with self._client() as client:
            refund = await client.v1.refunds.create_async(
                params,  # type: ignore[arg-type]
                _options(request.idempotency_key, account),
            )
        log.info("stripe_refund_created", intent=intent_id, refund=refund.id)
        return refund_from_payload(refund.to_dict(), account)

    async def list_events(
        self, created_since: int, starting_after: str | None = None, limit: int = 100
    ) -> tuple[list[dict[str, Any]], bool]:
        """One page of the platform account's events since a time, newest first, and whether
        more follow (for catching up on webhooks that never arrived)."""
        params: dict[str, Any] = {"created": {"gte": created_since}, "limit": limit}
        if starting_after:
            params["starting_after"] = starting_after
        async with self._client() as client:
            page = await client.v1.events.list_async(params)  # type: ignore[arg-type]
        return [event.to_dict() for event in page.data], bool(page.has_more)

    async def terminal_connection_token(self, account: str | None) -> str:
        """A short-lived token the Terminal SDK (counter phone, kiosk reader) connects with.

        On the shop's connected account when it has one, so the reader's payments are the
        shop's direct charges. The token is a secret: returned, never logged.
        """
        params: dict[str, Any] = {}
        if self.settings.terminal_location_id:
            params["location"] = self.settings.terminal_location_id
        async with self._client() as client:
            token = await client.v1.terminal.connection_tokens.create_async(
                params,  # type: ignore[arg-type]
                _options(None, account),
            )
        log.info("stripe_terminal_token_issued", connected=bool(account))
        return str(token.secret)

    async def create_connected_account(self, *, shop_id: str, email: str | None) -> str:
        """A Stripe account for one shop (Connect); the key makes a retry find the same one."""
        params: dict[str, Any] = {
            "country": "TW",
            "controller": {
                "fees": {"payer": "application"},
                "losses": {"payments": "application"},
                "stripe_dashboard": {"type": "express"},
            },
            "capabilities": {"card_payments": {"requested": True}},
            "metadata": {"shop_id": shop_id},
        }
        if email:
            params["email"] = email
        async with self._client() as client:
            account = await client.v1.accounts.create_async(
                params,  # type: ignore[arg-type]
                _options(f"shop-account-{shop_id}", None),
            )
        log.info("stripe_account_created", shop_id=shop_id, account=account.id)
        return str(account.id)


def _options(idempotency_key: str | None, account: str | None) -> Any:
    options: dict[str, str] = {}
    if idempotency_key:
        options["idempotency_key"] = idempotency_key
    if account:
        options["stripe_account"] = account
    return options


def _typed(exc: stripe.StripeError) -> Exception:
    """Stripe's error as ours; its message names no secret, the key never appears."""
    if isinstance(exc, stripe.CardError | stripe.InvalidRequestError | stripe.IdempotencyError):
        return StripeRefused(
            exc.user_message or "Stripe refused the request.",
            details={"stripe_code": exc.code} if exc.code else None,
        )
    log.warning("stripe_call_failed", error=type(exc).__name__, status=exc.http_status)
    return StripeUnavailable("Stripe could not be reached; try again.")
