"""The payment state machine, decided here only.

    requires_action → processing → succeeded | failed | cancelled
    succeeded → partially_refunded → refunded

Providers may skip processing (a card that succeeds at once). Updates that would move a
payment backwards (a late `processing` after `succeeded`) are ignored, so duplicated and
reordered confirmations end in the same state. A late success after a failure is accepted:
the provider is the authority on whether money arrived. Refund states are derived from
the refunded total, never set by a provider update.
"""

from __future__ import annotations

from enum import StrEnum


class PaymentState(StrEnum):
    requires_action = "requires_action"
    processing = "processing"
    succeeded = "succeeded"
    failed = "failed"
    cancelled = "cancelled"
    partially_refunded = "partially_refunded"
    refunded = "refunded"


class PaymentMethod(StrEnum):
    card = "card"
    card_present = "card_present"
    twqr = "twqr"
    vietqr = "vietqr"
    promptpay = "promptpay"
    qris = "qris"
    sandbox = "sandbox"


S = PaymentState

# Moves a provider update may make; anything else is ignored (and reported as no change).
PROVIDER_MOVES: dict[S, frozenset[S]] = {
    S.requires_action: frozenset({S.processing, S.succeeded, S.failed, S.cancelled}),
    S.processing: frozenset({S.succeeded, S.failed, S.cancelled}),
    S.failed: frozenset({S.succeeded}),
    S.succeeded: frozenset(),
    S.cancelled: frozenset(),
    S.partially_refunded: frozenset(),
    S.refunded: frozenset(),
}
CANCELLABLE = frozenset({S.requires_action})
REFUNDABLE = frozenset({S.succeeded, S.partially_refunded})
# States in which money has arrived (refunded or not): a second payment for the same order
# is refused while one of these, or one in flight, exists.
PAID = frozenset({S.succeeded, S.partially_refunded, S.refunded})
IN_FLIGHT = frozenset({S.processing})


def provider_may_move(current: S, to: S) -> bool:
    return to in PROVIDER_MOVES[current]


def refund_state(amount_captured: int, amount_refunded: int) -> S:
    if amount_refunded <= 0:
        return S.succeeded
    return S.refunded if amount_refunded >= amount_captured else S.partially_refunded


def state_from_events(to_states: list[str]) -> S:
    """The current state is the last event's; events are only appended after a valid move."""
    if not to_states:
        raise ValueError("a payment has at least its `created` event")
    return S(to_states[-1])
