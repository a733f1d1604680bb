"""The ministry dashboard, its printable report and the consultant workspace pages."""

# The merchant API's small programme and the programme helpers are imported as fixtures.
# ruff: noqa: F811

from __future__ import annotations

from merchant_api.programme.periods import current_roc_year
from tests.merchant_api.conftest import caller, world  # noqa: F401  (fixtures)
from tests.merchant_api.programme.conftest import (  # noqa: F401  (fixtures)
    ADMIN,
    CONSULTANT,
    MINISTRY,
    cheap_password_hashing,
    deliver,
    hotspots,
    outbox,
    pay,
    refresh,
    settings,
)


def test_the_ministry_dashboard_shows_targets_actuals_map_and_exports(
    caller, world, hotspots, pay, refresh
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        pay(world.shop_a, 43210, "line_pay")
    refresh()
    year = current_roc_year()
    page = caller(MINISTRY).get(f"/programme?roc_year={year}")
    assert page.status_code == 200, page.text
    html = page.text
    for name in (
        "數位寬頻應用區域",
        "智慧互動設備",
        "創新數位應用服務",
        "數位應用服務使用人次",
        "促成商機",
        "開設數位應用課程",
    ):
        assert name in html
    assert "NT$2,160" in html  # 5 x NT$432.10, whole dollars
    assert "臺東縣" in html and "grid-row:6;grid-column:5" in html
    assert f"/api/programme/kpis?roc_year={year}" in html and "format=xlsx" in html
    past = caller(MINISTRY).get("/programme?roc_year=107").text
    assert "NT$500,000,000" in past  # 107's business target: NT$5 x 100 million
    report = caller(MINISTRY).get(f"/programme/report?roc_year={year}")
    assert report.status_code == 200 and "window.print()" in report.text
    assert "計入" in report.text and "Streets that joined" in report.text


def test_programme_pages_are_for_the_right_people(caller, world) -> None:  # type: ignore[no-untyped-def]
    anonymous = caller(None).get("/programme", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    assert caller("consumer@test.tw").get("/programme").status_code == 403
    assert caller("owner.a@test.tw").get("/consultant").status_code == 403
    # The ministry reads aggregates: the workspace with shops and visits is not for it.
    assert caller(MINISTRY).get("/consultant").status_code == 403
    assert caller(MINISTRY).get(f"/consultant/shops/{world.shop_a}").status_code == 403
    assert caller(CONSULTANT).get(f"/consultant/shops/{world.shop_b}").status_code == 403


def test_the_consultant_workspace_lists_assigned_shops_and_their_analytics(
    caller, world, pay, refresh
) -> None:  # type: ignore[no-untyped-def]
    pay(world.shop_a, 9900, "twqr")
    refresh()
    consultant = caller(CONSULTANT)
    page = consultant.get("/consultant")
    assert page.status_code == 200, page.text
    assert "小米工坊" in page.text and "部落廚房" in page.text
    assert "高山茶園" not in page.text
    shop = consultant.get(f"/consultant/shops/{world.shop_a}")
    assert shop.status_code == 200, shop.text
    assert "評分卡" in shop.text and "twqr：NT$99" in shop.text
    assert f'data-api="/api/programme/shops/{world.shop_a}/visits"' in shop.text
    assert caller(ADMIN).get(f"/consultant/shops/{world.shop_b}").status_code == 200
