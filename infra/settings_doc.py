"""What each setting means, for the README's settings table and `onestreet settings`.

A test checks that every field of Settings has a line here and that the README shows the
table this module generates, so the documentation cannot fall behind the code.
"""

from __future__ import annotations

from pydantic import BaseModel

from infra.settings import Settings

DESCRIPTIONS: dict[str, str] = {
    "ONESTREET_DATABASE_URL": "Short form of `ONESTREET_DATABASE__URL`; wins when both are set.",
    "ONESTREET_REDIS_URL": "Short form of `ONESTREET_REDIS__URL`; wins when both are set.",
    "ONESTREET_APP__ENVIRONMENT": "`embedded`, `development`, `production` or `test`; "
    "production refuses an empty secret key.",
    "ONESTREET_APP__HOST": "Address `serve` and `demo` listen on.",
    "ONESTREET_APP__PORT": "Port `serve` and `demo` listen on.",
    "ONESTREET_APP__PUBLIC_URL": "The address users reach; used in printed links and QR codes.",
    "ONESTREET_APP__LOG_LEVEL": "`DEBUG`, `INFO`, `WARNING` or `ERROR`.",
    "ONESTREET_APP__LOG_JSON": "JSON log lines (true) or readable lines (false).",
    "ONESTREET_APP__DATA_DIR": "Where the embedded mode keeps its files (generated secret key, "
    "uploads).",
    "ONESTREET_APP__SEED_NUMBER": "Seed for the deterministic demo data.",
    "ONESTREET_APP__MAX_UPLOAD_BYTES": "Largest photo upload accepted, in bytes (larger ones "
    "get 413).",
    "ONESTREET_DATABASE__URL": "`sqlite+aiosqlite:///path` (embedded) or "
    "`postgresql+asyncpg://user@host:5432/db`.",
    "ONESTREET_DATABASE__ECHO": "Log every SQL statement (debugging only).",
    "ONESTREET_DATABASE__POOL_SIZE": "Connections per web process on PostgreSQL.",
    "ONESTREET_REDIS__URL": "Redis for shared rate limits and caches; empty keeps them in memory.",
    "ONESTREET_CELERY__BROKER_URL": "Celery broker (`redis://…`); empty runs tasks in-process.",
    "ONESTREET_CELERY__RESULT_BACKEND": "Where Celery keeps task results; empty keeps none.",
    "ONESTREET_CELERY__VISIBILITY_TIMEOUT_SECONDS": "How long a task taken by a worker that "
    "died stays hidden before Redis hands it out again.",
    "ONESTREET_CELERY__OUTBOX_RELAY_INTERVAL_SECONDS": "How often the relay looks for new "
    "outbox events.",
    "ONESTREET_CELERY__OUTBOX_BATCH_SIZE": "Events the relay claims per round.",
    "ONESTREET_CELERY__EMBEDDED_RELAY": "With no broker, the web process delivers outbox events "
    "itself; false leaves that to `onestreet outbox relay --loop`.",
    "ONESTREET_CELERY__EXTRA_HANDLER_MODULES": "Comma-separated modules whose "
    "`register_handlers(registry)` adds outbox handlers (tests, plug-ins).",
    "ONESTREET_AUTH__SECRET_KEY": "Signs sessions and CSRF tokens; empty outside production "
    "means one is generated and kept in the data directory.",
    "ONESTREET_AUTH__SESSION_COOKIE_NAME": "Name of the session cookie.",
    "ONESTREET_AUTH__SESSION_COOKIE_SECURE": "Send the session cookie over HTTPS only "
    "(set true in production).",
    "ONESTREET_AUTH__SESSION_IDLE_TIMEOUT_MINUTES": "A session unused this long ends.",
    "ONESTREET_AUTH__SESSION_ABSOLUTE_TIMEOUT_HOURS": "A session ends this long after login, "
    "whatever its use.",
    "ONESTREET_AUTH__LOGIN_MAX_FAILURES": "Failed logins in a row before an account is locked.",
    "ONESTREET_AUTH__LOGIN_LOCKOUT_MINUTES": "How long a locked account stays locked.",
    "ONESTREET_AUTH__LOGIN_IP_MAX_ATTEMPTS_PER_MINUTE": "Login attempts one address may make "
    "per minute.",
    "ONESTREET_PAYMENTS__PROVIDER": "`sandbox` (no money moves; the demo) or `stripe`.",
    "ONESTREET_PAYMENTS__MAX_AMOUNT_MINOR": "Largest single payment accepted, in minor units "
    "(5000000 = NT$50,000).",
    "ONESTREET_PAYMENTS__SANDBOX_WALLET": "Enable the simulated wallet that confirms payments "
    "by hand (demo, tests); turn off in production.",
    "ONESTREET_PAYMENTS__SANDBOX_DELAY_SECONDS": "Seconds the simulated wallet waits before "
    "confirming.",
    "ONESTREET_PAYMENTS__TWQR_CALLBACK_SECRET": "HMAC-SHA256 secret of the TWQR acquirer's "
    "callbacks; empty derives one from the app secret (sandbox only).",
    "ONESTREET_PAYMENTS__EMVCO_CALLBACK_SECRET": "HMAC-SHA256 secret of the EMVCo wallets' "
    "(VietQR, PromptPay, QRIS) callbacks; empty derives one from the app secret.",
    "ONESTREET_PAYMENTS__TWQR_ACQUIRER_CODE": "TWQR D3: the acquirer's code for the "
    "platform's QR codes.",
    "ONESTREET_PAYMENTS__VIETQR_ACQUIRER_BIN": "VietQR acquirer BIN (6 digits) in dynamic "
    "VietQR payloads.",
    "ONESTREET_PAYMENTS__VIETQR_ACCOUNT": "VietQR beneficiary account in dynamic payloads.",
    "ONESTREET_PAYMENTS__PROMPTPAY_MOBILE": "PromptPay mobile proxy in dynamic payloads.",
    "ONESTREET_PAYMENTS__QRIS_NMID": "QRIS national merchant ID (`ID` + 13 digits).",
    "ONESTREET_PAYMENTS__RECONCILE_AFTER_MINUTES": "Payments in processing longer than this "
    "are re-fetched from their provider by the reconciliation task.",
    "ONESTREET_PAYMENTS__LINK_TTL_MINUTES": "How long a dynamic payment link (one order, one "
    "amount, one use) stays valid.",
    "ONESTREET_PAYMENTS__VOUCHER_PAYMENT_WINDOW_MINUTES": "Minutes a bought voucher waits for "
    "its payment; after that a periodic task expires it and puts its unit back on sale.",
    "ONESTREET_STRIPE__API_BASE": "Stripe's API address; empty for Stripe itself (tests use "
    "localstripe).",
    "ONESTREET_STRIPE__SECRET_KEY": "Stripe secret key (`sk_…`); never logged.",
    "ONESTREET_STRIPE__PUBLISHABLE_KEY": "Stripe publishable key (`pk_…`) for the Payment Element.",
    "ONESTREET_STRIPE__JS_URL": "Where the pay page loads Stripe.js from.",
    "ONESTREET_STRIPE__WEBHOOK_SECRET": "Signing secret of the Stripe webhook endpoint "
    "(`whsec_…`).",
    "ONESTREET_STRIPE__WEBHOOK_TOLERANCE_SECONDS": "How far a webhook's signed timestamp may be "
    "from now.",
    "ONESTREET_STRIPE__CONNECT_ENABLED": "Charge shops that have a Stripe connected account "
    "directly on it (direct charges with the platform fee); false charges the platform account.",
    "ONESTREET_STRIPE__APPLICATION_FEE_BPS": "The platform's fee on a connected shop's charge, "
    "in basis points (100 = 1 %).",
    "ONESTREET_STRIPE__REQUEST_TIMEOUT_SECONDS": "How long one call to Stripe may take before it "
    "fails.",
    "ONESTREET_STRIPE__TERMINAL_LOCATION_ID": "Stripe Terminal location (`tml_…`) that readers' "
    "connection tokens are limited to; empty allows any of the account's locations.",
    "ONESTREET_LOYALTY__POINT_VALUE_MINOR": "What one point is worth when spent, in TWD minor "
    "units (100 = NT$1).",
    "ONESTREET_LOYALTY__DEFAULT_MINOR_PER_POINT": "Base earn rate of a shop without its own rule: "
    "one point per this much spent (minor units).",
    "ONESTREET_LOYALTY__MIN_MINOR_PER_POINT": "Programme limit: the most generous rate a shop "
    "may set.",
    "ONESTREET_LOYALTY__MAX_MINOR_PER_POINT": "Programme limit: the least generous rate a shop "
    "may set.",
    "ONESTREET_LOYALTY__POINTS_VALID_DAYS": "Days an earning lot of points stays valid.",
    "ONESTREET_LOYALTY__EXPIRY_NOTICE_DAYS": "Consumers are told this many days before points "
    "expire.",
    "ONESTREET_LOYALTY__HOLD_MINUTES": "How long points held for an order wait for payment.",
    "ONESTREET_LOYALTY__FIRST_VISIT_BONUS": "Points for a consumer's first purchase at a shop.",
    "ONESTREET_LOYALTY__DAILY_EARN_CAP": "Most points one consumer can earn per day.",
    "ONESTREET_LOYALTY__REDEEM_MAX_PER_HOUR": "Most redemptions one wallet may start per hour.",
    "ONESTREET_LOYALTY__SHOP_EARN_MAX_POINTS_PER_HOUR": "Points one shop may award in an hour "
    "before the admin's anomaly report flags it.",
    "ONESTREET_LOYALTY__MEMBER_QR_STEP_SECONDS": "How often a member QR code changes (the "
    "previous code stays valid for one more step).",
    "ONESTREET_DEVICES__INACTIVITY_MINUTES": "A device silent this long is offline; one alert "
    "per outage, cleared when it reports again.",
    "ONESTREET_DEVICES__MAX_BATCH_EVENTS": "Most telemetry events one request may carry.",
    "ONESTREET_DEVICES__MAX_EVENT_BYTES": "Largest single telemetry event, in bytes of JSON.",
    "ONESTREET_DEVICES__MAX_BODY_BYTES": "Largest telemetry request body after gunzip, in bytes "
    "(larger ones get 413).",
    "ONESTREET_DEVICES__LATE_EVENT_DAYS": "Events older than this (by device time) are refused.",
    "ONESTREET_DEVICES__CLOCK_TOLERANCE_SECONDS": "How far a device's signed timestamp or event "
    "time may be from the server's clock.",
    "ONESTREET_DEVICES__RAW_RETENTION_DAYS": "Raw telemetry older than this is dropped; hourly "
    "rollups are kept.",
    "ONESTREET_DEVICES__PAIRING_CODE_MINUTES": "How long a device pairing code works (once).",
    "ONESTREET_DEVICES__ROTATION_GRACE_HOURS": "How long a device's previous secret keeps "
    "working after a rotation.",
    "ONESTREET_DEVICES__CREDENTIAL_CACHE_SECONDS": "How long web processes cache device "
    "credentials; a revocation takes effect within this time (at most 60).",
    "ONESTREET_DEVICES__CLIENT_SALT_ROTATION_DAYS": "How often the salt hotspots hash client "
    "addresses with changes.",
    "ONESTREET_DEVICES__MQTT_URL": "MQTT broker that `onestreet devices mqtt` subscribes to.",
    "ONESTREET_DEVICES__MQTT_TOPIC_PREFIX": "Topic prefix for device telemetry over MQTT "
    "(`<prefix>/devices/<id>/telemetry`).",
    "ONESTREET_PROGRAMME__MIN_CELL_COUNT": "KPI breakdown cells built from fewer records are "
    "suppressed (shown as null), so the ministry never sees individuals.",
    "ONESTREET_PROGRAMME__ROLLUP_REFRESH_SECONDS": "How often changed days are folded into the "
    "KPI rollups.",
    "ONESTREET_PROGRAMME__NIGHTLY_REBUILD_HOUR_UTC": "UTC hour of the nightly rebuild of the KPI "
    "rollups from the raw facts (19 = 03:00 Taipei).",
    "ONESTREET_LOYALTY__OTP_VALID_MINUTES": "How long a one-time code for linking a phone "
    "stays valid (at most 10 minutes).",
    "ONESTREET_LOYALTY__OTP_MAX_SENDS_PER_HOUR": "One-time codes one wallet may request per hour.",
    "ONESTREET_SEARCH__CACHE_SECONDS": "How long a search answer is cached (in Redis when "
    "configured, else in the process); edits show in search within this time; 0 disables.",
    "ONESTREET_RECOMMENDER__HOLIDAYS_FILE": "CSV (`date,name`) adding to the built-in Taiwan "
    "holidays 2017-2027; a name of `-` removes a date; empty uses the built-in list.",
    "ONESTREET_RECOMMENDER__HISTORY_DAYS": "Days of orders the forecasts, segments and advice "
    "look back over (49-730).",
    "ONESTREET_RECOMMENDER__NIGHTLY_HOUR_UTC": "UTC hour of the nightly retrain and advice run "
    "(18 = 02:00 Taipei).",
}


def setting_rows() -> list[tuple[str, str]]:
    """(environment variable, default) for every setting, in declaration order."""
    rows: list[tuple[str, str]] = []
    defaults = Settings.model_construct()
    for group, field in Settings.model_fields.items():
        model = field.annotation
        if isinstance(model, type) and issubclass(model, BaseModel):
            section = getattr(defaults, group)
            for name in model.model_fields:
                rows.append((f"ONESTREET_{group}__{name}".upper(), str(getattr(section, name))))
        else:
            rows.append((f"ONESTREET_{group}".upper(), ""))
    return rows


def settings_table() -> str:
    lines = []
    for env_name, default in setting_rows():
        shown = f"`{default}`" if default else "(empty)"
        lines.append(f"| `{env_name}` | {shown} | {DESCRIPTIONS[env_name]} |")
    return "\n".join(lines)
