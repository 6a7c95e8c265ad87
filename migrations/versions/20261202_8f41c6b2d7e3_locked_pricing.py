"""Locked pricing: an invoice remembers the price list its lines were priced from, which an
unlocked invoice is recalculated from.

Revision ID: 8f41c6b2d7e3
Revises: 4393eeb95b6c
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "8f41c6b2d7e3"
down_revision: str | None = "4393eeb95b6c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ALTER TABLE: a batch copy of the table would lose its expression indexes, which
    # SQLite cannot reflect. SQLite adds a foreign key only with its column.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE invoice ADD COLUMN price_list_id CHAR(32) REFERENCES pricelist(id)")
    else:
        op.add_column("invoice", sa.Column("price_list_id", sa.Uuid(), nullable=True))
        op.create_foreign_key(
            "fk_invoice_pricelist", "invoice", "pricelist", ["price_list_id"], ["id"]
        )
    # An invoice billed from an order was priced from the order's price list.
    op.execute(
        "UPDATE invoice SET price_list_id = (SELECT sales_order.price_list_id FROM sales_order "
        "WHERE sales_order.id = invoice.order_id) WHERE order_id IS NOT NULL"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_invoice_pricelist", "invoice", type_="foreignkey")
    op.drop_column("invoice", "price_list_id")
