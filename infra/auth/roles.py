"""Account roles and the scopes each role may use.

A role says what kind of user an account is; scopes say what a credential may do. A web
session carries all of its role's scopes; an API token carries the subset chosen when it was
made. Which shop or street an account may touch is not a scope: the shop and street guards
decide that from memberships and assignments (see infra.auth.shop_access).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    platform_admin = "platform_admin"
    consultant = "consultant"
    ministry_viewer = "ministry_viewer"
    # Owners and staff of shops; the per-shop role lives in merchant_api's shop_members table.
    merchant = "merchant"
    consumer = "consumer"
    device = "device"


# Every scope a credential can hold, with the sentence shown when a token is made.
SCOPES: dict[str, str] = {
    "profile:read": "Read your own account.",
    "profile:write": "Change your own account.",
    "tokens:read": "List your API tokens.",
    "tokens:write": "Revoke your API tokens.",
    "streets:read": "Read streets and their shops.",
    "streets:write": "Create and change streets.",
    "shops:read": "Read shop details, members and settings.",
    "shops:write": "Change shop details, members and settings.",
    "catalog:read": "Read products and prices.",
    "catalog:write": "Create and change products and prices.",
    "orders:read": "Read orders.",
    "orders:write": "Place and update orders.",
    "payments:read": "Read payments and refunds.",
    "payments:write": "Take payments and make refunds.",
    "loyalty:read": "Read points balances and campaigns.",
    "loyalty:write": "Award and redeem points; run campaigns.",
    "vouchers:read": "Read vouchers.",
    "vouchers:write": "Issue and redeem vouchers.",
    "reviews:write": "Write and moderate reviews.",
    "devices:read": "Read devices and their telemetry.",
    "devices:write": "Register and configure devices.",
    "telemetry:write": "Send device telemetry.",
    "advice:read": "Read marketing advice.",
    "advice:write": "Draft and approve marketing advice.",
    "visits:write": "Record consultant visits and courses.",
    "reports:read": "Read programme KPIs and exports.",
    "accounts:admin": "Create, change and disable accounts.",
}

_READ_SHOP = {"shops:read", "catalog:read", "orders:read", "payments:read", "loyalty:read"}
_OWN = {"profile:read", "profile:write", "tokens:read", "tokens:write"}

ROLE_SCOPES: dict[Role, frozenset[str]] = {
    Role.platform_admin: frozenset(SCOPES),
    Role.consultant: frozenset(
        _OWN
        | _READ_SHOP
        | {"streets:read", "vouchers:read", "devices:read", "advice:read", "advice:write"}
        | {"visits:write", "reports:read"}
    ),
    # The ministry reads aggregates and never writes programme data.
    Role.ministry_viewer: frozenset(_OWN | {"reports:read", "streets:read"}),
    Role.merchant: frozenset(
        _OWN
        | _READ_SHOP
        | {"shops:write", "catalog:write", "orders:write", "payments:write", "loyalty:write"}
        | {"streets:read", "vouchers:read", "vouchers:write", "reviews:write"}
        | {"devices:read", "devices:write", "advice:read"}
    ),
    Role.consumer: frozenset(
        _OWN
        | {"streets:read", "catalog:read", "orders:read", "orders:write", "loyalty:read"}
        | {"vouchers:read", "reviews:write"}
    ),
    Role.device: frozenset({"telemetry:write", "catalog:read", "orders:write", "orders:read"}),
}


def scopes_for(role: Role) -> frozenset[str]:
    return ROLE_SCOPES[role]
