"""The scan-to-pay scripts' strings, translated on the server."""

from __future__ import annotations

from collections.abc import Callable

from storefront.i18n import N_

PAY_STRINGS = (
    N_("Enter an amount in whole NT dollars, from 1 to 1,000,000."),
    N_("We could not reach the payment service. Tap again: you will not be charged twice."),
    N_("The payment could not start."),
    N_("Please wait…"),
    N_("Pay"),
    N_("You have a payment in progress."),
    N_("Continue"),
    N_("Payment received"),
    N_("Payment failed"),
    N_("Waiting for the wallet…"),
    N_("Points earned: %(points)s"),
    N_("Points are on their way to your wallet."),
    N_("Sign in before paying next time to collect points."),
    N_("The wallet did not answer."),
    N_("Left to pay: %(amount)s"),
    N_("You can use at most %(points)s points here."),
    N_("Points used: %(points)s"),
    N_("Please pay at the counter."),
)


def pay_strings(gettext: Callable[..., str]) -> dict[str, str]:
    return {msgid: gettext(msgid) for msgid in PAY_STRINGS}
