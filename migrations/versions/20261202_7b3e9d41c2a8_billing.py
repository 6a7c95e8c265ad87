"""Billing: an order's hold reason and payment schedule, an invoice's schedule part, prices
locked on orders and invoices; a system-calculated revenue is its opportunity's total.

Revision ID: 7b3e9d41c2a8
Revises: dc9d067dac3d
Create Date: 2026-12-02 08:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.payment_schedule

revision: str = "7b3e9d41c2a8"
down_revision: str | None = "dc9d067dac3d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE: a batch copy of either table would lose its expression indexes, which
    # SQLite cannot reflect.
    op.add_column(
        "sales_order",
        sa.Column("hold_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    )
    op.add_column(
        "sales_order",
        sa.Column(
            "payment_schedule",
            models.payment_schedule.PaymentPartsType(),
            nullable=False,
            server_default=sa.text("'[]'"),
        ),
    )
    for table in ("sales_order", "invoice"):
        op.add_column(
            table,
            sa.Column("is_price_locked", sa.Boolean(), nullable=False, server_default=sa.true()),
        )
    op.add_column("invoice", sa.Column("schedule_part", sa.Integer(), nullable=True))
    # The revenue a system-calculated opportunity showed as empty is its lines' total.
    op.execute(
        sa.text(
            "UPDATE opportunity SET estimated_revenue = total_amount "
            "WHERE is_revenue_system_calculated"
        )
    )


def downgrade() -> None:
    op.drop_column("invoice", "schedule_part")
    for table in ("invoice", "sales_order"):
        op.drop_column(table, "is_price_locked")
    op.drop_column("sales_order", "payment_schedule")
    op.drop_column("sales_order", "hold_reason")
