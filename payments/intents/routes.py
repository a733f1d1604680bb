"""/api/payments: create, read, cancel and refund payments; a shop's and a consumer's lists."""

from __future__ import annotations

import uuid
from typing import Annotated, Any, Literal, TypeVar

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import authenticated, principal_of, require_scope, shop_guard
from infra.auth.roles import Role
from infra.errors import PermissionDenied, ValidationFailed
from infra.http.openapi import SIGNED_IN as SECURITY
from infra.idempotency import HEADER, IdempotencyGuard
from infra.ratelimit import RateLimiter
from payments.intents.access import payment_role
from payments.intents.config import PaymentConfig
from payments.intents.creation import NewPayment
from payments.intents.errors import PaymentNotFound, ProviderError
from payments.intents.models import RefundState
from payments.intents.refunds import RefundService
from payments.intents.repository import PaymentRepository
from payments.intents.schemas import (
    PaymentCreate,
    PaymentOut,
    PaymentPage,
    RefundCreate,
    RefundResult,
    payment_out,
    refund_out,
)
from payments.intents.service import PaymentService

T = TypeVar("T")
# Anonymous scan-to-pay: enough for a family paying at one counter, not for a script.
ANONYMOUS_PAYMENTS_PER_MINUTE = 20
CANCELLERS = frozenset({"owner", "staff", "admin", "consumer", "holder"})
REFUNDERS = frozenset({"owner", "admin"})

StateName = Literal[
    "requires_action",
    "processing",
    "succeeded",
    "failed",
    "cancelled",
    "partially_refunded",
    "refunded",
]
Limit = Annotated[int, Parameter(ge=1, le=100)]
Offset = Annotated[int, Parameter(ge=0, le=100_000)]


def payment_config(request: Request[Any, Any, Any]) -> PaymentConfig:
    return request.app.state.payments  # type: ignore[no-any-return]


async def strict_body(request: Request[Any, Any, Any], schema: type[T]) -> T:
    """Money bodies are decoded with JSON types enforced ("18000" is not 18000)."""
    raw = await request.body()
    try:
        return msgspec.json.decode(raw or b"{}", type=schema, strict=True)
    except (msgspec.ValidationError, msgspec.DecodeError) as exc:
        raise ValidationFailed(
            "The request body is not valid.",
            details={"problems": [{"key": "", "message": str(exc), "source": "body"}]},
        ) from None


async def _visible(
    request: Request[Any, Any, Any], session: AsyncSession, payment_id: uuid.UUID
) -> tuple[PaymentService, Any, str]:
    service = PaymentService(session, payment_config(request))
    intent = await PaymentRepository(session).get(payment_id)
    role = None if intent is None else await payment_role(request, session, intent)
    if intent is None or role is None:
        # The same answer for a payment that does not exist: ids are not probed.
        raise PaymentNotFound(f"There is no payment {payment_id}.")
    return service, intent, role


class PaymentController(Controller):
    path = "/api"
    tags = ["payments"]  # noqa: RUF012

    @post(
        "/payments",
        summary="Start a payment (Idempotency-Key header required)",
        description="For an order the amount must be the order's total; for a voucher its "
        "price; a dynamic payment link fixes the amount and works once. Anonymous callers "
        "(scan-to-pay) are rate-limited and get a client_secret to read the payment with.",
        security=SECURITY,
        status_code=201,
    )
    async def create_payment(
        self,
        db_session: NamedDependency[AsyncSession],
        request: Request[Any, Any, Any],
        data: JSONBody[PaymentCreate],
    ) -> Response[PaymentOut]:
        body = await strict_body(request, PaymentCreate)
        if body.points_redeemed > 0:
            # Points lower the amount due only when they are held for this very payment,
            # which the scan-to-pay page does in the same transaction (POST /pay/points).
            raise ValidationFailed(
                "Pay with points on the scan-to-pay page; this API takes money only.",
                details={"problems": [{"key": "points_redeemed", "message": "== 0"}]},
            )
        principal = principal_of(request)
        if principal is None:
            host = request.client.host if request.client else "unknown"
            await RateLimiter(request.app.state.rate_limits).hit(
                f"payments-anonymous:{host}",
                limit=ANONYMOUS_PAYMENTS_PER_MINUTE,
                window_seconds=60,
            )
        who = principal.account_id if principal else f"anonymous:{body.shop_id}"
        guard = IdempotencyGuard(
            db_session, f"payments:create:{who}", request.headers.get(HEADER), await request.body()
        )
        replay = await guard.claim()
        if replay is not None:
            return replay.to_response()
        consumer = principal.account_id if principal and principal.role == Role.consumer else None
        created = await PaymentService(db_session, payment_config(request)).create(
            NewPayment(
                shop_id=body.shop_id,
                amount=body.amount,
                currency=body.currency,
                method=body.method,
                order_id=body.order_id,
                voucher_id=body.voucher_id,
                link_token=body.link_token,
                loyalty_wallet_id=body.loyalty_wallet_id,
                points_redeemed=body.points_redeemed,
            ),
            consumer,
        )
        out = payment_out(created.intent)
        out.client_secret = created.client_secret
        out.provider_client_secret = created.provider_intent.client_secret
        stored = await guard.store(201, out)
        return Response(content=stored.body, status_code=201)

    @get(
        "/payments/{payment_id:uuid}",
        summary="One payment with its events and refunds",
        description="For its consumer, the shop's people, or whoever sends the payment's "
        "client secret in the X-Client-Secret header (the scan-to-pay page).",
        security=SECURITY,
    )
    async def get_payment(
        self,
        db_session: NamedDependency[AsyncSession],
        request: Request[Any, Any, Any],
        payment_id: FromPath[uuid.UUID],
    ) -> PaymentOut:
        service, intent, _ = await _visible(request, db_session, payment_id)
        return payment_out(
            intent,
            events=await service.repo.events_of(intent.id),
            refunds=await service.repo.refunds_of(intent.id),
        )

    @post(
        "/payments/{payment_id:uuid}/cancel",
        summary="Cancel a payment still waiting for the consumer (Idempotency-Key required)",
        security=SECURITY,
        status_code=200,
    )
    async def cancel_payment(
        self,
        db_session: NamedDependency[AsyncSession],
        request: Request[Any, Any, Any],
        payment_id: FromPath[uuid.UUID],
    ) -> Response[PaymentOut]:
        guard = IdempotencyGuard(
            db_session,
            f"payments:cancel:{payment_id}",
            request.headers.get(HEADER),
            await request.body(),
        )
        service, _, role = await _visible(request, db_session, payment_id)
        if role not in CANCELLERS:
            raise PaymentNotFound(f"There is no payment {payment_id}.")
        replay = await guard.claim()
        if replay is not None:
            return replay.to_response()
        intent = await service.cancel(payment_id)
        stored = await guard.store(200, payment_out(intent))
        return Response(content=stored.body, status_code=200)

    @post(
        "/payments/{payment_id:uuid}/refunds",
        summary="Refund all or part of a payment (shop owner; Idempotency-Key required)",
        description="Never more than captured minus what was already refunded. The order or "
        "voucher learns of it through the payment.refunded event.",
        guards=[require_scope("payments:write")],
        security=SECURITY,
        status_code=201,
    )
    async def refund_payment(
        self,
        db_session: NamedDependency[AsyncSession],
        request: Request[Any, Any, Any],
        payment_id: FromPath[uuid.UUID],
        data: JSONBody[RefundCreate],
    ) -> Response[RefundResult]:
        body = await strict_body(request, RefundCreate)
        principal = authenticated(request)
        service, _, role = await _visible(request, db_session, payment_id)
        if role not in REFUNDERS:
            raise PermissionDenied("Only the shop's owner can refund a payment.")
        key = request.headers.get(HEADER)
        guard = IdempotencyGuard(
            db_session, f"payments:refund:{payment_id}", key, await request.body()
        )
        if await guard.repository.get(guard.scope, guard.key) is not None:
            # Answered before (or used with another body: 422) with nothing reserved again.
            replay = await guard.claim()
            if replay is not None:
                return replay.to_response()
        refunds = RefundService(db_session, payment_config(request))
        refund = await refunds.reserve(
            payment_id, body.amount, principal.account_id, guard.key, body.reason
        )
        # A boundary: the pending refund is kept and the payment row unlocked before the
        # provider is asked, so confirmations and other refunds never wait on the provider.
        await db_session.commit()
        if refund.state == RefundState.pending.value:
            result = await refunds.ask_provider(await service.get(payment_id), refund)
            refund = await refunds.settle(refund.id, result)
        if refund.state == RefundState.failed.value:
            await db_session.commit()  # the released reservation stays released
            raise ProviderError(
                "The provider refused the refund.",
                details={"failure_code": refund.failure_code, "refund_id": str(refund.id)},
            )
        replay = await guard.claim()
        if replay is not None:
            return replay.to_response()
        intent = await service.get(payment_id)
        answer = RefundResult(refund_out(refund), payment_out(intent))
        stored = await guard.store(201, answer)
        return Response(content=stored.body, status_code=201)

    @get(
        "/shops/{shop_id:uuid}/payments",
        summary="The shop's payments, newest first (members and consultants)",
        guards=[require_scope("payments:read"), shop_guard()],
        security=SECURITY,
    )
    async def list_shop_payments(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        status: FromQuery[StateName | None] = None,
        limit: FromQuery[Limit] = 50,
        offset: FromQuery[Offset] = 0,
    ) -> PaymentPage:
        found = await PaymentRepository(db_session).list_for_shop(
            shop_id, status, limit + 1, offset
        )
        return PaymentPage(
            [payment_out(p) for p in found[:limit]], limit, offset, len(found) > limit
        )

    @get(
        "/me/payments",
        summary="The signed-in consumer's own payments, newest first",
        security=SECURITY,
    )
    async def my_payments(
        self,
        db_session: NamedDependency[AsyncSession],
        request: Request[Any, Any, Any],
        limit: FromQuery[Limit] = 20,
        offset: FromQuery[Offset] = 0,
    ) -> PaymentPage:
        principal = authenticated(request)
        found = await PaymentRepository(db_session).list_for_consumer(
            principal.account_id, limit + 1, offset
        )
        return PaymentPage(
            [payment_out(p) for p in found[:limit]], limit, offset, len(found) > limit
        )
