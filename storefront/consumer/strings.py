"""Interface strings the page scripts need, translated on the server and embedded as JSON, so
scripts show messages in the visitor's language without a catalogue download."""

from __future__ import annotations

from collections.abc import Callable

from storefront.i18n import N_

CART = (
    N_("Choose an option for %(group)s."),
    N_("Choose at most %(max)s for %(group)s."),
    N_("Remove"),
    N_("We could not reach the shop. Your order is kept; try again."),
    N_("The shop could not take this order."),
    N_("Sending…"),
    N_("Place order"),
    N_("Please sign in to order for pick-up."),
)
ORDER_STATUS = (
    N_("placed"),
    N_("accepted"),
    N_("preparing"),
    N_("ready"),
    N_("completed"),
    N_("cancelled"),
    N_("refunded"),
    N_("Paid"),
    N_("Not paid yet"),
)


def strings(gettext: Callable[..., str], msgids: tuple[str, ...]) -> dict[str, str]:
    return {msgid: gettext(msgid) for msgid in msgids}
