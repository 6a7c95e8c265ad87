"""order submitted at

When an order was handed to fulfilment (POST /orders/{id}/submit), as Dynamics' submit date.

Revision ID: 5b1e0c7d9a21
Revises: 32faa6f5c74e
Create Date: 2026-11-23 19:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "5b1e0c7d9a21"
down_revision: str | None = "32faa6f5c74e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE on both databases (SQLite has dropped columns since 3.35): a batch copy of the
# table would lose its expression indexes, which SQLite cannot reflect.
def upgrade() -> None:
    op.add_column(
        "sales_order",
        sa.Column("submitted_at", models.base.UTCDateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("sales_order", "submitted_at")
