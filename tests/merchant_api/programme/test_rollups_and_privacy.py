"""Rollups equal a recomputation from the facts; the ministry reads aggregates only; small
cells and demographics are suppressed; consumers choose what they share."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from merchant_api.programme.periods import current_roc_year
from tests.merchant_api.programme.conftest import ADMIN, CONSULTANT, MINISTRY


def test_rollups_equal_a_recomputation_and_the_check_notices_drift(
    caller, world, pay, refresh
) -> None:  # type: ignore[no-untyped-def]
    admin = caller(ADMIN)
    year = datetime.now(UTC).year
    for day in (3, 4, 4, 20):
        pay(world.shop_a, 1000 * day, "line_pay", at=datetime(year, 2, day, 3, tzinfo=UTC))
    pay(world.shop_b, 7000, "twqr", at=datetime(year, 3, 1, 3, tzinfo=UTC))
    assert refresh() == {"days": 4, "months": 2}
    assert admin.get("/api/programme/rollups/check").json()["ok"] is True
    # A fact recorded but not yet folded in: the check sees the rollups are behind.
    pay(world.shop_c, 5000, "cash", at=datetime(year, 2, 4, 3, tzinfo=UTC))
    behind = admin.get("/api/programme/rollups/check").json()
    assert behind["ok"] is False and behind["daily_differences"] > 0
    assert refresh() == {"days": 1, "months": 1}
    assert admin.get("/api/programme/rollups/check").json()["ok"] is True
    rebuilt = admin.post("/api/programme/rollups/rebuild")
    assert rebuilt.status_code == 201 and rebuilt.json() == {"days": 4, "months": 2}
    assert admin.get("/api/programme/rollups/check").json()["ok"] is True
    business = caller(MINISTRY).get(f"/api/programme/kpis?roc_year={year - 1911}").json()
    figures = {item["kpi"]: item for item in business["kpis"]}["business"]
    assert figures["monthly"][1]["actual"] == 30 + 40 + 40 + 200 + 50
    assert figures["monthly"][2]["actual"] == 70


@pytest.mark.parametrize(
    "path",
    [
        "/api/programme/kpis/uses/records",
        "/api/programme/kpis/business/records?format=csv",
        "/api/programme/consultant/shops",
        "/api/programme/me/demographics",
        "/api/programme/rollups/check",
    ],
)
def test_the_ministry_is_refused_every_endpoint_with_personal_data(caller, world, path) -> None:  # type: ignore[no-untyped-def]
    assert caller(MINISTRY).get(path).status_code == 403


def test_the_ministry_reads_aggregates_but_no_shop_records(caller, world) -> None:  # type: ignore[no-untyped-def]
    ministry = caller(MINISTRY)
    for path in ("visits", "scorecard", "analytics", "services"):
        assert ministry.get(f"/api/programme/shops/{world.shop_a}/{path}").status_code == 403
    for path in ("kpis", "map", "definitions", "targets", "courses", "kpis/areas/records"):
        assert ministry.get(f"/api/programme/{path}").status_code == 200, path
    assert (
        ministry.request("PUT", "/api/programme/targets/uses/108", json={"target": 1}).status_code
        == 403
    )
    assert ministry.post("/api/programme/rollups/refresh").status_code == 403
    assert caller("consumer@test.tw").get("/api/programme/kpis").status_code == 403
    assert caller("owner.a@test.tw").get("/api/programme/kpis").status_code == 403
    assert caller(None).get("/api/programme/kpis").status_code == 401


def test_gender_and_age_are_shared_by_choice_and_small_groups_are_suppressed(
    caller, world, pay, refresh
) -> None:  # type: ignore[no-untyped-def]
    consumer = caller("consumer@test.tw")
    assert consumer.get("/api/programme/me/demographics").status_code == 404
    refused = consumer.request(
        "PUT", "/api/programme/me/demographics", json={"gender": "x", "age_group": "30-39"}
    )
    assert refused.status_code == 422
    shared = consumer.request(
        "PUT", "/api/programme/me/demographics", json={"gender": "female", "age_group": "30-39"}
    )
    assert shared.status_code == 200, shared.text
    person = world.accounts["consumer@test.tw"]
    year = datetime.now(UTC).year
    # Six uses on six days (one per person, service, shop and day), and one more the same day.
    for day in range(1, 7):
        pay(world.shop_a, 1000, "twqr", consumer=person, at=datetime(year, 1, day, 3, tzinfo=UTC))
    pay(world.shop_a, 1000, "twqr", consumer=person, at=datetime(year, 1, 6, 5, tzinfo=UTC))
    # Two uses by someone who shares nothing.
    other = world.accounts["owner.b@test.tw"]
    pay(world.shop_b, 1000, "twqr", consumer=other, at=datetime(year, 1, 2, 3, tzinfo=UTC))
    refresh()
    ministry = caller(MINISTRY)
    roc = year - 1911
    url = f"/api/programme/kpis/uses/breakdown?roc_year={roc}&by="
    gender = {c["key"]: c for c in ministry.get(url + "gender").json()["cells"]}
    assert gender == {
        "female": {
            "key": "female",
            "label": "female",
            "value": 6,
            "records": 6,
            "suppressed": False,
        }
    }
    assert ministry.get(url + "age_group").json()["cells"][0]["value"] == 6
    # Street Y's single use is too few to show; street X's six are shown.
    streets = {c["key"]: c for c in ministry.get(url + "street").json()["cells"]}
    assert streets["street-x"]["value"] == 6
    assert (streets["street-y"]["value"], streets["street-y"]["suppressed"]) == (None, True)
    # Withdrawing removes the person from every later aggregate (after the nightly rebuild).
    assert consumer.request("DELETE", "/api/programme/me/demographics").status_code == 204
    caller(ADMIN).post("/api/programme/rollups/rebuild")
    assert ministry.get(url + "gender").json()["cells"] == []
    assert caller(ADMIN).get("/api/programme/kpis/business/breakdown?by=gender").status_code == 422


def test_admins_edit_targets_per_programme_year(caller, world) -> None:  # type: ignore[no-untyped-def]
    admin = caller(ADMIN)
    assert (
        admin.request("PUT", "/api/programme/targets/courses/108", json={"target": 70}).status_code
        == 200
    )
    assert (
        admin.request(
            "PUT", "/api/programme/targets/courses/108", json={"target": "70"}
        ).status_code
        == 422
    )
    assert (
        admin.request("PUT", "/api/programme/targets/nothing/108", json={"target": 1}).status_code
        == 422
    )
    assert (
        caller(CONSULTANT)
        .request("PUT", "/api/programme/targets/courses/108", json={"target": 1})
        .status_code
        == 403
    )
    targets = caller(MINISTRY).get("/api/programme/targets").json()
    assert targets["courses"]["years"]["108"] == 70
    assert targets["courses"]["plan_defaults"]["108"] == 67
    kpis = caller(MINISTRY).get("/api/programme/kpis?roc_year=108").json()["kpis"]
    courses = next(item for item in kpis if item["kpi"] == "courses")
    assert courses["selected"] == {"roc_year": 108, "target": 70, "actual": 0, "progress": 0.0}
    assert current_roc_year() >= 115
