"""Server-rendered pages. The consumer storefront grows here; for now the programme home."""

from __future__ import annotations

from litestar import get
from litestar.response import Template


@get("/", include_in_schema=False, exclude_from_auth=True)
async def home() -> Template:
    return Template(template_name="home.html", context={})


def storefront_routes() -> list:  # type: ignore[type-arg]
    return [home]
