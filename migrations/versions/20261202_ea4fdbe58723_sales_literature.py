"""sales literature

Brochures, price sheets and the like: what each is about (products, competitors), and its files.

Revision ID: ea4fdbe58723
Revises: 50de9641b984
Create Date: 2026-12-02 05:30:16.132966
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.base

revision: str = "ea4fdbe58723"
down_revision: str | None = "50de9641b984"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sales_literature",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("literature_type", sa.String(length=20), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sales_literature", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sales_literature_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sales_literature_is_active"), ["is_active"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sales_literature_modified_at"), ["modified_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_sales_literature_owner_id"), ["owner_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sales_literature_title"), ["title"], unique=False)

    op.create_table(
        "sales_literature_attachment",
        sa.Column("file_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("literature_id", sa.Uuid(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["literature_id"],
            ["sales_literature.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sales_literature_attachment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sales_literature_attachment_literature_id"),
            ["literature_id"],
            unique=False,
        )

    op.create_table(
        "sales_literature_link",
        sa.Column("literature_id", sa.Uuid(), nullable=False),
        sa.Column("record_type", sa.String(length=20), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["literature_id"],
            ["sales_literature.id"],
        ),
        sa.PrimaryKeyConstraint("literature_id", "record_type", "record_id"),
    )
    with op.batch_alter_table("sales_literature_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sales_literature_link_record_id"), ["record_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sales_literature_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_literature_link_record_id"))

    op.drop_table("sales_literature_link")
    with op.batch_alter_table("sales_literature_attachment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_literature_attachment_literature_id"))

    op.drop_table("sales_literature_attachment")
    with op.batch_alter_table("sales_literature", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sales_literature_title"))
        batch_op.drop_index(batch_op.f("ix_sales_literature_owner_id"))
        batch_op.drop_index(batch_op.f("ix_sales_literature_modified_at"))
        batch_op.drop_index(batch_op.f("ix_sales_literature_is_active"))
        batch_op.drop_index(batch_op.f("ix_sales_literature_created_at"))

    op.drop_table("sales_literature")
