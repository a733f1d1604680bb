"""Why a payment link token was refused; each reason has its own stable code."""

from __future__ import annotations

from infra.errors import Conflict, NotFound, OneStreetError


class LinkMalformed(OneStreetError):
    """Not base64url, too short or long, or an unknown format version."""

    status_code = 400
    code = "payment_link_malformed"


class LinkTampered(OneStreetError):
    """The signature does not match: a changed shop, amount, label, expiry or any byte."""

    status_code = 403
    code = "payment_link_tampered"


class LinkExpired(OneStreetError):
    status_code = 410
    code = "payment_link_expired"


class LinkUsed(Conflict):
    """A dynamic link works once; this one has been used."""

    code = "payment_link_used"


class LinkShopUnknown(NotFound):
    """Correctly signed, but the shop no longer exists or is not accepting payments."""

    code = "payment_link_shop_unknown"
