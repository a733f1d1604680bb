"""Loyalty: refunds that arrive before their earn wait for it; on PostgreSQL, an earn and a
counter redemption each in one database call.

`loyalty_early_refunds` (every database) keeps a refund delivered before the earn of its
payment, which then claws it back at once.

The loyalty service's two busiest paths, earning from a payment and spending points at the
counter, ran seven and ten statements from Python; most of their time went to the client's
round trips. On PostgreSQL they now run as functions of the same steps, in the same order,
under the same locks (payments/loyalty/ledger.py's posting rules): the caller's transaction
still commits or rolls back everything. SQLite keeps the Python steps, and the whole loyalty
test suite runs against both, so the two stay one behaviour. `loyalty_earn_lines` is the
earning rule itself (payments/loyalty/earning.py), kept separate so a test can compare the two
on any input.

Account ids are uuid5 of "kind:owner" in the namespace of payments/loyalty/accounts.py, which
uuid-ossp (a trusted extension: the database owner may create it) computes here too.

Revision ID: 0019_loyalty
Revises: 0018_loyalty
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infra.db

revision: str = "0019_loyalty"
down_revision: str | Sequence[str] | None = "0018_loyalty"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXTENSION = 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp"'

ACCOUNT_ID = """
CREATE FUNCTION loyalty_account_id(kind text, owner uuid) RETURNS uuid
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT uuid_generate_v5('6f0b6c2e-5b1e-4b7a-9a43-3c1f0e0d2a11'::uuid, kind || ':' || owner)
$$
"""

# earning.py's earn_lines: (funder account, points) wanted, in this order (base first, so the
# daily cap cuts bonuses before base points), capped, then merged by funder in first order.
EARN_LINES = """
CREATE FUNCTION loyalty_earn_lines(
    amount bigint, shop uuid, street uuid, minor_per_point integer, funded_by text,
    campaign uuid, campaign_pct integer, category_pct integer,
    listing_paid bigint[], listing_pct integer[],
    first_visit boolean, first_visit_bonus integer, cap_left bigint
) RETURNS TABLE (funder uuid, funder_kind text, points bigint)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    programme constant uuid := '00000000-0000-0000-0000-000000000000';
    base constant bigint := greatest(amount, 0) / minor_per_point;
    kinds text[];
    owners uuid[];
    wanted bigint[];
    listing_bonus bigint := 0;
    budget bigint := greatest(cap_left, 0);
    take bigint;
    i integer;
    j integer;
    merged_ids uuid[] := '{}';
    merged_kinds text[] := '{}';
    merged_points bigint[] := '{}';
    id uuid;
BEGIN
    IF funded_by = 'street' AND street IS NOT NULL THEN
        kinds := ARRAY['pool_street']; owners := ARRAY[street];
    ELSIF funded_by = 'programme' THEN
        kinds := ARRAY['pool_programme']; owners := ARRAY[programme];
    ELSE
        kinds := ARRAY['shop_funded']; owners := ARRAY[shop];
    END IF;
    wanted := ARRAY[base];
    IF campaign IS NOT NULL AND campaign_pct > 100 THEN
        kinds := kinds || 'pool_campaign'::text; owners := owners || campaign;
        wanted := wanted || (base * (campaign_pct - 100) / 100);
    END IF;
    IF category_pct > 100 THEN
        kinds := kinds || 'pool_programme'::text; owners := owners || programme;
        wanted := wanted || (base * (category_pct - 100) / 100);
    END IF;
    FOR i IN 1 .. coalesce(array_length(listing_paid, 1), 0) LOOP
        IF listing_pct[i] > 100 THEN
            listing_bonus := listing_bonus
                + (greatest(listing_paid[i], 0) / minor_per_point) * (listing_pct[i] - 100) / 100;
        END IF;
    END LOOP;
    IF listing_bonus > 0 THEN
        kinds := kinds || 'shop_funded'::text; owners := owners || shop;
        wanted := wanted || listing_bonus;
    END IF;
    IF first_visit AND base > 0 THEN
        kinds := kinds || 'pool_programme'::text; owners := owners || programme;
        wanted := wanted || first_visit_bonus::bigint;
    END IF;
    FOR i IN 1 .. array_length(wanted, 1) LOOP
        take := least(wanted[i], budget);
        budget := budget - take;
        CONTINUE WHEN take <= 0;
        id := loyalty_account_id(kinds[i], owners[i]);
        j := array_position(merged_ids, id);
        IF j IS NULL THEN
            merged_ids := merged_ids || id;
            merged_kinds := merged_kinds || kinds[i];
            merged_points := merged_points || take;
        ELSE
            merged_points[j] := merged_points[j] + take;
        END IF;
    END LOOP;
    RETURN QUERY SELECT * FROM unnest(merged_ids, merged_kinds, merged_points);
END $$
"""

# service.py's earn_from_payment after the wallet is known: the shop, the context
# (context_repository.earn_context), the lines, then the post (ledger.post with new_only: the
# transaction row first, so a replay stops before any balance moves) and the lots. Returns
# the points earned (0: nothing to earn, or a replay), whether a stamp rally is running (the
# caller then stamps the visit), the shop's street and whether refunds of the payment came
# before it (the caller then claws them back).
EARN = """
CREATE FUNCTION loyalty_earn(
    payment uuid, wallet uuid, shop uuid, amount bigint, paid_at timestamptz,
    day_start timestamptz, now timestamptz, expires_at timestamptz,
    default_minor_per_point integer, first_visit_bonus integer, daily_cap bigint,
    listing_paid bigint[], listing_pct integer[], rally_key_prefix text
) RETURNS TABLE (points bigint, rally_running boolean, street uuid, refunds_waiting boolean)
LANGUAGE plpgsql AS $$
DECLARE
    wallet_account constant uuid := loyalty_account_id('consumer_wallet', wallet);
    shop_status text;
    shop_street uuid;
    shop_category text;
    rule_rate integer;
    rule_funder text;
    campaign uuid;
    campaign_pct integer;
    category_pct integer;
    earned_today bigint;
    visited boolean;
    rallying boolean;
    funders uuid[];
    funder_kinds text[];
    funded bigint[];
    total bigint;
    posted uuid;
BEGIN
    SELECT s.status, s.street_id, s.category INTO shop_status, shop_street, shop_category
    FROM shops s JOIN streets st ON st.id = s.street_id WHERE s.id = shop;
    IF NOT FOUND OR shop_status = 'suspended'
       OR (SELECT w.status FROM loyalty_wallets w WHERE w.id = wallet) IS DISTINCT FROM 'active'
    THEN
        RETURN QUERY SELECT 0::bigint, false, shop_street, false;
        RETURN;
    END IF;
    SELECT r.minor_per_point, r.funded_by INTO rule_rate, rule_funder
    FROM loyalty_earn_rules r WHERE r.shop_id = shop;
    SELECT c.id, c.multiplier_pct INTO campaign, campaign_pct
    FROM loyalty_campaigns c
    WHERE c.starts_at <= paid_at AND c.ends_at > paid_at
      AND (c.street_id IS NULL OR c.street_id = shop_street)
    ORDER BY c.multiplier_pct DESC, c.id LIMIT 1;
    category_pct := (SELECT b.multiplier_pct FROM loyalty_bonus_rules b
                     WHERE b.category = shop_category AND b.ended_at IS NULL);
    -- Claw-backs do not count against the cap, nor do stamp rally bonuses (earn_context).
    earned_today := (
        SELECT coalesce(sum(e.amount), 0)
        FROM loyalty_entries e JOIN loyalty_transactions t ON t.id = e.transaction_id
        WHERE t.wallet_id = wallet AND t.reason = 'earn' AND t.occurred_at >= day_start
          AND left(t.idempotency_key, length(rally_key_prefix)) <> rally_key_prefix
          AND e.account_id = wallet_account);
    visited := EXISTS (SELECT 1 FROM loyalty_transactions t
                       WHERE t.wallet_id = wallet AND t.shop_id = shop AND t.reason = 'earn');
    rallying := EXISTS (SELECT 1 FROM loyalty_rallies r
                        WHERE r.starts_at <= paid_at AND r.ends_at > paid_at);
    SELECT array_agg(l.funder ORDER BY l.n), array_agg(l.funder_kind ORDER BY l.n),
           array_agg(l.points ORDER BY l.n), coalesce(sum(l.points), 0)
    INTO funders, funder_kinds, funded, total
    FROM loyalty_earn_lines(
        amount, shop, shop_street, coalesce(rule_rate, default_minor_per_point),
        coalesce(rule_funder, 'shop'), campaign, coalesce(campaign_pct, 100),
        coalesce(category_pct, 100), listing_paid, listing_pct, NOT visited,
        first_visit_bonus, daily_cap - earned_today)
        WITH ORDINALITY AS l (funder, funder_kind, points, n);
    IF total = 0 THEN
        RETURN QUERY SELECT 0::bigint, false, shop_street, false;
        RETURN;
    END IF;
    INSERT INTO loyalty_accounts (id, kind, owner_id, balance, created_at)
    SELECT f.id, f.kind,
           CASE f.kind WHEN 'pool_street' THEN shop_street
                       WHEN 'pool_campaign' THEN campaign
                       WHEN 'pool_programme' THEN '00000000-0000-0000-0000-000000000000'::uuid
                       ELSE shop END,
           0, now
    FROM unnest(funders, funder_kinds) AS f (id, kind)
    WHERE NOT EXISTS (SELECT 1 FROM loyalty_accounts x WHERE x.id = f.id)
    ORDER BY f.id
    ON CONFLICT DO NOTHING;
    INSERT INTO loyalty_transactions
        (id, idempotency_key, reason, wallet_id, shop_id, reference_id, amount_minor, occurred_at)
    VALUES (gen_random_uuid(), 'earn:' || payment, 'earn', wallet, shop, payment, amount, now)
    ON CONFLICT (idempotency_key) DO NOTHING
    RETURNING id INTO posted;
    IF posted IS NULL THEN  -- a replay: already earned
        RETURN QUERY SELECT 0::bigint, false, shop_street, false;
        RETURN;
    END IF;
    UPDATE loyalty_accounts SET balance = balance + total WHERE id = wallet_account;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'wallet % has no ledger account', wallet;
    END IF;
    INSERT INTO loyalty_entries (id, transaction_id, account_id, amount, funded_by)
    SELECT gen_random_uuid(), posted, wallet_account, total, NULL::uuid
    UNION ALL
    SELECT gen_random_uuid(), posted, f.id, -f.points, NULL::uuid
    FROM unnest(funders, funded) AS f (id, points);
    INSERT INTO loyalty_lots
        (id, wallet_id, funder_account_id, transaction_id, points, remaining, earned_at,
         expires_at)
    SELECT gen_random_uuid(), wallet, f.id, posted, f.points, f.points, paid_at, expires_at
    FROM unnest(funders, funded) AS f (id, points);
    -- After the wallet's row lock: a refund that came first and waits is seen here.
    RETURN QUERY SELECT total, rallying, shop_street, EXISTS (
        SELECT 1 FROM loyalty_early_refunds r WHERE r.payment_id = payment AND r.applied_at IS NULL);
END $$
"""

# redemption.py's hold(capture_now=True): the checks in hold's order, then _hold_and_capture
# (the wallet's balance row first, then its lots, first-in first-out) and the hold's row.
# Refusals write nothing and come back as a word the caller turns into its error; a shop
# with redemption limits comes back as 'shop_limited' for the caller's own path.
REDEEM_NOW = """
CREATE FUNCTION loyalty_redeem_now(
    hold uuid, wallet uuid, shop uuid, wanted bigint, order_id uuid, now timestamptz,
    hour_ago timestamptz, max_per_hour integer, value_minor bigint, expires_at timestamptz
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    wallet_account constant uuid := loyalty_account_id('consumer_wallet', wallet);
    held_account constant uuid := loyalty_account_id('consumer_held', wallet);
    accepted constant uuid := loyalty_account_id('shop_accepted', shop);
    shop_status text;
    hold_transaction constant uuid := gen_random_uuid();
    capture_transaction constant uuid := gen_random_uuid();
    lot record;
    left_to_take bigint := wanted;
    take bigint;
    funders uuid[] := '{}';
    taken bigint[] := '{}';
    j integer;
BEGIN
    IF (SELECT w.status FROM loyalty_wallets w WHERE w.id = wallet) IS DISTINCT FROM 'active' THEN
        RETURN 'wallet_not_found';
    END IF;
    SELECT s.status INTO shop_status
    FROM shops s JOIN streets st ON st.id = s.street_id WHERE s.id = shop;
    IF NOT FOUND OR shop_status = 'suspended' THEN
        RETURN 'shop_not_accepting';
    END IF;
    IF (SELECT count(*) FROM loyalty_holds h
        WHERE h.wallet_id = wallet AND h.created_at >= hour_ago) >= max_per_hour THEN
        RETURN 'velocity_limited';
    END IF;
    IF EXISTS (SELECT 1 FROM loyalty_shop_limits l WHERE l.shop_id = shop) THEN
        RETURN 'shop_limited';
    END IF;
    -- Held points come in and go out at once: only the spendable balance changes.
    UPDATE loyalty_accounts SET balance = balance - wanted
    WHERE id = wallet_account AND balance - wanted >= 0;
    IF NOT FOUND THEN
        RETURN 'insufficient';
    END IF;
    INSERT INTO loyalty_accounts (id, kind, owner_id, balance, created_at)
    SELECT accepted, 'shop_accepted', shop, 0, now
    WHERE NOT EXISTS (SELECT 1 FROM loyalty_accounts x WHERE x.id = accepted)
    ON CONFLICT DO NOTHING;
    INSERT INTO loyalty_transactions
        (id, idempotency_key, reason, wallet_id, shop_id, reference_id, occurred_at)
    VALUES (hold_transaction, 'hold:' || hold, 'hold', wallet, shop, hold, now),
           (capture_transaction, 'capture:' || hold, 'capture', wallet, shop, hold, now);
    FOR lot IN
        SELECT l.id, l.remaining, l.funder_account_id FROM loyalty_lots l
        WHERE l.wallet_id = wallet AND l.remaining > 0 ORDER BY l.expires_at, l.id
    LOOP
        EXIT WHEN left_to_take = 0;
        take := least(left_to_take, lot.remaining);
        left_to_take := left_to_take - take;
        UPDATE loyalty_lots SET remaining = remaining - take WHERE id = lot.id;
        INSERT INTO loyalty_lot_uses (id, lot_id, transaction_id, points)
        VALUES (gen_random_uuid(), lot.id, hold_transaction, take);
        j := array_position(funders, lot.funder_account_id);
        IF j IS NULL THEN
            funders := funders || lot.funder_account_id;
            taken := taken || take;
        ELSE
            taken[j] := taken[j] + take;
        END IF;
    END LOOP;
    IF left_to_take > 0 THEN
        RAISE EXCEPTION 'wallet % lots are % points short of its balance', wallet, left_to_take;
    END IF;
    INSERT INTO loyalty_entries (id, transaction_id, account_id, amount, funded_by)
    VALUES (gen_random_uuid(), hold_transaction, wallet_account, -wanted, NULL),
           (gen_random_uuid(), hold_transaction, held_account, wanted, NULL),
           (gen_random_uuid(), capture_transaction, held_account, -wanted, NULL);
    INSERT INTO loyalty_entries (id, transaction_id, account_id, amount, funded_by)
    SELECT gen_random_uuid(), capture_transaction, accepted, f.points, f.funder
    FROM unnest(funders, taken) AS f (funder, points)
    ORDER BY f.funder;
    INSERT INTO loyalty_holds
        (id, wallet_id, shop_id, order_id, points, value_minor, status, created_at, expires_at,
         finished_at)
    VALUES (hold, wallet, shop, order_id, wanted, value_minor, 'captured', now, expires_at, now);
    RETURN 'ok';
END $$
"""

FUNCTIONS = (
    "loyalty_redeem_now(uuid, uuid, uuid, bigint, uuid, timestamptz, timestamptz, integer, "
    "bigint, timestamptz)",
    "loyalty_earn(uuid, uuid, uuid, bigint, timestamptz, timestamptz, timestamptz, timestamptz, "
    "integer, integer, bigint, bigint[], integer[], text)",
    "loyalty_earn_lines(bigint, uuid, uuid, integer, text, uuid, integer, integer, bigint[], "
    "integer[], boolean, integer, bigint)",
    "loyalty_account_id(text, uuid)",
)


def upgrade() -> None:
    op.create_table(
        "loyalty_early_refunds",
        sa.Column("idempotency_key", sa.String(length=200), nullable=False),
        sa.Column("payment_id", sa.Uuid(), nullable=False),
        sa.Column("wallet_id", sa.Uuid(), nullable=False),
        sa.Column("refund_id", sa.String(length=200), nullable=True),
        sa.Column("amount_captured", sa.BigInteger(), nullable=False),
        sa.Column("amount_refunded", sa.BigInteger(), nullable=False),
        sa.Column("recorded_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("applied_at", infra.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_loyalty_early_refunds")),
        sa.UniqueConstraint(
            "idempotency_key", name=op.f("uq_loyalty_early_refunds_idempotency_key")
        ),
    )
    with op.batch_alter_table("loyalty_early_refunds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_loyalty_early_refunds_payment_id"), ["payment_id"], unique=False
        )
    if op.get_bind().dialect.name != "postgresql":
        return
    # asyncpg runs one statement per call, hence one string each.
    for statement in (EXTENSION, ACCOUNT_ID, EARN_LINES, EARN, REDEEM_NOW):
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for signature in FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {signature}")
    with op.batch_alter_table("loyalty_early_refunds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_loyalty_early_refunds_payment_id"))
    op.drop_table("loyalty_early_refunds")
