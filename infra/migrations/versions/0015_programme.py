"""Programme KPIs: activity facts, courses, visits, registered services, targets, shared
demographics and the rollups the dashboards read.

Revision ID: 0015_programme
Revises: 0014_recommender
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import infra.db

revision: str = "0015_programme"
down_revision: str | Sequence[str] | None = "0014_recommender"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "programme_dirty_days",
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_programme_dirty_days")),
    )
    op.create_table(
        "programme_courses",
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("street_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by"],
            ["accounts.id"],
            name=op.f("fk_programme_courses_recorded_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["street_id"],
            ["streets.id"],
            name=op.f("fk_programme_courses_street_id_streets"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_courses")),
    )
    with op.batch_alter_table("programme_courses", schema=None) as batch_op:
        batch_op.create_index("ix_programme_courses_held_on", ["held_on"], unique=False)

    op.create_table(
        "programme_demographic_rollup",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("street_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("gender", sa.String(length=16), nullable=False),
        sa.Column("age_group", sa.String(length=8), nullable=False),
        sa.Column("uses", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["street_id"],
            ["streets.id"],
            name=op.f("fk_programme_demographic_rollup_street_id_streets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "month",
            "street_id",
            "source",
            "gender",
            "age_group",
            name=op.f("pk_programme_demographic_rollup"),
        ),
    )
    op.create_table(
        "programme_demographics",
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("gender", sa.String(length=16), nullable=False),
        sa.Column("age_group", sa.String(length=8), nullable=False),
        sa.Column("shared_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "age_group IN ('<20', '20-29', '30-39', '40-49', '50-64', '65+')",
            name=op.f("ck_programme_demographics_age_group_known"),
        ),
        sa.CheckConstraint(
            "gender IN ('female', 'male', 'other')",
            name=op.f("ck_programme_demographics_gender_known"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_programme_demographics_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_programme_demographics")),
    )
    op.create_table(
        "programme_monthly_rollup",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("street_id", sa.Uuid(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("uses", sa.BigInteger(), nullable=False),
        sa.Column("business_records", sa.BigInteger(), nullable=False),
        sa.Column("business_minor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["street_id"],
            ["streets.id"],
            name=op.f("fk_programme_monthly_rollup_street_id_streets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "month",
            "street_id",
            "category",
            "source",
            "channel",
            "method",
            name=op.f("pk_programme_monthly_rollup"),
        ),
    )
    op.create_table(
        "programme_targets",
        sa.Column("kpi", sa.String(length=16), nullable=False),
        sa.Column("roc_year", sa.Integer(), nullable=False),
        sa.Column("target", sa.BigInteger(), nullable=False),
        sa.Column("updated_by", sa.Uuid(), nullable=True),
        sa.Column("updated_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kpi IN ('areas', 'devices', 'services', 'uses', 'business', 'courses')",
            name=op.f("ck_programme_targets_kpi_known"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["accounts.id"],
            name=op.f("fk_programme_targets_updated_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("kpi", "roc_year", name=op.f("pk_programme_targets")),
    )
    op.create_table(
        "programme_adoptions",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("service", sa.String(length=24), nullable=False),
        sa.Column("first_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("source_ref", sa.String(length=120), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "service IN ('mobile_payment', 'kiosk_order', 'o2o_voucher', 'online_preorder')",
            name=op.f("ck_programme_adoptions_service_known"),
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_programme_adoptions_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_adoptions")),
        sa.UniqueConstraint(
            "shop_id", "service", name=op.f("uq_programme_adoptions_shop_id_service")
        ),
    )
    op.create_table(
        "programme_business",
        sa.Column("source_ref", sa.String(length=120), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("occurred_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("points_redeemed", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_programme_business_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_business")),
        sa.UniqueConstraint("source_ref", name=op.f("uq_programme_business_source_ref")),
    )
    with op.batch_alter_table("programme_business", schema=None) as batch_op:
        batch_op.create_index("ix_programme_business_day", ["day"], unique=False)
        batch_op.create_index("ix_programme_business_shop_id_day", ["shop_id", "day"], unique=False)

    op.create_table(
        "programme_course_attendance",
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("attendees", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "attendees >= 1", name=op.f("ck_programme_course_attendance_attendees_positive")
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["programme_courses.id"],
            name=op.f("fk_programme_course_attendance_course_id_programme_courses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_programme_course_attendance_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "course_id", "shop_id", name=op.f("pk_programme_course_attendance")
        ),
    )
    op.create_table(
        "programme_daily_rollup",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("uses", sa.BigInteger(), nullable=False),
        sa.Column("business_records", sa.BigInteger(), nullable=False),
        sa.Column("business_minor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_programme_daily_rollup_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "day", "shop_id", "source", "channel", "method", name=op.f("pk_programme_daily_rollup")
        ),
    )
    op.create_table(
        "programme_registered_services",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("evidence", sa.String(length=1000), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("registered_by", sa.Uuid(), nullable=True),
        sa.Column("created_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["registered_by"],
            ["accounts.id"],
            name=op.f("fk_programme_registered_services_registered_by_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_programme_registered_services_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_registered_services")),
    )
    with op.batch_alter_table("programme_registered_services", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_registered_services_shop_id"), ["shop_id"], unique=False
        )

    op.create_table(
        "programme_uses",
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("occurred_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("method", sa.String(length=32), nullable=False),
        sa.Column("source_ref", sa.String(length=80), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "source IN ('payment', 'order', 'kiosk_session', 'hotspot_session', 'storefront_visit')",
            name=op.f("ck_programme_uses_source_known"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["accounts.id"],
            name=op.f("fk_programme_uses_person_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_programme_uses_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_uses")),
        sa.UniqueConstraint(
            "source",
            "shop_id",
            "day",
            "person_id",
            name=op.f("uq_programme_uses_source_shop_id_day_person_id"),
        ),
    )
    with op.batch_alter_table("programme_uses", schema=None) as batch_op:
        batch_op.create_index("ix_programme_uses_day", ["day"], unique=False)
        batch_op.create_index("ix_programme_uses_shop_id_day", ["shop_id", "day"], unique=False)

    op.create_table(
        "programme_visits",
        sa.Column("shop_id", sa.Uuid(), nullable=False),
        sa.Column("consultant_id", sa.Uuid(), nullable=True),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("findings", sa.String(length=2000), nullable=False),
        sa.Column("agreed_actions", sa.String(length=2000), nullable=False),
        sa.Column("follow_up_on", sa.Date(), nullable=True),
        sa.Column("created_at", infra.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["consultant_id"],
            ["accounts.id"],
            name=op.f("fk_programme_visits_consultant_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_programme_visits_shop_id_shops"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_visits")),
    )
    with op.batch_alter_table("programme_visits", schema=None) as batch_op:
        batch_op.create_index(
            "ix_programme_visits_shop_id_visited_on", ["shop_id", "visited_on"], unique=False
        )
    op.create_table(
        "programme_device_uses",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("device_id", sa.Uuid(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("street_id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=True),
        sa.Column("sessions", sa.BigInteger(), nullable=False),
        sa.CheckConstraint(
            "source IN ('payment', 'order', 'kiosk_session', 'hotspot_session', "
            "'storefront_visit')",
            name=op.f("ck_programme_device_uses_source_known"),
        ),
        sa.ForeignKeyConstraint(
            ["shop_id"],
            ["shops.id"],
            name=op.f("fk_programme_device_uses_shop_id_shops"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["street_id"],
            ["streets.id"],
            name=op.f("fk_programme_device_uses_street_id_streets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "day", "device_id", "source", name=op.f("pk_programme_device_uses")
        ),
    )
    op.create_index("ix_programme_device_uses_day", "programme_device_uses", ["day"], unique=False)
    op.create_table(
        "programme_street_months",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("street_id", sa.Uuid(), nullable=False),
        sa.Column("uses", sa.BigInteger(), nullable=False),
        sa.Column("business_records", sa.BigInteger(), nullable=False),
        sa.Column("business_minor", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["street_id"],
            ["streets.id"],
            name=op.f("fk_programme_street_months_street_id_streets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("month", "street_id", name=op.f("pk_programme_street_months")),
    )


def downgrade() -> None:
    op.drop_table("programme_street_months")
    op.drop_index("ix_programme_device_uses_day", table_name="programme_device_uses")
    op.drop_table("programme_device_uses")
    with op.batch_alter_table("programme_visits", schema=None) as batch_op:
        batch_op.drop_index("ix_programme_visits_shop_id_visited_on")

    op.drop_table("programme_visits")
    with op.batch_alter_table("programme_uses", schema=None) as batch_op:
        batch_op.drop_index("ix_programme_uses_shop_id_day")
        batch_op.drop_index("ix_programme_uses_day")

    op.drop_table("programme_uses")
    with op.batch_alter_table("programme_registered_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_programme_registered_services_shop_id"))

    op.drop_table("programme_registered_services")
    op.drop_table("programme_daily_rollup")
    op.drop_table("programme_course_attendance")
    with op.batch_alter_table("programme_business", schema=None) as batch_op:
        batch_op.drop_index("ix_programme_business_shop_id_day")
        batch_op.drop_index("ix_programme_business_day")

    op.drop_table("programme_business")
    op.drop_table("programme_adoptions")
    op.drop_table("programme_targets")
    op.drop_table("programme_monthly_rollup")
    op.drop_table("programme_demographics")
    op.drop_table("programme_demographic_rollup")
    with op.batch_alter_table("programme_courses", schema=None) as batch_op:
        batch_op.drop_index("ix_programme_courses_held_on")

    op.drop_table("programme_courses")
    op.drop_table("programme_dirty_days")
