"""The order state machine: which status may follow which, decided on the server only."""

from __future__ import annotations

from merchant_api.orders.models import OrderStatus as S

# placed → accepted → preparing → ready → completed; cancelled before it is ready;
# refunded after completion (or earlier once paid: see `allowed_next`).
FORWARD: dict[S, frozenset[S]] = {
    S.placed: frozenset({S.accepted, S.cancelled}),
    S.accepted: frozenset({S.preparing, S.cancelled}),
    S.preparing: frozenset({S.ready, S.cancelled}),
    S.ready: frozenset({S.completed}),
    S.completed: frozenset({S.refunded}),
    S.cancelled: frozenset(),
    S.refunded: frozenset(),
}
# Units held for a cancelled order go back on the shelf.
RELEASES_STOCK = frozenset({S.cancelled})
_REFUNDABLE_WHEN_PAID = frozenset({S.placed, S.accepted, S.preparing, S.ready})


def allowed_next(current: S, *, paid: bool) -> frozenset[S]:
    extra = {S.refunded} if paid and current in _REFUNDABLE_WHEN_PAID else set()
    return FORWARD[current] | extra
