"""initial schema

Revision ID: a5ceb91669ed
Revises:
Create Date: 2026-11-23 10:58:35.126540
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.base

revision: str = "a5ceb91669ed"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # account.primary_contact_id -> contact and contact.parent_account_id -> account form a cycle:
    # the account table is made without its primary contact key, added once contact exists.
    op.create_table(
        "account",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column("account_number", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("relationship_type", sa.String(length=20), nullable=False),
        sa.Column("parent_account_id", sa.Uuid(), nullable=True),
        sa.Column("primary_contact_id", sa.Uuid(), nullable=True),
        sa.Column("email", sa.String(length=100), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("website", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("industry", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("address_line1", sqlmodel.sql.sqltypes.AutoString(length=250), nullable=True),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.Column("state_or_province", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("postal_code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_account_id"],
            ["account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_account_is_active"), ["is_active"], unique=False)
        batch_op.create_index(batch_op.f("ix_account_modified_at"), ["modified_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_account_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_account_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_account_parent_account_id"), ["parent_account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_account_relationship_type"), ["relationship_type"], unique=False
        )

    op.create_table(
        "competitor",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("website", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("overview", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
        sa.Column("strengths", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
        sa.Column("weaknesses", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
        sa.Column(
            "reported_revenue", models.base.ExactDecimal(precision=19, scale=4), nullable=True
        ),
        sa.Column("ticker_symbol", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("competitor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_competitor_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_competitor_is_active"), ["is_active"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_competitor_modified_at"), ["modified_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_competitor_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_competitor_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "pricelist",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pricelist", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pricelist_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_pricelist_currency"), ["currency"], unique=False)
        batch_op.create_index(batch_op.f("ix_pricelist_is_active"), ["is_active"], unique=False)
        batch_op.create_index(batch_op.f("ix_pricelist_modified_at"), ["modified_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_pricelist_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_pricelist_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "unitgroup",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("base_unit_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("unitgroup", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unitgroup_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_unitgroup_is_active"), ["is_active"], unique=False)
        batch_op.create_index(batch_op.f("ix_unitgroup_modified_at"), ["modified_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_unitgroup_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_unitgroup_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "contact",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("first_name", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("last_name", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=False),
        sa.Column("email", sa.String(length=100), nullable=True),
        sa.Column("job_title", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("mobile_phone", sqlmodel.sql.sqltypes.AutoString(length=50), nullable=True),
        sa.Column("parent_account_id", sa.Uuid(), nullable=True),
        sa.Column("address_line1", sqlmodel.sql.sqltypes.AutoString(length=250), nullable=True),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.Column("postal_code", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_account_id"],
            ["account.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_is_active"), ["is_active"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_last_name"), ["last_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_modified_at"), ["modified_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_contact_parent_account_id"), ["parent_account_id"], unique=False
        )
        batch_op.create_index(
            "uq_contact_active_email",
            ["email"],
            unique=True,
            sqlite_where=sa.text("is_active AND email IS NOT NULL"),
            postgresql_where=sa.text("is_active AND email IS NOT NULL"),
        )

    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_account_primary_contact_id", "contact", ["primary_contact_id"], ["id"]
        )

    op.create_table(
        "unit",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("quantity", models.base.ExactDecimal(precision=19, scale=4), nullable=False),
        sa.Column("base_unit_id", sa.Uuid(), nullable=True),
        sa.Column("unit_group_id", sa.Uuid(), nullable=False),
        sa.Column("is_base_unit", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["base_unit_id"],
            ["unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_group_id"],
            ["unitgroup.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_unit_base_unit_id"), ["base_unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_unit_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_unit_is_active"), ["is_active"], unique=False)
        batch_op.create_index(batch_op.f("ix_unit_modified_at"), ["modified_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_unit_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_unit_unit_group_id"), ["unit_group_id"], unique=False)
        batch_op.create_index("uq_unit_group_name", ["unit_group_id", "name"], unique=True)

    op.create_table(
        "product",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("product_number", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("product_type", sa.String(length=30), nullable=False),
        sa.Column("unit_group_id", sa.Uuid(), nullable=False),
        sa.Column("default_unit_id", sa.Uuid(), nullable=False),
        sa.Column("list_price", models.base.ExactDecimal(precision=19, scale=4), nullable=True),
        sa.Column("standard_cost", models.base.ExactDecimal(precision=19, scale=4), nullable=True),
        sa.Column("current_cost", models.base.ExactDecimal(precision=19, scale=4), nullable=True),
        sa.Column("quantity_decimal", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["default_unit_id"],
            ["unit.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_group_id"],
            ["unitgroup.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_product_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_product_is_active"), ["is_active"], unique=False)
        batch_op.create_index(batch_op.f("ix_product_modified_at"), ["modified_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_product_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_product_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_product_product_type"), ["product_type"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_product_unit_group_id"), ["unit_group_id"], unique=False
        )
        batch_op.create_index("uq_product_number", ["product_number"], unique=True)

    op.create_table(
        "pricelistitem",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("amount", models.base.ExactDecimal(precision=19, scale=4), nullable=False),
        sa.Column("pricing_method", sa.String(length=30), nullable=False),
        sa.Column("price_list_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["price_list_id"],
            ["pricelist.id"],
        ),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pricelistitem", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pricelistitem_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pricelistitem_is_active"), ["is_active"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pricelistitem_modified_at"), ["modified_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_pricelistitem_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pricelistitem_price_list_id"), ["price_list_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pricelistitem_product_id"), ["product_id"], unique=False
        )
        batch_op.create_index(
            "uq_price_list_item_active",
            ["price_list_id", "product_id", "unit_id"],
            unique=True,
            sqlite_where=sa.text("is_active"),
            postgresql_where=sa.text("is_active"),
        )


def downgrade() -> None:
    # First break the account <-> contact cycle (see upgrade).
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_constraint("fk_account_primary_contact_id", type_="foreignkey")

    with op.batch_alter_table("pricelistitem", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_price_list_item_active",
            sqlite_where=sa.text("is_active"),
            postgresql_where=sa.text("is_active"),
        )
        batch_op.drop_index(batch_op.f("ix_pricelistitem_product_id"))
        batch_op.drop_index(batch_op.f("ix_pricelistitem_price_list_id"))
        batch_op.drop_index(batch_op.f("ix_pricelistitem_owner_id"))
        batch_op.drop_index(batch_op.f("ix_pricelistitem_modified_at"))
        batch_op.drop_index(batch_op.f("ix_pricelistitem_is_active"))
        batch_op.drop_index(batch_op.f("ix_pricelistitem_created_at"))

    op.drop_table("pricelistitem")
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_index("uq_product_number")
        batch_op.drop_index(batch_op.f("ix_product_unit_group_id"))
        batch_op.drop_index(batch_op.f("ix_product_product_type"))
        batch_op.drop_index(batch_op.f("ix_product_owner_id"))
        batch_op.drop_index(batch_op.f("ix_product_name"))
        batch_op.drop_index(batch_op.f("ix_product_modified_at"))
        batch_op.drop_index(batch_op.f("ix_product_is_active"))
        batch_op.drop_index(batch_op.f("ix_product_created_at"))

    op.drop_table("product")
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.drop_index("uq_unit_group_name")
        batch_op.drop_index(batch_op.f("ix_unit_unit_group_id"))
        batch_op.drop_index(batch_op.f("ix_unit_owner_id"))
        batch_op.drop_index(batch_op.f("ix_unit_modified_at"))
        batch_op.drop_index(batch_op.f("ix_unit_is_active"))
        batch_op.drop_index(batch_op.f("ix_unit_created_at"))
        batch_op.drop_index(batch_op.f("ix_unit_base_unit_id"))

    op.drop_table("unit")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_contact_active_email",
            sqlite_where=sa.text("is_active AND email IS NOT NULL"),
            postgresql_where=sa.text("is_active AND email IS NOT NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_contact_parent_account_id"))
        batch_op.drop_index(batch_op.f("ix_contact_owner_id"))
        batch_op.drop_index(batch_op.f("ix_contact_modified_at"))
        batch_op.drop_index(batch_op.f("ix_contact_last_name"))
        batch_op.drop_index(batch_op.f("ix_contact_is_active"))
        batch_op.drop_index(batch_op.f("ix_contact_email"))
        batch_op.drop_index(batch_op.f("ix_contact_created_at"))

    op.drop_table("contact")
    with op.batch_alter_table("unitgroup", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_unitgroup_owner_id"))
        batch_op.drop_index(batch_op.f("ix_unitgroup_name"))
        batch_op.drop_index(batch_op.f("ix_unitgroup_modified_at"))
        batch_op.drop_index(batch_op.f("ix_unitgroup_is_active"))
        batch_op.drop_index(batch_op.f("ix_unitgroup_created_at"))

    op.drop_table("unitgroup")
    with op.batch_alter_table("pricelist", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pricelist_owner_id"))
        batch_op.drop_index(batch_op.f("ix_pricelist_name"))
        batch_op.drop_index(batch_op.f("ix_pricelist_modified_at"))
        batch_op.drop_index(batch_op.f("ix_pricelist_is_active"))
        batch_op.drop_index(batch_op.f("ix_pricelist_currency"))
        batch_op.drop_index(batch_op.f("ix_pricelist_created_at"))

    op.drop_table("pricelist")
    with op.batch_alter_table("competitor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_competitor_owner_id"))
        batch_op.drop_index(batch_op.f("ix_competitor_name"))
        batch_op.drop_index(batch_op.f("ix_competitor_modified_at"))
        batch_op.drop_index(batch_op.f("ix_competitor_is_active"))
        batch_op.drop_index(batch_op.f("ix_competitor_created_at"))

    op.drop_table("competitor")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_account_relationship_type"))
        batch_op.drop_index(batch_op.f("ix_account_parent_account_id"))
        batch_op.drop_index(batch_op.f("ix_account_owner_id"))
        batch_op.drop_index(batch_op.f("ix_account_name"))
        batch_op.drop_index(batch_op.f("ix_account_modified_at"))
        batch_op.drop_index(batch_op.f("ix_account_is_active"))
        batch_op.drop_index(batch_op.f("ix_account_created_at"))

    op.drop_table("account")
