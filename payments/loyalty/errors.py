"""Loyalty refusals with stable codes; each leaves nothing recorded."""

from __future__ import annotations

from datetime import datetime

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


def check_name(what: str, name: str) -> None:
    """Campaigns and rallies are named in 1-120 characters; `what` names the thing."""
    if not name.strip() or len(name) > 120:
        raise ValidationFailed(f"Give the {what} a name.", details=problem("name", "1-120"))


def check_period(what: str, starts_at: datetime, ends_at: datetime) -> None:
    """A zoned period that ends after it starts."""
    if starts_at.tzinfo is None or ends_at.tzinfo is None or ends_at <= starts_at:
        raise ValidationFailed(
            f"The {what} ends after it starts (times with a zone).",
            details=problem("ends_at", "after starts_at"),
        )


class ShopRedemptionLimited(Conflict):
    """The shop's per-redemption or daily points limit (set by the programme) would break."""

    code = "shop_redemption_limited"


def redemption_refusal(word: str) -> Exception:
    """A redemption's refusal, the same from the Python path, the ledger
    and the database function."""
    if word == "wallet_not_found":
        return WalletNotFound("No such active wallet.", details=problem("wallet_id", "unknown"))
    if word == "shop_not_accepting":
        return ShopNotAccepting(
            "This shop does not take points now.", details=problem("shop_id", "not active")
        )
    if word == "velocity_limited":
        return VelocityLimited(
            "Too many redemptions in the last hour; try again later.",
            details=problem("points", "velocity limit"),
        )
    if word == "insufficient":
        return InsufficientPoints(
            "Not enough points for this.", details=problem("points", "exceeds balance")
        )
    raise RuntimeError(f"unknown redemption outcome {word!r}")
