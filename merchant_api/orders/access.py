"""Who may see or move an order, and as whom an order is placed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from functools import lru_cache
from typing import Any, Literal

from litestar.connection import ASGIConnection
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import shop_access_policy
from infra.auth.principal import Principal
from infra.auth.roles import Role
from infra.errors import PermissionDenied
from merchant_api.catalog.models import Channel
from merchant_api.orders.models import Order
from merchant_api.orders.service import Actor

# "manager": the shop's owner or staff, or a platform admin (may move the order anywhere the
# state machine allows); "viewer": the consultant assigned to the shop (reads only);
# "customer": the consumer it is for or who placed it (reads, cancels while placed).
# Whoever holds an order's access token (below) may read that order, and nothing more.
OrderRole = Literal["manager", "viewer", "customer"]
ANONYMOUS_CHANNELS = frozenset({Channel.counter, Channel.table_qr})


async def order_role(
    connection: ASGIConnection[Any, Any, Any, Any],
    session: AsyncSession,
    principal: Principal,
    order: Order,
) -> OrderRole | None:
    if principal.role == Role.platform_admin:
        return "manager"
    own = principal.account_id in (order.consumer_account_id, order.placed_by_account_id)
    if own and principal.role == Role.consumer:
        return "customer"
    policy = shop_access_policy(connection)
    if principal.role == Role.consultant:
        assigned = await policy.consultant_assigned(session, principal.account_id, order.shop_id)
        return "viewer" if assigned else None
    if principal.role == Role.merchant:
        member = await policy.member_role(session, principal.account_id, order.shop_id)
        return "manager" if member else None
    return None


async def placing_actor(
    connection: ASGIConnection[Any, Any, Any, Any],
    session: AsyncSession,
    principal: Principal | None,
    shop_id: Any,
    channel: Channel,
) -> tuple[Actor, Any]:
    """(the actor, the consumer account the order is for) or 403 naming what is missing."""
    if principal is None:
        if channel not in ANONYMOUS_CHANNELS:
            what = "a signed-in consumer" if channel == Channel.online_pickup else "a kiosk"
            raise PermissionDenied(f"A {channel.value} order needs {what}.")
        return Actor(None, "anonymous"), None
    if not principal.has_scope("orders:write"):
        raise PermissionDenied("This credential may not place orders.")
    if principal.role == Role.consumer:
        if channel == Channel.kiosk:
            raise PermissionDenied("Kiosk orders come from the kiosk.")
        return Actor(principal.account_id, "consumer"), principal.account_id
    if channel == Channel.online_pickup:
        raise PermissionDenied("A pick-up order needs a signed-in consumer.")
    if principal.role == Role.device:
        # Kiosks belong to the street's programme, not to one shop: any shop on it may use one.
        return Actor(principal.account_id, "device"), None
    if principal.role == Role.platform_admin:
        return Actor(principal.account_id, "admin"), None
    if principal.role == Role.merchant:
        policy = shop_access_policy(connection)
        if await policy.member_role(session, principal.account_id, shop_id):
            return Actor(principal.account_id, "staff"), None
    raise PermissionDenied("You do not have permission to place orders for this shop.")


def actor_of(principal: Principal, role: OrderRole) -> Actor:
    kind = {"manager": "staff", "viewer": "consultant", "customer": "consumer"}[role]
    if principal.role == Role.platform_admin:
        kind = "admin"
    return Actor(principal.account_id, kind)


# The order's access token: given once, in the placement answer, to whoever placed an order no
# signed-in consumer owns (table QR, counter, kiosk), so that phone can follow the order.
# An HMAC of the order id under a key derived from the app's secret: nothing is stored, it
# cannot be guessed from the id, and rotating the secret key revokes every token.
TOKEN_HEADER = "X-Order-Token"  # noqa: S105 (a header name, not a secret)
_TOKEN_BYTES = 24


@lru_cache(maxsize=4)
def _token_key(secret_key: str) -> bytes:
    return hmac.new(secret_key.encode(), b"onestreet order access v1", hashlib.sha256).digest()


def order_access_token(secret_key: str, order_id: uuid.UUID) -> str:
    digest = hmac.new(_token_key(secret_key), order_id.bytes, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:_TOKEN_BYTES]).decode().rstrip("=")


def token_grants(secret_key: str, order_id: uuid.UUID, token: str | None) -> bool:
    if not token or len(token) > 64:
        return False
    return hmac.compare_digest(order_access_token(secret_key, order_id), token)


def presented_token(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The token from the X-Order-Token header or the status URL's `token` parameter."""
    return connection.headers.get(TOKEN_HEADER) or connection.query_params.get("token")
