"""Voucher offers (/api/shops/{id}/voucher-offers), buying (/api/voucher-offers/{id}/purchase),
the consumer's vouchers (/api/me/vouchers) and the counter (/api/shops/{id}/vouchers/...)."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, patch, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody, Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import authenticated, require_roles, require_scope, shop_guard
from infra.auth.roles import Role
from infra.db import utcnow
from infra.http.openapi import SIGNED_IN as SECURITY
from infra.idempotency import HEADER, IdempotencyGuard
from merchant_api.i18n import resolve_language
from merchant_api.strict_body import decode_strictly
from merchant_api.vouchers.schemas import (
    OfferCreate,
    OfferList,
    OfferOut,
    OfferUpdate,
    RedeemIn,
    StatusName,
    VoucherOut,
    VoucherPage,
    offer_out,
    voucher_out,
)
from merchant_api.vouchers.service import VoucherService
from merchant_api.vouchers.validation import OfferFields

# Consultants advise; the people behind the counter (and admins helping them) act.
SHOP_ACTORS = frozenset({"owner", "staff", "admin"})
Limit = Annotated[int, Parameter(ge=1, le=100)]
Offset = Annotated[int, Parameter(ge=0, le=100_000)]


class VoucherController(Controller):
    path = "/api"
    tags = ["vouchers"]  # noqa: RUF012

    @post(
        "/shops/{shop_id:uuid}/voucher-offers",
        summary="Offer a voucher (price at most its face value)",
        guards=[require_scope("vouchers:write"), shop_guard(allow=SHOP_ACTORS)],
        security=SECURITY,
        status_code=201,
    )
    async def create_offer(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        data: JSONBody[OfferCreate],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> OfferOut:
        body = await decode_strictly(request, OfferCreate)
        fields = OfferFields(
            **{name: getattr(body, name) for name in OfferFields.__dataclass_fields__}
        )
        offer = await VoucherService(db_session).create_offer(shop_id, fields, utcnow())
        return offer_out(offer, resolve_language(lang))

    @patch(
        "/shops/{shop_id:uuid}/voucher-offers/{offer_id:uuid}",
        summary="Change or switch off a voucher offer (sold vouchers keep their terms)",
        guards=[require_scope("vouchers:write"), shop_guard(allow=SHOP_ACTORS)],
        security=SECURITY,
    )
    async def update_offer(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        offer_id: FromPath[uuid.UUID],
        data: JSONBody[OfferUpdate],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> OfferOut:
        body = await decode_strictly(request, OfferUpdate)
        offer = await VoucherService(db_session).update_offer(
            shop_id, offer_id, body.changes(), utcnow()
        )
        return offer_out(offer, resolve_language(lang))

    @get(
        "/shops/{shop_id:uuid}/voucher-offers",
        summary="The shop's vouchers on sale now",
        exclude_from_auth=True,
    )
    async def offers_on_sale(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        lang: FromQuery[str | None] = None,
    ) -> OfferList:
        offers = await VoucherService(db_session).offers(shop_id, utcnow())
        language = resolve_language(lang)
        return OfferList([offer_out(offer, language) for offer in offers])

    @get(
        "/shops/{shop_id:uuid}/voucher-offers/all",
        summary="Every offer of the shop, also switched off and ended ones",
        guards=[require_scope("vouchers:read"), shop_guard()],
        security=SECURITY,
    )
    async def all_offers(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        lang: FromQuery[str | None] = None,
    ) -> OfferList:
        offers = await VoucherService(db_session).offers(shop_id, None)
        language = resolve_language(lang)
        return OfferList([offer_out(offer, language) for offer in offers])

    @post(
        "/voucher-offers/{offer_id:uuid}/purchase",
        summary="Buy a voucher (Idempotency-Key header required); it waits for payment",
        guards=[require_roles(Role.consumer), require_scope("vouchers:read")],
        security=SECURITY,
        status_code=201,
    )
    async def purchase(
        self,
        db_session: NamedDependency[AsyncSession],
        offer_id: FromPath[uuid.UUID],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> Response[VoucherOut]:
        principal = authenticated(request)
        guard = IdempotencyGuard(
            db_session,
            f"vouchers:purchase:{principal.account_id}:{offer_id}",
            request.headers.get(HEADER),
            await request.body(),
        )
        replay = await guard.claim()
        if replay is not None:
            return replay.to_response()
        voucher, offer = await VoucherService(db_session).purchase(
            offer_id, principal.account_id, utcnow()
        )
        stored = await guard.store(201, voucher_out(voucher, offer, resolve_language(lang)))
        return Response(content=stored.body, status_code=201)

    @get(
        "/me/vouchers",
        summary="The signed-in consumer's vouchers, newest first, with their codes",
        guards=[require_roles(Role.consumer), require_scope("vouchers:read")],
        security=SECURITY,
    )
    async def my_vouchers(
        self,
        db_session: NamedDependency[AsyncSession],
        request: Request[Any, Any, Any],
        limit: FromQuery[Limit] = 20,
        offset: FromQuery[Offset] = 0,
        lang: FromQuery[str | None] = None,
    ) -> VoucherPage:
        found = await VoucherService(db_session).mine(
            authenticated(request).account_id, limit + 1, offset
        )
        language = resolve_language(lang)
        return VoucherPage(
            vouchers=[voucher_out(v, o, language) for v, o in found[:limit]],
            limit=limit,
            offset=offset,
            has_more=len(found) > limit,
        )

    @get(
        "/me/vouchers/{voucher_id:uuid}",
        summary="One of the signed-in consumer's vouchers, with its code and QR payload",
        guards=[require_roles(Role.consumer), require_scope("vouchers:read")],
        security=SECURITY,
    )
    async def my_voucher(
        self,
        db_session: NamedDependency[AsyncSession],
        voucher_id: FromPath[uuid.UUID],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> VoucherOut:
        voucher, offer = await VoucherService(db_session).one_of_mine(
            voucher_id, authenticated(request).account_id
        )
        return voucher_out(voucher, offer, resolve_language(lang))

    @post(
        "/me/vouchers/{voucher_id:uuid}/refund",
        summary="Ask for the money back for a paid, unused voucher before it expires",
        guards=[require_roles(Role.consumer), require_scope("vouchers:read")],
        security=SECURITY,
        status_code=200,
    )
    async def refund_mine(
        self,
        db_session: NamedDependency[AsyncSession],
        voucher_id: FromPath[uuid.UUID],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> VoucherOut:
        service = VoucherService(db_session)
        voucher = await service.refund_for_consumer(
            voucher_id, authenticated(request).account_id, utcnow()
        )
        offer = await service.vouchers.get_offer(voucher.offer_id)
        assert offer is not None
        return voucher_out(voucher, offer, resolve_language(lang))

    @post(
        "/shops/{shop_id:uuid}/vouchers/redeem",
        summary="Redeem a voucher at the counter by its code or scanned QR payload (once)",
        guards=[require_scope("vouchers:write"), shop_guard(allow=SHOP_ACTORS)],
        security=SECURITY,
        status_code=200,
    )
    async def redeem(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        data: JSONBody[RedeemIn],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> VoucherOut:
        body = await decode_strictly(request, RedeemIn)
        service = VoucherService(db_session)
        voucher = await service.redeem(
            shop_id, body.code, authenticated(request).account_id, utcnow()
        )
        offer = await service.vouchers.get_offer(voucher.offer_id)
        assert offer is not None
        return voucher_out(voucher, offer, resolve_language(lang), reveal_code=False)

    @get(
        "/shops/{shop_id:uuid}/vouchers",
        summary="Vouchers sold by the shop, newest first (codes are not shown)",
        guards=[require_scope("vouchers:read"), shop_guard()],
        security=SECURITY,
    )
    async def shop_vouchers(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        status: FromQuery[StatusName | None] = None,
        limit: FromQuery[Limit] = 50,
        offset: FromQuery[Offset] = 0,
        lang: FromQuery[str | None] = None,
    ) -> VoucherPage:
        found = await VoucherService(db_session).of_shop(shop_id, status, limit + 1, offset)
        language = resolve_language(lang)
        return VoucherPage(
            vouchers=[voucher_out(v, o, language, reveal_code=False) for v, o in found[:limit]],
            limit=limit,
            offset=offset,
            has_more=len(found) > limit,
        )

    @post(
        "/shops/{shop_id:uuid}/vouchers/{voucher_id:uuid}/refund",
        summary="Refund a paid, unused voucher of the shop (also after expiry)",
        guards=[require_scope("vouchers:write"), shop_guard(allow=SHOP_ACTORS)],
        security=SECURITY,
        status_code=200,
    )
    async def refund_by_shop(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        voucher_id: FromPath[uuid.UUID],
        lang: FromQuery[str | None] = None,
    ) -> VoucherOut:
        service = VoucherService(db_session)
        voucher = await service.refund_for_shop(shop_id, voucher_id, utcnow())
        offer = await service.vouchers.get_offer(voucher.offer_id)
        assert offer is not None
        return voucher_out(voucher, offer, resolve_language(lang), reveal_code=False)
