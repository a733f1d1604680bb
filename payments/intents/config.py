"""What the payment service needs from the composition root, built once per app or worker."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass, field

from infra.settings import Settings
from payments.links.config import LinkConfig
from payments.merchants import EmptyMerchantDirectory, MerchantDirectory
from payments.providers.base import PaymentProvider
from payments.providers.registry import build_providers
from payments.references import NoPaymentReferences, PaymentReferences


def derived_secret(configured: str, app_secret: str, purpose: str) -> bytes:
    """The configured secret, or one derived from the app secret with a purpose label, so a
    callback signature can never be replayed as any other signature of ours."""
    if configured:
        return configured.encode()
    return hmac.new(
        app_secret.encode(), f"onestreet/{purpose}/v1".encode(), hashlib.sha256
    ).digest()


@dataclass
class PaymentConfig:
    providers: dict[str, PaymentProvider]
    mode: str = "sandbox"
    max_amount: int = 5_000_000
    directory: MerchantDirectory = field(default_factory=EmptyMerchantDirectory)
    references: PaymentReferences = field(default_factory=NoPaymentReferences)
    links: LinkConfig | None = None
    # provider name -> HMAC secret of its signed callbacks
    callback_secrets: dict[str, bytes] = field(default_factory=dict)
    sandbox_wallet: bool = True
    sandbox_delay_seconds: float = 0.0
    # What one loyalty point pays (minor units): an order or dynamic link paid partly in
    # points is charged its total less the points' value.
    point_value_minor: int = 100

    @classmethod
    def build(
        cls,
        settings: Settings,
        *,
        directory: MerchantDirectory | None = None,
        references: PaymentReferences | None = None,
        links: LinkConfig | None = None,
    ) -> PaymentConfig:
        payments, secret = settings.payments, settings.auth.secret_key
        return cls(
            providers=build_providers(settings),
            mode=payments.provider,
            max_amount=payments.max_amount_minor,
            directory=directory or EmptyMerchantDirectory(),
            references=references or NoPaymentReferences(),
            links=links,
            callback_secrets={
                "sandbox": derived_secret("", secret, "sandbox-wallet"),
                "twqr": derived_secret(payments.twqr_callback_secret, secret, "twqr-callback"),
                "emvco": derived_secret(payments.emvco_callback_secret, secret, "emvco-callback"),
            },
            sandbox_wallet=payments.sandbox_wallet,
            sandbox_delay_seconds=payments.sandbox_delay_seconds,
            point_value_minor=settings.loyalty.point_value_minor,
        )
