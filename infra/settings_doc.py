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
    "ONESTREET_PAYMENTS__LINK_TTL_MINUTES": "How long a dynamic payment link (one order, one "
    "amount, one use) stays valid.",
    "ONESTREET_STRIPE__API_BASE": "Stripe's API address; empty for Stripe itself (tests use "
    "localstripe).",
    "ONESTREET_STRIPE__SECRET_KEY": "Stripe secret key (`sk_…`); never logged.",
    "ONESTREET_STRIPE__PUBLISHABLE_KEY": "Stripe publishable key (`pk_…`) for the Payment Element.",
    "ONESTREET_STRIPE__WEBHOOK_SECRET": "Signing secret of the Stripe webhook endpoint "
    "(`whsec_…`).",
    "ONESTREET_STRIPE__WEBHOOK_TOLERANCE_SECONDS": "How far a webhook's signed timestamp may be "
    "from now.",
    "ONESTREET_SEARCH__CACHE_SECONDS": "How long a search answer is cached (in Redis when "
    "configured, else in the process); edits show in search within this time; 0 disables.",
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
