"""A small programme for the merchant API tests, and callers signed in as each of its people.

Street X has shops A and C, street Y has shop B. Accounts are inserted with one precomputed
password hash (Argon2 takes ~0.15 s per hash); everyone signs in through POST /api/auth/login.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import pytest
from argon2 import PasswordHasher

from infra.auth.models import Account
from infra.auth.roles import Role
from merchant_api.catalog.models import Listing
from merchant_api.shops.models import ConsultantAssignment, Shop, ShopMember
from merchant_api.streets.models import Street

PASSWORD = "shop-guard-test-password"

# email -> role; the shop memberships and assignments are made in `world`.
PEOPLE = {
    "owner.a@test.tw": Role.merchant,
    "staff.a@test.tw": Role.merchant,
    "owner.b@test.tw": Role.merchant,
    "consultant.x@test.tw": Role.consultant,
    "consultant.b@test.tw": Role.consultant,
    "consumer@test.tw": Role.consumer,
    "ministry@test.tw": Role.ministry_viewer,
    "admin@test.tw": Role.platform_admin,
}


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return PasswordHasher().hash(PASSWORD)


@dataclass
class World:
    street_x: uuid.UUID
    street_y: uuid.UUID
    shop_a: uuid.UUID
    shop_b: uuid.UUID
    shop_c: uuid.UUID
    accounts: dict[str, uuid.UUID] = field(default_factory=dict)


def _street(slug: str, county: str, township: str) -> Street:
    return Street(
        slug=slug,
        name={"zh-Hant-TW": f"{township}一條街", "en": f"{slug} street"},
        description={"zh-Hant-TW": "測試街"},
        county=county,
        township=township,
        digital_level=5,
        latitude=23.0,
        longitude=121.0,
        programme_year_joined=107,
    )


def _shop(street: Street, slug: str, zh: str, en: str | None = None) -> Shop:
    return Shop(
        street_id=street.id,
        slug=slug,
        name={"zh-Hant-TW": zh, **({"en": en} if en else {})},
        description={"zh-Hant-TW": f"{zh}的介紹"},
        category="food_and_drink",
        address="臺東縣達仁鄉安朔村 1 號",
        phone="089-702123",
        status="active",
        joined_on=date(2018, 3, 1),
    )


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    async def build(session):  # type: ignore[no-untyped-def]
        x = _street("street-x", "臺東縣", "達仁鄉")
        y = _street("street-y", "嘉義縣", "阿里山鄉")
        session.add_all([x, y])
        await session.flush()
        a = _shop(x, "shop-a", "小米工坊", "Millet Workshop")
        c = _shop(x, "shop-c", "部落廚房")
        b = _shop(y, "shop-b", "高山茶園", "Tea Garden")
        session.add_all([a, b, c])
        accounts = {
            email: Account(
                email=email,
                display_name=email.split("@")[0],
                role=role,
                password_hash=_password_hash(),
                is_active=True,
                failed_login_count=0,
            )
            for email, role in PEOPLE.items()
        }
        session.add_all(accounts.values())
        await session.flush()
        session.add(Listing(shop_id=a.id, name={"zh-Hant-TW": "小米 600g"}, price_minor=18000))
        ids = {email: account.id for email, account in accounts.items()}
        session.add_all(
            [
                ShopMember(shop_id=a.id, account_id=ids["owner.a@test.tw"], role="owner"),
                ShopMember(shop_id=a.id, account_id=ids["staff.a@test.tw"], role="staff"),
                ShopMember(shop_id=b.id, account_id=ids["owner.b@test.tw"], role="owner"),
                ConsultantAssignment(account_id=ids["consultant.x@test.tw"], street_id=x.id),
                ConsultantAssignment(account_id=ids["consultant.b@test.tw"], shop_id=b.id),
            ]
        )
        return World(x.id, y.id, a.id, b.id, c.id, ids)

    return db(build)


class Caller:
    """Requests made with one person's session cookie and CSRF token (or none: anonymous)."""

    def __init__(self, client, cookie_name: str, cookie: str | None, csrf: str | None):  # type: ignore[no-untyped-def]
        self.client = client
        self.cookie_name = cookie_name
        self.cookie = cookie
        self.csrf = csrf

    def request(self, method: str, url: str, **kwargs: Any):  # type: ignore[no-untyped-def]
        # One client serves every caller, so its cookie jar holds exactly this caller's cookie.
        self.client.cookies.clear()
        if self.cookie:
            self.client.cookies.set(self.cookie_name, self.cookie)
        headers = kwargs.pop("headers", {})
        if self.csrf:
            headers["x-csrf-token"] = self.csrf
        return self.client.request(method, url, headers=headers, **kwargs)

    def get(self, url: str, **kwargs: Any):  # type: ignore[no-untyped-def]
        return self.request("GET", url, **kwargs)

    def patch(self, url: str, **kwargs: Any):  # type: ignore[no-untyped-def]
        return self.request("PATCH", url, **kwargs)

    def post(self, url: str, **kwargs: Any):  # type: ignore[no-untyped-def]
        return self.request("POST", url, **kwargs)


@pytest.fixture
def caller(client, settings, world):  # type: ignore[no-untyped-def]
    """`caller("owner.a@test.tw")` signs that person in once; `caller(None)` is anonymous."""
    signed_in: dict[str | None, Caller] = {}
    name = settings.auth.session_cookie_name

    def get(email: str | None) -> Caller:
        if email not in signed_in:
            if email is None:
                signed_in[None] = Caller(client, name, None, None)
            else:
                client.cookies.clear()
                response = client.post(
                    "/api/auth/login", json={"email": email, "password": PASSWORD}
                )
                assert response.status_code == 200, response.text
                signed_in[email] = Caller(
                    client, name, client.cookies.get(name), response.json()["csrf_token"]
                )
        return signed_in[email]

    return get
