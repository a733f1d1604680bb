"""Settlement between merchants: per period, who funded the points spent where.

A shop's net = (points accepted - its own funded points spent anywhere) x point value: positive,
the programme clearing pays the shop; negative, the shop pays in. Pools only fund. Because every
captured point names its funder, the nets of one period sum to zero, and the statements
reconcile with the ledger to the point. A closed period is never recomputed or changed.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import ValidationFailed
from payments.loyalty.errors import PeriodClosed, PeriodOpen, problem
from payments.loyalty.models import AccountKind, LoyaltyStatement, Reason
from payments.loyalty.settlement_repository import SettlementRepository

TAIPEI = ZoneInfo("Asia/Taipei")
PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
SHOP_KINDS = {AccountKind.shop_funded.value, AccountKind.shop_accepted.value}


def period_bounds(period: str) -> tuple[datetime, datetime]:
    """[start, end) of a month in Asia/Taipei, as aware datetimes."""
    match = PERIOD.match(period or "")
    if match is None:
        raise ValidationFailed(
            "The period is a month written YYYY-MM.", details=problem("period", "YYYY-MM")
        )
    year, month = int(match.group(1)), int(match.group(2))
    start = datetime(year, month, 1, tzinfo=TAIPEI)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=TAIPEI)
    return start, end


def previous_period(now: datetime) -> str:
    local = now.astimezone(TAIPEI)
    year, month = (local.year, local.month - 1) if local.month > 1 else (local.year - 1, 12)
    return f"{year:04d}-{month:02d}"


@dataclass
class _Line:
    funded: int = 0
    accepted: int = 0
    funded_redeemed: int = 0


class SettlementService:
    def __init__(self, session: AsyncSession, point_value_minor: int) -> None:
        self.repo = SettlementRepository(session)
        self.point_value_minor = point_value_minor

    async def settle(self, period: str, now: datetime) -> list[LoyaltyStatement]:
        start, end = period_bounds(period)
        if end > now:
            raise PeriodOpen(
                f"{period} has not ended yet; it can be settled from {end.date()}.",
                details=problem("period", "not ended"),
            )
        await self.repo.lock_period(period)
        if await self.repo.period(period) is not None:
            raise PeriodClosed(
                f"{period} is already settled and closed.", details=problem("period", "closed")
            )
        lines: dict[tuple[str, uuid.UUID], _Line] = {}

        def line(kind: str, owner: uuid.UUID) -> _Line:
            party = ("shop" if kind in SHOP_KINDS else kind, owner)
            return lines.setdefault(party, _Line())

        for kind, owner, reason, total in await self.repo.movements(start, end):
            if kind == AccountKind.shop_accepted.value and reason == Reason.capture.value:
                line(kind, owner).accepted += total
            elif reason in (Reason.earn.value, Reason.clawback.value) and kind != "expiry":
                line(kind, owner).funded -= total  # funders are debited when points go out
        for kind, owner, total in await self.repo.redeemed_by_funder(start, end):
            line(kind, owner).funded_redeemed += total
        statements = [
            {
                "id": uuid.uuid4(),
                "period": period,
                "party_kind": kind,
                "party_id": owner,
                "points_funded": item.funded,
                "points_accepted": item.accepted,
                "funded_points_redeemed": item.funded_redeemed,
                "net_minor": (item.accepted - item.funded_redeemed) * self.point_value_minor,
            }
            for (kind, owner), item in sorted(
                lines.items(), key=lambda kv: (kv[0][0], str(kv[0][1]))
            )
        ]
        await self.repo.close(period, self.point_value_minor, now, statements)
        return await self.repo.statements(period)

    async def statements(
        self, period: str, party_id: uuid.UUID | None = None
    ) -> list[LoyaltyStatement]:
        period_bounds(period)
        if await self.repo.period(period) is None:
            raise PeriodOpen(f"{period} has not been settled.", details=problem("period", "open"))
        return await self.repo.statements(period, party_id)


CSV_COLUMNS = [
    "period",
    "party_kind",
    "party_id",
    "points_funded",
    "points_accepted",
    "funded_points_redeemed",
    "net_twd_minor",
]


def statements_csv(statements: list[LoyaltyStatement]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in statements:
        writer.writerow(
            [
                s.period,
                s.party_kind,
                s.party_id,
                s.points_funded,
                s.points_accepted,
                s.funded_points_redeemed,
                s.net_minor,
            ]
        )
    return out.getvalue()
