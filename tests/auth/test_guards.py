"""Guards: roles, scopes, the read-only ministry role, and shop/street access decided by the
ShopAccessPolicy the app carries. The routes here are tiny test routes registered on a real
app; the policy answers from dictionaries (merchant_api tests cover the real memberships)."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

import pytest
from litestar import Litestar, Request, get, post
from litestar.testing import TestClient

from infra.auth.guards import (
    ministry_viewer,
    require_roles,
    require_scope,
    shop_guard,
    shop_role,
    street_guard,
)
from infra.auth.roles import Role
from infra.auth.shop_access import DenyAllShopAccess, ShopAccessPolicy
from infra.bootstrap.asgi import create_app
from tests.auth.conftest import PASSWORD, error_code

SHOP = uuid.uuid4()
OTHER_SHOP = uuid.uuid4()
STREET = uuid.uuid4()


class DictShopAccess:
    def __init__(self) -> None:
        self.members: dict[tuple[UUID, UUID], str] = {}
        self.consultants: set[tuple[UUID, UUID]] = set()
        self.streets: set[tuple[UUID, UUID]] = set()

    async def member_role(self, session: Any, account_id: UUID, shop_id: UUID) -> str | None:
        return self.members.get((account_id, shop_id))

    async def consultant_assigned(self, session: Any, account_id: UUID, shop_id: UUID) -> bool:
        return (account_id, shop_id) in self.consultants

    async def consultant_street_assigned(
        self, session: Any, account_id: UUID, street_id: UUID
    ) -> bool:
        return (account_id, street_id) in self.streets


def _routes() -> list[Any]:
    # Made per app: Litestar route handlers belong to the app they are registered on.
    @get("/test/admin-only", guards=[require_roles(Role.platform_admin)])
    async def admin_only() -> dict[str, bool]:
        return {"ok": True}

    @get("/test/catalog-writers", guards=[require_scope("catalog:write")])
    async def catalog_writers() -> dict[str, bool]:
        return {"ok": True}

    @get("/test/kpis", guards=[ministry_viewer])
    async def read_kpis() -> dict[str, bool]:
        return {"ok": True}

    @post("/test/kpis", guards=[ministry_viewer], status_code=200)
    async def change_kpis() -> dict[str, bool]:
        return {"ok": True}

    @get("/test/shops/{shop_id:str}/orders", guards=[shop_guard()])
    async def shop_orders(request: Request[Any, Any, Any]) -> dict[str, Any]:
        return {"granted": shop_role(request)}

    @get("/test/shops/{shop_id:uuid}/settings", guards=[shop_guard(allow={"owner", "admin"})])
    async def shop_settings(request: Request[Any, Any, Any]) -> dict[str, Any]:
        return {"granted": shop_role(request)}

    @get("/test/streets/{street_id:str}", guards=[street_guard()])
    async def street_page() -> dict[str, bool]:
        return {"ok": True}

    @get("/test/whoami")
    async def whoami(request: Request[Any, Any, Any]) -> dict[str, Any]:
        user = request.user
        return {"account_id": str(user.account_id) if user else None}

    return [
        admin_only,
        catalog_writers,
        read_kpis,
        change_kpis,
        shop_orders,
        shop_settings,
        street_page,
        whoami,
    ]


ROLES = {
    "owner": Role.merchant,
    "staff": Role.merchant,
    "stranger": Role.merchant,
    "consultant": Role.consultant,
    "idle_consultant": Role.consultant,
    "admin": Role.platform_admin,
    "ministry": Role.ministry_viewer,
    "consumer": Role.consumer,
}


@pytest.fixture
def people(make_account) -> dict[str, UUID]:  # type: ignore[no-untyped-def]
    return {
        name: make_account(email=f"{name}@example.tw", role=role, name=name)
        for name, role in ROLES.items()
    }


@pytest.fixture
def policy(people) -> DictShopAccess:  # type: ignore[no-untyped-def]
    access = DictShopAccess()
    access.members[(people["owner"], SHOP)] = "owner"
    access.members[(people["staff"], SHOP)] = "staff"
    access.members[(people["stranger"], OTHER_SHOP)] = "owner"
    access.consultants.add((people["consultant"], SHOP))
    access.streets.add((people["consultant"], STREET))
    return access


@pytest.fixture
def guarded(settings, policy) -> Any:  # type: ignore[no-untyped-def]
    """`guarded(name)`: the test app's client, signed in as that person (None: anonymous)."""
    app: Litestar = create_app(settings)
    for route in _routes():
        app.register(route)
    app.state.shop_access = policy
    with TestClient(app) as client:

        def as_user(name: str | None) -> TestClient:
            client.cookies.clear()
            if name is not None:
                login = client.post(
                    "/api/auth/login", json={"email": f"{name}@example.tw", "password": PASSWORD}
                )
                assert login.status_code == 200, login.text
            return client

        yield as_user


def test_policy_and_default_satisfy_the_protocol(policy):
    assert isinstance(policy, ShopAccessPolicy)
    assert isinstance(DenyAllShopAccess(), ShopAccessPolicy)


def test_anonymous_callers_get_401_and_public_routes_stay_open(guarded):
    client = guarded(None)
    assert client.get("/test/whoami").json() == {"account_id": None}
    response = client.get(f"/test/shops/{SHOP}/orders")
    assert response.status_code == 401
    assert error_code(response) == "not_authenticated"


def test_request_user_is_the_principal(guarded, people):
    assert guarded("owner").get("/test/whoami").json() == {"account_id": str(people["owner"])}


def test_role_guard_admits_only_its_roles(guarded):
    assert guarded("admin").get("/test/admin-only").status_code == 200
    for name in ("owner", "consultant", "ministry", "consumer"):
        response = guarded(name).get("/test/admin-only")
        assert response.status_code == 403, name
        assert error_code(response) == "permission_denied"


def test_scope_guard_uses_the_roles_scopes_for_sessions(guarded):
    assert guarded("owner").get("/test/catalog-writers").status_code == 200
    assert guarded("consumer").get("/test/catalog-writers").status_code == 403


def test_ministry_viewers_read_but_never_write(guarded):
    ministry = guarded("ministry")
    csrf = ministry.get("/api/auth/me").json()["csrf_token"]
    assert ministry.get("/test/kpis").status_code == 200
    denied = ministry.post("/test/kpis", headers={"x-csrf-token": csrf})
    assert denied.status_code == 403
    assert error_code(denied) == "permission_denied"
    assert guarded("consultant").get("/test/kpis").status_code == 403
    admin = guarded("admin")
    csrf = admin.get("/api/auth/me").json()["csrf_token"]
    assert admin.post("/test/kpis", headers={"x-csrf-token": csrf}).status_code == 200


@pytest.mark.parametrize(
    ("name", "granted"),
    [("owner", "owner"), ("staff", "staff"), ("consultant", "consultant"), ("admin", "admin")],
)
def test_shop_guard_admits_members_assigned_consultants_and_admins(guarded, name, granted):
    response = guarded(name).get(f"/test/shops/{SHOP}/orders")
    assert response.status_code == 200
    assert response.json() == {"granted": granted}


@pytest.mark.parametrize("name", ["stranger", "idle_consultant", "ministry", "consumer"])
def test_shop_guard_denies_everyone_else(guarded, name):
    response = guarded(name).get(f"/test/shops/{SHOP}/orders")
    assert response.status_code == 403
    assert error_code(response) == "permission_denied"


def test_unknown_and_malformed_shops_look_like_any_other_refusal(guarded):
    owner = guarded("owner")
    refusal = owner.get(f"/test/shops/{OTHER_SHOP}/orders").json()
    for shop in (uuid.uuid4(), "not-a-uuid"):
        response = owner.get(f"/test/shops/{shop}/orders")
        assert response.status_code == 403
        assert response.json() == refusal
    # A route declaring {shop_id:uuid} never reaches the guard with a malformed id.
    assert owner.get("/test/shops/not-a-uuid/settings").status_code == 404


def test_allow_narrows_the_shop_guard(guarded):
    assert guarded("owner").get(f"/test/shops/{SHOP}/settings").status_code == 200
    assert guarded("admin").get(f"/test/shops/{SHOP}/settings").status_code == 200
    assert guarded("staff").get(f"/test/shops/{SHOP}/settings").status_code == 403
    assert guarded("consultant").get(f"/test/shops/{SHOP}/settings").status_code == 403


def test_without_a_policy_shop_guards_deny(guarded, settings):
    client = guarded("owner")
    client.app.state.shop_access = DenyAllShopAccess()
    assert client.get(f"/test/shops/{SHOP}/orders").status_code == 403


def test_street_guard(guarded):
    assert guarded("consultant").get(f"/test/streets/{STREET}").status_code == 200
    assert guarded("admin").get(f"/test/streets/{STREET}").status_code == 200
    for name in ("idle_consultant", "owner"):
        assert guarded(name).get(f"/test/streets/{STREET}").status_code == 403
    assert guarded("consultant").get(f"/test/streets/{uuid.uuid4()}").status_code == 403
    assert guarded("consultant").get("/test/streets/nonsense").status_code == 403


def test_guard_definitions_refuse_typos():
    with pytest.raises(ValueError, match="unknown scope"):
        require_scope("catalog:wirte")
    with pytest.raises(ValueError, match="allow must be"):
        shop_guard(allow={"owners"})
