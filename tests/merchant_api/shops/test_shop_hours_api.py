"""Opening hours, closures and special openings through the API: validation that names the
field and saves nothing, the public read with "open now", and is_open for other modules."""

from __future__ import annotations

from datetime import datetime

from merchant_api.shops.hours import is_open
from tests.merchant_api.shops.conftest import (
    TAIPEI,
    days_from_today,
    error_code,
    problem_keys,
    taipei_today,
)

LUNCH_AND_DINNER = [
    {"weekday": 4, "opens": "11:00", "closes": "14:00"},
    {"weekday": 4, "opens": "17:00", "closes": "21:00"},
    {"weekday": 5, "opens": "18:00", "closes": "02:00"},  # Saturday night into Sunday
]


def test_owner_publishes_weekly_hours_and_anyone_reads_them(caller, world, client, db):
    owner = caller("owner.a@test.tw")
    response = owner.request(
        "PUT", f"/api/shops/{world.shop_a}/hours", json={"periods": LUNCH_AND_DINNER}
    )
    assert response.status_code == 200, response.text
    read = client.get(f"/api/shops/{world.shop_a}/hours").json()
    assert read["time_zone"] == "Asia/Taipei"
    assert [
        (p["weekday"], p["opens"], p["closes"], p["crosses_midnight"]) for p in read["weekly"]
    ] == [
        (4, "11:00", "14:00", False),
        (4, "17:00", "21:00", False),
        (5, "18:00", "02:00", True),
    ]
    # 2026-03-06 is a Friday; frozen moments through `at`.
    at_lunch = client.get(
        f"/api/shops/{world.shop_a}/hours", params={"at": "2026-03-06T12:30:00+08:00"}
    ).json()["now"]
    assert at_lunch["is_open"] is True
    assert at_lunch["closes_at"] == "2026-03-06T14:00:00+08:00"
    between = client.get(
        f"/api/shops/{world.shop_a}/hours", params={"at": "2026-03-06T07:00:00Z"}
    ).json()["now"]  # 15:00 in Taipei
    assert (between["is_open"], between["next_opens_at"]) == (False, "2026-03-06T17:00:00+08:00")
    naive = client.get(f"/api/shops/{world.shop_a}/hours", params={"at": "2026-03-06T12:00:00"})
    assert naive.status_code == 422 and problem_keys(naive) == ["at"]

    # is_open, as orders call it, agrees; Sunday 01:30 is inside Saturday's late period.
    async def check(session):  # type: ignore[no-untyped-def]
        return [
            await is_open(session, world.shop_a, datetime(2026, 3, 8, 1, 30, tzinfo=TAIPEI)),
            await is_open(session, world.shop_a, datetime(2026, 3, 8, 2, 30, tzinfo=TAIPEI)),
            await is_open(session, world.shop_c, datetime(2026, 3, 8, 2, 30, tzinfo=TAIPEI)),
        ]

    # Shop C published no hours: open unless closed.
    assert db(check) == [True, False, True]


BAD_WEEKLY_HOURS = [
    (
        [
            {"weekday": 1, "opens": "11:00", "closes": "14:00"},
            {"weekday": 1, "opens": "13:30", "closes": "18:00"},
        ],
        "periods[1]",
    ),
    # Sunday 22:00-03:00 runs into Monday 02:00-05:00.
    (
        [
            {"weekday": 6, "opens": "22:00", "closes": "03:00"},
            {"weekday": 0, "opens": "02:00", "closes": "05:00"},
        ],
        "periods[0]",
    ),
    ([{"weekday": 1, "opens": "25:00", "closes": "26:00"}], "periods[0].opens"),
    ([{"weekday": 1, "opens": "9am", "closes": "17:00"}], "periods[0].opens"),
    ([{"weekday": 1, "opens": "09:00", "closes": "17:60"}], "periods[0].closes"),
    ([{"weekday": 1, "opens": "24:00", "closes": "02:00"}], "periods[0].opens"),
    ([{"weekday": 1, "opens": "09:00", "closes": "09:00"}], "periods[0].closes"),
    ([{"weekday": 7, "opens": "09:00", "closes": "17:00"}], "periods[0].weekday"),
    ([{"weekday": "1", "opens": "09:00", "closes": "17:00"}], "periods[0].weekday"),
]


def test_bad_weekly_hours_are_refused_naming_the_field_and_nothing_changes(caller, world, client):
    owner = caller("owner.a@test.tw")
    url = f"/api/shops/{world.shop_a}/hours"
    assert owner.request("PUT", url, json={"periods": LUNCH_AND_DINNER}).status_code == 200
    before = client.get(url).json()["weekly"]
    for periods, where in BAD_WEEKLY_HOURS:
        response = owner.request("PUT", url, json={"periods": periods})
        assert response.status_code == 422, response.text
        assert error_code(response) == "validation_failed"
        assert any(key.startswith(where) for key in problem_keys(response)), response.text
    assert client.get(url).json()["weekly"] == before


def test_a_closure_today_is_announced_on_the_shop_and_can_be_withdrawn(caller, world, client):
    staff = caller("staff.a@test.tw")
    all_week = [{"weekday": d, "opens": "00:00", "closes": "24:00"} for d in range(7)]
    hours = staff.request("PUT", f"/api/shops/{world.shop_a}/hours", json={"periods": all_week})
    assert hours.status_code == 200, hours.text
    assert client.get(f"/api/shops/{world.shop_a}").json()["opening"]["is_open"] is True
    today = taipei_today().isoformat()
    created = staff.post(
        f"/api/shops/{world.shop_a}/closures",
        json={
            "starts_on": today,
            "ends_on": days_from_today(2).isoformat(),
            "kind": "temporary",
            "reason": {"zh-Hant-TW": "颱風停業", "en": "Closed for the typhoon"},
        },
    )
    assert created.status_code == 201, created.text
    opening = client.get(f"/api/shops/{world.shop_a}?lang=en").json()["opening"]
    assert opening["is_open"] is False
    assert opening["closed_today"]["reason"] == "Closed for the typhoon"
    assert opening["next_opens_at"].startswith(days_from_today(3).isoformat())
    hours = client.get(f"/api/shops/{world.shop_a}/hours").json()
    assert [c["reason"] for c in hours["closures"]] == ["颱風停業"]

    closure_id = created.json()["id"]
    assert (
        staff.request("DELETE", f"/api/shops/{world.shop_a}/closures/{closure_id}").status_code
        == 204
    )
    assert client.get(f"/api/shops/{world.shop_a}").json()["opening"]["closed_today"] is None


BAD_CLOSURES = [
    ({"starts_on": "+2", "ends_on": "+1"}, "ends_on"),
    ({"starts_on": "-5", "ends_on": "-3"}, "ends_on"),
    ({"starts_on": "+1", "ends_on": "+400"}, "ends_on"),
    ({"starts_on": "+1", "ends_on": "+1", "kind": "forever"}, "kind"),
    ({"starts_on": "+1", "ends_on": "+1", "reason": {"fr": "Fermé"}}, "reason.fr"),
    ({"starts_on": "+1", "ends_on": "not a date"}, "ends_on"),
]


def test_bad_closures_are_refused_and_not_saved(caller, world, client):
    def day(text: str) -> str:
        return days_from_today(int(text)).isoformat() if text[0] in "+-" else text

    owner = caller("owner.a@test.tw")
    for body, where in BAD_CLOSURES:
        sent = {**body, "starts_on": day(body["starts_on"]), "ends_on": day(body["ends_on"])}
        response = owner.post(f"/api/shops/{world.shop_a}/closures", json=sent)
        assert response.status_code == 422, response.text
        assert any(where in key for key in problem_keys(response)), response.text
    assert client.get(f"/api/shops/{world.shop_a}/hours").json()["closures"] == []


def test_a_special_opening_day_replaces_that_dates_hours(caller, world, client):
    owner = caller("owner.a@test.tw")
    on_date = days_from_today(3).isoformat()
    response = owner.request(
        "PUT",
        f"/api/shops/{world.shop_a}/special-openings/{on_date}",
        json={
            "periods": [
                {"opens": "08:00", "closes": "12:00"},
                {"opens": "18:00", "closes": "01:00"},
            ],
            "note": {"zh-Hant-TW": "豐年祭市集"},
        },
    )
    assert response.status_code == 200, response.text
    special = response.json()["special_openings"]
    assert [(s["on_date"], s["opens"], s["closes"], s["note"]) for s in special] == [
        (on_date, "08:00", "12:00", "豐年祭市集"),
        (on_date, "18:00", "01:00", "豐年祭市集"),
    ]
    at = f"{on_date}T23:30:00+08:00"
    assert (
        client.get(f"/api/shops/{world.shop_a}/hours", params={"at": at}).json()["now"]["is_open"]
        is True
    )
    overlapping = owner.request(
        "PUT",
        f"/api/shops/{world.shop_a}/special-openings/{on_date}",
        json={
            "periods": [
                {"opens": "08:00", "closes": "12:00"},
                {"opens": "11:00", "closes": "13:00"},
            ]
        },
    )
    assert overlapping.status_code == 422
    assert "periods[1]" in problem_keys(overlapping)
    assert len(client.get(f"/api/shops/{world.shop_a}/hours").json()["special_openings"]) == 2
    removed = owner.request(
        "PUT", f"/api/shops/{world.shop_a}/special-openings/{on_date}", json={"periods": []}
    )
    assert removed.json()["special_openings"] == []
