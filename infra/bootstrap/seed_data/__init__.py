"""The demo programme: three real rural townships, their shops and what the shops sell.

The townships are real digital-development level 3-5 areas of the kind the plan funds (an
outlying island, an indigenous area, a mountain town); shops, people, addresses and phone
numbers are invented. Prices are whole New Taiwan dollars, as shops quote them; the seed turns
them into minor units.
"""

from __future__ import annotations

from infra.auth.roles import Role
from infra.bootstrap.seed_data.alishan import ALISHAN
from infra.bootstrap.seed_data.daren import DAREN
from infra.bootstrap.seed_data.types import DemoLogin, StreetSeed
from infra.bootstrap.seed_data.wangan import WANGAN

# One password for every demo login, printed by `onestreet demo` and listed in the README.
DEMO_PASSWORD = "onestreet-demo"  # noqa: S105  (public by design: demo data only)

STREETS: tuple[StreetSeed, ...] = (WANGAN, DAREN, ALISHAN)

# The owner, staff and consultant work in Daren, so the demo shows one shop seen by all three.
DEMO_SHOP_SLUG = "daren-tjuabal-millet"
CONSULTANT_STREET_SLUG = "taitung-daren"
# Shops on another street the consultant visits one by one.
CONSULTANT_SHOP_SLUGS = ("wangan-peanut-farm", "wangan-grandma-snacks")

DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("admin@demo.onestreet.tw", Role.platform_admin, "平台管理員", "platform admin"),
    DemoLogin(
        "consultant@demo.onestreet.tw",
        Role.consultant,
        "林怡君 輔導顧問",
        "consultant: all of Daren, two shops in Wang-an",
    ),
    DemoLogin(
        "ministry@demo.onestreet.tw", Role.ministry_viewer, "經濟部 檢視帳號", "ministry viewer"
    ),
    DemoLogin("owner@demo.onestreet.tw", Role.merchant, "高金妹", "owner of 土坂部落小米工坊"),
    DemoLogin("staff@demo.onestreet.tw", Role.merchant, "林志明", "staff of 土坂部落小米工坊"),
    DemoLogin("consumer@demo.onestreet.tw", Role.consumer, "陳小明", "consumer"),
)
