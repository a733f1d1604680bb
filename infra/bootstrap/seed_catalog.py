"""Demo catalogue depth: option groups for food, counted stock, tags, hours and photo cards.

Everything is derived from each listing's position and text, never from the seeder's random
stream, so adding this did not change any other seeded value; the same seed gives the same
catalogue, ids and photo bytes.
"""

from __future__ import annotations

import io
import uuid
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta

from PIL import Image, ImageDraw, ImageFont

from infra.bootstrap.seed_data.types import ShopSeed, StreetSeed
from infra.storage import Storage
from merchant_api.catalog.models import ALL_CHANNELS, Listing, ListingPhoto, Option, OptionGroup
from merchant_api.catalog.photos import photo_prefix

MakeId = Callable[[str, str], uuid.UUID]
CARD_SIZE = (480, 360)
# Calm card colours, picked per listing from its id.
PALETTE = ((196, 90, 60), (70, 130, 90), (60, 100, 160), (170, 130, 50), (130, 80, 140))
MEAL_HOURS = [
    {"weekday": day, "start": start, "end": end}
    for day in range(7)
    for start, end in (("11:00", "14:00"), ("17:00", "20:30"))
]


def enrich_listing(listing: Listing, index: int, shop: ShopSeed, street: StreetSeed) -> None:
    """Tags, stock, channels and hours that suit the shop's kind."""
    tags = set()
    if shop.category == "agriculture_produce":
        tags.add("local_produce")
        if index == 0:
            tags.add("organic")
    if street.is_indigenous_area:
        tags.add("indigenous")
    name = listing.name.get("zh-Hant-TW", "")
    if "辣" in name or "刺蔥" in name:
        tags.add("spicy")
    if any(word in name for word in ("粥", "蛋糕", "冰", "茶", "甜甜圈", "黑糖")):
        tags.add("vegetarian")
    listing.tags = sorted(tags)
    food = shop.category == "food_and_drink"
    # Produce and crafts are counted; one daily-limited dish per kitchen.
    if not food:
        listing.stock = 3 + (index * 7) % 20
    elif index == 0:
        listing.stock = 20
    listing.channels = list(ALL_CHANNELS) if food else ["counter", "kiosk", "online_pickup"]
    listing.time_windows = MEAL_HOURS if "套餐" in name else []
    listing.updated_at = listing.created_at


def option_groups(
    listing: Listing, index: int, shop: ShopSeed, make_id: MakeId
) -> tuple[list[OptionGroup], list[Option]]:
    """Size or spice level (required, one choice) and add-ons (up to two) for food shops."""
    if shop.category != "food_and_drink":
        return [], []
    at = listing.created_at
    groups: list[OptionGroup] = []
    options: list[Option] = []

    def group(key: str, zh: str, en: str, required: bool, most: int, choices: list) -> None:  # type: ignore[type-arg]
        made = OptionGroup(
            id=make_id("option-group", f"{listing.id}:{key}"),
            listing_id=listing.id,
            name={"zh-Hant-TW": zh, "en": en},
            required=required,
            min_choices=1 if required else 0,
            max_choices=most,
            position=len(groups),
            created_at=at,
        )
        groups.append(made)
        for position, (option_zh, option_en, delta) in enumerate(choices):
            options.append(
                Option(
                    id=make_id("option", f"{made.id}:{position}"),
                    group_id=made.id,
                    name={"zh-Hant-TW": option_zh, "en": option_en},
                    price_delta_minor=delta * 100,
                    is_available=True,
                    position=position,
                    created_at=at + timedelta(seconds=position),
                )
            )

    smallest = -min(10, listing.price_minor // 100 // 2)
    if index % 2 == 0:
        group(
            "size",
            "份量",
            "Size",
            True,
            1,
            [("小份", "Small", smallest), ("中份", "Regular", 0), ("大份", "Large", 20)],
        )
    else:
        group(
            "spice",
            "辣度",
            "Spice level",
            True,
            1,
            [("不辣", "Not spicy", 0), ("小辣", "Mild", 0), ("大辣", "Hot", 0)],
        )
    if listing.price_minor >= 8000:
        group(
            "add-ons",
            "加點",
            "Add-ons",
            False,
            2,
            [("加蛋", "Egg", 15), ("加飯", "Extra rice", 10), ("加肉", "Extra meat", 40)],
        )
    return groups, options


def photo_card(listing: Listing) -> bytes:
    """A coloured card with the item's initial: stands in for a photo the owner will take."""
    colour = PALETTE[zlib.crc32(listing.id.bytes) % len(PALETTE)]
    image = Image.new("RGB", CARD_SIZE, colour)
    draw = ImageDraw.Draw(image)
    initial = (listing.name.get("en") or "?")[0].upper()
    font = ImageFont.load_default(size=200)
    draw.text((CARD_SIZE[0] / 2, CARD_SIZE[1] / 2), initial, fill="white", font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()


async def add_photo(
    listing: Listing, storage: Storage, make_id: MakeId, created_at: datetime
) -> ListingPhoto:
    data = photo_card(listing)
    photo = ListingPhoto(
        id=make_id("photo", str(listing.id)),
        listing_id=listing.id,
        content_type="image/jpeg",
        width=CARD_SIZE[0],
        height=CARD_SIZE[1],
        byte_size=len(data),
        position=0,
        created_at=created_at,
    )
    photo.storage_key = f"{photo_prefix(photo.id)}/original"
    await storage.put(photo.storage_key, data)
    return photo
