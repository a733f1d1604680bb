"""The composition root for tasks: the Celery app, its tasks, outbox handlers, beat schedule.

`build_worker(settings)` wires everything and is what tests and the web app call. For the
celery CLI, `celery -A infra.bootstrap.worker:celery_app worker` asks this module for
`celery_app`, which is built from the environment on first access, not at import.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from celery import Celery

# Every model, and the mapper listeners that keep search documents current.
import infra.bootstrap.models  # noqa: F401
from infra.celery_app import create_celery_app
from infra.idempotency.tasks import idempotency_beat_schedule, register_idempotency_tasks
from infra.logging import configure_logging, get_logger
from infra.outbox.embedded import EmbeddedRelay
from infra.outbox.registry import HandlerRegistry
from infra.outbox.tasks import OutboxTasks, outbox_beat_schedule, register_outbox_tasks
from infra.settings import Settings, cached_settings
from merchant_api.devices.tasks import device_beat_schedule, register_device_tasks
from merchant_api.orders.tasks import mark_order_paid, mark_order_refunded
from merchant_api.programme.tasks import (
    programme_beat_schedule,
    register_programme_handlers,
    register_programme_tasks,
)
from merchant_api.shops.payment_directory import ShopMerchantDirectory
from merchant_api.telemetry.tasks import register_telemetry_tasks, telemetry_beat_schedule
from merchant_api.vouchers.tasks import (
    register_voucher_handlers,
    register_voucher_tasks,
    voucher_beat_schedule,
)
from payments.callbacks.tasks import register_wallet_callback_handlers
from payments.intents.tasks import payments_beat_schedule, register_payment_tasks
from payments.loyalty.tasks import (
    loyalty_beat_schedule,
    register_loyalty_handlers,
    register_loyalty_tasks,
)
from payments.webhooks.tasks import register_stripe_tasks, register_stripe_webhook_handlers
from recommender.tasks import recommender_beat_schedule, register_recommender_tasks

log = get_logger("onestreet.worker")


@dataclass(frozen=True)
class Worker:
    celery: Celery
    outbox: OutboxTasks
    handlers: HandlerRegistry


def build_handler_registry(settings: Settings) -> HandlerRegistry:
    """Every package's outbox handlers; the one place that knows who reacts to what.

    Packages add lines here as their events arrive, e.g.
    registry.register("payments.payment_succeeded", "merchant_api.mark_order_paid", fn)
    """
    registry = HandlerRegistry()
    register_voucher_handlers(registry)
    registry.register("payment.succeeded", "merchant_api.orders.mark_paid", mark_order_paid)
    registry.register("payment.refunded", "merchant_api.orders.mark_refunded", mark_order_refunded)
    register_programme_handlers(registry)
    register_stripe_webhook_handlers(registry)
    register_wallet_callback_handlers(registry)
    register_loyalty_handlers(registry, settings.loyalty, ShopMerchantDirectory())
    registry.load_modules(settings.celery.handler_modules)
    return registry


def build_worker(settings: Settings) -> Worker:
    app = create_celery_app(settings)
    handlers = build_handler_registry(settings)
    outbox = register_outbox_tasks(app, settings, handlers)
    register_idempotency_tasks(app, settings)
    app.conf.beat_schedule = {**outbox_beat_schedule(settings), **idempotency_beat_schedule()}
    register_programme_tasks(app, settings)
    app.conf.beat_schedule.update(programme_beat_schedule(settings))
    register_payment_tasks(app, settings)
    app.conf.beat_schedule.update(payments_beat_schedule())
    app.conf.beat_schedule.update(register_stripe_tasks(app, settings))
    register_loyalty_tasks(app, settings)
    app.conf.beat_schedule.update(loyalty_beat_schedule())
    register_recommender_tasks(app, settings)
    app.conf.beat_schedule.update(recommender_beat_schedule(settings))
    register_device_tasks(app, settings)
    register_telemetry_tasks(app, settings)
    app.conf.beat_schedule.update({**device_beat_schedule(), **telemetry_beat_schedule()})
    register_voucher_tasks(app, settings)
    app.conf.beat_schedule.update(voucher_beat_schedule())
    return Worker(celery=app, outbox=outbox, handlers=handlers)


def start_embedded_relay(settings: Settings) -> EmbeddedRelay | None:
    """The web process's own relay, when there is no broker (and it is not switched off)."""
    if settings.celery.broker_url or not settings.celery.embedded_relay:
        return None
    relay = EmbeddedRelay(
        build_worker(settings).outbox.relay, settings.celery.outbox_relay_interval_seconds
    )
    relay.start()
    return relay


@cache
def process_worker() -> Worker:
    """The worker wiring for this process's entry points (celery CLI, `onestreet worker`)."""
    settings = cached_settings()
    configure_logging(settings.app.log_level, json=settings.app.log_json)
    return build_worker(settings)


def __getattr__(name: str) -> object:
    # Lazily, so importing this module (as the web app does) reads no environment.
    if name == "celery_app":
        return process_worker().celery
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
