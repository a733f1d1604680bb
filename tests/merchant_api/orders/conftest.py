"""A menu for shop A (noodles with options, counted millet), a second consumer, and helpers
that place orders through the API."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from infra.auth.models import Account
from infra.auth.roles import Role
from merchant_api.catalog.models import Listing, Option, OptionGroup
from tests.merchant_api.conftest import PASSWORD
from tests.support.passwords import CHEAP_HASHER, use_cheap_hashing

OTHER_CONSUMER = "consumer2@test.tw"


@dataclass
class Menu:
    noodles: uuid.UUID  # NT$120, untracked; size required (small -10, large +20)
    small: uuid.UUID
    large: uuid.UUID
    egg: uuid.UUID  # add-on +15 (0-2 add-ons)
    tofu: uuid.UUID  # add-on +10
    millet: uuid.UUID  # NT$180, 5 in stock, no options
    tea_b: uuid.UUID  # shop B's listing


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests sign in a lot; the menu fixture re-hashes the accounts cheaply too."""
    use_cheap_hashing(monkeypatch)


@lru_cache(maxsize=1)
def _cheap_hash() -> str:
    return CHEAP_HASHER.hash(PASSWORD)


@pytest.fixture
def menu(db, world) -> Menu:  # type: ignore[no-untyped-def]
    async def build(session):  # type: ignore[no-untyped-def]
        noodles = Listing(
            shop_id=world.shop_a,
            name={"zh-Hant-TW": "小米麵", "en": "Millet noodles"},
            price_minor=12000,
        )
        millet = Listing(
            shop_id=world.shop_a, name={"zh-Hant-TW": "小米 1kg"}, price_minor=18000, stock=5
        )
        tea = Listing(shop_id=world.shop_b, name={"zh-Hant-TW": "高山茶"}, price_minor=50000)
        session.add_all([noodles, millet, tea])
        await session.flush()
        size = OptionGroup(
            listing_id=noodles.id,
            name={"zh-Hant-TW": "份量", "en": "Size"},
            required=True,
            min_choices=1,
            max_choices=1,
            position=0,
        )
        extras = OptionGroup(
            listing_id=noodles.id,
            name={"zh-Hant-TW": "加料", "en": "Add-ons"},
            required=False,
            min_choices=0,
            max_choices=2,
            position=1,
        )
        session.add_all([size, extras])
        await session.flush()
        options = {
            "small": Option(group_id=size.id, name={"zh-Hant-TW": "小"}, price_delta_minor=-1000),
            "large": Option(
                group_id=size.id, name={"zh-Hant-TW": "大"}, price_delta_minor=2000, position=1
            ),
            "egg": Option(group_id=extras.id, name={"zh-Hant-TW": "蛋"}, price_delta_minor=1500),
            "tofu": Option(
                group_id=extras.id, name={"zh-Hant-TW": "豆腐"}, price_delta_minor=1000, position=1
            ),
        }
        session.add_all(options.values())
        await session.execute(update(Account).values(password_hash=_cheap_hash()))
        session.add(
            Account(
                email=OTHER_CONSUMER,
                display_name="consumer2",
                role=Role.consumer,
                password_hash=_cheap_hash(),
                is_active=True,
                failed_login_count=0,
            )
        )
        await session.flush()
        return Menu(
            noodles.id,
            options["small"].id,
            options["large"].id,
            options["egg"].id,
            options["tofu"].id,
            millet.id,
            tea.id,
        )

    return db(build)


def noodle_line(menu: Menu, quantity: int = 1, *extra: uuid.UUID) -> dict[str, Any]:
    return {
        "listing_id": str(menu.noodles),
        "quantity": quantity,
        "option_ids": [str(menu.large), *map(str, extra)],
    }


def place(caller, shop_id, body: dict[str, Any], key: str | None = "auto"):  # type: ignore[no-untyped-def]
    headers = {}
    if key is not None:
        headers["Idempotency-Key"] = uuid.uuid4().hex if key == "auto" else key
    return caller.post(f"/api/shops/{shop_id}/orders", json=body, headers=headers)


def counter_order(menu: Menu) -> dict[str, Any]:
    return {"channel": "counter", "lines": [noodle_line(menu)]}


async def signed_in_client(app, email: str) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    """An async client on `app` (no lifespan), signed in: for concurrent requests."""
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test.local")
    response = await client.post("/api/auth/login", json={"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.headers["x-csrf-token"] = response.json()["csrf_token"]
    return client
