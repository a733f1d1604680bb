"""The pages' few script files, cached for a day: a kiosk or a phone loads each once."""

from __future__ import annotations

from pathlib import Path

from litestar import get
from litestar.params import FromPath
from litestar.response import File

from infra.errors import NotFound

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


@get("/assets/{name:str}", include_in_schema=False, exclude_from_auth=True)
async def asset(name: FromPath[str]) -> File:
    path = ASSETS_DIR / name
    # Only plain names of files in the folder: no "..", no sub-folders.
    if "/" in name or name.startswith(".") or path.suffix not in MEDIA_TYPES or not path.is_file():
        raise NotFound("No such file.")
    return File(
        path=path,
        media_type=MEDIA_TYPES[path.suffix],
        content_disposition_type="inline",
        headers={"Cache-Control": "public, max-age=86400"},
    )
