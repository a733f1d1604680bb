"""The console's points page: a settled month's statement for the shop (with its CSV), the
latest points moved at the shop, and a month not settled yet said plainly."""

# ruff: noqa: F811  (fixtures imported from the merchant API tests)

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from infra.db import utcnow
from infra.outbox import publish
from merchant_api.shops.schedule import TAIPEI
from payments.loyalty.settlement import SettlementService
from tests.merchant_api.conftest import caller, world  # noqa: F401  (fixtures)
from tests.merchant_api.vouchers.conftest import (  # noqa: F401  (fixtures)
    cheap_password_hashing,
    menu,
    outbox,
    settings,
)


def _paid(db, outbox, shop_id, consumer_id) -> None:  # type: ignore[no-untyped-def]
    """A NT$1,000 payment at the shop, delivered the way payments delivers it."""
    paid_at = utcnow()

    async def write(session):  # type: ignore[no-untyped-def]
        publish(
            session,
            "payment.succeeded",
            {
                "payment_id": str(uuid.uuid4()),
                "shop_id": str(shop_id),
                "amount_captured": 100000,
                "consumer_id": str(consumer_id),
                "paid_at": paid_at.isoformat(),
            },
        )

    db(write)
    outbox.relay.run_once()


def test_owner_sees_the_settled_month_and_downloads_it(caller, world, db, outbox, menu, settings):  # type: ignore[no-untyped-def]
    _paid(db, outbox, world.shop_a, world.accounts["consumer@test.tw"])
    # Points move now; this month is settled as if it had ended (the API settles ended months).
    period = utcnow().astimezone(TAIPEI).strftime("%Y-%m")
    month_end = datetime.fromisoformat(f"{period}-01T00:00:00+08:00") + timedelta(days=32)
    url = f"/owner/shops/{world.shop_a}/points"
    owner = caller("owner.a@test.tw")

    before = owner.get(f"{url}?period={period}&lang=en")
    assert before.status_code == 200
    assert "This month has not been settled yet" in before.text
    assert "Given to a customer" in before.text, "the earned points are listed at once"

    point_value = settings.loyalty.point_value_minor
    settled = db(lambda s: SettlementService(s, point_value).settle(period, month_end))
    funded = next(s.points_funded for s in settled if s.party_id == world.shop_a)
    assert funded > 0

    admin_view = caller("admin@test.tw").get(
        f"/api/shops/{world.shop_a}/loyalty/statements/{period}"
    )
    assert admin_view.json()[0]["points_funded"] == funded
    page = owner.get(f"{url}?period={period}&lang=en").text
    assert 'id="statement"' in page and f"Statement for {period}" in page
    assert f'<td class="price">{funded}</td>' in page
    assert "You pay the programme" in page or "The programme pays you" in page
    csv = owner.get(f"{url}/statement.csv?period={period}")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    rows = csv.text.strip().splitlines()
    assert len(rows) == 2 and rows[1].startswith(f"{period},shop,{world.shop_a},{funded},")

    assert caller("owner.b@test.tw").get(url).status_code == 403
    refused = caller("owner.b@test.tw").get(f"{url}/statement.csv?period={period}")
    assert refused.status_code == 403
    too_soon = (utcnow().astimezone(TAIPEI) + timedelta(days=40)).strftime("%Y-%m")
    unsettled = owner.get(f"{url}/statement.csv?period={too_soon}")
    assert unsettled.status_code == 409 and unsettled.json()["error"]["code"] == "period_open"
