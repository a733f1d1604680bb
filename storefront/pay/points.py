"""Paying with points on the scan-to-pay page: POST /pay/points, and the receipt of a purchase
paid wholly in points.

A signed-in consumer spends all or part of the amount in points. When points cover it all,
they are held and captured at once and no provider is asked; for an order, the same
transaction marks it paid (merchant_api.orders.points_payment). Otherwise the payment for the
rest is created and the points are held for it, in one transaction: if either is refused,
neither stays. The hold is keyed by the payment: loyalty captures it when the payment
succeeds and releases it when it fails. The page sends the attempt's Idempotency-Key, so a
double tap or a reload after a dropped answer replays the first answer and holds nothing twice.
"""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import authenticated, principal_of
from infra.auth.roles import Role
from infra.db import utcnow
from infra.errors import PermissionDenied, ValidationFailed
from infra.idempotency import HEADER, IdempotencyGuard
from merchant_api.orders.access import order_access_token
from merchant_api.orders.points_payment import pay_order_with_points
from merchant_api.orders.service import OrderService
from merchant_api.shops.service import ShopService
from payments.intents.creation import NewPayment
from payments.intents.routes import payment_config, strict_body
from payments.intents.schemas import MethodName
from payments.intents.service import PaymentService
from payments.links.service import PaymentLinkService
from payments.links.tokens import DynamicLink
from payments.loyalty.models import LoyaltyHold
from payments.loyalty.routes import loyalty_service
from payments.loyalty.service import LoyaltyService
from storefront.consumer.order_status import readable_order
from storefront.formatting import format_twd, names
from storefront.i18n import page_locale
from storefront.pages import not_found, render


class PointsRefused(ValidationFailed):
    code = "points_invalid"


class PointsPay(msgspec.Struct, forbid_unknown_fields=True):
    shop_id: uuid.UUID
    amount: int  # the whole amount, minor units, before points
    points: int
    method: MethodName | None = None  # for the rest, when points do not cover it
    link_token: str | None = None
    order_id: uuid.UUID | None = None


def _problem(key: str, message: str) -> dict[str, Any]:
    return {"problems": [{"key": key, "message": message, "source": "body"}]}


@post("/pay/points", include_in_schema=False, status_code=201)
async def pay_with_points(
    request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
) -> Response[Any]:
    principal = authenticated(request)
    if principal.role != Role.consumer:
        raise PermissionDenied("Points are spent by the consumer who owns them.")
    body = await strict_body(request, PointsPay)
    guard = IdempotencyGuard(
        db_session,
        f"pay:points:{principal.account_id}",
        request.headers.get(HEADER),
        await request.body(),
    )
    replay = await guard.claim()
    if replay is not None:
        return replay.to_response()
    loyalty = loyalty_service(request, db_session)
    covered = body.points * loyalty.settings.point_value_minor
    if body.points <= 0 or body.amount <= 0 or covered > body.amount:
        raise PointsRefused(
            "Use at least one point and no more than the amount is worth.",
            details=_problem("points", f"1..{body.amount // loyalty.settings.point_value_minor}"),
        )
    if (body.link_token is None) == (body.order_id is None):
        raise PointsRefused(
            "Pay with points for a scanned code or for an order.",
            details=_problem("link_token", "a payment link or an order, one of them"),
        )
    if body.order_id is not None:
        # Whoever may open the order's pay page: its key (X-Order-Token) or its owner.
        await readable_order(request, db_session, body.order_id)
    now = utcnow()
    wallet_id = await loyalty.wallet_for(principal.account_id, now)
    if covered == body.amount:
        answer = await _points_only(request, db_session, loyalty, body, wallet_id)
    else:
        answer = await _points_and_payment(request, db_session, loyalty, body, wallet_id)
    stored = await guard.store(201, answer)
    return Response(content=stored.body, status_code=201)


async def _points_only(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    loyalty: LoyaltyService,
    body: PointsPay,
    wallet_id: uuid.UUID,
) -> dict[str, Any]:
    if body.order_id is not None:
        hold = await pay_order_with_points(
            session,
            loyalty,
            order_id=body.order_id,
            shop_id=body.shop_id,
            wallet_id=wallet_id,
            consumer_id=authenticated(request).account_id,
            points=body.points,
            now=utcnow(),
        )
    else:
        hold = await _points_for_link(request, session, loyalty, body, wallet_id)
    return {"id": None, "points": body.points, "next": f"/pay/points/{hold.id}"}


async def _points_for_link(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    loyalty: LoyaltyService,
    body: PointsPay,
    wallet_id: uuid.UUID,
) -> LoyaltyHold:
    assert body.link_token is not None  # checked by pay_with_points: a link or an order
    config = payment_config(request)
    if config.links is None:
        raise PointsRefused("Payment links are not configured.")
    link = (
        await PaymentLinkService(session, config.links, config.directory).redeem(body.link_token)
    ).link
    wrong_amount = isinstance(link, DynamicLink) and link.amount_minor != body.amount
    if link.shop_id != body.shop_id or wrong_amount:
        raise PointsRefused(
            "The amount or shop is not the link's.", details=_problem("amount", "link's")
        )
    return await loyalty.redeem_now(wallet_id, body.shop_id, body.points, utcnow())


async def _points_and_payment(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    loyalty: LoyaltyService,
    body: PointsPay,
    wallet_id: uuid.UUID,
) -> dict[str, Any]:
    if body.method is None:
        raise PointsRefused("Choose how to pay the rest.", details=_problem("method", "required"))
    covered = body.points * loyalty.settings.point_value_minor
    created = await PaymentService(session, payment_config(request)).create(
        NewPayment(
            shop_id=body.shop_id,
            amount=body.amount - covered,
            currency="TWD",
            method=body.method,
            order_id=body.order_id,
            link_token=body.link_token,
            loyalty_wallet_id=wallet_id,
            points_redeemed=body.points,
        ),
        authenticated(request).account_id,
    )
    # Held for the payment (its id in the hold's order column): captured on its success.
    await loyalty.hold(wallet_id, body.shop_id, body.points, created.intent.id, utcnow())
    intent = created.intent
    return {
        "id": str(intent.id),
        "points": body.points,
        "amount": intent.amount,
        "qr_payload": intent.qr_payload,
        "next_action_url": intent.next_action_url,
        "client_secret": created.client_secret,
        "provider_client_secret": created.provider_intent.client_secret,
    }


@get("/pay/points/{hold_id:uuid}", include_in_schema=False)
async def points_receipt(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    hold_id: FromPath[uuid.UUID],
) -> Template:
    """The receipt of a purchase paid wholly in points, for the wallet's owner only."""
    locale = page_locale(request)
    _ = locale.gettext
    principal = principal_of(request)
    loyalty = loyalty_service(request, db_session)
    hold = await loyalty.repo.get_hold(hold_id)
    wallet = None
    if principal is not None:
        wallet = await loyalty.repo.wallet_of_account(principal.account_id)
    if hold is None or wallet is None or hold.wallet_id not in (wallet.id, wallet.merged_into_id):
        return not_found(request, _("This payment does not exist."))
    shop = await ShopService(db_session).get(hold.shop_id)
    context = {
        "shop_name": names(shop.name, locale.language)[0],
        "amount": format_twd(hold.value_minor),
        "points_used": hold.points,
    }
    # A whole order paid in points: back to the order, with its key as the pay page had it.
    order = await OrderService(db_session).orders.get(hold.order_id) if hold.order_id else None
    if order is not None:
        token = order_access_token(request.app.state.settings.auth.secret_key, order.id)
        context |= {"order_number": order.number, "order_href": f"/orders/{order.id}?token={token}"}
    return render(request, "pay/points_receipt.html", context, locale=locale)


def points_routes() -> list[Any]:
    return [pay_with_points, points_receipt]
