"""Every KPI on a small hand-built dataset equals the number worked out by hand."""

from __future__ import annotations

from merchant_api.programme.periods import current_roc_year
from tests.merchant_api.orders.conftest import counter_order
from tests.merchant_api.programme.conftest import (
    ADMIN,
    CONSULTANT,
    MINISTRY,
    pickup_body,
    place,
    taipei_today,
)


def _kpis(caller, year: int) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    response = caller(MINISTRY).get(f"/api/programme/kpis?roc_year={year}")
    assert response.status_code == 200, response.text
    return {item["kpi"]: item for item in response.json()["kpis"]}


def _actual(kpi: dict, year: int) -> int:
    return next(row["actual"] for row in kpi["years"] if row["roc_year"] == year)


def test_each_kpi_equals_the_hand_count(
    caller, world, menu, hotspots, pay, deliver, refresh
) -> None:  # type: ignore[no-untyped-def]
    year = current_roc_year()
    consumer = caller("consumer@test.tw")
    consumer_id = world.accounts["consumer@test.tw"]
    # Orders: the consumer orders twice at a table and once for pick-up, all at shop A today:
    # one use (same person, service, shop and day). An anonymous counter order is a second use.
    table = {
        "channel": "table_qr",
        "table": "A1",
        "lines": [{"listing_id": str(menu.millet), "quantity": 1}],
    }
    first = place(consumer, world.shop_a, table)
    assert first.status_code == 201, first.text
    assert place(consumer, world.shop_a, table).status_code == 201
    assert place(consumer, world.shop_a, pickup_body(menu)).status_code == 201
    counter = place(caller("staff.a@test.tw"), world.shop_a, counter_order(menu))
    assert counter.status_code == 201
    # The counter order is paid in cash and completed: NT$140 of business outside payments.
    staff = caller("staff.a@test.tw")
    for to in ("accepted", "preparing", "ready", "completed"):
        moved = staff.post(f"/api/orders/{counter.json()['id']}/transitions", json={"to": to})
        assert moved.status_code == 200, moved.text
    deliver()
    # Payments: NT$180 by LINE Pay for the first order (the consumer's second use: a payment),
    # an anonymous NT$300 voucher at shop B by TWQR; NT$50 of the first is refunded.
    paid = pay(world.shop_a, 18000, "line_pay", consumer=consumer_id, order_id=first.json()["id"])
    voucher = "00000000-0000-0000-0000-000000000001"
    voucher_payment = pay(world.shop_b, 30000, "twqr", voucher_id=voucher)
    pay(world.shop_a, 18000, "line_pay", order_id=first.json()["id"], refund=5000, payment_id=paid)
    # The consultant registers a LINE ordering service for shop A and records one course.
    registered = caller(CONSULTANT).post(
        f"/api/programme/shops/{world.shop_a}/services",
        json={
            "name": "LINE 預約",
            "evidence": "LINE official account screenshots, 12 bookings",
            "started_on": taipei_today().isoformat(),
        },
    )
    assert registered.status_code == 201, registered.text
    course = caller(CONSULTANT).post(
        "/api/programme/courses",
        json={
            "held_on": taipei_today().isoformat(),
            "place": "達仁鄉活動中心",
            "topic": "行動支付",
            "street_id": str(world.street_x),
            "attendance": [
                {"shop_id": str(world.shop_a), "attendees": 3},
                {"shop_id": str(world.shop_c), "attendees": 2},
            ],
        },
    )
    assert course.status_code == 201, course.text
    assert course.json()["attendees"] == 5
    assert refresh()["days"] >= 1

    kpis = _kpis(caller, year)
    # Areas: streets X and Y joined in 107; only X has an active hotspot (and active shops).
    assert _actual(kpis["areas"], 107) == 1
    # Uses: order (consumer, A) + order (anonymous, A) + payment (consumer, A)
    # + payment (anonymous, B) = 4.
    assert _actual(kpis["uses"], year) == 4
    # Business in TWD: 180 + 300 - 50 + 140 (the cash counter order) = 570.
    assert _actual(kpis["business"], year) == 570
    # Services: A mobile payment, A online pre-order, B mobile payment, B O2O voucher,
    # A's registered LINE service = 5 (A's second payment adopts nothing new).
    assert _actual(kpis["services"], year) == 5
    assert _actual(kpis["courses"], year) == 1
    # Targets are the plan's, in raw units: 107's uses target is 500 x 10,000 person-times.
    assert next(r["target"] for r in kpis["uses"]["years"] if r["roc_year"] == 107) == 5_000_000
    assert (
        next(r["target"] for r in kpis["business"]["years"] if r["roc_year"] == 108) == 700_000_000
    )
    assert kpis["areas"]["counts"].startswith("Streets")

    # Every figure drills down to its records.
    services = caller(MINISTRY).get(f"/api/programme/kpis/services/records?roc_year={year}").json()
    assert sorted(r["service"] for r in services["records"]) == [
        "LINE 預約",
        "mobile_payment",
        "mobile_payment",
        "o2o_voucher",
        "online_preorder",
    ]
    business = caller(ADMIN).get(f"/api/programme/kpis/business/records?roc_year={year}").json()
    assert sum(r["amount_minor"] for r in business["records"]) == 57000
    uses = caller(ADMIN).get(f"/api/programme/kpis/uses/records?roc_year={year}").json()
    assert len(uses["records"]) == 4
    areas = caller(MINISTRY).get("/api/programme/kpis/areas/records?roc_year=107").json()
    assert [r["street_slug"] for r in areas["records"]] == ["street-x"]

    # The same payment published again (a retry upstream) records nothing twice.
    pay(world.shop_b, 30000, "twqr", voucher_id=voucher, payment_id=voucher_payment)
    refresh()
    assert _actual(_kpis(caller, year)["business"], year) == 570


def test_breakdowns_by_channel_method_and_county(caller, world, menu, pay, refresh) -> None:  # type: ignore[no-untyped-def]
    year = current_roc_year()
    for _ in range(6):
        pay(world.shop_a, 10000, "line_pay")
    for _ in range(2):
        pay(world.shop_b, 20000, "twqr")
    refresh()
    ministry = caller(MINISTRY)

    def cells(kpi: str, by: str) -> dict[str, dict]:  # type: ignore[type-arg]
        response = ministry.get(f"/api/programme/kpis/{kpi}/breakdown?by={by}&roc_year={year}")
        assert response.status_code == 200, response.text
        return {cell["key"]: cell for cell in response.json()["cells"]}

    by_county = cells("business", "county")
    assert by_county["臺東縣"]["value"] == 600
    # Two payments in 嘉義縣: fewer than five records, so the amount is suppressed.
    assert by_county["嘉義縣"] == {**by_county["嘉義縣"], "value": None, "suppressed": True}
    assert cells("uses", "method")["line_pay"]["value"] == 6
    assert cells("uses", "method")["twqr"]["suppressed"] is True
    assert cells("uses", "channel")["scan_to_pay"]["value"] == 8
    assert cells("uses", "area_flag")["none"]["value"] == 8
    month = f"{taipei_today().month:02d}"
    assert cells("business", "month")[month]["value"] == 1000
    assert cells("uses", "digital_level")["5"]["value"] == 8
    filtered = ministry.get(
        f"/api/programme/kpis/uses/breakdown?by=street&roc_year={year}&county=臺東縣"
    ).json()["cells"]
    assert [(c["key"], c["value"]) for c in filtered] == [("street-x", 6)]
    refused = ministry.get(f"/api/programme/kpis/areas/breakdown?by=method&roc_year={year}")
    assert refused.status_code == 422
