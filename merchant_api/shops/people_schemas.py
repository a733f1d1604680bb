"""Requests and answers about shop status, invitations and members."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec


class StatusChangeIn(msgspec.Struct, forbid_unknown_fields=True):
    status: str
    reason: str = ""


class StatusChangeOut(msgspec.Struct):
    id: uuid.UUID
    shop_id: uuid.UUID
    from_status: str
    to_status: str
    reason: str
    changed_by: uuid.UUID | None
    changed_by_name: str | None
    changed_at: datetime


class InvitationIn(msgspec.Struct, forbid_unknown_fields=True):
    role: str
    email: str | None = None
    phone: str | None = None


class InvitationOut(msgspec.Struct):
    id: uuid.UUID
    shop_id: uuid.UUID
    role: str
    email: str | None
    phone: str | None
    state: str  # pending, accepted, revoked, expired
    invited_by: uuid.UUID | None
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None


class InvitationCreated(InvitationOut):
    # Shown once: give it to the invited person (the link for a later mail/SMS sender).
    token: str


class AcceptIn(msgspec.Struct, forbid_unknown_fields=True):
    token: str


class InvitationPreview(msgspec.Struct):
    shop_id: uuid.UUID
    shop_name: str
    role: str
    state: str  # pending, accepted, revoked, expired
    expires_at: datetime
    # Sent to a phone: registering also asks for an e-mail address to sign in with.
    needs_email: bool


class RegisterIn(msgspec.Struct, forbid_unknown_fields=True):
    token: str
    display_name: str
    password: str
    # Needed only for invitations sent to a phone: accounts sign in with an e-mail address.
    email: str | None = None


class MembershipOut(msgspec.Struct):
    shop_id: uuid.UUID
    account_id: uuid.UUID
    role: str
