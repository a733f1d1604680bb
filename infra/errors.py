"""Typed domain errors that carry their HTTP status and a stable error code.

Raise these from services; the app's exception handlers turn them into
`{"error": {"code": ..., "message": ..., "details": ...}}` bodies, never stack traces.
"""

from __future__ import annotations

from typing import Any, ClassVar


class OneStreetError(Exception):
    status_code: ClassVar[int] = 400
    code: ClassVar[str] = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}
        self.headers = headers or {}


class ValidationFailed(OneStreetError):
    status_code = 422
    code = "validation_failed"


class NotAuthenticated(OneStreetError):
    status_code = 401
    code = "not_authenticated"


class InvalidCredentials(OneStreetError):
    status_code = 401
    code = "invalid_credentials"


class SessionExpired(OneStreetError):
    status_code = 401
    code = "session_expired"


class PermissionDenied(OneStreetError):
    status_code = 403
    code = "permission_denied"


class CsrfFailed(OneStreetError):
    status_code = 403
    code = "csrf_failed"


class NotFound(OneStreetError):
    status_code = 404
    code = "not_found"


class Conflict(OneStreetError):
    status_code = 409
    code = "conflict"


class AccountLocked(OneStreetError):
    status_code = 423
    code = "account_locked"


class RateLimited(OneStreetError):
    status_code = 429
    code = "rate_limited"


class ServiceUnavailable(OneStreetError):
    status_code = 503
    code = "service_unavailable"
