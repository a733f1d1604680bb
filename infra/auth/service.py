"""Accounts: creation with validated identities and hashed passwords. Never commits."""

from __future__ import annotations

import re
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.models import Account
from infra.auth.passwords import hash_password
from infra.auth.repository import AccountRepository
from infra.auth.roles import Role
from infra.errors import Conflict, ValidationFailed

# Deliberately loose: one @, a dot in the domain, no spaces. Real proof is a confirmation mail.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def normalise_email(email: str) -> str:
    return email.strip().lower()


class AccountService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.accounts = AccountRepository(session)

    async def create(
        self,
        *,
        email: str | None,
        password: str | None,
        role: Role,
        display_name: str,
        phone: str | None = None,
    ) -> Account:
        """A new active account. Raises ValidationFailed for bad input and Conflict when the
        e-mail or phone already belongs to an account."""
        role = _role(role)
        email = _email(email)
        phone = _phone(phone)
        display_name = _display_name(display_name)
        if password is not None and email is None:
            raise ValidationFailed(
                "An account with a password needs an e-mail address to sign in with.",
                details={"field": "email"},
            )
        if email is not None and await self.accounts.email_taken(email):
            raise _taken("email", email)
        if phone is not None and await self.accounts.phone_taken(phone):
            raise _taken("phone", phone)
        account = Account(
            email=email,
            phone=phone,
            display_name=display_name,
            role=role,
            password_hash=await hash_password(password) if password is not None else None,
            is_active=True,
            failed_login_count=0,
        )
        if not await self.accounts.add(account):
            raise _taken("email" if email else "phone", email or phone or "")
        return account

    async def get_by_email(self, email: str) -> Account | None:
        return await self.accounts.by_email(normalise_email(email))

    async def get(self, account_id: UUID) -> Account | None:
        return await self.accounts.get(account_id)


def _taken(field: str, value: str) -> Conflict:
    label = "e-mail address" if field == "email" else "phone number"
    return Conflict(
        f"An account with the {label} {value} already exists.", details={"field": field}
    )


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise ValidationFailed(
            f"Unknown role {role!r}; choose one of {known}.", details={"field": "role"}
        ) from None


def _email(email: str | None) -> str | None:
    if email is None or not email.strip():
        return None
    email = normalise_email(email)
    if len(email) > 254 or not _EMAIL.match(email):
        raise ValidationFailed(f"{email!r} is not an e-mail address.", details={"field": "email"})
    return email


def _phone(phone: str | None) -> str | None:
    if phone is None or not phone.strip():
        return None
    phone = re.sub(r"[\s-]", "", phone)
    if not _E164.match(phone):
        raise ValidationFailed(
            "Phone numbers are written in international form, like +886912345678.",
            details={"field": "phone"},
        )
    return phone


def _display_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed(
            "The display name must be between 1 and 100 characters.",
            details={"field": "display_name"},
        )
    return name
