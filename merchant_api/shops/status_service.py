"""Moving a shop between onboarding, active and suspended, with who and when recorded.

Only a platform admin or a consultant assigned to the shop does this (the routes' guards);
the history is append-only.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from infra.db import utcnow
from infra.errors import Conflict, NotFound, ValidationFailed
from infra.outbox import publish
from merchant_api.shops.models import ShopStatus, ShopStatusChange
from merchant_api.shops.repository import ShopRepository

# onboarding -> active -> suspended -> active. A shop never goes back to onboarding.
TRANSITIONS: dict[str, frozenset[str]] = {
    ShopStatus.ONBOARDING.value: frozenset({ShopStatus.ACTIVE.value}),
    ShopStatus.ACTIVE.value: frozenset({ShopStatus.SUSPENDED.value}),
    ShopStatus.SUSPENDED.value: frozenset({ShopStatus.ACTIVE.value}),
}
MAX_REASON = 500


class InvalidStatusTransition(Conflict):
    code = "invalid_status_transition"


class ShopStatusService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.shops = ShopRepository(session)

    async def change(
        self, shop_id: uuid.UUID, new_status: str, reason: str, by: uuid.UUID
    ) -> ShopStatusChange:
        reason = reason.strip()
        problems = []
        if new_status not in TRANSITIONS:
            known = ", ".join(TRANSITIONS)
            problems.append({"key": "status", "message": f"Use one of {known}.", "source": "body"})
        if len(reason) > MAX_REASON:
            problems.append(
                {"key": "reason", "message": f"At most {MAX_REASON} characters.", "source": "body"}
            )
        if new_status == ShopStatus.SUSPENDED.value and not reason:
            # The owner is told why; a suspension without a reason cannot be answered.
            problems.append({"key": "reason", "message": "Say why.", "source": "body"})
        if problems:
            raise ValidationFailed("The status cannot be changed.", details={"problems": problems})
        shop = await self.shops.get(shop_id)
        if shop is None:
            raise NotFound(f"There is no shop {shop_id}.")
        current = shop.status
        if new_status not in TRANSITIONS[current]:
            raise InvalidStatusTransition(
                f"A shop that is {current} cannot become {new_status}.",
                details={"field": "status", "from": current, "to": new_status},
            )
        now = utcnow()
        if not await self.shops.change_status(shop_id, current, new_status, now):
            raise InvalidStatusTransition(
                "The shop's status was changed by someone else just now; reload and retry.",
                details={"field": "status"},
            )
        change = ShopStatusChange(
            shop_id=shop_id,
            from_status=current,
            to_status=new_status,
            reason=reason,
            changed_by=by,
            changed_at=now,
        )
        self.shops.add(change)
        await self.shops.flush()
        await self.session.refresh(shop)
        publish(
            self.session,
            "shop.status_changed",
            {
                "shop_id": str(shop_id),
                "from": current,
                "to": new_status,
                "change_id": str(change.id),
            },
            key=str(shop_id),
        )
        return change
