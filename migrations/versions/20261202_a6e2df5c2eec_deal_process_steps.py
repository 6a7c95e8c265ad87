"""Business-process steps: a deal's marked steps (dealprocess), and the opportunity's customer
need and proposed solution.

Revision ID: a6e2df5c2eec
Revises: a62a7df94121
Create Date: 2026-12-02 06:18:02.963186
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.base

revision: str = "a6e2df5c2eec"
down_revision: str | None = "a62a7df94121"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dealprocess",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("deal_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("process_id", sa.Uuid(), nullable=True),
        sa.Column("steps_done", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("deal_id"),
    )
    with op.batch_alter_table("dealprocess", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dealprocess_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_dealprocess_is_active"), ["is_active"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_dealprocess_modified_at"), ["modified_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dealprocess_owner_id"), ["owner_id"], unique=False)

    # Plain ALTER TABLE (SQLite has dropped columns since 3.35): a batch copy of the table would
    # lose its expression indexes, which SQLite cannot reflect.
    for name in ("customer_need", "proposed_solution"):
        op.add_column(
            "opportunity",
            sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        )


def downgrade() -> None:
    op.drop_column("opportunity", "proposed_solution")
    op.drop_column("opportunity", "customer_need")
    with op.batch_alter_table("dealprocess", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dealprocess_owner_id"))
        batch_op.drop_index(batch_op.f("ix_dealprocess_modified_at"))
        batch_op.drop_index(batch_op.f("ix_dealprocess_is_active"))
        batch_op.drop_index(batch_op.f("ix_dealprocess_created_at"))

    op.drop_table("dealprocess")
