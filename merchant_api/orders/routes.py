"""/api/shops/{shop_id}/orders, /api/orders/{id}, /api/me/orders and the live order stream."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from litestar.response import ServerSentEvent
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import authenticated, principal_of, require_scope, shop_guard
from infra.db import utcnow
from infra.errors import NotFound, PermissionDenied
from infra.http.openapi import SIGNED_IN as SECURITY
from infra.idempotency import HEADER, IdempotencyGuard
from infra.ratelimit import RateLimiter
from merchant_api.catalog.models import Channel
from merchant_api.catalog.pricing import LineRequest
from merchant_api.devices.auth import device_guard
from merchant_api.devices.signing import CREDENTIAL_HEADER
from merchant_api.i18n import resolve_language
from merchant_api.orders.access import (
    actor_of,
    order_access_token,
    order_role,
    placing_actor,
    presented_token,
    token_grants,
)
from merchant_api.orders.models import OrderStatus
from merchant_api.orders.repository import OrderFilter, OrderRepository
from merchant_api.orders.schemas import (
    ChannelName,
    OrderCreate,
    OrderOut,
    OrderPage,
    StatusName,
    TransitionIn,
    order_out,
)
from merchant_api.orders.service import OrderService, PlaceOrder
from merchant_api.orders.stream import MAX_STREAM_SECONDS, order_events, parse_cursor
from merchant_api.strict_body import StrictBody

# Anonymous table and counter orders: enough for a family at one table, not for a script.
ANONYMOUS_ORDERS_PER_MINUTE = 20
# The live queue is for the people who make the food, not for consultants.
QUEUE_READERS = frozenset({"owner", "staff", "admin"})

_READ_ORDERS = require_scope("orders:read")

Limit = Annotated[int, Parameter(ge=1, le=100)]
Offset = Annotated[int, Parameter(ge=0, le=100_000)]


def _secret(request: Request[Any, Any, Any]) -> str:
    return str(request.app.state.settings.auth.secret_key)


class OrderController(Controller):
    path = "/api"
    tags = ["orders"]  # noqa: RUF012

    @post(
        "/shops/{shop_id:uuid}/orders",
        summary="Place an order (Idempotency-Key header required)",
        description="Totals are computed on the server; a body with prices or totals is "
        "refused. Anonymous callers may place counter and table orders (rate-limited); "
        "pick-up orders need a signed-in consumer, kiosk orders a kiosk or the shop's staff. "
        "An order no signed-in consumer owns comes back with `access_token` and `status_url`: "
        "the only way to read it again without signing in.",
        security=SECURITY,
        status_code=201,
        dto=StrictBody[OrderCreate],
        return_dto=None,
    )
    async def place_order(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        data: JSONBody[OrderCreate],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> Response[OrderOut]:
        if request.headers.get(CREDENTIAL_HEADER):
            # A paired kiosk signs its orders (the merchant_api.devices contract), no session.
            await device_guard(request, request.route_handler)
        principal = principal_of(request)
        channel = Channel(data.channel)
        actor, consumer_id = await placing_actor(request, db_session, principal, shop_id, channel)
        if principal is None:
            host = request.client.host if request.client else "unknown"
            await RateLimiter(request.app.state.rate_limits).hit(
                f"orders-anonymous:{host}", limit=ANONYMOUS_ORDERS_PER_MINUTE, window_seconds=60
            )
        who = principal.account_id if principal else f"anonymous:{shop_id}"
        # The decoded body is the fingerprint: the raw bytes are not parsed a second time.
        guard = IdempotencyGuard(
            db_session, f"orders:create:{who}", request.headers.get(HEADER), data
        )
        replay = await guard.claim()
        if replay is not None:
            return replay.to_response()
        placement = PlaceOrder(
            channel=channel,
            lines=[
                LineRequest(line.listing_id, line.quantity, tuple(line.option_ids))
                for line in data.lines
            ],
            table_label=data.table,
            pickup_at=data.pickup_at,
            notes=data.notes,
            consumer_account_id=consumer_id,
        )
        view = await OrderService(db_session).place(shop_id, placement, actor, utcnow())
        answer = order_out(view, resolve_language(lang))
        if view.order.consumer_account_id is None:
            token = order_access_token(_secret(request), view.order.id)
            answer = msgspec.structs.replace(
                answer, access_token=token, status_url=f"/api/orders/{view.order.id}?token={token}"
            )
        stored = await guard.store(201, answer)
        return Response(content=stored.body, status_code=201)

    @get(
        "/orders/{order_id:uuid}",
        summary="One order with its lines and history",
        description="Signed in with `orders:read` (a consumer sees only their own orders), or "
        "anonymously with the order's access token from the placement answer, as the `token` "
        "query parameter or the X-Order-Token header.",
        security=SECURITY,
    )
    async def get_order(
        self,
        db_session: NamedDependency[AsyncSession],
        order_id: FromPath[uuid.UUID],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
        token: FromQuery[str | None] = None,
    ) -> OrderOut:
        service = OrderService(db_session)
        presented = presented_token(request)
        if token_grants(_secret(request), order_id, presented):
            return order_out(
                await service.view(await service.get(order_id)), resolve_language(lang)
            )
        if presented and principal_of(request) is None:
            # A wrong token answers like a missing order: ids and tokens are not probed.
            raise NotFound(f"There is no order {order_id}.")
        await _READ_ORDERS(request, request.route_handler)
        order = await service.get(order_id)
        if await order_role(request, db_session, authenticated(request), order) is None:
            # The same answer as for an order that does not exist: ids are not probed.
            raise NotFound(f"There is no order {order_id}.")
        return order_out(await service.view(order), resolve_language(lang))

    @post(
        "/orders/{order_id:uuid}/transitions",
        summary="Move an order to its next state (accept, prepare, ready, complete, cancel)",
        guards=[require_scope("orders:write")],
        security=SECURITY,
        status_code=200,
        dto=StrictBody[TransitionIn],
        return_dto=None,
    )
    async def transition_order(
        self,
        db_session: NamedDependency[AsyncSession],
        order_id: FromPath[uuid.UUID],
        data: JSONBody[TransitionIn],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> OrderOut:
        principal = authenticated(request)
        service = OrderService(db_session)
        order = await service.get(order_id)
        role = await order_role(request, db_session, principal, order)
        if role is None:
            raise NotFound(f"There is no order {order_id}.")
        to = OrderStatus(data.to)
        if role == "viewer":
            raise PermissionDenied("Consultants read orders; the shop moves them.")
        if role == "customer" and not (
            to == OrderStatus.cancelled and order.status == OrderStatus.placed.value
        ):
            raise PermissionDenied("You can cancel your order until the shop accepts it.")
        view = await service.transition(order, to, data.reason, actor_of(principal, role), utcnow())
        return order_out(view, resolve_language(lang))

    @get(
        "/shops/{shop_id:uuid}/orders",
        summary="The shop's orders, newest first (filter by status, channel, Taipei date)",
        guards=[require_scope("orders:read"), shop_guard()],
        security=SECURITY,
    )
    async def list_shop_orders(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        status: FromQuery[StatusName | None] = None,
        channel: FromQuery[ChannelName | None] = None,
        date_from: FromQuery[date | None] = None,
        date_to: FromQuery[date | None] = None,
        limit: FromQuery[Limit] = 50,
        offset: FromQuery[Offset] = 0,
        lang: FromQuery[str | None] = None,
    ) -> OrderPage:
        repository = OrderRepository(db_session)
        # Read before the page: a change racing this read is sent again, never lost.
        cursor = await repository.last_seq(shop_id)
        where = OrderFilter(status, channel, date_from, date_to)
        found = await repository.list_for_shop(shop_id, where, limit + 1, offset)
        views = await OrderService(db_session).views(found[:limit])
        language = resolve_language(lang)
        return OrderPage(
            orders=[order_out(view, language) for view in views],
            limit=limit,
            offset=offset,
            has_more=len(found) > limit,
            cursor=cursor,
        )

    @get(
        "/me/orders",
        summary="The signed-in consumer's own orders, newest first",
        guards=[require_scope("orders:read")],
        security=SECURITY,
    )
    async def my_orders(
        self,
        db_session: NamedDependency[AsyncSession],
        request: Request[Any, Any, Any],
        limit: FromQuery[Limit] = 20,
        offset: FromQuery[Offset] = 0,
        lang: FromQuery[str | None] = None,
    ) -> OrderPage:
        principal = authenticated(request)
        found = await OrderRepository(db_session).list_for_consumer(
            principal.account_id, limit + 1, offset
        )
        views = await OrderService(db_session).views(found[:limit])
        language = resolve_language(lang)
        return OrderPage(
            orders=[order_out(view, language) for view in views],
            limit=limit,
            offset=offset,
            has_more=len(found) > limit,
        )

    @get(
        "/shops/{shop_id:uuid}/orders/stream",
        summary="Live order queue (server-sent events; resume with Last-Event-ID)",
        guards=[require_scope("orders:read"), shop_guard(allow=QUEUE_READERS)],
        security=SECURITY,
    )
    async def order_stream(
        self,
        shop_id: FromPath[uuid.UUID],
        request: Request[Any, Any, Any],
        after: FromQuery[Annotated[int | None, Parameter(ge=0)]] = None,
        max_seconds: FromQuery[Annotated[int, Parameter(ge=1, le=MAX_STREAM_SECONDS)]] = (
            MAX_STREAM_SECONDS
        ),
    ) -> ServerSentEvent:
        cursor = parse_cursor(request.headers.get("last-event-id"), after)
        sessions = request.app.state.session_factory
        return ServerSentEvent(
            order_events(sessions, shop_id, cursor, max_seconds),
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )
