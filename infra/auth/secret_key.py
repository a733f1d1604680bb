"""Where the secret key comes from: settings, else (outside production) a generated file."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from infra.settings import Settings, SettingsError

SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name)


def ensure_secret_key(settings: Settings) -> Settings:
    """Settings whose `auth.secret_key` is set; the composition root calls this once.

    Production must configure ONESTREET_AUTH__SECRET_KEY. Elsewhere an empty key means "use the
    one in <data_dir>/secret_key, generating it (mode 0600) the first time", so sessions survive
    restarts of the embedded app without anybody having to invent a key.
    """
    if settings.auth.secret_key:
        return settings
    if settings.app.environment == "production":
        raise SettingsError(
            "ONESTREET_AUTH__SECRET_KEY must be set in production; generate one with "
            '`python -c "import secrets; print(secrets.token_urlsafe(48))"`.'
        )
    key = _read_or_create(Path(settings.app.data_dir) / SECRET_KEY_FILE)
    return settings.model_copy(
        update={"auth": settings.auth.model_copy(update={"secret_key": key})}
    )


def _read_or_create(path: Path) -> str:
    try:
        key = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        key = ""
    if key:
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    # Write a private temporary file, then link it into place: the link is atomic and fails if
    # another process got there first, so nobody ever reads a half-written key.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    try:
        os.link(temporary, path)
    except FileExistsError:
        existing = path.read_text(encoding="utf-8").strip()
        if existing:
            return existing
        os.replace(temporary, path)  # an empty file: replace it with ours
    finally:
        temporary.unlink(missing_ok=True)
    return key
