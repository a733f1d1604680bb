"""Listing photos: multipart upload and removal, and /media/... for the resized copies."""

from __future__ import annotations

import uuid
from typing import Any

from litestar import Controller, Request, Response, delete, get, post
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.params import FromPath
from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import NotFound, ValidationFailed
from infra.storage import Storage
from merchant_api.catalog.errors import ImageTooLarge
from merchant_api.catalog.photos import PhotoService, photo_prefix
from merchant_api.catalog.routes import SECURITY, WRITE_GUARDS
from merchant_api.catalog.schemas import PhotoOut, photo_out

# Multipart framing around the file: boundaries, part headers, a filename.
MULTIPART_OVERHEAD = 16 * 1024
# Photo ids never change their content (a new upload is a new id), so caches may keep them.
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"


def _storage(request: Request[Any, Any, Any]) -> Storage:
    return request.app.state.media_storage  # type: ignore[no-any-return]


async def _uploaded_bytes(request: Request[Any, Any, Any], max_bytes: int) -> bytes:
    """The `photo` part of a multipart body; refuses a too-large body before reading it."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes + MULTIPART_OVERHEAD:
        raise ImageTooLarge(
            f"The photo is larger than {max_bytes // (1024 * 1024)} MB.",
            details={"max_bytes": max_bytes},
        )
    form = await request.form()
    upload = form.get("photo")
    if upload is None or isinstance(upload, str):
        raise ValidationFailed(
            "Send the photo as a multipart file field named `photo`.",
            details={
                "problems": [{"key": "photo", "message": "A file is required.", "source": "body"}]
            },
        )
    return await upload.read()


class PhotoController(Controller):
    path = "/api/shops/{shop_id:uuid}/listings/{listing_id:uuid}/photos"
    tags = ["catalog"]  # noqa: RUF012
    guards = WRITE_GUARDS
    security = SECURITY

    @post("/", summary="Upload a JPEG, PNG or WebP photo (multipart field `photo`)")
    async def upload_photo(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        listing_id: FromPath[uuid.UUID],
        request: Request[Any, Any, Any],
    ) -> PhotoOut:
        max_bytes = request.app.state.settings.app.max_upload_bytes
        data = await _uploaded_bytes(request, max_bytes)
        photo = await PhotoService(db_session, _storage(request)).upload(
            shop_id, listing_id, data, max_bytes
        )
        return photo_out(photo)

    @delete("/{photo_id:uuid}", summary="Remove a photo")
    async def delete_photo(
        self,
        db_session: NamedDependency[AsyncSession],
        shop_id: FromPath[uuid.UUID],
        listing_id: FromPath[uuid.UUID],
        photo_id: FromPath[uuid.UUID],
        request: Request[Any, Any, Any],
    ) -> Response[None]:
        storage = _storage(request)
        await PhotoService(db_session, storage).delete(shop_id, listing_id, photo_id)
        # The files go after the response, i.e. after the row's removal has been committed.
        return Response(
            None,
            status_code=204,
            background=BackgroundTask(storage.delete_prefix, photo_prefix(photo_id)),
        )


class MediaController(Controller):
    path = "/media/listing-photos"
    tags = ["catalog"]  # noqa: RUF012

    @get(
        "/{photo_id:uuid}/{file_name:str}",
        summary="A listing photo as WebP, 160, 480 or 960 pixels wide (e.g. 480.webp)",
        exclude_from_auth=True,
    )
    async def photo(
        self,
        db_session: NamedDependency[AsyncSession],
        photo_id: FromPath[uuid.UUID],
        file_name: FromPath[str],
        request: Request[Any, Any, Any],
    ) -> Response[bytes]:
        width, _, extension = file_name.partition(".")
        if extension != "webp" or not width.isdigit():
            raise NotFound("Photos are served as <width>.webp.")
        data = await PhotoService(db_session, _storage(request)).resized(photo_id, int(width))
        return Response(
            data, media_type="image/webp", headers={"Cache-Control": MEDIA_CACHE_CONTROL}
        )
