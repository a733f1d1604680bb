"""Inviting people into a shop, and accepting: as a signed-in account, or as a new account.

The one-time token is returned once, to the inviter, and stored only as a SHA-256 hash; the
outbox event `shop.invitation_created` carries the invitation id (never the token) for a later
mail/SMS sender. Never commits.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.models import Account
from infra.auth.roles import Role
from infra.auth.service import AccountService, normalise_email
from infra.db import utcnow
from infra.errors import NotFound, PermissionDenied, ValidationFailed
from infra.outbox import publish
from merchant_api.shops.invitation_errors import (
    AlreadyMember,
    InvitationExpired,
    InvitationNotFound,
    InvitationRevoked,
    InvitationUsed,
    InvitationWrongAccount,
)
from merchant_api.shops.invitation_models import ShopInvitation
from merchant_api.shops.invitation_repository import InvitationRepository
from merchant_api.shops.models import MemberRole, ShopMember
from merchant_api.shops.repository import ShopRepository

INVITATION_LIFETIME = timedelta(days=7)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_TAIWAN_MOBILE = re.compile(r"^09\d{8}$")


@dataclass(frozen=True)
class NewInvitation:
    invitation: ShopInvitation
    token: str  # shown once; only its hash is kept


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_state(invitation: ShopInvitation, now: datetime) -> str:
    if invitation.accepted_at is not None:
        return "accepted"
    if invitation.revoked_at is not None:
        return "revoked"
    if invitation.expires_at <= now:
        return "expired"
    return "pending"


class InvitationService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.invitations = InvitationRepository(session)
        self.shops = ShopRepository(session)
        self.accounts = AccountService(session)

    async def invite(
        self, shop_id: uuid.UUID, role: str, email: str | None, phone: str | None, by: uuid.UUID
    ) -> NewInvitation:
        problems: list[dict[str, str]] = []
        if role not in (MemberRole.OWNER.value, MemberRole.STAFF.value):
            problems.append(_problem("role", 'Use "owner" or "staff".'))
        email, phone = _address(email, phone, problems)
        if problems:
            raise ValidationFailed("The invitation cannot be made.", details={"problems": problems})
        if await self.shops.get(shop_id) is None:
            raise NotFound(f"There is no shop {shop_id}.")
        existing = await self._account_for(email, phone)
        if existing is not None and await self.shops.member_role(existing.id, shop_id):
            raise AlreadyMember(
                "This person already works at the shop.",
                details={"field": "email" if email else "phone"},
            )
        now = utcnow()
        await self.invitations.revoke_pending_to(shop_id, email, phone, now)
        token = secrets.token_urlsafe(32)
        invitation = ShopInvitation(
            shop_id=shop_id,
            role=role,
            email=email,
            phone=phone,
            token_hash=token_hash(token),
            invited_by=by,
            created_at=now,
            expires_at=now + INVITATION_LIFETIME,
        )
        self.invitations.add(invitation)
        await self.invitations.flush()
        publish(
            self.session,
            "shop.invitation_created",
            {
                "invitation_id": str(invitation.id),
                "shop_id": str(shop_id),
                "channel": "email" if email else "sms",
            },
            key=str(shop_id),
        )
        return NewInvitation(invitation, token)

    async def list(self, shop_id: uuid.UUID) -> list[ShopInvitation]:
        return await self.invitations.for_shop(shop_id)

    async def revoke(self, shop_id: uuid.UUID, invitation_id: uuid.UUID) -> None:
        invitation = await self.invitations.get(shop_id, invitation_id)
        if invitation is None:
            raise InvitationNotFound(f"This shop has no invitation {invitation_id}.")
        if not await self.invitations.revoke(invitation.id, utcnow()):
            await self.session.refresh(invitation)
            _refuse_unusable(invitation, utcnow())

    async def preview(self, token: str) -> tuple[ShopInvitation, dict[str, str]]:
        """What the invitation is for (the join page shows it before asking anything):
        the invitation and the shop's names. Raises for unknown tokens only, so the page can
        say why a known one cannot be used."""
        invitation = await self.invitations.by_token_hash(token_hash(token or ""))
        if invitation is None:
            raise InvitationNotFound("This invitation link is not valid.")
        shop = await self.shops.get(invitation.shop_id)
        return invitation, dict(shop.name) if shop else {}

    async def accept(self, token: str, account_id: uuid.UUID) -> ShopMember:
        """The signed-in account joins the shop, if the invitation was sent to its address."""
        invitation = await self._usable(token)
        account = await self.accounts.get(account_id)
        if account is None or not _addressed_to(invitation, account):
            raise InvitationWrongAccount(
                "This invitation was sent to another e-mail address or phone number."
            )
        if account.role != Role.merchant:
            raise PermissionDenied(
                "Only shop accounts can join a shop; sign in with your shop account or create "
                "one with this invitation."
            )
        return await self._join(invitation, account.id)

    async def register(
        self, token: str, display_name: str, password: str, email: str | None
    ) -> tuple[Account, ShopMember]:
        """A new shop account for the invited address, which joins the shop at once."""
        invitation = await self._usable(token)
        if invitation.email is not None:
            email = invitation.email
        elif not email:
            raise ValidationFailed(
                "Give an e-mail address to sign in with.",
                details={"problems": [_problem("email", "Required for phone invitations.")]},
            )
        account = await self.accounts.create(
            email=email,
            password=password,
            role=Role.merchant,
            display_name=display_name,
            phone=invitation.phone,
        )
        return account, await self._join(invitation, account.id)

    async def _usable(self, token: str) -> ShopInvitation:
        invitation = await self.invitations.by_token_hash(token_hash(token or ""))
        if invitation is None:
            raise InvitationNotFound("This invitation link is not valid.")
        _refuse_unusable(invitation, utcnow())
        return invitation

    async def _join(self, invitation: ShopInvitation, account_id: uuid.UUID) -> ShopMember:
        if await self.shops.member_role(account_id, invitation.shop_id):
            raise AlreadyMember("You already work at this shop.")
        now = utcnow()
        if not await self.invitations.claim(invitation.id, account_id, now):
            # Someone used or revoked it between our read and our write.
            await self.session.refresh(invitation)
            _refuse_unusable(invitation, now)
            raise InvitationUsed("This invitation has already been used.")
        member = ShopMember(shop_id=invitation.shop_id, account_id=account_id, role=invitation.role)
        self.shops.add(member)
        await self.shops.flush()
        return member

    async def _account_for(self, email: str | None, phone: str | None) -> Account | None:
        if email is not None:
            return await self.accounts.get_by_email(email)
        return await self.invitations.account_by_phone(phone) if phone else None


def _refuse_unusable(invitation: ShopInvitation, now: datetime) -> None:
    state = invitation_state(invitation, now)
    if state == "accepted":
        raise InvitationUsed("This invitation has already been used.")
    if state == "revoked":
        raise InvitationRevoked("This invitation was withdrawn; ask the shop for a new one.")
    if state == "expired":
        raise InvitationExpired("This invitation has expired; ask the shop for a new one.")


def _addressed_to(invitation: ShopInvitation, account: Account) -> bool:
    if invitation.email is not None:
        return account.email == invitation.email
    return account.phone is not None and account.phone == invitation.phone


def _address(
    email: str | None, phone: str | None, problems: list[dict[str, str]]
) -> tuple[str | None, str | None]:
    email = normalise_email(email) if email and email.strip() else None
    phone = re.sub(r"[\s\-()]", "", phone) if phone and phone.strip() else None
    if (email is None) == (phone is None):
        problems.append(_problem("email", "Give either an e-mail address or a phone number."))
        return None, None
    if email is not None and (len(email) > 254 or not _EMAIL.match(email)):
        problems.append(_problem("email", "Not an e-mail address."))
    if phone is not None:
        if _TAIWAN_MOBILE.match(phone):
            phone = "+886" + phone[1:]
        if not _E164.match(phone):
            problems.append(_problem("phone", "Not a mobile number; write it like +886912345678."))
    return email, phone


def _problem(key: str, message: str) -> dict[str, str]:
    return {"key": key, "message": message, "source": "body"}
