"""The body of a wallet or acquirer callback, as signed by the sender."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec


class WalletCallback(msgspec.Struct, forbid_unknown_fields=True):
    # The acquirer's id for the transaction: with the status, the inbox key.
    transaction_id: str
    # The order number printed in our QR payload (TWQR D2, EMVCo 62.01): the provider_ref.
    order_no: str
    status: Literal["processing", "succeeded", "failed"]
    amount: int  # minor units the consumer paid
    occurred_at: datetime
    failure_code: str | None = None
