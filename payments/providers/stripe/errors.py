"""What a failed Stripe call becomes: a typed error with a stable code, never Stripe's own."""

from __future__ import annotations

from typing import ClassVar

from infra.errors import OneStreetError, ServiceUnavailable


class StripeUnavailable(ServiceUnavailable):
    """Stripe could not be reached or answered 5xx/429; retrying with the same key is safe."""

    code = "stripe_unavailable"


class StripeRefused(OneStreetError):
    """Stripe refused the request (invalid parameters, declined card, wrong state)."""

    status_code: ClassVar[int] = 422
    code: ClassVar[str] = "stripe_refused"


class UnsupportedPaymentMethod(OneStreetError):
    status_code: ClassVar[int] = 422
    code: ClassVar[str] = "payment_method_unsupported"


class StripeNotConfigured(ServiceUnavailable):
    code = "stripe_not_configured"
