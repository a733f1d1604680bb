"""The OpenAPI schema at /schema with an interactive viewer served from our own origin.

The viewer's assets come from the swagger-ui-bundle package, so the page works offline and
under our content security policy (no CDN).
"""

from __future__ import annotations

from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.static_files import create_static_files_router
from swagger_ui_bundle import swagger_ui_path

ASSETS_PATH = "/static/openapi"

# The security requirement of every endpoint that needs a signed-in caller: a browser session
# or a bearer API token.
SIGNED_IN = [{"SessionCookie": []}, {"BearerToken": []}]


def openapi_config(version: str) -> OpenAPIConfig:
    viewer = SwaggerRenderPlugin(
        path="/",
        js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        css_url=f"{ASSETS_PATH}/swagger-ui.css",
        standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
    )
    return OpenAPIConfig(
        title="OneStreet API",
        version=version,
        description="Streets, shops, orders, payments, shared loyalty points, devices, "
        "marketing advice and programme KPIs for Taiwan's rural shopping streets.",
        path="/schema",
        render_plugins=[viewer],
        components=Components(
            security_schemes={
                "BearerToken": SecurityScheme(
                    type="http", scheme="bearer", description="An API token from /api/auth/tokens"
                ),
                "SessionCookie": SecurityScheme(
                    type="apiKey", security_scheme_in="cookie", name="onestreet_session"
                ),
            }
        ),
    )


def openapi_assets_router():  # type: ignore[no-untyped-def]
    return create_static_files_router(
        path=ASSETS_PATH,
        directories=[swagger_ui_path],
        include_in_schema=False,
        opt={"exclude_from_auth": True},
    )
