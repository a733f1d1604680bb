"""localstripe with the two endpoints it lacks: Connect accounts and Terminal tokens.

localstripe 1.15 emulates PaymentIntents, charges, refunds and webhooks, but has no Connect
accounts and no Terminal. These few lines add account creation that honours Idempotency-Key
as Stripe does (the same key returns the same account), and connection tokens that remember
the Stripe-Account header they were asked with, so the tests can check both. PaymentIntent
creates are recorded with their Stripe-Account header and application_fee_amount (which
localstripe itself refuses, so it is taken out before localstripe sees the body): a direct
charge can be checked. Everything else is localstripe itself.
Run as `python localstripe_connect.py --port N --from-scratch`.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web
from localstripe import server
from localstripe.resources import random_id

_accounts: dict[str, dict[str, Any]] = {}
_by_idempotency_key: dict[str, str] = {}
_terminal_tokens: list[dict[str, Any]] = []
_intent_creates: list[dict[str, Any]] = []
_localstripe_post_data = server.get_post_data


async def post_data_without_connect_fields(request: web.Request, remove_auth: bool = True) -> Any:
    data = await _localstripe_post_data(request, remove_auth)
    if request.method == "POST" and request.path == "/v1/payment_intents":
        fee = data.pop("application_fee_amount", None) if data else None
        metadata = (data or {}).get("metadata") or {}
        _intent_creates.append(
            {
                "account": request.headers.get("Stripe-Account"),
                "application_fee_amount": None if fee is None else int(fee),
                "payment_id": metadata.get("payment_id"),
            }
        )
    return data


server.get_post_data = post_data_without_connect_fields


async def create_account(request: web.Request) -> web.Response:
    key = request.headers.get("Idempotency-Key")
    if key and key in _by_idempotency_key:
        return web.json_response(_accounts[_by_idempotency_key[key]])
    data = await server.get_post_data(request) or {}
    account = {
        "id": "acct_" + random_id(16),
        "object": "account",
        "country": data.get("country"),
        "email": data.get("email"),
        "metadata": data.get("metadata") or {},
        "charges_enabled": False,
        "details_submitted": False,
    }
    _accounts[account["id"]] = account
    if key:
        _by_idempotency_key[key] = account["id"]
    return web.json_response(account)


async def retrieve_account(request: web.Request) -> web.Response:
    account = _accounts.get(request.match_info["id"])
    if account is None:
        return web.json_response({"error": {"type": "invalid_request_error"}}, status=404)
    return web.json_response(account)


async def create_connection_token(request: web.Request) -> web.Response:
    data = await server.get_post_data(request) or {}
    token = {
        "object": "terminal.connection_token",
        "secret": "pst_test_" + random_id(24),
        "location": data.get("location"),
    }
    _terminal_tokens.append({**token, "account": request.headers.get("Stripe-Account")})
    return web.json_response(token)


async def recorded(request: web.Request) -> web.Response:
    return web.json_response(
        {
            "accounts": len(_accounts),
            "terminal_tokens": _terminal_tokens,
            "intent_creates": _intent_creates,
        }
    )


async def forget(request: web.Request) -> web.Response:
    _accounts.clear()
    _by_idempotency_key.clear()
    _terminal_tokens.clear()
    _intent_creates.clear()
    return web.Response()


server.app.router.add_post("/v1/accounts", create_account)
server.app.router.add_get("/v1/accounts/{id}", retrieve_account)
server.app.router.add_post("/v1/terminal/connection_tokens", create_connection_token)
server.app.router.add_get("/_config/extensions", recorded)
server.app.router.add_delete("/_config/extensions", forget)

if __name__ == "__main__":
    server.start()
