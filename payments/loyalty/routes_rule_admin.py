"""Listing and removing the points programme's rules, with the same access as defining them.
Removal never rewrites history: see payments.loyalty.rule_admin.

These handlers share their paths with routes_rules.py, whose controller inherits them: Litestar
wants one controller per path."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, delete, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import require_roles, require_scope, shop_guard
from infra.auth.roles import Role
from infra.db import utcnow
from infra.http.openapi import SIGNED_IN as SECURITY
from payments.loyalty.bonus_models import LoyaltyBonusRule
from payments.loyalty.rule_admin import RuleAdminService
from payments.loyalty.schemas import CampaignOut, EarnRuleOut
from payments.loyalty.schemas_rules import BonusOut, RallyOut

ADMIN = [require_roles(Role.platform_admin)]
PROGRAMME_STAFF = [require_roles(Role.platform_admin, Role.consultant)]
EARN_RULE = "/shops/{shop_id:uuid}/loyalty/earn-rule"
LISTING_BONUSES = "/shops/{shop_id:uuid}/loyalty/listing-bonuses"
OWNERS = shop_guard(allow={"owner", "admin"})
SHOP_BONUS_STAFF = shop_guard(allow={"owner", "consultant", "admin"})


def _bonus(rule: LoyaltyBonusRule) -> BonusOut:
    return BonusOut(rule.id, rule.category, rule.listing_id, rule.multiplier_pct)


class RuleAdminRoutes(Controller):
    """GET and DELETE of the rules; LoyaltyRulesController (routes_rules.py) is the one
    registered."""

    path = "/api"
    tags = ["loyalty"]  # noqa: RUF012

    @get(
        EARN_RULE,
        summary="The shop's base earn rate (the programme's when it has none)",
        guards=[require_scope("loyalty:read"), OWNERS],
        security=SECURITY,
    )
    async def get_earn_rule(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
    ) -> EarnRuleOut:
        rule = await RuleAdminService(db_session).earn_rule(shop_id)
        if rule is None:
            rate = request.app.state.settings.loyalty.default_minor_per_point
            return EarnRuleOut(shop_id, rate, "shop", programme_default=True)
        return EarnRuleOut(shop_id, rule.minor_per_point, rule.funded_by)

    @delete(
        EARN_RULE,
        summary="Drop the shop's earn rate: the programme's applies from now on",
        guards=[require_scope("loyalty:write"), OWNERS],
        security=SECURITY,
    )
    async def delete_earn_rule(
        self, db_session: NamedDependency[AsyncSession], shop_id: FromPath[uuid.UUID]
    ) -> None:
        await RuleAdminService(db_session).delete_earn_rule(shop_id)

    @get(
        LISTING_BONUSES,
        summary="The shop's active listing bonuses",
        guards=[require_scope("loyalty:read"), SHOP_BONUS_STAFF],
        security=SECURITY,
    )
    async def list_listing_bonuses(
        self, db_session: NamedDependency[AsyncSession], shop_id: FromPath[uuid.UUID]
    ) -> list[BonusOut]:
        return [_bonus(r) for r in await RuleAdminService(db_session).listing_bonuses(shop_id)]

    @delete(
        LISTING_BONUSES + "/{listing_id:uuid}",
        summary="End the bonus on one of the shop's listings",
        guards=[require_scope("loyalty:write"), SHOP_BONUS_STAFF],
        security=SECURITY,
    )
    async def end_listing_bonus(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        listing_id: FromPath[uuid.UUID],
    ) -> None:
        await RuleAdminService(db_session).end_listing_bonus(shop_id, listing_id, utcnow())

    @get(
        "/loyalty/category-bonuses",
        summary="The active category bonuses",
        guards=PROGRAMME_STAFF,
        security=SECURITY,
    )
    async def list_category_bonuses(
        self, db_session: NamedDependency[AsyncSession]
    ) -> list[BonusOut]:
        return [_bonus(r) for r in await RuleAdminService(db_session).category_bonuses()]

    @delete(
        "/loyalty/category-bonuses/{category:str}",
        summary="End a category's bonus",
        guards=PROGRAMME_STAFF,
        security=SECURITY,
    )
    async def end_category_bonus(
        self, db_session: NamedDependency[AsyncSession], category: FromPath[str]
    ) -> None:
        await RuleAdminService(db_session).end_category_bonus(category, utcnow())

    @get(
        "/loyalty/rallies",
        summary="Every stamp rally, the latest to start first",
        guards=PROGRAMME_STAFF,
        security=SECURITY,
    )
    async def list_rallies(self, db_session: NamedDependency[AsyncSession]) -> list[RallyOut]:
        return [
            RallyOut(r.id, r.name, r.counts, r.required, r.bonus_points, r.starts_at, r.ends_at)
            for r in await RuleAdminService(db_session).rallies()
        ]

    @delete(
        "/loyalty/rallies/{rally_id:uuid}",
        summary="End a running rally now (one not yet started is deleted)",
        guards=PROGRAMME_STAFF,
        security=SECURITY,
    )
    async def remove_rally(
        self, db_session: NamedDependency[AsyncSession], rally_id: FromPath[uuid.UUID]
    ) -> None:
        await RuleAdminService(db_session).remove_rally(rally_id, utcnow())

    @get(
        "/loyalty/campaigns",
        summary="Every campaign, the latest to start first",
        guards=ADMIN,
        security=SECURITY,
    )
    async def list_campaigns(self, db_session: NamedDependency[AsyncSession]) -> list[CampaignOut]:
        return [
            CampaignOut(c.id, c.name, c.multiplier_pct, c.starts_at, c.ends_at, c.street_id)
            for c in await RuleAdminService(db_session).campaigns()
        ]

    @delete(
        "/loyalty/campaigns/{campaign_id:uuid}",
        summary="End a running campaign now (one not yet started is deleted)",
        guards=ADMIN,
        security=SECURITY,
    )
    async def remove_campaign(
        self, db_session: NamedDependency[AsyncSession], campaign_id: FromPath[uuid.UUID]
    ) -> None:
        await RuleAdminService(db_session).remove_campaign(campaign_id, utcnow())
