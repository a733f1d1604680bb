"""What the payment link service is configured with; built once by the composition root."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from payments.links.tokens import LinkSigner

LINK_PATH = "/p/"


@dataclass(frozen=True, slots=True)
class LinkConfig:
    signer: LinkSigner
    dynamic_ttl: timedelta
    public_url: str

    @classmethod
    def build(cls, secret_key: str, ttl_minutes: int, public_url: str) -> LinkConfig:
        return cls(LinkSigner(secret_key), timedelta(minutes=ttl_minutes), public_url)

    def url(self, token: str) -> str:
        return f"{self.public_url.rstrip('/')}{LINK_PATH}{token}"
