"""The receipt's small JSON: the payment's state and the points it earned.

Readable by whoever may read the payment (its consumer, the shop's people, or the scan-to-pay
page holding the payment's client secret in X-Client-Secret), as GET /api/payments/{id} is.
Points are earned after the payment succeeds, by the outbox relay, so a receipt may first say
they are on their way.
"""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import NotFound
from merchant_api.orders.access import order_access_token
from merchant_api.shops.service import ShopService
from payments.intents.access import payment_role
from payments.intents.repository import PaymentRepository
from payments.loyalty.repository import LoyaltyRepository
from storefront.formatting import format_twd, names
from storefront.i18n import page_locale


# Not excluded from auth: the payment's own consumer reads it by the session.
@get("/pay/receipt/{payment_id:uuid}/status", include_in_schema=False)
async def receipt_status(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    payment_id: FromPath[uuid.UUID],
) -> dict[str, Any]:
    intent = await PaymentRepository(db_session).get(payment_id)
    if intent is None or await payment_role(request, db_session, intent) is None:
        raise NotFound(f"There is no payment {payment_id}.")
    points: int | None = None
    if intent.consumer_id is not None and intent.state == "succeeded":
        repo = LoyaltyRepository(db_session)
        wallet = await repo.wallet_of_account(intent.consumer_id)
        earned = await repo.wallet_amount_of(wallet.id, f"earn:{intent.id}") if wallet else None
        points = earned[1] if earned else None
    shop = await ShopService(db_session).get(intent.shop_id)
    order_href = None
    if intent.reference_type == "order" and intent.reference_id:
        # Whoever may read the payment paid for the order: the link carries the order's key.
        secret = request.app.state.settings.auth.secret_key
        token = order_access_token(secret, uuid.UUID(str(intent.reference_id)))
        order_href = f"/orders/{intent.reference_id}?token={token}"
    return {
        "state": intent.state,
        "amount": format_twd(intent.amount),
        "shop_name": names(shop.name, page_locale(request).language)[0],
        "reference_type": intent.reference_type,
        "reference_id": str(intent.reference_id) if intent.reference_id else None,
        "order_href": order_href,
        "member": intent.consumer_id is not None,
        "points": points,
        "points_used": intent.points_redeemed,
    }
