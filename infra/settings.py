"""Typed, grouped settings read from ONESTREET_* environment variables and an optional .env.

Only the composition root (infra.bootstrap) calls `load_settings`; everything else receives
the Settings object it needs, so tests can build apps and workers with their own settings.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

EMBEDDED_DATABASE_URL = "sqlite+aiosqlite:///./var/onestreet.sqlite3"


class SettingsError(Exception):
    """A setting is unknown or malformed; the message names it and says what is expected."""


class DatabaseSettings(BaseModel):
    url: str = EMBEDDED_DATABASE_URL
    echo: bool = False
    pool_size: int = Field(default=10, ge=1, le=200)

    @field_validator("url")
    @classmethod
    def _supported_driver(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError(
                "must start with sqlite+aiosqlite:// (embedded) or postgresql+asyncpg://"
            )
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


class RedisSettings(BaseModel):
    # Empty means "no Redis": rate limits live in memory and tasks run in-process.
    url: str = ""


class CelerySettings(BaseModel):
    # Empty broker means tasks run in-process (eager); the log says so once.
    broker_url: str = ""
    result_backend: str = ""
    # How long Redis keeps a taken-but-unacknowledged task before handing it out again
    # (the redelivery after a worker dies mid-task).
    visibility_timeout_seconds: int = Field(default=3600, ge=1)
    outbox_relay_interval_seconds: float = Field(default=2.0, gt=0)
    outbox_batch_size: int = Field(default=100, ge=1, le=10_000)
    # Without a broker the web process relays and delivers outbox events on a thread of its
    # own; false leaves that to `onestreet outbox relay --loop` (or to a test driving it).
    embedded_relay: bool = True
    # Comma-separated modules, each with register_handlers(registry), whose outbox handlers
    # workers and the in-process relay load on top of the built-in ones (tests, plug-ins).
    extra_handler_modules: str = ""

    @property
    def handler_modules(self) -> list[str]:
        return [name.strip() for name in self.extra_handler_modules.split(",") if name.strip()]


class AuthSettings(BaseModel):
    # Signs session cookies and CSRF tokens. Empty in embedded mode means "generate one and keep
    # it in <data_dir>/secret_key"; production must set it.
    secret_key: str = ""
    session_cookie_name: str = "onestreet_session"
    # Browsers refuse Secure cookies on plain http://127.0.0.1 in some cases; production sets it.
    session_cookie_secure: bool = False
    session_idle_timeout_minutes: int = Field(default=30, ge=1)
    session_absolute_timeout_hours: int = Field(default=12, ge=1)
    login_max_failures: int = Field(default=5, ge=1)
    login_lockout_minutes: int = Field(default=15, ge=1)
    login_ip_max_attempts_per_minute: int = Field(default=30, ge=1)


class PaymentSettings(BaseModel):
    provider: Literal["sandbox", "stripe"] = "sandbox"
    # A dynamic payment link (bound to an order and amount) works once and only this long.
    link_ttl_minutes: int = Field(default=10, ge=1, le=60)


class StripeSettings(BaseModel):
    # Empty api_base means Stripe's own; tests point it at localstripe.
    api_base: str = ""
    secret_key: str = ""
    publishable_key: str = ""
    webhook_secret: str = ""
    # Seconds a Stripe-Signature timestamp may differ from now.
    webhook_tolerance_seconds: int = Field(default=300, ge=1, le=3600)


class LoyaltySettings(BaseModel):
    pass


class DeviceSettings(BaseModel):
    pass


class RecommenderSettings(BaseModel):
    pass


class ProgrammeSettings(BaseModel):
    pass


class SearchSettings(BaseModel):
    # Search answers are cached this long (shared through Redis when configured); 0 disables.
    cache_seconds: float = Field(default=10.0, ge=0, le=3600)


class AppSettings(BaseModel):
    environment: Literal["embedded", "development", "production", "test"] = "embedded"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    public_url: str = "http://127.0.0.1:8000"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool = True
    data_dir: Path = Path("./var")
    seed_number: int = 2017
    # Largest photo upload accepted; phones send 2-4 MB JPEGs.
    max_upload_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="ONESTREET_",
        env_nested_delimiter="__",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="forbid",
    )

    app: AppSettings = AppSettings()
    database: DatabaseSettings = DatabaseSettings()
    redis: RedisSettings = RedisSettings()
    celery: CelerySettings = CelerySettings()
    auth: AuthSettings = AuthSettings()
    payments: PaymentSettings = PaymentSettings()
    search: SearchSettings = SearchSettings()
    stripe: StripeSettings = StripeSettings()
    loyalty: LoyaltySettings = LoyaltySettings()
    devices: DeviceSettings = DeviceSettings()
    recommender: RecommenderSettings = RecommenderSettings()
    programme: ProgrammeSettings = ProgrammeSettings()

    # Short aliases for the two settings everybody sets.
    database_url: str | None = None
    redis_url: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _apply_short_aliases(cls, data: Any) -> Any:
        """ONESTREET_DATABASE_URL and ONESTREET_REDIS_URL win over the grouped names."""
        if not isinstance(data, dict):
            return data
        for alias, group, field in (
            ("database_url", "database", "url"),
            ("redis_url", "redis", "url"),
        ):
            value = data.get(alias)
            if value:
                section = data.get(group) or {}
                if isinstance(section, BaseModel):
                    section = section.model_dump()
                data[group] = {**section, field: value}
        return data


def _known_env_names() -> set[str]:
    names = {"ONESTREET_DATABASE_URL", "ONESTREET_REDIS_URL"}
    for group_name, field in Settings.model_fields.items():
        model = field.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            for sub in model.model_fields:
                names.add(f"ONESTREET_{group_name}__{sub}".upper())
    return names


# Variables that configure the tooling around the app rather than the app itself.
_TOOLING_ENV = {
    "ONESTREET_TEST_REQUIRE_SERVICES",
    "ONESTREET_TEST_POSTGRES_URL",
    "ONESTREET_TEST_REDIS_URL",
}


def load_settings(**overrides: object) -> Settings:
    """Build settings from the environment and .env; unknown or malformed values raise."""
    unknown = sorted(
        name
        for name in os.environ
        if name.startswith("ONESTREET_")
        and name not in _known_env_names()
        and name not in _TOOLING_ENV
    )
    if unknown:
        raise SettingsError(
            f"Unknown setting {unknown[0]}. Settings are listed in the README's settings table."
        )
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = "ONESTREET_" + "__".join(str(part) for part in first["loc"]).upper()
        for alias in ("ONESTREET_DATABASE_URL", "ONESTREET_REDIS_URL"):
            if name == alias.replace("_URL", "__URL") and os.environ.get(alias):
                name = alias
        raise SettingsError(f"Setting {name} is invalid: {first['msg']}.") from exc


@lru_cache(maxsize=1)
def cached_settings() -> Settings:
    """The process-wide settings for entry points (CLI, ASGI server, worker)."""
    return load_settings()
