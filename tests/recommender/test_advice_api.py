"""Advice through the JSON API: found in planted data, reviewed, seen by the owner, measured."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from infra.bootstrap.worker import build_worker
from recommender.advice.models import AdviceItem

CONSULTANT = "consultant.x@test.tw"  # assigned to street X (shops A and C)
OWNER = "owner.a@test.tw"


def _advice(caller, who, shop, **params):  # type: ignore[no-untyped-def]
    response = caller(who).get(f"/api/shops/{shop}/advice", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def _generate(caller, shop):  # type: ignore[no-untyped-def]
    response = caller(CONSULTANT).post(f"/api/shops/{shop}/advice/generate")
    assert response.status_code == 201, response.text
    return response.json()["drafts"]


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)}


def _evidence_numbers(item) -> set[str]:  # type: ignore[no-untyped-def]
    found: set[str] = set()

    def walk(value) -> None:  # type: ignore[no-untyped-def]
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, bool):
            return
        elif isinstance(value, int | float):
            found.update({str(value), f"{value:g}", str(round(value / 100)), f"{value:.2f}"})
        elif isinstance(value, str):
            found.update(_numbers(value))

    walk(item["evidence"])
    return found


def test_drafts_find_the_planted_patterns(caller, sales):  # type: ignore[no-untyped-def]
    shop = sales.world.shop_a
    assert _generate(caller, shop) >= 3
    items = _advice(caller, CONSULTANT, shop)
    kinds = {i["kind"]: i for i in items}
    assert all(i["status"] == "draft" for i in items)

    slow = kinds["slow_hour"]
    assert (slow["evidence"]["weekday"], slow["evidence"]["start_hour"]) == (1, 15)
    assert slow["evidence"]["shortfall_pct"] >= 50
    assert (
        "Tuesday 15-17h" in slow["title"]["en"] and "週二 15-17 時" in slow["title"]["zh-Hant-TW"]
    )
    if slow["evidence"]["footfall"] == "not available":  # the telemetry tables are optional
        assert "footfall data is not available" in slow["body"]["en"]
    else:
        assert "footfall data is connected" in slow["body"]["en"]
    assert slow["chart"]["svg"].startswith("<svg") and any(
        b["highlight"] for b in slow["chart"]["bars"]
    )

    bundle = kinds["bundle"]
    pair = {bundle["evidence"]["listing_a"], bundle["evidence"]["listing_b"]}
    assert pair == {str(sales.mochi), str(sales.oolong)}

    win_back = kinds["win_back"]
    assert win_back["evidence"]["lapsing_customers"] == len(sales.lapsed)
    assert sorted(win_back["measurement"]["customers"]) == sorted(map(str, sales.lapsed))

    values = [i["expected_value_minor"] for i in items]
    assert values == sorted(values, reverse=True)
    for item in items:  # every number the owner reads comes from the evidence
        for lang in ("zh-Hant-TW", "en"):
            cited = _numbers(item["body"][lang]) - {"15", "17", "14"}
            assert cited <= _evidence_numbers(item), (item["kind"], lang, cited)


def test_too_little_data_says_so(caller, sales):  # type: ignore[no-untyped-def]
    assert _generate(caller, sales.world.shop_c) == 1
    (item,) = _advice(caller, CONSULTANT, sales.world.shop_c)
    assert item["kind"] == "not_enough_data"
    assert item["evidence"]["orders"] == 5
    assert "5 orders" in item["body"]["en"]


def test_review_lifecycle(caller, sales):  # type: ignore[no-untyped-def]
    shop = sales.world.shop_a
    _generate(caller, shop)
    assert _advice(caller, OWNER, shop) == []  # drafts stay with the consultant
    first, second, *_ = _advice(caller, CONSULTANT, shop)
    base = f"/api/shops/{shop}/advice"

    # Only reviewers of this shop review: not the owner, not another street's consultant.
    assert caller(OWNER).post(f"{base}/{first['id']}/approve", json={}).status_code == 403
    other = caller("consultant.b@test.tw").post(f"{base}/{first['id']}/approve", json={})
    assert other.status_code == 403

    edited = caller(CONSULTANT).patch(
        f"{base}/{first['id']}", json={"title": {"en": "Quiet Tuesday afternoons"}, "note": "ok"}
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["title"]["en"] == "Quiet Tuesday afternoons"
    assert edited.json()["title"]["zh-Hant-TW"] == first["title"]["zh-Hant-TW"]
    bad = caller(CONSULTANT).patch(f"{base}/{first['id']}", json={"title": {"fr": "x"}})
    assert bad.status_code in (400, 422)

    approved = caller(CONSULTANT).post(f"{base}/{first['id']}/approve", json={})
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    again = caller(CONSULTANT).post(f"{base}/{first['id']}/approve", json={})
    assert again.status_code == 409 and again.json()["error"]["code"] == "advice_wrong_state"
    rejected = caller(CONSULTANT).post(f"{base}/{second['id']}/reject", json={"note": "no"})
    assert rejected.json()["status"] == "rejected"

    seen = _advice(caller, OWNER, shop)
    assert [i["id"] for i in seen] == [first["id"]]
    assert seen[0]["title"]["en"] == "Quiet Tuesday afternoons"
    assert seen[0]["consultant_note"] is None  # the note is for consultants

    # A regenerate replaces drafts only: approved and rejected advice stay.
    _generate(caller, shop)
    statuses = {i["id"]: i["status"] for i in _advice(caller, CONSULTANT, shop)}
    assert statuses[first["id"]] == "approved" and statuses[second["id"]] == "rejected"

    done = caller(OWNER).post(f"{base}/{first['id']}/feedback", json={"verdict": "done"})
    assert done.status_code == 200 and done.json()["status"] == "done"
    twice = caller(OWNER).post(f"{base}/{first['id']}/feedback", json={"verdict": "not_useful"})
    assert twice.status_code == 409


def test_effect_is_measured_two_weeks_after_done(caller, sales, db, settings):  # type: ignore[no-untyped-def]
    shop = sales.world.shop_a
    _generate(caller, shop)
    slow = next(i for i in _advice(caller, CONSULTANT, shop) if i["kind"] == "slow_hour")
    base = f"/api/shops/{shop}/advice/{slow['id']}"
    caller(CONSULTANT).post(f"{base}/approve", json={})
    caller(OWNER).post(f"{base}/feedback", json={"verdict": "done"})
    measure = build_worker(settings).celery.tasks["recommender.measure_effects"]
    assert measure.apply().get() == {"measured": 0}  # too early: acted on just now

    async def backdate(session):  # type: ignore[no-untyped-def]
        when = datetime.now(UTC) - timedelta(days=21)
        await session.execute(
            sa.update(AdviceItem)
            .where(AdviceItem.id == uuid.UUID(slow["id"]))
            .values(owner_feedback_at=when)
        )

    db(backdate)
    assert measure.apply().get() == {"measured": 1}
    assert measure.apply().get() == {"measured": 0}  # safe to run twice
    (item,) = [i for i in _advice(caller, OWNER, shop) if i["id"] == slow["id"]]
    effect = item["measured_effect"]
    assert effect["metric"] == "slot_sales_per_week_minor"
    assert effect["baseline"] == slow["measurement"]["baseline"]
    assert effect["after"] >= 0 and "summary" in effect


def test_outsiders_cannot_read_a_shops_advice(caller, sales):  # type: ignore[no-untyped-def]
    url = f"/api/shops/{sales.world.shop_a}/advice"
    assert caller(None).get(url).status_code == 401
    assert caller("owner.b@test.tw").get(url).status_code == 403
    assert caller("consumer@test.tw").get(url).status_code == 403
