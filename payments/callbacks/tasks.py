"""Processing a stored wallet callback: the outbox handler for
payments.wallet_callback_received. It runs after the inbox row committed, in the session
delivery gives it, and never commits; running it twice changes nothing."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from infra.logging import get_logger
from infra.outbox import Event, HandlerRegistry
from payments.callbacks.service import WALLET_CALLBACK_RECEIVED, process_callback

log = get_logger("onestreet.payments.callbacks")

HANDLER_NAME = "payments.process_wallet_callback"


async def process_wallet_callback(session: AsyncSession, event: Event) -> None:
    provider, external_id = str(event.payload["provider"]), str(event.payload["external_id"])
    changed = await process_callback(session, provider, external_id)
    log.info(
        "wallet_callback_processed",
        provider=provider,
        external_id=external_id,
        outcome="applied" if changed else "unchanged",
    )


def register_wallet_callback_handlers(registry: HandlerRegistry) -> None:
    registry.register(WALLET_CALLBACK_RECEIVED, HANDLER_NAME, process_wallet_callback)
