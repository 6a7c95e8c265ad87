"""pricing and billing: the two were built side by side; this joins their migrations.

Revision ID: 4393eeb95b6c
Revises: 5b13ad57709c, 7b3e9d41c2a8
Create Date: 2026-12-02 09:36:05.716117
"""

from collections.abc import Sequence

revision: str = "4393eeb95b6c"
down_revision: tuple[str, ...] = ("5b13ad57709c", "7b3e9d41c2a8")
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
