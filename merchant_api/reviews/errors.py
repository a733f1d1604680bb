"""Review errors with stable codes."""

from __future__ import annotations

from infra.errors import Conflict, NotFound, PermissionDenied


class ReviewNotFound(NotFound):
    code = "review_not_found"


class ReviewedOrderNotFound(NotFound):
    code = "order_not_found"


class NotYourOrder(PermissionDenied):
    """Only the consumer the order was for (or who placed it) reviews it."""

    code = "not_your_order"


class OrderNotCompleted(Conflict):
    code = "order_not_completed"


class AlreadyReviewed(Conflict):
    code = "already_reviewed"
