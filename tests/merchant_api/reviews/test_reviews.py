"""A consumer reviews a completed order of theirs once; the shop replies once and may edit the
reply; shops and listings show averages."""

from __future__ import annotations

import asyncio
import uuid

import sqlalchemy as sa

from infra.bootstrap.asgi import create_app
from merchant_api.reviews.models import Review
from merchant_api.reviews.service import listing_review_summary, review_summary
from tests.conftest import run_async
from tests.merchant_api.orders.conftest import signed_in_client
from tests.merchant_api.reviews.conftest import OTHER_CONSUMER, millet_line, review


def _error(response) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    return response.status_code, response.json()["error"]["code"]


def test_a_completed_order_is_reviewed_once(caller, world, order_for):  # type: ignore[no-untyped-def]
    order_id = order_for()
    consumer = caller("consumer@test.tw")

    created = review(consumer, order_id, 4, "  小米麵很香  ")
    again = review(consumer, order_id, 1, "changed my mind")

    assert created.status_code == 201, created.text
    assert (created.json()["rating"], created.json()["text"]) == (4, "小米麵很香")
    assert _error(again) == (409, "already_reviewed")
    page = caller(None).get(f"/api/shops/{world.shop_a}/reviews").json()
    assert (page["average"], page["count"], page["has_more"]) == (4.0, 1, False)
    assert [r["id"] for r in page["reviews"]] == [created.json()["id"]]
    assert "consumer_account_id" not in page["reviews"][0]


def test_reviews_only_for_own_completed_orders(caller, world, order_for):  # type: ignore[no-untyped-def]
    completed = order_for()
    unfinished = order_for(until="ready")

    assert _error(review(caller(OTHER_CONSUMER), completed)) == (403, "not_your_order")
    assert _error(review(caller("consumer@test.tw"), unfinished)) == (409, "order_not_completed")
    assert _error(review(caller("consumer@test.tw"), str(uuid.uuid4()))) == (404, "order_not_found")
    assert review(caller("staff.a@test.tw"), completed).status_code == 403
    assert review(caller(None), completed).status_code == 401
    assert review(caller("consumer@test.tw"), completed, rating=6).status_code == 422
    assert review(caller("consumer@test.tw"), completed, rating=0).status_code == 422
    assert review(caller("consumer@test.tw"), completed, text="長" * 1001).status_code == 422
    page = caller(None).get(f"/api/shops/{world.shop_a}/reviews").json()
    assert (page["average"], page["count"], page["reviews"]) == (None, 0, [])
    # The refused attempts left nothing behind: a valid review still goes in.
    assert review(caller("consumer@test.tw"), completed, text=None).status_code == 201


def test_the_shop_replies_once_and_may_edit_the_reply(caller, world, order_for):  # type: ignore[no-untyped-def]
    review_id = review(caller("consumer@test.tw"), order_for(), 2, "等太久").json()["id"]
    url = f"/api/shops/{world.shop_a}/reviews/{review_id}/reply"

    for email in ("consumer@test.tw", "owner.b@test.tw", "consultant.x@test.tw"):
        assert caller(email).request("PUT", url, json={"text": "?"}).status_code == 403, email
    elsewhere = caller("owner.b@test.tw").request(
        "PUT", f"/api/shops/{world.shop_b}/reviews/{review_id}/reply", json={"text": "not ours"}
    )
    assert _error(elsewhere) == (404, "review_not_found")
    assert caller("staff.a@test.tw").request("PUT", url, json={"text": "   "}).status_code == 422

    first = caller("staff.a@test.tw").request("PUT", url, json={"text": "抱歉，午餐時段人多"})
    edited = caller("owner.a@test.tw").request("PUT", url, json={"text": "抱歉！下次招待小菜"})

    assert first.status_code == 200 and first.json()["reply_edited_at"] is None
    assert edited.status_code == 200
    assert edited.json()["reply"] == "抱歉！下次招待小菜"
    assert edited.json()["replied_at"] == first.json()["replied_at"]
    assert edited.json()["reply_edited_at"] is not None
    page = caller(None).get(f"/api/shops/{world.shop_a}/reviews").json()
    assert [r["reply"] for r in page["reviews"]] == ["抱歉！下次招待小菜"]


def test_averages_for_shops_and_listings(caller, world, menu, order_for, db):  # type: ignore[no-untyped-def]
    consumer = caller("consumer@test.tw")
    noodles_only = order_for()
    millet_only = order_for(lines=[millet_line(menu)])
    both = order_for(lines=[millet_line(menu), {**millet_line(menu)}])
    for order_id, rating in ((noodles_only, 5), (millet_only, 4), (both, 1)):
        assert review(consumer, order_id, rating).status_code == 201

    shops = db(lambda s: review_summary(s, [world.shop_a, world.shop_b]))
    assert shops == {world.shop_a: (3.33, 3), world.shop_b: (None, 0)}
    listings = db(lambda s: listing_review_summary(s, [menu.noodles, menu.millet, menu.tea_b]))
    # The order with millet on two lines counts once for millet.
    assert listings == {menu.noodles: (5.0, 1), menu.millet: (2.5, 2), menu.tea_b: (None, 0)}
    page = caller(None).get(f"/api/shops/{world.shop_a}/reviews?limit=2").json()
    assert (page["average"], page["count"], len(page["reviews"]), page["has_more"]) == (
        3.33,
        3,
        2,
        True,
    )
    by_listing = {item["listing_id"]: (item["average"], item["count"]) for item in page["listings"]}
    assert by_listing == {str(menu.noodles): (5.0, 1), str(menu.millet): (2.5, 2)}
    assert caller(None).get(f"/api/shops/{uuid.uuid4()}/reviews").status_code == 404


def test_concurrent_reviews_of_one_order_make_one(settings, order_for, db):  # type: ignore[no-untyped-def]
    order_id = order_for()
    app = create_app(settings)

    async def go():  # type: ignore[no-untyped-def]
        client = await signed_in_client(app, "consumer@test.tw")
        try:
            url = f"/api/orders/{order_id}/review"
            return await asyncio.gather(
                *(client.post(url, json={"rating": n}) for n in (1, 2, 3, 4, 5))
            )
        finally:
            await client.aclose()
            await app.state.engine.dispose()

    responses = run_async(go)
    assert sorted(r.status_code for r in responses) == [201] + [409] * 4
    assert db(lambda s: s.scalar(sa.select(sa.func.count()).select_from(Review))) == 1
