"""Voucher errors with stable codes that the counter screen and the consumer's page react to."""

from __future__ import annotations

from infra.errors import Conflict, NotFound


class VoucherOfferNotFound(NotFound):
    code = "voucher_offer_not_found"


class VoucherNotFound(NotFound):
    """Also the answer for another shop's voucher: codes are never confirmed to outsiders."""

    code = "voucher_not_found"


class VoucherOfferUnavailable(Conflict):
    """Switched off, not on sale yet, ended, or the shop is not active."""

    code = "voucher_offer_unavailable"


class VoucherSoldOut(Conflict):
    code = "voucher_sold_out"


class VoucherLimitReached(Conflict):
    """The consumer already holds as many of this offer as one person may buy."""

    code = "voucher_limit_reached"


class VoucherAlreadyRedeemed(Conflict):
    code = "voucher_already_redeemed"


class VoucherExpired(Conflict):
    code = "voucher_expired"


class VoucherNotYetValid(Conflict):
    code = "voucher_not_yet_valid"


class VoucherNotPaid(Conflict):
    code = "voucher_not_paid"


class VoucherNotRefundable(Conflict):
    """Only active (paid, unused) vouchers can be refunded."""

    code = "voucher_not_refundable"
