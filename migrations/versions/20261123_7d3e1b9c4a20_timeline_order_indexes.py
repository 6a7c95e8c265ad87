"""timeline order indexes

Timelines list newest first, ties by id. Indexes on (record, time) alone left the id out of the
order, so without a cursor PostgreSQL sorted all of a busy record's activities for the first
page; with the id in the index, the page is read in order.

Revision ID: 7d3e1b9c4a20
Revises: 32faa6f5c74e
Create Date: 2026-11-23 18:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "7d3e1b9c4a20"
down_revision: str | None = "32faa6f5c74e"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# index name: (table, columns before, columns after)
TIMELINE = {
    "ix_activity_regarding_created": (
        "activity",
        ["regarding_id", "created_at"],
        ["regarding_id", "created_at", "id"],
    ),
    "ix_activity_rollup_created": (
        "activity",
        ["rollup_account_id", "created_at"],
        ["rollup_account_id", "created_at", "id"],
    ),
    "ix_deal_event_deal_at": ("deal_event", ["deal_id", "at"], ["deal_id", "at", "id"]),
}


def upgrade() -> None:
    for name, (table, _before, after) in TIMELINE.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, after)


def downgrade() -> None:
    for name, (table, before, _after) in TIMELINE.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, before)
