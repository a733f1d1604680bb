"""/api/me/loyalty (the consumer's wallet, member code, holds), /api/shops/{id}/loyalty (the
counter, activity, statements) and /api/loyalty/settlements (platform admins); the rules
(earn rates, bonuses, campaigns, rallies, limits) are in routes_rules."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import authenticated, require_roles, require_scope, shop_guard
from infra.auth.roles import Role
from infra.db import utcnow
from infra.errors import ValidationFailed
from infra.http.openapi import SIGNED_IN as SECURITY
from infra.idempotency import HEADER, IdempotencyGuard
from payments.loyalty.errors import HoldNotFound, problem
from payments.loyalty.identity import member_code, wallet_of_code
from payments.loyalty.schemas import (
    ActivityOut,
    ClearingReportOut,
    CounterRedeemIn,
    HoldIn,
    HoldOut,
    MemberCodeOut,
    SettleIn,
    StatementOut,
    WalletOut,
    clearing_report,
    hold_out,
    statement_out,
)
from payments.loyalty.service import LoyaltyService
from payments.loyalty.settlement import SettlementService, statements_csv
from payments.merchants import EmptyMerchantDirectory

COUNTER = frozenset({"owner", "staff", "admin"})
CONSUMER = [require_roles(Role.consumer), require_scope("loyalty:read")]
ADMIN = [require_roles(Role.platform_admin)]


def loyalty_service(request: Request[Any, Any, Any], session: AsyncSession) -> LoyaltyService:
    """The loyalty service with the app's settings and merchant directory (pages use it too)."""
    state = request.app.state
    directory = state.get("merchant_directory") or EmptyMerchantDirectory()
    return LoyaltyService(session, state.settings.loyalty, directory)


def _points(points: int) -> int:
    if points <= 0 or points > 10_000_000:
        raise ValidationFailed("Redeem at least one point.", details=problem("points", "> 0"))
    return points


async def _idempotent(request: Request[Any, Any, Any], session: AsyncSession, scope: str):  # type: ignore[no-untyped-def]
    guard = IdempotencyGuard(session, scope, request.headers.get(HEADER), await request.body())
    return guard, await guard.claim()


class LoyaltyController(Controller):
    path = "/api"
    tags = ["loyalty"]  # noqa: RUF012

    @get(
        "/me/loyalty",
        summary="My points: balance, held points, recent activity",
        guards=CONSUMER,
        security=SECURITY,
    )
    async def my_wallet(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
    ) -> WalletOut:
        service = loyalty_service(request, db_session)
        wallet_id = await service.wallet_for(authenticated(request).account_id, utcnow())
        wallet = await service.repo.wallet(wallet_id)
        assert wallet is not None
        balance, held = await service.repo.wallet_balances(wallet_id)
        activity = [
            ActivityOut(tx, reason, shop, int(points), at)
            for tx, reason, shop, at, points in await service.repo.activity(wallet_id)
        ]
        return WalletOut(
            wallet_id,
            wallet.card_number,
            balance,
            held,
            service.settings.point_value_minor,
            wallet.phone is not None,
            activity,
        )

    @get(
        "/me/loyalty/member-code",
        summary="My member QR code (it changes every minute)",
        guards=CONSUMER,
        security=SECURITY,
    )
    async def my_member_code(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
    ) -> MemberCodeOut:
        service = loyalty_service(request, db_session)
        wallet_id = await service.wallet_for(authenticated(request).account_id, utcnow())
        step = service.settings.member_qr_step_seconds
        secret = request.app.state.settings.auth.secret_key
        return MemberCodeOut(member_code(secret, wallet_id, utcnow(), step), step)

    @post(
        "/me/loyalty/holds",
        summary="Hold points for a purchase (Idempotency-Key required)",
        guards=CONSUMER,
        security=SECURITY,
        status_code=201,
    )
    async def hold(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[HoldIn],
    ) -> Response[HoldOut]:
        principal = authenticated(request)
        guard, replay = await _idempotent(
            request, db_session, f"loyalty:hold:{principal.account_id}"
        )
        if replay is not None:
            return replay.to_response()
        service = loyalty_service(request, db_session)
        wallet_id = await service.wallet_for(principal.account_id, utcnow())
        hold = await service.hold(
            wallet_id, data.shop_id, _points(data.points), data.order_id, utcnow()
        )
        stored = await guard.store(201, hold_out(hold))
        return Response(content=stored.body, status_code=201)

    @post(
        "/me/loyalty/holds/{hold_id:uuid}/release",
        summary="Give held points back",
        guards=CONSUMER,
        security=SECURITY,
        status_code=200,
    )
    async def release_mine(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        hold_id: FromPath[uuid.UUID],
    ) -> HoldOut:
        service = loyalty_service(request, db_session)
        wallet = await service.repo.wallet_of_account(authenticated(request).account_id)
        hold = await service.repo.get_hold(hold_id)
        if hold is None or wallet is None or hold.wallet_id != wallet.id:
            raise HoldNotFound("No such hold.")
        return hold_out(await service.release(hold_id, utcnow()))

    @post(
        "/shops/{shop_id:uuid}/loyalty/holds/{hold_id:uuid}/capture",
        summary="Spend held points at this shop",
        status_code=200,
        guards=[require_scope("loyalty:write"), shop_guard(allow=COUNTER)],
        security=SECURITY,
    )
    async def capture(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        hold_id: FromPath[uuid.UUID],
    ) -> HoldOut:
        service = loyalty_service(request, db_session)
        hold = await service.repo.get_hold(hold_id)
        if hold is None or hold.shop_id != shop_id:
            raise HoldNotFound("No such hold at this shop.")
        return hold_out(await service.capture(hold_id, utcnow()))

    @post(
        "/shops/{shop_id:uuid}/loyalty/redeem",
        summary="Counter: redeem points from a scanned member code (Idempotency-Key)",
        guards=[require_scope("loyalty:write"), shop_guard(allow=COUNTER)],
        security=SECURITY,
        status_code=201,
    )
    async def counter_redeem(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        data: JSONBody[CounterRedeemIn],
    ) -> Response[HoldOut]:
        guard, replay = await _idempotent(request, db_session, f"loyalty:counter:{shop_id}")
        if replay is not None:
            return replay.to_response()
        service = loyalty_service(request, db_session)
        now = utcnow()
        secret = request.app.state.settings.auth.secret_key
        wallet_id = wallet_of_code(
            secret, data.member_code, now, service.settings.member_qr_step_seconds
        )
        hold = await service.redeem_now(wallet_id, shop_id, _points(data.points), now)
        stored = await guard.store(201, hold_out(hold))
        return Response(content=stored.body, status_code=201)

    @get(
        "/shops/{shop_id:uuid}/loyalty/activity",
        summary="Points earned and spent at this shop (no consumer is identified)",
        guards=[require_scope("loyalty:read"), shop_guard()],
        security=SECURITY,
    )
    async def shop_activity(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
    ) -> list[dict[str, Any]]:
        rows = await loyalty_service(request, db_session).repo.shop_activity(shop_id)
        return [
            {
                "transaction_id": str(tx),
                "reason": reason,
                "points": int(points or 0),
                "occurred_at": at.isoformat(),
            }
            for tx, reason, points, at in rows
        ]

    @get(
        "/shops/{shop_id:uuid}/loyalty/statements/{period:str}",
        summary="The shop's settlement statement of a closed period",
        guards=[require_scope("loyalty:read"), shop_guard()],
        security=SECURITY,
    )
    async def shop_statement(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        period: FromPath[str],
    ) -> list[StatementOut]:
        service = SettlementService(
            db_session, request.app.state.settings.loyalty.point_value_minor
        )
        return [statement_out(s) for s in await service.statements(period, shop_id)]

    @post(
        "/loyalty/settlements",
        summary="Settle and close a past month",
        guards=ADMIN,
        security=SECURITY,
        status_code=201,
    )
    async def settle(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[SettleIn],
    ) -> ClearingReportOut:
        service = SettlementService(
            db_session, request.app.state.settings.loyalty.point_value_minor
        )
        return clearing_report(data.period, await service.settle(data.period, utcnow()))

    @get(
        "/loyalty/settlements/{period:str}",
        summary="The programme clearing report of a closed period (?format=csv)",
        guards=ADMIN,
        security=SECURITY,
    )
    async def clearing(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        period: FromPath[str],
        format: FromQuery[str] = "json",
    ) -> Response[Any]:
        if format not in ("json", "csv"):
            raise ValidationFailed("format is json or csv", details=problem("format", "json|csv"))
        service = SettlementService(
            db_session, request.app.state.settings.loyalty.point_value_minor
        )
        statements = await service.statements(period)
        if format == "csv":
            return Response(
                content=statements_csv(statements),
                media_type="text/csv",
                headers={"Content-Disposition": f'attachment; filename="loyalty-{period}.csv"'},
            )
        return Response(content=clearing_report(period, statements))


def loyalty_routes() -> list[type[Controller]]:
    from payments.loyalty.routes_identity import LoyaltyIdentityController
    from payments.loyalty.routes_rules import LoyaltyRulesController

    return [LoyaltyController, LoyaltyIdentityController, LoyaltyRulesController]
