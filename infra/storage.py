"""Where uploaded files live: an interface, and the local-disk store of the embedded mode.

Keys are relative, slash-separated paths ("listing-photos/<uuid>/original"); a later S3-like
store implements the same four methods, so callers never touch paths.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

_SAFE_KEY = re.compile(r"^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$")


class Storage(Protocol):
    async def put(self, key: str, data: bytes) -> None: ...

    async def get(self, key: str) -> bytes | None: ...

    async def exists(self, key: str) -> bool: ...

    async def delete_prefix(self, prefix: str) -> None: ...


class LocalDiskStorage:
    """Files under `root`; writes go through a temporary file and a rename, so a reader never
    sees half a file and two writers of the same key leave one whole file."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        if not _SAFE_KEY.match(key) or ".." in key.split("/"):
            raise ValueError(f"unsafe storage key {key!r}")
        return self.root / key

    async def put(self, key: str, data: bytes) -> None:
        await asyncio.to_thread(self._put, self._path(key), data)

    @staticmethod
    def _put(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    async def get(self, key: str) -> bytes | None:
        path = self._path(key)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except FileNotFoundError:
            return None

    async def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    async def delete_prefix(self, prefix: str) -> None:
        await asyncio.to_thread(self._delete_tree, self._path(prefix))

    @staticmethod
    def _delete_tree(path: Path) -> None:
        if path.is_file():
            path.unlink(missing_ok=True)
            return
        if not path.is_dir():
            return
        for child in sorted(path.rglob("*"), reverse=True):
            child.unlink() if child.is_file() else child.rmdir()
        path.rmdir()


def media_storage(data_dir: Path) -> LocalDiskStorage:
    """The embedded mode's media store: <data_dir>/media."""
    return LocalDiskStorage(Path(data_dir) / "media")
