"""Loyalty refusals with stable codes; each leaves nothing recorded."""

from __future__ import annotations

from infra.errors import Conflict, NotFound, RateLimited, ValidationFailed


class InsufficientPoints(Conflict):
    code = "insufficient_points"


class ShopNotAccepting(Conflict):
    """The shop is suspended or unknown: it may not take points."""

    code = "shop_not_accepting_points"


class HoldNotFound(NotFound):
    code = "hold_not_found"


class HoldExpired(Conflict):
    code = "hold_expired"


class HoldFinished(Conflict):
    """Already captured or released."""

    code = "hold_finished"


class WalletNotFound(NotFound):
    code = "wallet_not_found"


class PeriodOpen(Conflict):
    code = "period_open"


class PeriodClosed(Conflict):
    code = "period_closed"


class VelocityLimited(RateLimited):
    code = "loyalty_velocity_limited"


class InvalidMemberCode(ValidationFailed):
    code = "invalid_member_code"


def problem(field: str, message: str) -> dict[str, list[dict[str, str]]]:
    """The details body naming the field at fault."""
    return {"problems": [{"key": field, "message": message, "source": "body"}]}


class ShopRedemptionLimited(Conflict):
    """The shop's per-redemption or daily points limit (set by the programme) would break."""

    code = "shop_redemption_limited"
