"""What the webhook endpoint answers (Stripe only looks at the status)."""

from __future__ import annotations

import msgspec


class WebhookAck(msgspec.Struct):
    received: bool
    event_id: str
    duplicate: bool  # True when this event id was stored before; nothing changed
