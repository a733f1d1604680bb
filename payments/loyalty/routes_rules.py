"""The rules of the points programme: a shop's earn rate and listing bonuses (owners),
category bonuses, campaigns and stamp rallies (platform admins and consultants), and a shop's
redemption limits (platform admins and the shop's consultant). Listing and removing them:
routes_rule_admin.py."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Request, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody
from sqlalchemy.ext.asyncio import AsyncSession

from infra.auth.guards import authenticated, require_scope, shop_guard
from infra.auth.roles import Role
from infra.db import utcnow
from infra.http.openapi import SIGNED_IN as SECURITY
from payments.loyalty.bonuses import BonusRulesService
from payments.loyalty.routes_rule_admin import ADMIN, PROGRAMME_STAFF, RuleAdminRoutes
from payments.loyalty.rules import RulesService
from payments.loyalty.schemas import CampaignIn, CampaignOut, EarnRuleIn, EarnRuleOut
from payments.loyalty.schemas_rules import (
    BonusOut,
    CategoryBonusIn,
    ListingBonusIn,
    RallyIn,
    RallyOut,
    ShopLimitIn,
    ShopLimitOut,
)


def _bonus_rules(request: Request[Any, Any, Any], session: AsyncSession) -> BonusRulesService:
    return BonusRulesService(session, request.app.state.get("merchant_directory"))


class LoyaltyRulesController(RuleAdminRoutes):
    """Defining rules; listing and removing them is inherited (routes_rule_admin.py)."""

    @put(
        "/shops/{shop_id:uuid}/loyalty/earn-rule",
        summary="Set the shop's base earn rate",
        guards=[require_scope("loyalty:write"), shop_guard(allow={"owner", "admin"})],
        security=SECURITY,
    )
    async def put_earn_rule(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        data: JSONBody[EarnRuleIn],
    ) -> EarnRuleOut:
        admin = authenticated(request).role == Role.platform_admin
        await RulesService(db_session, request.app.state.settings.loyalty).set_earn_rule(
            shop_id, data.minor_per_point, data.funded_by, admin=admin, now=utcnow()
        )
        return EarnRuleOut(shop_id, data.minor_per_point, data.funded_by)

    @put(
        "/shops/{shop_id:uuid}/loyalty/listing-bonuses",
        summary="Extra points on one of the shop's listings (shop-funded)",
        guards=[
            require_scope("loyalty:write"),
            shop_guard(allow={"owner", "consultant", "admin"}),
        ],
        security=SECURITY,
    )
    async def put_listing_bonus(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        data: JSONBody[ListingBonusIn],
    ) -> BonusOut:
        rule_id = await _bonus_rules(request, db_session).set_listing_bonus(
            shop_id, data.listing_id, data.multiplier_pct, utcnow()
        )
        return BonusOut(rule_id, None, data.listing_id, data.multiplier_pct)

    @put(
        "/shops/{shop_id:uuid}/loyalty/redemption-limit",
        summary="Cap the points a shop may take per redemption and per day (null: no cap)",
        guards=[require_scope("loyalty:write"), shop_guard(allow={"consultant", "admin"})],
        security=SECURITY,
    )
    async def put_shop_limit(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        data: JSONBody[ShopLimitIn],
    ) -> ShopLimitOut:
        await _bonus_rules(request, db_session).set_shop_limit(
            shop_id, data.max_points_per_redemption, data.max_points_per_day, utcnow()
        )
        return ShopLimitOut(shop_id, data.max_points_per_redemption, data.max_points_per_day)

    @put(
        "/loyalty/category-bonuses",
        summary="Extra points at every shop of a category (programme-funded)",
        guards=PROGRAMME_STAFF,
        security=SECURITY,
    )
    async def put_category_bonus(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[CategoryBonusIn],
    ) -> BonusOut:
        rule_id = await _bonus_rules(request, db_session).set_category_bonus(
            data.category, data.multiplier_pct, utcnow()
        )
        return BonusOut(rule_id, data.category, None, data.multiplier_pct)

    @post(
        "/loyalty/rallies",
        summary="Start a stamp rally: visit N different streets or shops, earn a bonus once",
        guards=PROGRAMME_STAFF,
        security=SECURITY,
        status_code=201,
    )
    async def add_rally(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[RallyIn],
    ) -> RallyOut:
        r = await _bonus_rules(request, db_session).add_rally(
            data.name, data.counts, data.required, data.bonus_points, data.starts_at, data.ends_at
        )
        return RallyOut(r.id, r.name, r.counts, r.required, r.bonus_points, r.starts_at, r.ends_at)

    @post(
        "/loyalty/campaigns",
        summary="Start a campaign (multiplier, dates, street)",
        guards=ADMIN,
        security=SECURITY,
        status_code=201,
    )
    async def add_campaign(
        self,
        request: Request[Any, Any, Any],
        db_session: NamedDependency[AsyncSession],
        data: JSONBody[CampaignIn],
    ) -> CampaignOut:
        c = await RulesService(db_session, request.app.state.settings.loyalty).add_campaign(
            data.name, data.multiplier_pct, data.starts_at, data.ends_at, data.street_id
        )
        return CampaignOut(c.id, c.name, c.multiplier_pct, c.starts_at, c.ends_at, c.street_id)
