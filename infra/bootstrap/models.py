"""Every package's models, imported in one place so Alembic sees the whole schema."""

from __future__ import annotations

import infra.auth.models  # accounts, web_sessions, api_tokens
import infra.outbox.models  # noqa: F401  (outbox_events, handled_events)
import merchant_api.catalog.models  # listings
import merchant_api.shops.models  # shops, shop_members, consultant_assignments
import merchant_api.streets.models  # noqa: F401  (streets)
from infra.db import Base

metadata = Base.metadata
