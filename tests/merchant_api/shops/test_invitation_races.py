"""One token makes one membership, and two owners removing each other leave one owner, even
when the requests run at the same time (two database sessions, concurrently)."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from infra.db import create_engine, create_session_factory
from infra.errors import OneStreetError
from infra.settings import DatabaseSettings
from merchant_api.shops.invitation_service import InvitationService
from merchant_api.shops.members_service import MembersService
from merchant_api.shops.models import ShopMember
from tests.conftest import run_async


def _concurrently(database_url: str, *calls):  # type: ignore[no-untyped-def]
    """Run each `call(session)` in its own session at once; commit the ones that succeed.
    Returns each call's outcome: "ok" or the error code."""

    async def go():  # type: ignore[no-untyped-def]
        engine = create_engine(DatabaseSettings(url=database_url), for_worker=True)
        sessions = create_session_factory(engine)

        async def one(call):  # type: ignore[no-untyped-def]
            async with sessions() as session:
                try:
                    await call(session)
                    await session.commit()
                    return "ok"
                except OneStreetError as exc:
                    await session.rollback()
                    return exc.code

        try:
            return await asyncio.gather(*(one(call) for call in calls))
        finally:
            await engine.dispose()

    return run_async(go)


def test_a_token_accepted_twice_at_once_makes_one_membership(caller, world, db, database_url):
    made = caller("owner.a@test.tw").post(
        f"/api/shops/{world.shop_a}/invitations", json={"role": "owner", "email": "owner.b@test.tw"}
    )
    token, account = made.json()["token"], world.accounts["owner.b@test.tw"]

    def accept(session):  # type: ignore[no-untyped-def]
        return InvitationService(session).accept(token, account)

    outcomes = _concurrently(database_url, accept, accept)
    assert sorted(outcomes) == ["invitation_used", "ok"]

    async def memberships(session):  # type: ignore[no-untyped-def]
        return await session.scalar(
            select(func.count()).where(
                ShopMember.shop_id == world.shop_a, ShopMember.account_id == account
            )
        )

    assert db(memberships) == 1


def test_two_owners_removing_each_other_at_once_leave_one_owner(world, db, database_url):
    first, second = world.accounts["owner.a@test.tw"], world.accounts["owner.b@test.tw"]

    async def second_owner(session):  # type: ignore[no-untyped-def]
        session.add(ShopMember(shop_id=world.shop_a, account_id=second, role="owner"))

    db(second_owner)
    outcomes = _concurrently(
        database_url,
        lambda session: MembersService(session).remove(world.shop_a, first),
        lambda session: MembersService(session).remove(world.shop_a, second),
    )
    assert sorted(outcomes) == ["last_owner", "ok"]

    async def owners(session):  # type: ignore[no-untyped-def]
        return await session.scalar(
            select(func.count()).where(
                ShopMember.shop_id == world.shop_a, ShopMember.role == "owner"
            )
        )

    assert db(owners) == 1
