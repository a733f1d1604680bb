"""Every package's models, imported in one place so Alembic sees the whole schema."""

from __future__ import annotations

import infra.auth.models  # accounts, web_sessions, api_tokens
import infra.idempotency.models  # idempotency_keys
import infra.outbox.models  # noqa: F401  (outbox_events, handled_events)
import merchant_api.catalog.models  # listings
import merchant_api.devices.models  # device_devices, device_credentials, device_alerts, ...
import merchant_api.discovery.indexing  # shop_search, listing_search and their listeners
import merchant_api.orders.models  # orders, order_lines, order_status_changes, counters
import merchant_api.programme.models  # programme_* facts, records, targets and rollups
import merchant_api.reviews.models  # reviews
import merchant_api.shops.hours_models  # shop_opening_periods, shop_closures, ...
import merchant_api.shops.invitation_models  # shop_invitations
import merchant_api.shops.models  # shops, shop_members, consultant_assignments, ...
import merchant_api.streets.models  # streets, street_hotspots
import merchant_api.telemetry.models  # telemetry_events (partitioned), telemetry_hourly
import merchant_api.vouchers.models  # noqa: F401  (voucher_offers, vouchers)
import payments.inbox.models  # provider_inbox
import payments.intents.models  # payment_intents, payment_events, payment_refunds
import payments.links.models  # payment_link_uses
import payments.loyalty.bonus_models  # loyalty_bonus_rules, loyalty_rallies, ...
import payments.loyalty.models  # loyalty_accounts, loyalty_transactions, loyalty_entries, ...
import payments.providers.stripe.models  # noqa: F401  (stripe_shop_accounts)
import recommender.advice.models  # advice_items
import recommender.artifacts.models  # rec_model_artifacts
import recommender.imports.models  # noqa: F401  (rec_imported_lines)
from infra.db import Base

metadata = Base.metadata
