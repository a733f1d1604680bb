"""Exports open with a spreadsheet library and match the API; the consultant workspace shows
assigned shops only, with scorecards, analytics, visits and courses."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from openpyxl import load_workbook

from merchant_api.programme.periods import current_roc_year
from tests.merchant_api.programme.conftest import ADMIN, CONSULTANT, MINISTRY, taipei_today


def test_csv_and_xlsx_exports_match_the_json_api(caller, world, hotspots, pay, refresh) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        pay(world.shop_a, 12300, "line_pay")
    refresh()
    ministry = caller(MINISTRY)
    year = current_roc_year()
    api = ministry.get(f"/api/programme/kpis?roc_year={year}").json()["kpis"]
    expected = [
        [item["kpi"], row["roc_year"], row["target"], row["actual"]]
        for item in api
        for row in item["years"]
    ]

    xlsx = ministry.get(f"/api/programme/kpis?roc_year={year}&format=xlsx")
    assert xlsx.status_code == 200
    assert "attachment" in xlsx.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content))["KPIs"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("kpi", "name_zh", "unit", "roc_year", "target", "actual")
    assert [[r[0], r[3], r[4], r[5]] for r in rows[1:]] == expected
    counties = {
        r[0]: r
        for r in load_workbook(io.BytesIO(xlsx.content))["Counties"].iter_rows(values_only=True)
    }
    assert counties["臺東縣"][1] == 0  # areas joined in the selected year, not 107

    text = ministry.get(f"/api/programme/kpis?roc_year={year}&format=csv").content.decode(
        "utf-8-sig"
    )
    parsed = list(csv.reader(io.StringIO(text)))
    assert [[r[0], int(r[3]), int(r[4]), int(r[5])] for r in parsed[1:]] == expected

    cells = ministry.get(f"/api/programme/kpis/business/breakdown?by=method&roc_year={year}").json()
    sheet = load_workbook(
        io.BytesIO(
            ministry.get(
                f"/api/programme/kpis/business/breakdown?by=method&roc_year={year}&format=xlsx"
            ).content
        )
    ).active
    assert (
        [list(r[:3]) for r in sheet.iter_rows(min_row=2, values_only=True)]
        == [[c["key"], c["label"], c["value"]] for c in cells["cells"]]
        == [["line_pay", "line_pay", 615]]
    )
    audit = caller(ADMIN).get(f"/api/programme/kpis/business/records?roc_year={year}&format=csv")
    audit_rows = list(csv.DictReader(io.StringIO(audit.content.decode("utf-8-sig"))))
    assert sum(int(r["amount_minor"]) for r in audit_rows) == 61500
    tiles = {
        t["county"]: t for t in ministry.get(f"/api/programme/map?roc_year={year}").json()["tiles"]
    }
    assert tiles["臺東縣"]["business"] == 615 and (
        tiles["臺東縣"]["row"],
        tiles["臺東縣"]["column"],
    ) == (5, 4)
    assert tiles["嘉義縣"]["business"] == 0


def test_the_consultant_workspace(caller, world, menu, pay, refresh, deliver) -> None:  # type: ignore[no-untyped-def]
    consultant = caller(CONSULTANT)
    shops = consultant.get("/api/programme/consultant/shops")
    assert shops.status_code == 200, shops.text
    assert sorted(s["slug"] for s in shops.json()) == ["shop-a", "shop-c"]
    assert caller(ADMIN).get("/api/programme/consultant/shops").status_code == 200
    assert caller("owner.a@test.tw").get("/api/programme/consultant/shops").status_code == 403

    today = taipei_today()
    visit = {
        "visited_on": today.isoformat(),
        "findings": "菜單沒有英文",
        "agreed_actions": "加上英文品名",
        "follow_up_on": (today - timedelta(days=0)).isoformat(),
    }
    logged = consultant.post(f"/api/programme/shops/{world.shop_a}/visits", json=visit)
    assert logged.status_code == 201, logged.text
    late = {**visit, "follow_up_on": (today - timedelta(days=1)).isoformat()}
    assert (
        consultant.post(f"/api/programme/shops/{world.shop_a}/visits", json=late).status_code == 422
    )
    assert (
        consultant.post(f"/api/programme/shops/{world.shop_b}/visits", json=visit).status_code
        == 403
    )
    assert (
        caller("owner.a@test.tw")
        .post(f"/api/programme/shops/{world.shop_a}/visits", json=visit)
        .status_code
        == 403
    )
    assert [
        v["findings"] for v in consultant.get(f"/api/programme/shops/{world.shop_a}/visits").json()
    ] == ["菜單沒有英文"]
    # A course may only list the consultant's own shops.
    course = {
        "held_on": today.isoformat(),
        "place": "鄉公所",
        "topic": "網路行銷",
        "attendance": [{"shop_id": str(world.shop_b), "attendees": 1}],
    }
    assert consultant.post("/api/programme/courses", json=course).status_code == 403
    future = {**course, "held_on": (today + timedelta(days=3)).isoformat(), "attendance": []}
    assert consultant.post("/api/programme/courses", json=future).status_code == 422

    person = world.accounts["consumer@test.tw"]
    pay(world.shop_a, 20000, "line_pay", consumer=person)
    pay(world.shop_a, 5000, "twqr")
    refresh()
    card = consultant.get(f"/api/programme/shops/{world.shop_a}/scorecard").json()
    # The menu fixture gave shop A three listings, one of them translated.
    assert card["listings"]["count"] == 3 and card["listings"]["translated"] == 1
    assert card["payments"]["payments_last_30_days"] == 2
    assert card["payments"]["sales_last_30_days_minor"] == 25000
    assert card["payments"]["mobile_payment_since"] is not None
    assert card["visits"]["count"] == 1 and card["visits"]["follow_up_overdue"] is False
    assert "few_translations" in card["flags"] and "no_mobile_payment" not in card["flags"]
    c_card = consultant.get(f"/api/programme/shops/{world.shop_c}/scorecard").json()
    assert {"no_listings", "no_mobile_payment"} <= set(c_card["flags"])

    figures = consultant.get(f"/api/programme/shops/{world.shop_a}/analytics?days=30").json()
    assert sum(d["sales_minor"] for d in figures["sales_trend"]) == 25000
    assert {m["method"]: m["sales_minor"] for m in figures["payment_mix"]} == {
        "line_pay": 20000,
        "twqr": 5000,
    }
    assert len(figures["hourly_orders"]) == 24
    assert (
        consultant.get(f"/api/programme/shops/{world.shop_a}/analytics?days=3").status_code == 422
    )
    assert consultant.get(f"/api/programme/shops/{world.shop_b}/analytics").status_code == 403
    assert (
        caller("owner.a@test.tw").get(f"/api/programme/shops/{world.shop_a}/scorecard").status_code
        == 200
    )
