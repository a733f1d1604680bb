"""The transactional outbox: events written with the business change, delivered after commit.

    event_id = publish(session, "payments.payment_succeeded", {"payment_id": str(payment.id)})

Handlers are registered by the composition root (infra.bootstrap.worker) on a HandlerRegistry:

    registry.register("payments.payment_succeeded", "merchant_api.mark_order_paid", handler)

where `async def handler(session, event)` works in the given session and never commits.
"""

from infra.outbox.events import Event
from infra.outbox.publisher import event_row, publish
from infra.outbox.registry import Handler, HandlerRegistry

__all__ = ["Event", "Handler", "HandlerRegistry", "event_row", "publish"]
