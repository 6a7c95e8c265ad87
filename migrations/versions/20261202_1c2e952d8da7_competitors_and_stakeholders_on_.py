"""Competitors and stakeholders on opportunities: a deal's own records, linked to its
opportunity.

Revision ID: 1c2e952d8da7
Revises: 941f9187d2b7
Create Date: 2026-12-02 06:01:52.420516
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.base

revision: str = "1c2e952d8da7"
down_revision: str | None = "941f9187d2b7"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "opportunitycompetitor",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("deal_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("opportunity_id", sa.Uuid(), nullable=False),
        sa.Column("competitor_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["competitor_id"],
            ["competitor.id"],
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("opportunity_id", "competitor_id"),
    )
    with op.batch_alter_table("opportunitycompetitor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_opportunitycompetitor_competitor_id"), ["competitor_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_opportunitycompetitor_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_opportunitycompetitor_deal_id"), ["deal_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_opportunitycompetitor_is_active"), ["is_active"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_opportunitycompetitor_modified_at"), ["modified_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_opportunitycompetitor_opportunity_id"), ["opportunity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_opportunitycompetitor_owner_id"), ["owner_id"], unique=False
        )

    op.create_table(
        "stakeholder",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("deal_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("opportunity_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("opportunity_id", "contact_id"),
    )
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stakeholder_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stakeholder_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_stakeholder_deal_id"), ["deal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_stakeholder_is_active"), ["is_active"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_stakeholder_modified_at"), ["modified_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stakeholder_opportunity_id"), ["opportunity_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_stakeholder_owner_id"), ["owner_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stakeholder", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stakeholder_owner_id"))
        batch_op.drop_index(batch_op.f("ix_stakeholder_opportunity_id"))
        batch_op.drop_index(batch_op.f("ix_stakeholder_modified_at"))
        batch_op.drop_index(batch_op.f("ix_stakeholder_is_active"))
        batch_op.drop_index(batch_op.f("ix_stakeholder_deal_id"))
        batch_op.drop_index(batch_op.f("ix_stakeholder_created_at"))
        batch_op.drop_index(batch_op.f("ix_stakeholder_contact_id"))

    op.drop_table("stakeholder")
    with op.batch_alter_table("opportunitycompetitor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunitycompetitor_owner_id"))
        batch_op.drop_index(batch_op.f("ix_opportunitycompetitor_opportunity_id"))
        batch_op.drop_index(batch_op.f("ix_opportunitycompetitor_modified_at"))
        batch_op.drop_index(batch_op.f("ix_opportunitycompetitor_is_active"))
        batch_op.drop_index(batch_op.f("ix_opportunitycompetitor_deal_id"))
        batch_op.drop_index(batch_op.f("ix_opportunitycompetitor_created_at"))
        batch_op.drop_index(batch_op.f("ix_opportunitycompetitor_competitor_id"))

    op.drop_table("opportunitycompetitor")
