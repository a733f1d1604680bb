"""Issue, resolve and redeem payment links. Never commits: the request boundary does.

Resolving is safe to repeat (a phone may load the page twice); redeeming a dynamic link, which
the payment creation does, records its single use and refuses every later one.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from infra.errors import ValidationFailed
from payments.links.config import LinkConfig
from payments.links.errors import LinkExpired, LinkShopUnknown, LinkUsed
from payments.links.models import PaymentLinkUse
from payments.links.repository import PaymentLinkRepository
from payments.links.tokens import (
    MAX_AMOUNT,
    MAX_LABEL_BYTES,
    DynamicLink,
    Link,
    SpotKind,
    StaticLink,
)
from payments.merchants import MerchantDirectory, MerchantInfo

TWD = "901"
ORDER_REFERENCE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
MAX_SPOTS_PER_KIND = 200


@dataclass(frozen=True, slots=True)
class ResolvedLink:
    token: str
    link: Link
    merchant: MerchantInfo

    @property
    def kind(self) -> str:
        return "dynamic" if isinstance(self.link, DynamicLink) else "static"


@dataclass(frozen=True, slots=True)
class IssuedLink:
    token: str
    url: str
    link: Link


class PaymentLinkService:
    def __init__(
        self,
        session: AsyncSession,
        config: LinkConfig,
        directory: MerchantDirectory,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.repo = PaymentLinkRepository(session)
        self.session = session
        self.config = config
        self.directory = directory
        self.clock = clock

    async def resolve(self, token: str) -> ResolvedLink:
        """What a scanned link stands for, with the shop as our server knows it."""
        link = self.config.signer.verify(token)
        if isinstance(link, DynamicLink):
            if self.clock() >= link.expires_at:
                raise LinkExpired("This payment link has expired; ask the shop for a new one.")
            if await self.repo.is_used(link.link_id):
                raise LinkUsed("This payment link has already been used.")
        merchant = await self.directory.describe(self.session, link.shop_id)
        if merchant is None or not merchant.active:
            raise LinkShopUnknown("This shop is not accepting payments.")
        return ResolvedLink(token, link, merchant)

    async def redeem(self, token: str) -> ResolvedLink:
        """Resolve and, for a dynamic link, record its one use (refused if it was used)."""
        resolved = await self.resolve(token)
        link = resolved.link
        if isinstance(link, DynamicLink):
            use = PaymentLinkUse(
                link_id=link.link_id,
                shop_id=link.shop_id,
                order_reference=link.order_reference,
                amount_minor=link.amount_minor,
                currency=link.currency,
                used_at=self.clock(),
            )
            if not await self.repo.record_use(use):
                raise LinkUsed("This payment link has already been used.")
        return resolved

    async def issue_dynamic(
        self, shop_id: uuid.UUID, *, amount_minor: int, order_reference: str
    ) -> IssuedLink:
        if isinstance(amount_minor, bool) or not 0 < amount_minor <= MAX_AMOUNT:
            raise ValidationFailed(
                "The amount must be greater than zero.", details={"field": "amount_minor"}
            )
        if not ORDER_REFERENCE.match(order_reference):
            raise ValidationFailed(
                "The order reference is 1-32 letters, digits, '-' or '_'.",
                details={"field": "order_reference"},
            )
        link = DynamicLink(
            shop_id=shop_id,
            link_id=uuid.uuid4(),
            amount_minor=amount_minor,
            currency=TWD,
            # Whole seconds: the token carries Unix seconds.
            expires_at=(self.clock() + self.config.dynamic_ttl).replace(microsecond=0),
            order_reference=order_reference,
        )
        return self._issued(link)

    def static_link(self, shop_id: uuid.UUID, spot: SpotKind, label: str) -> IssuedLink:
        if len(label.encode("utf-8")) > MAX_LABEL_BYTES or not label.isprintable():
            raise ValidationFailed(
                f"The label is up to {MAX_LABEL_BYTES} bytes of printable text.",
                details={"field": "label"},
            )
        return self._issued(StaticLink(shop_id, spot, label))

    def static_links(
        self, shop_id: uuid.UUID, *, counters: int, tables: int, kiosks: int
    ) -> list[IssuedLink]:
        """The shop's own link, then counters, tables and kiosks numbered from 1. Signatures
        are deterministic, so printing again yields the same codes."""
        for name, count in (("counters", counters), ("tables", tables), ("kiosks", kiosks)):
            if not 0 <= count <= MAX_SPOTS_PER_KIND:
                raise ValidationFailed(
                    f"{name} must be 0-{MAX_SPOTS_PER_KIND}.", details={"field": name}
                )
        spots: list[tuple[SpotKind, str]] = [("shop", "")]
        spots += [("counter", str(n)) for n in range(1, counters + 1)]
        spots += [("table", str(n)) for n in range(1, tables + 1)]
        spots += [("kiosk", str(n)) for n in range(1, kiosks + 1)]
        return [self.static_link(shop_id, spot, label) for spot, label in spots]

    def _issued(self, link: Link) -> IssuedLink:
        token = self.config.signer.sign(link)
        return IssuedLink(token, self.config.url(token), link)
