"""Loyalty requests and answers. Points are integers; money is TWD minor units."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from payments.loyalty.models import LoyaltyHold, LoyaltyStatement


class HoldIn(msgspec.Struct, forbid_unknown_fields=True):
    shop_id: uuid.UUID
    points: int
    order_id: uuid.UUID | None = None


class CounterRedeemIn(msgspec.Struct, forbid_unknown_fields=True):
    member_code: str
    points: int


class EarnRuleIn(msgspec.Struct, forbid_unknown_fields=True):
    minor_per_point: int
    funded_by: str = "shop"


class CampaignIn(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    multiplier_pct: int
    starts_at: datetime
    ends_at: datetime
    street_id: uuid.UUID | None = None


class SettleIn(msgspec.Struct, forbid_unknown_fields=True):
    period: str


class HoldOut(msgspec.Struct):
    id: uuid.UUID
    wallet_id: uuid.UUID
    shop_id: uuid.UUID
    order_id: uuid.UUID | None
    points: int
    value_minor: int
    status: str
    expires_at: datetime


class ActivityOut(msgspec.Struct):
    transaction_id: uuid.UUID
    reason: str
    shop_id: uuid.UUID | None
    points: int
    occurred_at: datetime


class WalletOut(msgspec.Struct):
    wallet_id: uuid.UUID
    card_number: str
    balance: int
    held: int
    point_value_minor: int
    phone_linked: bool
    activity: list[ActivityOut]


class MemberCodeOut(msgspec.Struct):
    code: str
    valid_for_seconds: int


class EarnRuleOut(msgspec.Struct):
    shop_id: uuid.UUID
    minor_per_point: int
    funded_by: str
    programme_default: bool = False  # the shop has no rule of its own


class CampaignOut(msgspec.Struct):
    id: uuid.UUID
    name: str
    multiplier_pct: int
    starts_at: datetime
    ends_at: datetime
    street_id: uuid.UUID | None


class StatementOut(msgspec.Struct):
    period: str
    party_kind: str
    party_id: uuid.UUID
    points_funded: int
    points_accepted: int
    funded_points_redeemed: int
    net_minor: int


class ClearingReportOut(msgspec.Struct):
    period: str
    statements: list[StatementOut]
    total_accepted: int
    total_funded_redeemed: int
    net_sum_minor: int  # zero when every spent point has its funder


def hold_out(hold: LoyaltyHold) -> HoldOut:
    return HoldOut(
        hold.id,
        hold.wallet_id,
        hold.shop_id,
        hold.order_id,
        hold.points,
        hold.value_minor,
        hold.status,
        hold.expires_at,
    )


def statement_out(s: LoyaltyStatement) -> StatementOut:
    return StatementOut(
        s.period,
        s.party_kind,
        s.party_id,
        s.points_funded,
        s.points_accepted,
        s.funded_points_redeemed,
        s.net_minor,
    )


def clearing_report(period: str, statements: list[LoyaltyStatement]) -> ClearingReportOut:
    return ClearingReportOut(
        period=period,
        statements=[statement_out(s) for s in statements],
        total_accepted=sum(s.points_accepted for s in statements),
        total_funded_redeemed=sum(s.funded_points_redeemed for s in statements),
        net_sum_minor=sum(s.net_minor for s in statements),
    )
