"""Linking a phone to a wallet with a one-time code, and merging two wallets of one person.

Codes are six digits, single use, valid at most 10 minutes, limited per hour, and locked after
5 wrong tries; only a keyed hash is stored. A wrong code's try is counted and committed even
though the request is refused (the route answers the refusal without raising), so an attacker
cannot reset the count by making the request fail.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import AccountLocked, OneStreetError, ValidationFailed
from infra.logging import get_logger
from infra.settings import LoyaltySettings
from payments.loyalty.errors import VelocityLimited, WalletNotFound, problem
from payments.loyalty.identity_repository import IdentityRepository
from payments.loyalty.ledger import LedgerRepository, Line, wallet_account
from payments.loyalty.models import LoyaltyPhoneChallenge, Reason, WalletStatus
from payments.loyalty.service import LoyaltyService

log = get_logger("onestreet.loyalty")
MAX_TRIES = 5
TAIWAN_MOBILE = re.compile(r"^(?:\+886|0)9\d{8}$")


class SmsSender(Protocol):
    async def send(self, phone: str, text: str) -> None: ...


class ConsoleSmsSender:
    """Embedded mode: the message goes to the log (and is kept, for the demo and tests)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send(self, phone: str, text: str) -> None:
        self.sent.append((phone, text))
        log.info("loyalty_sms", phone_tail=phone[-3:], text=text)


class CodeRefused(OneStreetError):
    status_code = 422
    code = "invalid_code"


class CodeExpired(OneStreetError):
    status_code = 422
    code = "code_expired"


class CodeLocked(AccountLocked):
    code = "code_locked"


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"[\s-]", "", phone or "")
    if not TAIWAN_MOBILE.match(digits):
        raise ValidationFailed(
            "Give a Taiwan mobile number, e.g. 0912 345 678.", details=problem("phone", "format")
        )
    return "0" + digits[-9:]


class PhoneService:
    def __init__(self, session: AsyncSession, settings: LoyaltySettings, secret: str) -> None:
        self.session = session
        self.settings = settings
        self.secret = secret
        self.repo = IdentityRepository(session)

    def _hash(self, challenge_id: uuid.UUID, code: str) -> str:
        return hmac.new(
            self.secret.encode(), f"{challenge_id}:{code}".encode(), hashlib.sha256
        ).hexdigest()

    async def start(
        self, wallet_id: uuid.UUID, phone: str, sender: SmsSender, now: datetime
    ) -> datetime:
        phone = normalise_phone(phone)
        if await self.repo.sends_since(wallet_id, phone, now - timedelta(hours=1)) >= (
            self.settings.otp_max_sends_per_hour
        ):
            raise VelocityLimited(
                "Too many codes requested; try again in an hour.", details=problem("phone", "rate")
            )
        code = f"{secrets.randbelow(10**6):06d}"
        challenge_id = uuid.uuid4()
        expires_at = now + timedelta(minutes=self.settings.otp_valid_minutes)
        self.repo.add_challenge(
            LoyaltyPhoneChallenge(
                id=challenge_id,
                wallet_id=wallet_id,
                phone=phone,
                code_hash=self._hash(challenge_id, code),
                attempts=0,
                expires_at=expires_at,
                created_at=now,
            )
        )
        await self.session.flush()
        await sender.send(
            phone, f"OneStreet 驗證碼 {code}（{self.settings.otp_valid_minutes} 分鐘內有效）"
        )
        return expires_at

    async def verify(self, wallet_id: uuid.UUID, code: str, now: datetime) -> OneStreetError | None:
        """None when the phone is linked; else the refusal to send (its try is recorded)."""
        challenge = await self.repo.latest_challenge(wallet_id)
        if challenge is None or challenge.used_at is not None:
            return CodeRefused("Ask for a new code.", details=problem("code", "no code pending"))
        if challenge.attempts >= MAX_TRIES:
            return CodeLocked(
                "Too many wrong codes; ask for a new one later.", details=problem("code", "locked")
            )
        if challenge.expires_at <= now:
            return CodeExpired(
                "The code has expired; ask for a new one.", details=problem("code", "expired")
            )
        if not hmac.compare_digest(challenge.code_hash, self._hash(challenge.id, code.strip())):
            challenge.attempts += 1
            return CodeRefused("That code is not right.", details=problem("code", "wrong"))
        challenge.used_at = now
        other = await self.repo.wallet_with_phone(challenge.phone)
        if other is not None and other.id != wallet_id:
            await self.merge(other.id, wallet_id, now)
        await self.repo.set_wallet(wallet_id, phone=challenge.phone, phone_verified_at=now)
        return None

    async def merge(self, source: uuid.UUID, target: uuid.UUID, now: datetime) -> int:
        """Move `source`'s points (with their lots) into `target`; `source` is closed.
        Points held for unpaid orders go back first, so nothing stays behind."""
        if source == target:
            raise WalletNotFound(
                "A wallet cannot be merged into itself.",
                details=problem("card_number", "same wallet"),
            )
        loyalty = LoyaltyService(self.session, self.settings)
        for hold_id in await self.repo.open_holds(source):
            await loyalty.release(hold_id, now)
        ledger = LedgerRepository(self.session)
        first, second = sorted((source, target))
        await ledger.lock_wallet(first)
        await ledger.lock_wallet(second)
        points = await ledger.cached_balance(wallet_account(source))
        if points > 0:
            await ledger.post(
                key=f"merge:{source}:{target}",
                reason=Reason.transfer.value,
                lines=[Line(wallet_account(source), -points), Line(wallet_account(target), points)],
                now=now,
                wallet_id=target,
                reference_id=source,
            )
        await self.repo.move_lots(source, target)
        await self.repo.set_wallet(
            source, status=WalletStatus.merged.value, merged_into_id=target, phone=None
        )
        return points
