"""list sort indexes

Every field a list of a growing table sorts by gets an index, so a page is read in order instead
of sorting the whole table; text sorts ignoring case, so its index is on lower(...). Timelines
read a record's activities newest first. Plain text indexes that no query could use go.

Revision ID: 32faa6f5c74e
Revises: 2d0765d8bd97
Create Date: 2026-11-23 13:45:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from models.base import EmptyFirst

revision: str = "32faa6f5c74e"
down_revision: str | None = "2d0765d8bd97"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PLAIN = {
    "activity": ("due_at",),
    "opportunity": ("total_amount", "estimated_close_date"),
    "quote": ("total_amount", "revision_number"),
    "sales_order": ("total_amount",),
    "invoice": ("total_amount", "due_date"),
}
LOWER = {
    "lead": ("last_name", "company_name", "topic"),
    "opportunity": ("name",),
    "quote": ("quote_number",),
    "sales_order": ("order_number",),
    "invoice": ("invoice_number",),
    "activity": ("subject",),
    "account": ("name", "account_number", "city"),
    "contact": ("last_name", "first_name", "email"),
}
NULLABLE = {  # sorted with empty values first: PostgreSQL's index must say so
    "lead": ("company_name",),
    "opportunity": ("estimated_close_date",),
    "invoice": ("due_date",),
    "activity": ("due_at",),
    "account": ("account_number", "city"),
    "contact": ("first_name", "email"),
}
TIMELINE = {
    "ix_activity_regarding_created": ("regarding_id", "created_at"),
    "ix_activity_rollup_created": ("rollup_account_id", "created_at"),
}
REPLACED = {  # single-column indexes the new ones make useless: (table, column)
    "ix_lead_last_name": ("lead", "last_name"),
    "ix_lead_company_name": ("lead", "company_name"),
    "ix_account_name": ("account", "name"),
    "ix_contact_last_name": ("contact", "last_name"),
    "ix_activity_regarding_id": ("activity", "regarding_id"),
    "ix_activity_rollup_account_id": ("activity", "rollup_account_id"),
    "ix_activity_due_at": ("activity", "due_at"),  # rebuilt below, empty values first
}


def upgrade() -> None:
    for name, (table, _column) in REPLACED.items():
        op.drop_index(name, table_name=table)
    for table, columns in PLAIN.items():
        for column in columns:
            op.create_index(f"ix_{table}_{column}", table, [_key(table, column, sa.column(column))])
    for table, columns in LOWER.items():
        for column in columns:
            key = _key(table, column, sa.text(f"lower({column})"))
            op.create_index(f"ix_{table}_{column}_lower", table, [key])
    for name, columns in TIMELINE.items():
        op.create_index(name, "activity", list(columns))


def _key(table: str, column: str, key: Any) -> Any:
    return EmptyFirst(key) if column in NULLABLE.get(table, ()) else key


def downgrade() -> None:
    for name in TIMELINE:
        op.drop_index(name, table_name="activity")
    for table, columns in LOWER.items():
        for column in columns:
            op.drop_index(f"ix_{table}_{column}_lower", table_name=table)
    for table, columns in PLAIN.items():
        for column in columns:
            op.drop_index(f"ix_{table}_{column}", table_name=table)
    for name, (table, column) in REPLACED.items():
        op.create_index(name, table, [column])
