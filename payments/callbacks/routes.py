"""Signed wallet callbacks (TWQR acquirer, EMVCo wallets) and the sandbox's simulated wallet."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from litestar import Controller, Request, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import NotFound, ValidationFailed
from payments.callbacks.service import receive_callback
from payments.callbacks.signature import HEADER
from payments.intents.repository import PaymentRepository
from payments.intents.routes import payment_config, strict_body
from payments.intents.schemas import PaymentOut, SandboxConfirm, payment_out
from payments.providers.sandbox.wallet import WALLET_PROVIDERS, play_wallet

CALLBACK_PROVIDERS = frozenset({"twqr", "emvco"})


class WalletCallbackController(Controller):
    path = "/api/payments"
    tags = ["payment callbacks"]  # noqa: RUF012

    @post(
        "/callbacks/{provider:str}",
        summary="A wallet's or acquirer's signed confirmation (twqr, emvco)",
        description="The body is signed with HMAC-SHA256 and the shared secret: "
        "`X-Signature: sha256=<hex>`. Stored once per (transaction, status) and answered at "
        "once; a task applies it. A repeated delivery answers 200 and changes nothing.",
        exclude_from_auth=True,
        opt={"csrf_exempt": True},
        status_code=200,
    )
    async def callback(
        self,
        db_session: NamedDependency[AsyncSession],
        request: Request[Any, Any, Any],
        provider: FromPath[str],
    ) -> dict[str, bool]:
        if provider not in CALLBACK_PROVIDERS:
            raise NotFound("No such callback.")
        secret = payment_config(request).callback_secrets[provider]
        result = await receive_callback(
            db_session, provider, secret, await request.body(), request.headers.get(HEADER)
        )
        return {"received": True, "duplicate": result.duplicate}

    @post(
        "/sandbox/{payment_id:uuid}/confirm",
        summary="The simulated wallet: succeed, fail, or stay in processing (delay)",
        description="Demo and tests only (ONESTREET_PAYMENTS__SANDBOX_WALLET). Plays the "
        "signed callbacks a real wallet would send, through the same inbox.",
        exclude_from_auth=True,
        opt={"csrf_exempt": True},
        status_code=200,
    )
    async def sandbox_confirm(
        self,
        db_session: NamedDependency[AsyncSession],
        request: Request[Any, Any, Any],
        payment_id: FromPath[uuid.UUID],
        data: JSONBody[SandboxConfirm],
    ) -> PaymentOut:
        config = payment_config(request)
        body = await strict_body(request, SandboxConfirm)
        if config.sandbox_delay_seconds and body.outcome != "delay":
            # Before touching the database: SQLite would hold its write lock while we wait.
            await asyncio.sleep(config.sandbox_delay_seconds)
        repo = PaymentRepository(db_session)
        intent = await repo.get(payment_id) if config.sandbox_wallet else None
        if intent is None:
            raise NotFound(f"There is no sandbox payment {payment_id}.")
        # Real QR payments are confirmed by hand only while the whole platform is a sandbox.
        if intent.provider not in WALLET_PROVIDERS or (
            intent.provider != "sandbox" and config.mode != "sandbox"
        ):
            raise ValidationFailed(
                "Only sandbox payments are confirmed by the simulated wallet.",
                details={"provider": intent.provider},
            )
        secret = config.callback_secrets[intent.provider]
        await play_wallet(db_session, intent, body.outcome, secret)
        await db_session.refresh(intent)
        return payment_out(intent)


def payment_routes() -> list:  # type: ignore[type-arg]
    from payments.intents.routes import PaymentController

    return [PaymentController, WalletCallbackController]
