"""Errors a payment client gets, each with a stable code and the field it is about."""

from __future__ import annotations

from infra.errors import Conflict, NotFound, OneStreetError, ValidationFailed


class AmountInvalid(ValidationFailed):
    code = "amount_invalid"


class AmountAboveCap(ValidationFailed):
    code = "amount_above_cap"


class CurrencyNotSupported(ValidationFailed):
    code = "currency_not_supported"


class AmountMismatch(ValidationFailed):
    code = "amount_mismatch"


class MethodUnavailable(ValidationFailed):
    code = "method_unavailable"


class ReferenceNotFound(NotFound):
    code = "reference_not_found"


class ReferenceNotPayable(Conflict):
    code = "reference_not_payable"


class AlreadyPaid(Conflict):
    code = "already_paid"


class PaymentNotFound(NotFound):
    code = "payment_not_found"


class NotCancellable(Conflict):
    code = "payment_not_cancellable"


class NotRefundable(Conflict):
    code = "payment_not_refundable"


class RefundExceedsCaptured(ValidationFailed):
    code = "refund_exceeds_captured"


class ProviderError(OneStreetError):
    status_code = 502
    code = "provider_error"


def field_problem(field: str, message: str) -> dict[str, object]:
    return {"problems": [{"key": field, "message": message, "source": "body"}], "field": field}
