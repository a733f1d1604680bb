"""Wallet identity and personal data: phone codes, member cards, merging, consent, download
and erasure (/api/me/loyalty/...), shop-issued cards, and programme reports (/api/loyalty/...)."""

from __future__ import annotations

import uuid
from typing import Any

import msgspec
from litestar import Controller, Request, Response, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import (
    authenticated,
    ministry_viewer,
    require_roles,
    require_scope,
    shop_guard,
)
from infra.auth.roles import Role
from infra.db import utcnow
from infra.http.errors import error_body
from infra.http.openapi import SIGNED_IN as SECURITY
from payments.loyalty.errors import WalletNotFound, problem
from payments.loyalty.identity_repository import IdentityRepository
from payments.loyalty.phone import ConsoleSmsSender, PhoneService
from payments.loyalty.privacy import PrivacyService
from payments.loyalty.reports import LoyaltyReports
from payments.loyalty.repository import LoyaltyRepository
from payments.loyalty.service import LoyaltyService

CONSUMER = [require_roles(Role.consumer), require_scope("loyalty:read")]


class PhoneIn(msgspec.Struct, forbid_unknown_fields=True):
    phone: str


class CodeIn(msgspec.Struct, forbid_unknown_fields=True):
    code: str


class CardIn(msgspec.Struct, forbid_unknown_fields=True):
    card_number: str


class ConsentIn(msgspec.Struct, forbid_unknown_fields=True):
    purpose: str
    granted: bool


def _settings(request: Request[Any, Any, Any]):  # type: ignore[no-untyped-def]
    return request.app.state.settings


async def _my_wallet(request: Request[Any, Any, Any], session: AsyncSession) -> uuid.UUID:
    service = LoyaltyService(session, _settings(request).loyalty)
    return await service.wallet_for(authenticated(request).account_id, utcnow())


def _phones(request: Request[Any, Any, Any], session: AsyncSession) -> PhoneService:
    settings = _settings(request)
    return PhoneService(session, settings.loyalty, settings.auth.secret_key)


class LoyaltyIdentityController(Controller):
    path = "/api"
    tags = ["loyalty"]  # noqa: RUF012

    @post(
        "/me/loyalty/phone",
        summary="Send a one-time code to link a phone",
        guards=CONSUMER,
        security=SECURITY,
        status_code=202,
    )
    async def start_phone(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[PhoneIn],
    ) -> dict[str, str]:
        wallet_id = await _my_wallet(request, db_session)
        sender = request.app.state.get("loyalty_sms_sender") or ConsoleSmsSender()
        expires = await _phones(request, db_session).start(wallet_id, data.phone, sender, utcnow())
        return {"expires_at": expires.isoformat()}

    @post(
        "/me/loyalty/phone/verify",
        summary="Confirm the code; a wallet with this phone merges in",
        guards=CONSUMER,
        security=SECURITY,
        status_code=200,
    )
    async def verify_phone(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[CodeIn],
    ) -> Response[Any]:
        wallet_id = await _my_wallet(request, db_session)
        refused = await _phones(request, db_session).verify(wallet_id, data.code, utcnow())
        if refused is not None:
            # Answered, not raised: the counted try must commit with the refusal.
            return Response(
                error_body(refused.code, refused.message, refused.details),
                status_code=refused.status_code,
            )
        return Response({"phone_linked": True})

    @post(
        "/me/loyalty/cards/link",
        summary="Add an anonymous member card's points to my wallet",
        guards=CONSUMER,
        security=SECURITY,
        status_code=200,
    )
    async def link_card(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[CardIn],
    ) -> dict[str, int]:
        wallet_id = await _my_wallet(request, db_session)
        card = await IdentityRepository(db_session).wallet_with_card(data.card_number.strip())
        if card is None or card.account_id is not None:
            raise WalletNotFound(
                "No such anonymous card.", details=problem("card_number", "unknown")
            )
        points = await _phones(request, db_session).merge(card.id, wallet_id, utcnow())
        return {"merged_points": points}

    @post(
        "/shops/{shop_id:uuid}/loyalty/cards",
        summary="Issue an anonymous member card",
        guards=[require_scope("loyalty:write"), shop_guard(allow={"owner", "staff", "admin"})],
        security=SECURITY,
        status_code=201,
    )
    async def issue_card(
        self, db_session: NamedDependency[AsyncSession], shop_id: FromPath[uuid.UUID]
    ) -> dict[str, str]:
        repo = LoyaltyRepository(db_session)
        wallet_id = await repo.create_wallet(None, utcnow())
        wallet = await repo.wallet(wallet_id)
        assert wallet is not None
        return {"wallet_id": str(wallet_id), "card_number": wallet.card_number}

    @post(
        "/me/loyalty/consents",
        summary="Record consent (or its withdrawal) for a purpose",
        guards=CONSUMER,
        security=SECURITY,
        status_code=201,
    )
    async def consent(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[ConsentIn],
    ) -> dict[str, Any]:
        wallet_id = await _my_wallet(request, db_session)
        c = await PrivacyService(db_session, _settings(request).loyalty).record_consent(
            wallet_id, data.purpose, data.granted, utcnow()
        )
        return {
            "purpose": c.purpose,
            "granted": c.granted,
            "recorded_at": c.recorded_at.isoformat(),
        }

    @get(
        "/me/loyalty/export",
        summary="Download everything the loyalty programme holds on me",
        guards=CONSUMER,
        security=SECURITY,
    )
    async def export(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
    ) -> Response[Any]:
        wallet_id = await _my_wallet(request, db_session)
        data = await PrivacyService(db_session, _settings(request).loyalty).export(wallet_id)
        return Response(
            data, headers={"Content-Disposition": 'attachment; filename="onestreet-loyalty.json"'}
        )

    @delete(
        "/me/loyalty/account",
        summary="Delete my loyalty data (points left are forfeited)",
        guards=CONSUMER,
        security=SECURITY,
        status_code=200,
    )
    async def erase(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
    ) -> dict[str, int]:
        wallet = await LoyaltyRepository(db_session).wallet_of_account(
            authenticated(request).account_id
        )
        if wallet is None:
            return {"forfeited_points": 0}
        points = await PrivacyService(db_session, _settings(request).loyalty).erase(
            wallet.id, utcnow()
        )
        return {"forfeited_points": points}

    @get(
        "/loyalty/summary",
        summary="Programme totals (aggregates only)",
        guards=[ministry_viewer],
        security=SECURITY,
    )
    async def summary(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
    ) -> dict[str, Any]:
        return await LoyaltyReports(db_session, _settings(request).loyalty).programme_summary()

    @get(
        "/loyalty/anomalies",
        summary="Earning that looks like abuse (last 30 days)",
        guards=[require_roles(Role.platform_admin)],
        security=SECURITY,
    )
    async def anomalies(
        self, request: Request[Any, Any, Any], db_session: NamedDependency[AsyncSession]
    ) -> list[dict[str, Any]]:
        return await LoyaltyReports(db_session, _settings(request).loyalty).anomalies(utcnow())
