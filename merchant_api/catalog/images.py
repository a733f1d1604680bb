"""Checking uploaded images by their content and making the resized copies we serve.

Pillow decides what a file is from its bytes, never from its name or the client's
Content-Type. A small file can claim enormous dimensions (a decompression bomb), so the
pixel count is checked from the header before any pixel is decoded.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from merchant_api.catalog.errors import ImageTooLarge, UnsupportedImage

ACCEPTED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
# 40 megapixels: more than any phone camera, far less than what would exhaust a small server.
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class CheckedImage:
    content_type: str
    width: int
    height: int


def check_image(data: bytes, max_bytes: int) -> CheckedImage:
    if len(data) > max_bytes:
        raise ImageTooLarge(
            f"The photo is larger than {max_bytes // (1024 * 1024)} MB.",
            details={"max_bytes": max_bytes, "bytes": len(data)},
        )
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format or ""
            width, height = image.size
            if kind not in ACCEPTED_FORMATS:
                raise UnsupportedImage(
                    "Only JPEG, PNG and WebP photos are accepted.", details={"found": kind}
                )
            if width * height > MAX_PIXELS:
                raise ImageTooLarge(
                    "The photo has too many pixels.",
                    details={"width": width, "height": height, "max_pixels": MAX_PIXELS},
                )
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                image.verify()  # catches truncated and corrupt files without decoding twice
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise UnsupportedImage("The file is not a readable JPEG, PNG or WebP image.") from None
    return CheckedImage(ACCEPTED_FORMATS[kind], width, height)


def resized_webp(data: bytes, width: int) -> bytes:
    """A WebP `width` pixels wide (never upscaled), upright as the phone meant it."""
    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        if image.width > width:
            height = max(1, round(image.height * width / image.width))
            image = image.resize((width, height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, format="WEBP", quality=80, method=4)
        return out.getvalue()
