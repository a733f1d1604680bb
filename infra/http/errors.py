"""Exception handlers: every failure becomes a JSON body with a stable code, never a trace."""

from __future__ import annotations

from typing import Any

from litestar import MediaType, Request, Response
from litestar.exceptions import HTTPException, NotFoundException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from infra.errors import OneStreetError
from infra.logging import get_logger

log = get_logger("onestreet.http")

_HTTP_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_failed",
    429: "rate_limited",
    503: "service_unavailable",
}


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    return {"error": body}


def _json(status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    return Response(content=body, status_code=status, media_type=MediaType.JSON, headers=headers)


def handle_domain_error(request: Request, exc: OneStreetError) -> Response:
    if exc.status_code in (401, 403, 423):
        log.warning(
            "access_denied",
            code=exc.code,
            path=request.url.path,
            client=request.client.host if request.client else None,
        )
    return _json(exc.status_code, error_body(exc.code, exc.message, exc.details), exc.headers)


def handle_validation_error(request: Request, exc: ValidationException) -> Response:
    message = "The request body or parameters are not valid."
    detail = str(exc.detail or "")
    if "JSON" in detail or "decode" in detail.lower() or "malformed" in detail.lower():
        return _json(400, error_body("malformed_json", "The request body is not valid JSON."))
    return _json(422, error_body("validation_failed", message, {"problems": exc.extra}))


def handle_http_exception(request: Request, exc: HTTPException) -> Response:
    status = exc.status_code
    code = _HTTP_CODES.get(status, "http_error")
    message = exc.detail if isinstance(exc.detail, str) and exc.detail else code
    if isinstance(exc, NotFoundException):
        message = f"Nothing is found at {request.url.path}."
    return _json(status, error_body(code, message), getattr(exc, "headers", None))


def handle_unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unhandled_error", path=request.url.path)
    return _json(
        HTTP_500_INTERNAL_SERVER_ERROR,
        error_body("internal_error", "Something went wrong on our side; please try again."),
    )


exception_handlers = {
    OneStreetError: handle_domain_error,
    ValidationException: handle_validation_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
