"""/api/payment-links: what a scanned link stands for (public), and the shop's own links,
QR codes, NFC bytes and printable sheet (shop members, consultants read-only)."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import require_scope, shop_guard
from infra.errors import NotFound
from infra.http.openapi import SIGNED_IN as SECURITY
from payments.links.schemas import (
    DynamicLinkIn,
    IssuedLinkOut,
    PaymentLinkOut,
    StaticLinksOut,
    issued_link_out,
    payment_link_out,
)
from payments.links.service import PaymentLinkService
from payments.links.tokens import SPOT_KINDS, SpotKind
from payments.merchants import DEFAULT_LANGUAGE, EmptyMerchantDirectory, MerchantInfo
from payments.nfc import ndef_message, type2_tag_bytes
from payments.qr.render import render
from payments.qr.sheet import Tent, table_tents_html

LINK_ISSUERS = frozenset({"owner", "staff", "admin"})
MEDIA = {"png": "image/png", "svg": "image/svg+xml"}


def link_service(request: Request[Any, Any, Any], session: AsyncSession) -> PaymentLinkService:
    state = request.app.state
    directory = state.get("merchant_directory") or EmptyMerchantDirectory()
    return PaymentLinkService(session, state.payment_links, directory)


async def _merchant(service: PaymentLinkService, shop_id: uuid.UUID) -> MerchantInfo:
    merchant = await service.directory.describe(service.session, shop_id)
    if merchant is None:
        raise NotFound("No such shop.")
    return merchant


def _spot(spot: str) -> SpotKind:
    if spot not in SPOT_KINDS:
        raise NotFound(f"spot is one of {', '.join(SPOT_KINDS)}")
    return spot  # type: ignore[return-value]


class PaymentLinkController(Controller):
    path = "/api/payment-links"
    tags = ["payment links"]  # noqa: RUF012

    @get("/{token:str}", summary="What a scanned payment link stands for", exclude_from_auth=True)
    async def resolve(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        token: FromPath[str],
        lang: FromQuery[str | None] = None,
    ) -> PaymentLinkOut:
        resolved = await link_service(request, db_session).resolve(token)
        return payment_link_out(resolved, lang or DEFAULT_LANGUAGE)

    @get(
        "/{token:str}/qr/{fmt:str}",
        summary="A valid link as a QR code (png or svg), e.g. a kiosk's dynamic code",
        exclude_from_auth=True,
    )
    async def qr(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        token: FromPath[str],
        fmt: FromPath[str],
    ) -> Response[bytes]:
        if fmt not in MEDIA:
            raise NotFound("format is png or svg")
        service = link_service(request, db_session)
        # Only links that resolve are drawn: this is no QR service for arbitrary text.
        resolved = await service.resolve(token)
        image = render(service.config.url(token), fmt, resolved.merchant.name())  # type: ignore[arg-type]
        return Response(image, media_type=MEDIA[fmt])


class ShopPaymentLinkController(Controller):
    path = "/api/shops/{shop_id:uuid}/payment-links"
    tags = ["payment links"]  # noqa: RUF012

    @post(
        "/",
        summary="A dynamic link for one order and amount; it expires and works once",
        guards=[require_scope("payments:write"), shop_guard(allow=LINK_ISSUERS)],
        security=SECURITY,
    )
    async def create_dynamic(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        data: JSONBody[DynamicLinkIn],
    ) -> IssuedLinkOut:
        service = link_service(request, db_session)
        await _merchant(service, shop_id)
        issued = await service.issue_dynamic(
            shop_id, amount_minor=data.amount_minor, order_reference=data.order_reference
        )
        return issued_link_out(issued)

    @get(
        "/static",
        summary="The shop's static links: the shop, then counters, tables and kiosks",
        guards=[require_scope("payments:read"), shop_guard()],
        security=SECURITY,
    )
    async def list_static(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        counters: FromQuery[int] = 1,
        tables: FromQuery[int] = 0,
        kiosks: FromQuery[int] = 0,
    ) -> StaticLinksOut:
        service = link_service(request, db_session)
        await _merchant(service, shop_id)
        links = service.static_links(shop_id, counters=counters, tables=tables, kiosks=kiosks)
        return StaticLinksOut(shop_id, [issued_link_out(link) for link in links])

    @get(
        "/sheet",
        summary="A printable A4 sheet of table tents with the shop's static codes",
        guards=[require_scope("payments:read"), shop_guard()],
        security=SECURITY,
        media_type="text/html; charset=utf-8",
    )
    async def sheet(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        counters: FromQuery[int] = 1,
        tables: FromQuery[int] = 0,
        kiosks: FromQuery[int] = 0,
    ) -> str:
        service = link_service(request, db_session)
        merchant = await _merchant(service, shop_id)
        links = service.static_links(shop_id, counters=counters, tables=tables, kiosks=kiosks)
        tents = [Tent(link.link.spot, link.link.label, link.url) for link in links]  # type: ignore[union-attr]
        return table_tents_html(merchant.name(), tents)

    @get(
        "/static/{spot:str}/qr/{fmt:str}",
        summary="One static link as a QR code (png or svg), the shop's name under it",
        guards=[require_scope("payments:read"), shop_guard()],
        security=SECURITY,
    )
    async def static_qr(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        spot: FromPath[str],
        fmt: FromPath[str],
        label: FromQuery[str] = "",
    ) -> Response[bytes]:
        if fmt not in MEDIA:
            raise NotFound("format is png or svg")
        service = link_service(request, db_session)
        merchant = await _merchant(service, shop_id)
        issued = service.static_link(shop_id, _spot(spot), label)
        image = render(issued.url, fmt, merchant.name())  # type: ignore[arg-type]
        return Response(image, media_type=MEDIA[fmt])

    @get(
        "/static/{spot:str}/ndef",
        summary="One static link as NDEF bytes for an NFC tag (memory=type2 for raw tag memory)",
        guards=[require_scope("payments:read"), shop_guard()],
        security=SECURITY,
    )
    async def static_ndef(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        spot: FromPath[str],
        label: FromQuery[str] = "",
        memory: FromQuery[Literal["message", "type2"]] = "message",
    ) -> Response[bytes]:
        service = link_service(request, db_session)
        await _merchant(service, shop_id)
        url = service.static_link(shop_id, _spot(spot), label).url
        data = type2_tag_bytes(url) if memory == "type2" else ndef_message(url)
        return Response(data, media_type="application/octet-stream")


def payment_link_routes() -> list:  # type: ignore[type-arg]
    return [PaymentLinkController, ShopPaymentLinkController]
