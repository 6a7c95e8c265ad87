"""price list item percentage

The percentage of the percentage pricing methods (percent of list, markup or margin over cost).

Revision ID: 13497e6a18df
Revises: e09fb8d23c76
Create Date: 2026-11-23 20:05:54.909091
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "13497e6a18df"
down_revision: str | None = "e09fb8d23c76"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, as in 5b1e0c7d9a21: a batch copy of the table would lose its partial index.
def upgrade() -> None:
    op.add_column(
        "pricelistitem",
        sa.Column("percentage", models.base.ExactDecimal(precision=19, scale=4), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("pricelistitem", "percentage")
