"""Why an invitation cannot be used: each has its own stable code for the client."""

from __future__ import annotations

from infra.errors import Conflict, NotFound, OneStreetError, PermissionDenied


class InvitationNotFound(NotFound):
    code = "invitation_not_found"


class InvitationGone(OneStreetError):
    status_code = 410
    code = "invitation_gone"


class InvitationExpired(InvitationGone):
    code = "invitation_expired"


class InvitationRevoked(InvitationGone):
    code = "invitation_revoked"


class InvitationUsed(InvitationGone):
    code = "invitation_used"


class InvitationWrongAccount(PermissionDenied):
    code = "invitation_wrong_account"


class AlreadyMember(Conflict):
    code = "already_member"


class LastOwner(Conflict):
    code = "last_owner"
