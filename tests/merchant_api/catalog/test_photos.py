"""Photo uploads are checked by content and size; served resized as WebP and cached."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from merchant_api.catalog.models import ListingPhoto
from tests.merchant_api.catalog.conftest import count_rows


def _image(kind: str, size=(1200, 800), colour=(200, 80, 40)) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=kind)
    return out.getvalue()


@pytest.fixture
def photos_url(caller, world):  # type: ignore[no-untyped-def]
    owner = caller("owner.a@test.tw")
    listing = owner.post(
        f"/api/shops/{world.shop_a}/listings",
        json={"name": {"zh-Hant-TW": "竹筒飯"}, "price_minor": 8000},
    ).json()["id"]
    return f"/api/shops/{world.shop_a}/listings/{listing}/photos"


def _upload(owner, url, data: bytes, name="photo.jpg", content_type="image/jpeg"):  # type: ignore[no-untyped-def]
    return owner.post(url, files={"photo": (name, data, content_type)})


def test_jpeg_is_stored_and_served_resized_and_cached(caller, world, photos_url, settings):
    owner = caller("owner.a@test.tw")
    response = _upload(owner, photos_url, _image("JPEG"))
    assert response.status_code == 201, response.text
    photo = response.json()
    assert (photo["width"], photo["height"]) == (1200, 800)

    served = caller(None).get(photo["urls"]["480"])
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/webp"
    assert "immutable" in served.headers["cache-control"]
    with Image.open(io.BytesIO(served.content)) as image:
        assert (image.format, image.size) == ("WEBP", (480, 320))
    cached = settings.app.data_dir / "media" / "listing-photos" / photo["id"] / "480.webp"
    assert cached.read_bytes() == served.content
    assert caller(None).get(photo["urls"]["480"]).content == served.content
    assert caller(None).get(photo["urls"]["480"].replace("480", "123")).status_code == 404

    listing = caller(None).get(photos_url.removesuffix("/photos")).json()
    assert [p["id"] for p in listing["photos"]] == [photo["id"]]

    assert owner.request("DELETE", f"{photos_url}/{photo['id']}").status_code == 204
    assert not cached.parent.exists()
    assert caller(None).get(photo["urls"]["160"]).status_code == 404


def test_files_that_are_not_jpeg_png_or_webp_are_refused(caller, photos_url, db):
    owner = caller("owner.a@test.tw")
    for data, name in (
        (b"<?php echo 'not a photo'; ?>" * 10, "photo.jpg"),
        (_image("GIF"), "photo.jpg"),
        (_image("JPEG")[:300], "cut.jpg"),  # truncated upload
    ):
        response = _upload(owner, photos_url, data, name=name)
        assert response.status_code == 415, response.text
        assert response.json()["error"]["code"] == "unsupported_image"
    assert count_rows(db, ListingPhoto) == 0


def test_png_and_webp_are_accepted_whatever_the_filename(caller, photos_url):
    owner = caller("owner.a@test.tw")
    for kind in ("PNG", "WEBP"):
        response = _upload(
            owner, photos_url, _image(kind, (50, 50)), name="x.gif", content_type="text/plain"
        )
        assert response.status_code == 201, response.text


def test_oversized_files_and_decompression_bombs_are_refused(caller, photos_url, db, settings):
    owner = caller("owner.a@test.tw")
    too_big = b"\xff\xd8\xff" + b"\0" * settings.app.max_upload_bytes
    response = _upload(owner, photos_url, too_big)
    assert response.status_code == 413 and response.json()["error"]["code"] == "image_too_large"
    # 10,000 x 5,000 pixels of one colour: a few kilobytes that would decode to 150 MB.
    bomb = _image("PNG", (10_000, 5_000), (0, 0, 0))
    assert len(bomb) < 1_000_000
    response = _upload(owner, photos_url, bomb, name="bomb.png", content_type="image/png")
    assert response.status_code == 413 and response.json()["error"]["code"] == "image_too_large"
    assert count_rows(db, ListingPhoto) == 0
    assert not (settings.app.data_dir / "media").exists()
