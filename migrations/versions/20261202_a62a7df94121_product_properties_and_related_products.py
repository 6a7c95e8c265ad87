"""product properties and related products

Properties defined on a product (text, number, choice), the values a line holds of them (with
the line: lines already there hold none), and products related to others (cross-sell, up-sell,
substitute, accessory).

Revision ID: a62a7df94121
Revises: 1c2e952d8da7
Create Date: 2026-12-02 06:02:36.193691
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.base

revision: str = "a62a7df94121"
down_revision: str | None = "1c2e952d8da7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "product_property",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("data_type", sa.String(length=20), nullable=False),
        sa.Column("is_required", sa.Boolean(), nullable=False),
        sa.Column("default_value", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("product_property", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_product_property_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_product_property_is_active"), ["is_active"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_product_property_modified_at"), ["modified_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_product_property_owner_id"), ["owner_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_product_property_product_id"), ["product_id"], unique=False
        )

    op.create_table(
        "product_relationship",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("related_product_id", sa.Uuid(), nullable=False),
        sa.Column("relationship_type", sa.String(length=20), nullable=False),
        sa.Column("direction", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
        ),
        sa.ForeignKeyConstraint(
            ["related_product_id"],
            ["product.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("product_relationship", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_product_relationship_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_product_relationship_is_active"), ["is_active"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_product_relationship_modified_at"), ["modified_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_product_relationship_owner_id"), ["owner_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_product_relationship_product_id"), ["product_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_product_relationship_related_product_id"),
            ["related_product_id"],
            unique=False,
        )
        batch_op.create_index(
            "uq_product_relationship",
            ["product_id", "related_product_id", "relationship_type"],
            unique=True,
        )

    with op.batch_alter_table("line_item", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("properties", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("line_item", schema=None) as batch_op:
        batch_op.drop_column("properties")

    with op.batch_alter_table("product_relationship", schema=None) as batch_op:
        batch_op.drop_index("uq_product_relationship")
        batch_op.drop_index(batch_op.f("ix_product_relationship_related_product_id"))
        batch_op.drop_index(batch_op.f("ix_product_relationship_product_id"))
        batch_op.drop_index(batch_op.f("ix_product_relationship_owner_id"))
        batch_op.drop_index(batch_op.f("ix_product_relationship_modified_at"))
        batch_op.drop_index(batch_op.f("ix_product_relationship_is_active"))
        batch_op.drop_index(batch_op.f("ix_product_relationship_created_at"))

    op.drop_table("product_relationship")
    with op.batch_alter_table("product_property", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_property_product_id"))
        batch_op.drop_index(batch_op.f("ix_product_property_owner_id"))
        batch_op.drop_index(batch_op.f("ix_product_property_modified_at"))
        batch_op.drop_index(batch_op.f("ix_product_property_is_active"))
        batch_op.drop_index(batch_op.f("ix_product_property_created_at"))

    op.drop_table("product_property")
