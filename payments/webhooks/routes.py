"""POST /api/payments/webhooks/stripe: Stripe's signed deliveries, answered at once.

No session and no CSRF token: the signature is the authentication. The raw body is verified
byte for byte before anything is parsed.
"""

from __future__ import annotations

from typing import Any

from litestar import Request, post
from litestar.di import NamedDependency
from sqlalchemy.ext.asyncio import AsyncSession

from payments.webhooks.schemas import WebhookAck
from payments.webhooks.service import StripeWebhookService


@post(
    "/api/payments/webhooks/stripe",
    summary="Stripe webhook endpoint (signed with Stripe-Signature)",
    tags=["payments"],
    exclude_from_auth=True,
    opt={"csrf_exempt": True},
    status_code=200,
)
async def stripe_webhook(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> WebhookAck:
    body = await request.body()
    settings = request.app.state.settings.stripe
    receipt = await StripeWebhookService(db_session, settings).receive(
        body, request.headers.get("stripe-signature")
    )
    return WebhookAck(received=True, event_id=receipt.event_id, duplicate=not receipt.stored)


def stripe_webhook_routes() -> list[Any]:
    return [stripe_webhook]
