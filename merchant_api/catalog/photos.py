"""Listing photos: upload (checked), remove, and the resized copies served to phones.

The original is kept in storage at `listing-photos/<photo id>/original`; each served width is
made on first request and kept next to it, so the work is done once per photo and width.
"""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import Conflict, NotFound
from infra.storage import Storage
from merchant_api.catalog.images import check_image, resized_webp
from merchant_api.catalog.models import ListingPhoto
from merchant_api.catalog.repository import ListingRepository
from merchant_api.catalog.schemas import PHOTO_WIDTHS

MAX_PHOTOS_PER_LISTING = 8


def photo_prefix(photo_id: uuid.UUID) -> str:
    return f"listing-photos/{photo_id}"


class PhotoService:
    def __init__(self, session: AsyncSession, storage: Storage) -> None:
        self.listings = ListingRepository(session)
        self.storage = storage

    async def upload(
        self, shop_id: uuid.UUID, listing_id: uuid.UUID, data: bytes, max_bytes: int
    ) -> ListingPhoto:
        listing = await self.listings.get(listing_id)
        if listing is None or listing.shop_id != shop_id or listing.deleted_at is not None:
            raise NotFound(f"There is no listing {listing_id} in this shop.")
        checked = await asyncio.to_thread(check_image, data, max_bytes)
        existing = await self.listings.photos_of([listing.id])
        if len(existing) >= MAX_PHOTOS_PER_LISTING:
            raise Conflict(f"A listing has at most {MAX_PHOTOS_PER_LISTING} photos.")
        photo = ListingPhoto(
            id=uuid.uuid4(),
            listing_id=listing.id,
            content_type=checked.content_type,
            width=checked.width,
            height=checked.height,
            byte_size=len(data),
            position=len(existing),
        )
        photo.storage_key = f"{photo_prefix(photo.id)}/original"
        # The file is written first: if the transaction then fails, an orphan file is harmless,
        # while a row without its file would be a broken image on every menu.
        await self.storage.put(photo.storage_key, data)
        self.listings.add(photo)
        await self.listings.flush()
        return photo

    async def delete(self, shop_id: uuid.UUID, listing_id: uuid.UUID, photo_id: uuid.UUID) -> None:
        listing = await self.listings.get(listing_id)
        photo = await self.listings.photo(photo_id)
        if listing is None or listing.shop_id != shop_id or photo is None:
            raise NotFound(f"There is no photo {photo_id} on this listing.")
        if photo.listing_id != listing.id:
            raise NotFound(f"There is no photo {photo_id} on this listing.")
        await self.listings.delete_photo(photo.id)
        await self.listings.flush()
        # Files go after the row; a failed commit would leave the row pointing at nothing, so
        # the caller removes the files only after committing (see routes).

    async def resized(self, photo_id: uuid.UUID, width: int) -> bytes:
        if width not in PHOTO_WIDTHS:
            raise NotFound(f"Photos are served {', '.join(map(str, PHOTO_WIDTHS))} pixels wide.")
        photo = await self.listings.photo(photo_id)
        if photo is None:
            raise NotFound(f"There is no photo {photo_id}.")
        key = f"{photo_prefix(photo.id)}/{width}.webp"
        cached = await self.storage.get(key)
        if cached is not None:
            return cached
        original = await self.storage.get(photo.storage_key)
        if original is None:
            raise NotFound(f"The file of photo {photo_id} is missing.")
        made = await asyncio.to_thread(resized_webp, original, width)
        await self.storage.put(key, made)
        return made
