"""A shop's programme status (consultants, admins), invitations and members (owners, admins),
and accepting an invitation (the invited person)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from litestar import Controller, Request, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import authenticated, require_authenticated, require_scope, shop_guard
from infra.db import utcnow
from infra.http.openapi import SIGNED_IN as SECURITY
from merchant_api.consultant_guard import programme_write
from merchant_api.i18n import pick, resolve_language
from merchant_api.shops.invitation_models import ShopInvitation
from merchant_api.shops.invitation_service import InvitationService, invitation_state
from merchant_api.shops.members_service import MembersService
from merchant_api.shops.people_schemas import (
    AcceptIn,
    InvitationCreated,
    InvitationIn,
    InvitationOut,
    InvitationPreview,
    MembershipOut,
    RegisterIn,
    StatusChangeIn,
    StatusChangeOut,
)
from merchant_api.shops.repository import ShopRepository
from merchant_api.shops.status_service import ShopStatusService
from merchant_api.strict_body import decode_strictly

# Staff run the counter; who works at the shop is the owners' decision (admins help them).
MEMBER_MANAGERS = frozenset({"owner", "admin"})
STATUS_DECIDERS = frozenset({"consultant", "admin"})


class ShopPeopleController(Controller):
    path = "/api/shops/{shop_id:uuid}"
    tags = ["shops"]  # noqa: RUF012

    @post(
        "/status",
        summary="Move the shop: onboarding -> active -> suspended -> active",
        guards=[shop_guard(allow=STATUS_DECIDERS), programme_write("shops:write")],
        security=SECURITY,
    )
    async def change_status(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        data: JSONBody[StatusChangeIn],
        request: Request[Any, Any, Any],
    ) -> StatusChangeOut:
        body = await decode_strictly(request, StatusChangeIn)
        by = authenticated(request).account_id
        change = await ShopStatusService(db_session).change(shop_id, body.status, body.reason, by)
        history = await ShopRepository(db_session).status_changes(shop_id)
        return next(_change_out(c, a) for c, a in history if c.id == change.id)

    @get(
        "/status-history",
        summary="Who changed the shop's status, when and why (newest first)",
        guards=[require_scope("shops:read"), shop_guard()],
        security=SECURITY,
    )
    async def status_history(
        self, db_session: NamedDependency[AsyncSession], shop_id: FromPath[uuid.UUID]
    ) -> list[StatusChangeOut]:
        rows = await ShopRepository(db_session).status_changes(shop_id)
        return [_change_out(change, account) for change, account in rows]

    @post(
        "/invitations",
        summary="Invite someone by e-mail or phone to work at the shop; the token is shown once",
        guards=[require_scope("shops:write"), shop_guard(allow=MEMBER_MANAGERS)],
        security=SECURITY,
    )
    async def invite(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        data: JSONBody[InvitationIn],
        request: Request[Any, Any, Any],
    ) -> InvitationCreated:
        body = await decode_strictly(request, InvitationIn)
        by = authenticated(request).account_id
        made = await InvitationService(db_session).invite(
            shop_id, body.role, body.email, body.phone, by
        )
        return InvitationCreated(**_invitation_fields(made.invitation, utcnow()), token=made.token)

    @get(
        "/invitations",
        summary="The shop's invitations and their state",
        guards=[require_scope("shops:read"), shop_guard(allow=MEMBER_MANAGERS)],
        security=SECURITY,
    )
    async def list_invitations(
        self, db_session: NamedDependency[AsyncSession], shop_id: FromPath[uuid.UUID]
    ) -> list[InvitationOut]:
        now = utcnow()
        found = await InvitationService(db_session).list(shop_id)
        return [InvitationOut(**_invitation_fields(item, now)) for item in found]

    @delete(
        "/invitations/{invitation_id:uuid}",
        summary="Withdraw an invitation that has not been used",
        guards=[require_scope("shops:write"), shop_guard(allow=MEMBER_MANAGERS)],
        security=SECURITY,
    )
    async def revoke_invitation(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        invitation_id: FromPath[uuid.UUID],
    ) -> None:
        await InvitationService(db_session).revoke(shop_id, invitation_id)

    @delete(
        "/members/{account_id:uuid}",
        summary="Remove someone from the shop (never its last owner)",
        guards=[require_scope("shops:write"), shop_guard(allow=MEMBER_MANAGERS)],
        security=SECURITY,
    )
    async def remove_member(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        account_id: FromPath[uuid.UUID],
    ) -> None:
        await MembersService(db_session).remove(shop_id, account_id)


class InvitationAcceptController(Controller):
    path = "/api/shop-invitations"
    tags = ["shops"]  # noqa: RUF012

    @post(
        "/preview",
        summary="What an invitation is for, before accepting it (the token stays in the body)",
        exclude_from_auth=True,
        status_code=200,
    )
    async def preview(
        self,
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[AcceptIn],
        request: Request[Any, Any, Any],
        lang: FromQuery[str | None] = None,
    ) -> InvitationPreview:
        body = await decode_strictly(request, AcceptIn)
        invitation, names = await InvitationService(db_session).preview(body.token)
        return InvitationPreview(
            shop_id=invitation.shop_id,
            shop_name=pick(names, resolve_language(lang)),
            role=invitation.role,
            state=invitation_state(invitation, utcnow()),
            expires_at=invitation.expires_at,
            needs_email=invitation.email is None,
        )

    @post(
        "/accept",
        summary="Join the shop with an invitation sent to your e-mail address or phone",
        guards=[require_authenticated, require_scope("profile:write")],
        security=SECURITY,
    )
    async def accept(
        self,
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[AcceptIn],
        request: Request[Any, Any, Any],
    ) -> MembershipOut:
        body = await decode_strictly(request, AcceptIn)
        member = await InvitationService(db_session).accept(
            body.token, authenticated(request).account_id
        )
        return MembershipOut(member.shop_id, member.account_id, member.role)

    @post(
        "/register",
        summary="Create a shop account with an invitation and join the shop",
        exclude_from_auth=True,
    )
    async def register(
        self,
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[RegisterIn],
        request: Request[Any, Any, Any],
    ) -> MembershipOut:
        body = await decode_strictly(request, RegisterIn)
        account, member = await InvitationService(db_session).register(
            body.token, body.display_name, body.password, body.email
        )
        return MembershipOut(member.shop_id, account.id, member.role)


def _change_out(change: Any, account: Any) -> StatusChangeOut:
    return StatusChangeOut(
        id=change.id,
        shop_id=change.shop_id,
        from_status=change.from_status,
        to_status=change.to_status,
        reason=change.reason,
        changed_by=change.changed_by,
        changed_by_name=account.display_name if account is not None else None,
        changed_at=change.changed_at,
    )


def _invitation_fields(invitation: ShopInvitation, now: datetime) -> dict[str, Any]:
    return {
        "id": invitation.id,
        "shop_id": invitation.shop_id,
        "role": invitation.role,
        "email": invitation.email,
        "phone": invitation.phone,
        "state": invitation_state(invitation, now),
        "invited_by": invitation.invited_by,
        "created_at": invitation.created_at,
        "expires_at": invitation.expires_at,
        "accepted_at": invitation.accepted_at,
        "revoked_at": invitation.revoked_at,
    }
