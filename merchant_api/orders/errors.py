"""Order errors with stable codes that order screens and kiosks react to."""

from __future__ import annotations

from infra.errors import Conflict


class ShopClosed(Conflict):
    """The shop is not active, or not open at the time the order is for."""

    code = "shop_closed"


class InvalidTransition(Conflict):
    code = "invalid_transition"


class OrderChanged(Conflict):
    """Someone else moved the order first; reload it and decide again."""

    code = "order_changed"
