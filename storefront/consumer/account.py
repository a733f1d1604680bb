"""The consumer's account page: consent per purpose, downloading one's data and deleting it
(Personal Data Protection Act rights), through loyalty's JSON API from a small script."""

from __future__ import annotations

from typing import Any

from litestar import Request, get
from litestar.response import Template

from infra.auth.roles import Role
from infra.errors import PermissionDenied
from payments.loyalty.privacy import PURPOSES
from storefront.consumer.strings import strings
from storefront.i18n import N_, page_locale
from storefront.owner.access import signed_in
from storefront.pages import render

PURPOSE_LABELS = {
    "loyalty_programme": N_("Collect and spend points in the programme"),
    "marketing_messages": N_("Receive offers from shops"),
    "programme_statistics": N_("Count my visits in the programme's statistics (never by name)"),
}
ACCOUNT_STRINGS = (
    N_("Saved."),
    N_("Could not save; try again."),
    N_("Delete my points and personal data? Points left are lost. This cannot be undone."),
    N_("Your data was deleted."),
)


@get("/account", include_in_schema=False)
async def account_page(request: Request[Any, Any, Any]) -> Template:
    principal = signed_in(request)
    if principal.role != Role.consumer:
        raise PermissionDenied("The account page is for consumer accounts.")
    locale = page_locale(request)
    _ = locale.gettext
    context = {
        "purposes": [{"key": p, "label": _(PURPOSE_LABELS.get(p, p))} for p in PURPOSES],
        "csrf": principal.csrf or "",
        "js_strings": strings(_, ACCOUNT_STRINGS),
    }
    return render(request, "account.html", context, locale=locale)
