"""Photos and option groups from the console's listing form, as plain form posts (a photo is
a multipart upload from the phone's camera or gallery). The catalogue's own services check and
store them, as for the JSON API. A refused option group comes back with the reasons next to its
fields and what was typed kept; a refused photo with the reason above the upload field."""

from __future__ import annotations

import re
import uuid
from typing import Any

from litestar import Request, post
from litestar.background_tasks import BackgroundTask
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from infra.errors import Conflict, ValidationFailed
from merchant_api.catalog.errors import ImageTooLarge, UnsupportedImage
from merchant_api.catalog.options import MAX_OPTIONS_PER_GROUP, OptionService
from merchant_api.catalog.photos import PhotoService, photo_prefix
from merchant_api.catalog.schemas import OptionGroupIn, OptionIn
from merchant_api.catalog.service import CatalogService
from merchant_api.i18n import LANGUAGES
from storefront.i18n import N_, page_locale
from storefront.owner.access import console_role
from storefront.owner.listings import listing_form_page, whole_number

FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
PHOTO_ERRORS = {
    "missing": N_("Choose a photo first."),
    ImageTooLarge.code: N_("The photo is too large; choose a smaller one."),
    UnsupportedImage.code: N_("This file is not a JPEG, PNG or WebP photo."),
    Conflict.code: N_("A listing has at most 8 photos; remove one first."),
}
MSG_GROUP_NAME = N_("Name the option group, for example Size.")
MSG_GROUP_OPTIONS = N_("Write one option per line, for example: Large +20")
MSG_GROUP_MAX = N_("Enter how many options a customer may choose, from 1 to the number of options.")
MSG_GROUP_PRICE = N_("An option cannot take off more than the listing's price.")
# "大碗 +20", "Small -10", "Egg+15" or just "Mild": a name, then an optional NT$ change.
OPTION_LINE = re.compile(r"^(?P<name>.*?)\s*(?:(?P<sign>[+-])\s*(?:NT\$)?\s*(?P<amount>\d{1,6}))?$")


def _saved(shop_id: uuid.UUID, listing_id: uuid.UUID, section: str, **extra: Any) -> Redirect:
    """Back to the listing form at the section just changed (a reload sends nothing again)."""
    url = f"/owner/shops/{shop_id}/listings/{listing_id}?saved=1#{section}"
    return Redirect(url, status_code=303, **extra)


def _current_values(listing: Any) -> dict[str, Any]:
    values: dict[str, Any] = {f"name_{code}": listing.name.get(code, "") for code in LANGUAGES}
    return values | {
        "price": str(listing.price_minor // 100),
        "stock": "" if listing.stock is None else str(listing.stock),
        "sold_out": listing.sold_out,
        "shown": listing.is_available,
    }


async def _refused(
    request: Request[Any, Any, Any],
    session: AsyncSession,
    shop_id: uuid.UUID,
    listing_id: uuid.UUID,
    csrf: str,
    status_code: int,
    extras: dict[str, Any],
) -> Template:
    listing = await CatalogService(session).listing_of_shop(shop_id, listing_id)
    values = _current_values(listing)
    return await listing_form_page(
        request, session, shop_id, listing_id, csrf, values, {}, False, status_code, extras
    )


@post("/owner/shops/{shop_id:uuid}/listings/{listing_id:uuid}/photos", include_in_schema=False)
async def upload_photo(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    shop_id: FromPath[uuid.UUID],
    listing_id: FromPath[uuid.UUID],
) -> Template | Redirect:
    principal, _role = await console_role(request, db_session, shop_id)
    upload = (await request.form()).get("photo")
    data = b"" if upload is None or isinstance(upload, str) else await upload.read()
    reason, status = "missing", 422
    if data:
        max_bytes = request.app.state.settings.app.max_upload_bytes
        storage = request.app.state.media_storage
        try:
            await PhotoService(db_session, storage).upload(shop_id, listing_id, data, max_bytes)
        except (ImageTooLarge, UnsupportedImage, Conflict) as refused:
            reason, status = refused.code, refused.status_code
        else:
            return _saved(shop_id, listing_id, "photos")
    message = page_locale(request).gettext(PHOTO_ERRORS[reason])
    extras = {"photo_error": message}
    csrf = principal.csrf or ""
    return await _refused(request, db_session, shop_id, listing_id, csrf, status, extras)


@post(
    "/owner/shops/{shop_id:uuid}/listings/{listing_id:uuid}/photos/{photo_id:uuid}/delete",
    include_in_schema=False,
)
async def remove_photo(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    shop_id: FromPath[uuid.UUID],
    listing_id: FromPath[uuid.UUID],
    photo_id: FromPath[uuid.UUID],
) -> Redirect:
    await console_role(request, db_session, shop_id)
    storage = request.app.state.media_storage
    await PhotoService(db_session, storage).delete(shop_id, listing_id, photo_id)
    # The files go after the response, once the row's removal is committed (as the API does).
    background = BackgroundTask(storage.delete_prefix, photo_prefix(photo_id))
    return _saved(shop_id, listing_id, "photos", background=background)


def _parse_options(text: str, price_minor: int) -> tuple[list[OptionIn], str | None]:
    options: list[OptionIn] = []
    for line in text.splitlines():
        match = OPTION_LINE.match(line.strip())
        if not line.strip():
            continue
        if match is None or not match.group("name"):
            return [], MSG_GROUP_OPTIONS
        delta = int(match.group("amount") or 0) * 100
        if match.group("sign") == "-":
            delta = -delta
        if delta < -price_minor:
            return [], MSG_GROUP_PRICE
        options.append(
            OptionIn(name={"zh-Hant-TW": match.group("name")[:60]}, price_delta_minor=delta)
        )
    if not options or len(options) > MAX_OPTIONS_PER_GROUP:
        return [], MSG_GROUP_OPTIONS
    return options, None


@post("/owner/shops/{shop_id:uuid}/listings/{listing_id:uuid}/options", include_in_schema=False)
async def add_option_group(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    shop_id: FromPath[uuid.UUID],
    listing_id: FromPath[uuid.UUID],
    data: dict[str, str] = FORM,
) -> Template | Redirect:
    principal, _role = await console_role(request, db_session, shop_id)
    listing = await CatalogService(db_session).listing_of_shop(shop_id, listing_id)
    values = {
        "group_name": data.get("group_name", "").strip()[:60],
        "group_required": data.get("group_required") == "on",
        "group_max": data.get("group_max", "").strip(),
        "group_options": data.get("group_options", "")[:4000],
    }
    errors: dict[str, str] = {}
    if not values["group_name"]:
        errors["group_name"] = MSG_GROUP_NAME
    options, problem = _parse_options(values["group_options"], listing.price_minor)
    if problem:
        errors["group_options"] = problem
    most = whole_number(values["group_max"], 1, max(len(options), 1))
    if most is None:
        errors["group_max"] = MSG_GROUP_MAX
    if not errors:
        required = bool(values["group_required"])
        group = OptionGroupIn(
            name={"zh-Hant-TW": values["group_name"]},
            required=required,
            min_choices=1 if required else 0,
            max_choices=most or 1,
            options=options,
        )
        try:
            await OptionService(db_session).create_group(shop_id, listing_id, group)
        except ValidationFailed as refused:
            errors["group_form"] = refused.message
        else:
            return _saved(shop_id, listing_id, "options")
    _ = page_locale(request).gettext
    extras = {"group_values": values, "group_errors": {k: _(m) for k, m in errors.items()}}
    csrf = principal.csrf or ""
    return await _refused(request, db_session, shop_id, listing_id, csrf, 422, extras)


@post(
    "/owner/shops/{shop_id:uuid}/listings/{listing_id:uuid}/options/{group_id:uuid}/delete",
    include_in_schema=False,
)
async def remove_option_group(
    request: Request[Any, Any, Any],
    db_session: NamedDependency[AsyncSession],
    shop_id: FromPath[uuid.UUID],
    listing_id: FromPath[uuid.UUID],
    group_id: FromPath[uuid.UUID],
) -> Redirect:
    await console_role(request, db_session, shop_id)
    await OptionService(db_session).delete_group(shop_id, listing_id, group_id)
    return _saved(shop_id, listing_id, "options")


def listing_extra_routes() -> list[Any]:
    return [upload_photo, remove_photo, add_option_group, remove_option_group]
