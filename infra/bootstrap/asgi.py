"""The composition root for the web app: `create_app(settings)` wires every package.

Nothing is created at import time; `uvicorn --factory infra.bootstrap.asgi:create_app`
builds the app from the environment, and tests pass their own Settings.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from litestar import Litestar
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.template.config import TemplateConfig
from redis.asyncio import Redis

from infra.auth.csrf import csrf_guard
from infra.auth.middleware import principal_middleware
from infra.auth.routes import auth_routes
from infra.auth.secret_key import ensure_secret_key
from infra.bootstrap.worker import start_embedded_relay
from infra.db import create_engine, create_session_factory
from infra.health.routes import HealthController
from infra.http.dependencies import provide_db_session
from infra.http.errors import exception_handlers
from infra.http.middleware import request_context_middleware
from infra.http.openapi import openapi_assets_router, openapi_config
from infra.logging import configure_logging, get_logger
from infra.ratelimit import rate_limit_store
from infra.settings import Settings, cached_settings
from infra.storage import media_storage
from merchant_api.discovery.cache import search_cache
from merchant_api.orders.payment_references import OrderAndVoucherReferences
from merchant_api.shops.access import MembershipShopAccess
from merchant_api.shops.payment_directory import ShopMerchantDirectory
from payments.intents.config import PaymentConfig
from payments.links.config import LinkConfig

log = get_logger("onestreet.app")

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "storefront" / "templates"


def _app_version() -> str:
    try:
        return version("onestreet")
    except PackageNotFoundError:
        return "0.0.0"


def route_handlers() -> list:  # type: ignore[type-arg]
    """Every package's routes; the one place that knows them all."""
    from merchant_api.routes import merchant_routes
    from payments.callbacks.routes import payment_routes
    from payments.links.routes import payment_link_routes
    from payments.loyalty.routes import loyalty_routes
    from payments.providers.stripe.routes import stripe_account_routes
    from payments.webhooks.routes import stripe_webhook_routes
    from recommender.routes import recommender_routes
    from storefront.programme.pages import programme_pages
    from storefront.routes import storefront_routes

    return [
        HealthController,
        openapi_assets_router(),
        *auth_routes(),
        *merchant_routes(),
        *payment_link_routes(),
        *loyalty_routes(),
        *payment_routes(),
        *stripe_webhook_routes(),
        *stripe_account_routes(),
        *recommender_routes(),
        *storefront_routes(),
        *programme_pages(),
    ]


def create_app(settings: Settings | None = None) -> Litestar:
    settings = ensure_secret_key(settings or cached_settings())
    configure_logging(settings.app.log_level, json=settings.app.log_json)
    engine = create_engine(settings.database)
    redis = Redis.from_url(settings.redis.url) if settings.redis.url else None
    link_config = LinkConfig.build(
        settings.auth.secret_key, settings.payments.link_ttl_minutes, settings.app.public_url
    )

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        log.info(
            "app_started",
            database=engine.url.render_as_string(hide_password=True),
            redis=bool(redis),
        )
        # No broker: this process delivers outbox events itself, on a thread of its own.
        relay = start_embedded_relay(settings)
        try:
            yield
        finally:
            if relay is not None:
                await asyncio.to_thread(relay.stop)
            if redis is not None:
                await redis.aclose()
            await engine.dispose()

    return Litestar(
        route_handlers=route_handlers(),
        dependencies={"db_session": Provide(provide_db_session)},
        exception_handlers=exception_handlers,  # type: ignore[arg-type]
        # principal_middleware sets request.user; it runs after routing, inside the handlers'
        # error handling, and never rejects (guards do).
        middleware=[request_context_middleware, principal_middleware],
        guards=[csrf_guard],
        compression_config=CompressionConfig(backend="gzip", minimum_size=500),
        openapi_config=openapi_config(_app_version()),
        lifespan=[lifespan],
        state=State(
            {
                "settings": settings,
                "engine": engine,
                "session_factory": create_session_factory(engine),
                "redis": redis,
                "rate_limits": rate_limit_store(redis),
                # The shop and street guards ask merchant_api who belongs to which shop.
                "shop_access": MembershipShopAccess(),
                # Payment links show the shop's name as merchant_api knows it.
                "merchant_directory": ShopMerchantDirectory(),
                "payment_links": link_config,
                # Providers, caps and callback secrets; orders' and vouchers' amounts are
                # asked of merchant_api.
                "payments": PaymentConfig.build(
                    settings,
                    directory=ShopMerchantDirectory(),
                    references=OrderAndVoucherReferences(),
                    links=link_config,
                ),
                # Uploaded photos; local disk in embedded mode, an S3-like store later.
                "media_storage": media_storage(settings.app.data_dir),
                # None when ONESTREET_SEARCH__CACHE_SECONDS is 0.
                "search_cache": search_cache(redis, settings.search.cache_seconds),
            }
        ),
        template_config=TemplateConfig(directory=TEMPLATES_DIR, engine=JinjaTemplateEngine),
        debug=False,
    )
