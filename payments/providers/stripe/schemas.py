"""What the shop's Stripe account endpoints answer."""

from __future__ import annotations

import uuid

import msgspec


class ShopStripeAccountOut(msgspec.Struct):
    shop_id: uuid.UUID
    # None until the shop has one; payments are then charged on the platform account.
    account_id: str | None
    connect_enabled: bool
    created: bool = False


class TerminalTokenOut(msgspec.Struct):
    # Handed to the Terminal SDK on the reader's device; short-lived, never stored.
    secret: str
    connected_account: str | None
