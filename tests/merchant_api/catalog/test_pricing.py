"""price_lines: options priced, every bad line named, channels, hours and sold-out refused."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from infra.errors import ValidationFailed
from merchant_api.catalog.errors import ListingUnavailable, SoldOut
from merchant_api.catalog.models import Channel, Listing
from merchant_api.catalog.pricing import LineRequest, price_lines

# Monday 2026-11-23 12:00 in Taipei is 04:00 UTC.
MONDAY_NOON_TAIPEI = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)


def _price(db, shop_id, lines, channel=Channel.counter, at=MONDAY_NOON_TAIPEI):  # type: ignore[no-untyped-def]
    async def go(session):  # type: ignore[no-untyped-def]
        return await price_lines(session, shop_id, lines, channel, at)

    return db(go)


def _refusal(db, shop_id, lines, **kwargs):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as raised:
        _price(db, shop_id, lines, **kwargs)
    return {(p["key"], p["message"].split(" ")[0]) for p in raised.value.details["problems"]}


def _set(db, listing_id, **values):  # type: ignore[no-untyped-def]
    async def go(session):  # type: ignore[no-untyped-def]
        await session.execute(update(Listing).where(Listing.id == listing_id).values(**values))

    db(go)


def test_options_change_the_unit_price_and_come_back_in_group_order(db, world, noodles):
    lines = [
        LineRequest(noodles.listing, 2, (noodles.tofu, noodles.large, noodles.egg)),
        LineRequest(noodles.listing, 1, (noodles.small,)),
        LineRequest(noodles.plain, 3),
    ]
    big, small, egg = _price(db, world.shop_a, lines)

    assert big.unit_price_minor == 12000 + 3000 + 1500 + 1000
    assert big.line_total_minor == 2 * 17500
    assert [o.option_id for o in big.options] == [noodles.large, noodles.egg, noodles.tofu]
    assert big.options[0].group_name["en"] == "Size"
    assert big.name["en"] == "Beef noodles" and not big.stock_tracked
    assert (small.unit_price_minor, small.line_total_minor) == (10000, 10000)
    assert (egg.unit_price_minor, egg.quantity, egg.stock_tracked) == (1500, 3, True)


def test_every_bad_line_is_named_at_once(db, world, noodles):
    ghost = uuid.uuid4()
    problems = _refusal(
        db,
        world.shop_a,
        [
            LineRequest(noodles.listing, 1, (noodles.large,)),  # fine
            LineRequest(ghost, 1),
            LineRequest(noodles.other_shop_listing, 1),
            LineRequest(noodles.listing, 0, (noodles.large,)),
            LineRequest(noodles.listing, 100, (noodles.large,)),
            LineRequest(noodles.listing, 1),  # size missing
            LineRequest(noodles.listing, 1, (noodles.small, noodles.large)),  # two sizes
            LineRequest(
                noodles.listing, 1, (noodles.large, noodles.egg, noodles.tofu, noodles.pork)
            ),
            LineRequest(noodles.listing, 1, (noodles.large, ghost)),
            LineRequest(noodles.plain, 1, (noodles.egg,)),  # another listing's option
            LineRequest(noodles.listing, 1, (noodles.large, noodles.sold_out_addon)),
            LineRequest(noodles.listing, 1, (noodles.large, noodles.large)),
        ],
    )
    assert problems == {
        ("lines[1].listing_id", "No"),
        ("lines[2].listing_id", "No"),
        ("lines[3].quantity", "Between"),
        ("lines[4].quantity", "Between"),
        ("lines[5].option_ids", "Choose"),
        ("lines[6].option_ids", "Choose"),
        ("lines[7].option_ids", "Choose"),
        ("lines[8].option_ids", "Option"),
        ("lines[9].option_ids", "Option"),
        ("lines[10].option_ids", "Option"),
        ("lines[11].option_ids", "An"),
    }


def test_no_lines_and_removed_listings_are_refused(db, world, noodles):
    assert _refusal(db, world.shop_a, []) == {("lines", "At")}
    _set(db, noodles.plain, deleted_at=MONDAY_NOON_TAIPEI)
    assert _refusal(db, world.shop_a, [LineRequest(noodles.plain, 1)]) == {
        ("lines[0].listing_id", "No")
    }


def test_channels_and_time_windows_decide_availability(db, world, noodles):
    _set(
        db,
        noodles.plain,
        channels=["kiosk", "table_qr"],
        # Lunch on Mondays, Asia/Taipei wall clock.
        time_windows=[{"weekday": 0, "start": "11:00", "end": "14:00"}],
    )
    line = [LineRequest(noodles.plain, 1)]
    assert _price(db, world.shop_a, line, channel=Channel.kiosk)[0].unit_price_minor == 1500

    with pytest.raises(ListingUnavailable) as raised:
        _price(db, world.shop_a, line, channel=Channel.counter)
    assert raised.value.code == "listing_unavailable" and raised.value.status_code == 409
    assert raised.value.details["listing_id"] == str(noodles.plain)

    # 15:00 Taipei on Monday (07:00 UTC), and noon on Tuesday, are outside the window.
    for at in (datetime(2026, 11, 23, 7, 0, tzinfo=UTC), datetime(2026, 11, 24, 4, 0, tzinfo=UTC)):
        with pytest.raises(ListingUnavailable):
            _price(db, world.shop_a, line, channel=Channel.kiosk, at=at)

    _set(db, noodles.plain, channels=list(Channel), time_windows=[], is_available=False)
    with pytest.raises(ListingUnavailable):
        _price(db, world.shop_a, line)


def test_sold_out_flag_and_too_little_stock_are_refused(db, world, noodles):
    # Two lines of the same counted listing add up: 2 + 2 > 3 left.
    with pytest.raises(SoldOut) as raised:
        _price(db, world.shop_a, [LineRequest(noodles.plain, 2), LineRequest(noodles.plain, 2)])
    assert raised.value.code == "sold_out"
    assert raised.value.details == {"listing_id": str(noodles.plain), "requested": 4, "left": 3}

    _set(db, noodles.listing, sold_out=True)
    with pytest.raises(SoldOut):
        _price(db, world.shop_a, [LineRequest(noodles.listing, 1, (noodles.large,))])
