"""Catalogue errors with stable codes that order screens and kiosks react to."""

from __future__ import annotations

from infra.errors import Conflict, OneStreetError


class ListingUnavailable(Conflict):
    """Not offered on this channel or at this time (breakfast at dinner time)."""

    code = "listing_unavailable"


class SoldOut(Conflict):
    code = "sold_out"


class UnsupportedImage(OneStreetError):
    status_code = 415
    code = "unsupported_image"


class ImageTooLarge(OneStreetError):
    status_code = 413
    code = "image_too_large"
