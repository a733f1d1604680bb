"""Rendering a page in the visitor's language: one helper so every page gets the same header,
language switch, text size and cookies."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.response import Template

from infra.auth.guards import principal_of
from storefront.i18n import PageLocale, page_locale


def render(
    request: Request[Any, Any, Any],
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    locale: PageLocale | None = None,
) -> Template:
    locale = locale or page_locale(request)
    full = {**locale.context(request), **(context or {})}
    return Template(
        template_name=template,
        context=full,
        status_code=status_code,
        cookies=list(locale.cookies),
        # Pages differ by language cookie and header; shared caches must not mix them.
        headers={"Vary": "Accept-Language, Cookie", "Cache-Control": "no-cache"},
    )


def csrf_of(request: Request[Any, Any, Any]) -> str:
    """The session's CSRF token for the page's scripts; empty for visitors not signed in."""
    principal = principal_of(request)
    return (principal.csrf or "") if principal is not None else ""


def not_found(request: Request[Any, Any, Any], message: str) -> Template:
    return render(request, "not_found.html", {"message": message}, status_code=404)
