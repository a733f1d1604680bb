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
    # The largest single payment accepted, in minor units (NT$50,000 by default).
    max_amount_minor: int = Field(default=5_000_000, ge=1, le=10**11)
    # The simulated wallet (/api/payments/sandbox/...): on for the demo and tests; production
    # turns it off so nobody can confirm a real QR payment by hand.
    sandbox_wallet: bool = True
    # Seconds the sandbox wallet waits before it confirms, to show a slow wallet.
    sandbox_delay_seconds: float = Field(default=0.0, ge=0, le=30)
    # HMAC-SHA256 secrets of the TWQR acquirer's and the EMVCo wallets' callbacks. Empty in
    # embedded mode means "derived from the app secret" (only the sandbox can sign then).
    twqr_callback_secret: str = ""
    emvco_callback_secret: str = ""
    # TWQR D3: the code the acquirer issued for the platform's QR codes.
    twqr_acquirer_code: str = "ONESTREET01"
    # The platform's accounts printed into the EMVCo wallets' dynamic QR payloads.
    vietqr_acquirer_bin: str = "970436"
    vietqr_account: str = "0011001234567"
    promptpay_mobile: str = "0812345678"
    qris_nmid: str = "ID1020012345678"
    # Payments in processing longer than this are re-fetched from their provider.
    reconcile_after_minutes: int = Field(default=15, ge=1, le=1440)
    # A voucher bought but not paid within this window expires and frees its unit.
    voucher_payment_window_minutes: int = Field(default=30, ge=5, le=7 * 24 * 60)


class StripeSettings(BaseModel):
    # Empty api_base means Stripe's own; tests point it at localstripe.
    api_base: str = ""
    secret_key: str = ""
    publishable_key: str = ""
    # Where the pay page loads Stripe.js from (localstripe serves a fake one in tests).
    js_url: str = "https://js.stripe.com/v3/"
    webhook_secret: str = ""
    # Seconds a Stripe-Signature timestamp may differ from now.
    webhook_tolerance_seconds: int = Field(default=300, ge=1, le=3600)
    # Connect: shops with a connected account are charged directly on it (direct charges)
    # with the platform's fee; off, or for shops without one, the platform account charges.
    connect_enabled: bool = False
    # The platform's fee on a connected shop's charge, in basis points (100 = 1 %).
    application_fee_bps: int = Field(default=0, ge=0, le=10_000)
    # A Stripe call that takes longer fails (and is retried by its caller with the same key).
    request_timeout_seconds: float = Field(default=20.0, gt=0, le=120)
    # The Terminal location (tml_…) connection tokens are scoped to; empty: any of the account's.
    terminal_location_id: str = ""


class LoyaltySettings(BaseModel):
    # What one point is worth when spent, in TWD minor units (100 = NT$1).
    point_value_minor: int = Field(default=100, ge=1, le=10_000)
    # Base earn rate: one point per this much spent; shops choose within the programme limits.
    default_minor_per_point: int = Field(default=3000, ge=1)
    min_minor_per_point: int = Field(default=1000, ge=1)
    max_minor_per_point: int = Field(default=10_000, ge=1)
    points_valid_days: int = Field(default=365, ge=1)
    expiry_notice_days: int = Field(default=30, ge=0)
    hold_minutes: int = Field(default=30, ge=1, le=24 * 60)
    first_visit_bonus: int = Field(default=10, ge=0)
    daily_earn_cap: int = Field(default=500, ge=1)
    # Velocity limits: redemptions per wallet per hour and points earned per shop per hour.
    redeem_max_per_hour: int = Field(default=30, ge=1)
    shop_earn_max_points_per_hour: int = Field(default=20_000, ge=1)
    member_qr_step_seconds: int = Field(default=60, ge=10, le=3600)
    # One-time codes for linking a phone: at most 10 minutes, a few sends an hour.
    otp_valid_minutes: int = Field(default=10, ge=1, le=10)
    otp_max_sends_per_hour: int = Field(default=5, ge=1, le=50)


class DeviceSettings(BaseModel):
    # A device silent this long is offline: one alert per outage, cleared when it returns.
    inactivity_minutes: int = Field(default=15, ge=1, le=7 * 24 * 60)
    max_batch_events: int = Field(default=1000, ge=1, le=10_000)
    # One event's JSON, and a whole request body after gunzip (zip bombs stop here).
    max_event_bytes: int = Field(default=16_384, ge=256, le=1_048_576)
    max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024, le=64 * 1024 * 1024)
    # Events older than this (by device time) are refused; newer late events are accepted.
    late_event_days: int = Field(default=7, ge=1, le=60)
    # How far a signed timestamp (and an event's device time) may be ahead of or behind now.
    clock_tolerance_seconds: int = Field(default=300, ge=10, le=3600)
    # Raw events older than this are dropped (whole monthly partitions on PostgreSQL);
    # hourly rollups are kept.
    raw_retention_days: int = Field(default=400, ge=7)
    # How long a pairing code works (single use).
    pairing_code_minutes: int = Field(default=30, ge=1, le=7 * 24 * 60)
    # After a rotation the previous secret keeps working this long, so no request fails.
    rotation_grace_hours: int = Field(default=24, ge=0, le=24 * 30)
    # Web processes cache device credentials this long; revocation takes effect within it.
    credential_cache_seconds: float = Field(default=30.0, ge=0, le=60)
    # Hotspots hash client MAC addresses with a salt that changes this often.
    client_salt_rotation_days: int = Field(default=1, ge=1, le=90)
    # The MQTT broker `onestreet devices mqtt` subscribes to, and its topic prefix.
    mqtt_url: str = "mqtt://127.0.0.1:1883"
    mqtt_topic_prefix: str = Field(default="onestreet", pattern=r"^[A-Za-z0-9_\-/]{1,100}$")


class RecommenderSettings(BaseModel):
    # A CSV (date,name) that adds to or removes ("-") the built-in Taiwan holidays.
    holidays_file: str = ""
    # Days of orders the models and the advice look back over.
    history_days: int = Field(default=90, ge=49, le=730)
    # The nightly retrain and advice run (18 UTC = 02:00 Asia/Taipei).
    nightly_hour_utc: int = Field(default=18, ge=0, le=23)


class ProgrammeSettings(BaseModel):
    # Breakdown cells built from fewer records are suppressed, so nobody is singled out.
    min_cell_count: int = Field(default=5, ge=1, le=100)
    # How often changed days are folded into the KPI rollups.
    rollup_refresh_seconds: float = Field(default=300.0, ge=10, le=86_400)
    # UTC hour of the nightly rebuild of the rollups from the raw facts (19 = 03:00 Taipei).
    nightly_rebuild_hour_utc: int = Field(default=19, ge=0, le=23)


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
