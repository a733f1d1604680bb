"""Who may see or act on a payment: its consumer, the shop's people, or the secret's holder."""

from __future__ import annotations

import hmac
from typing import Any

from litestar import Request
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import principal_of, shop_access_policy
from infra.auth.roles import Role
from payments.intents.models import PaymentIntent
from payments.intents.service import secret_hash

CLIENT_SECRET_HEADER = "X-Client-Secret"  # noqa: S105  (a header name, not a secret)


async def payment_role(
    request: Request[Any, Any, Any], session: AsyncSession, intent: PaymentIntent
) -> str | None:
    """ "owner", "staff", "consultant", "admin", "consumer", "holder" or None (no access)."""
    principal = principal_of(request)
    if principal is not None:
        if principal.role == Role.platform_admin:
            return "admin"
        if intent.consumer_id is not None and intent.consumer_id == principal.account_id:
            return "consumer"
        policy = shop_access_policy(request)
        if principal.role == Role.consultant:
            if await policy.consultant_assigned(session, principal.account_id, intent.shop_id):
                return "consultant"
        elif principal.role in (Role.merchant, Role.device):
            member = await policy.member_role(session, principal.account_id, intent.shop_id)
            if member is not None:
                return member
    secret = request.headers.get(CLIENT_SECRET_HEADER)
    # The header, never the URL: a secret in a URL ends up in logs and browser history.
    if secret and hmac.compare_digest(secret_hash(secret), intent.client_secret_hash):
        return "holder"
    return None
