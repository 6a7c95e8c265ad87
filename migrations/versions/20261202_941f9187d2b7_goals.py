"""goals

Goal metrics (amount or count, what rolls up) and goals (owner, period, target, figures,
parent goal).

Revision ID: 941f9187d2b7
Revises: ea4fdbe58723
Create Date: 2026-12-02 05:48:47.214268
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.base

revision: str = "941f9187d2b7"
down_revision: str | None = "ea4fdbe58723"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "goal_metric",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("amount_field", sa.String(length=30), nullable=True),
        sa.Column("tracks_actual", sa.Boolean(), nullable=False),
        sa.Column("tracks_in_progress", sa.Boolean(), nullable=False),
        sa.Column("tracks_stretch_target", sa.Boolean(), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("goal_metric", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_metric_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_metric_is_active"), ["is_active"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_goal_metric_modified_at"), ["modified_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_goal_metric_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_metric_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "goal",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("actual", models.base.ExactDecimal(precision=19, scale=4), nullable=False),
        sa.Column("in_progress", models.base.ExactDecimal(precision=19, scale=4), nullable=False),
        sa.Column(
            "percentage_achieved", models.base.ExactDecimal(precision=19, scale=4), nullable=False
        ),
        sa.Column("computed_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=True),
        sa.Column("fiscal_period", sa.Integer(), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("metric_id", sa.Uuid(), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("parent_goal_id", sa.Uuid(), nullable=True),
        sa.Column("rolls_up_from_children_only", sa.Boolean(), nullable=False),
        sa.Column("target", models.base.ExactDecimal(precision=19, scale=4), nullable=False),
        sa.Column("stretch_target", models.base.ExactDecimal(precision=19, scale=4), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.ForeignKeyConstraint(
            ["metric_id"],
            ["goal_metric.id"],
        ),
        sa.ForeignKeyConstraint(
            ["parent_goal_id"],
            ["goal.id"],
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_goal_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_is_active"), ["is_active"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_metric_id"), ["metric_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_modified_at"), ["modified_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_goal_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_goal_parent_goal_id"), ["parent_goal_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_goal_team_id"), ["team_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("goal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_team_id"))
        batch_op.drop_index(batch_op.f("ix_goal_parent_goal_id"))
        batch_op.drop_index(batch_op.f("ix_goal_owner_id"))
        batch_op.drop_index(batch_op.f("ix_goal_name"))
        batch_op.drop_index(batch_op.f("ix_goal_modified_at"))
        batch_op.drop_index(batch_op.f("ix_goal_metric_id"))
        batch_op.drop_index(batch_op.f("ix_goal_is_active"))
        batch_op.drop_index(batch_op.f("ix_goal_created_at"))

    op.drop_table("goal")
    with op.batch_alter_table("goal_metric", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_goal_metric_owner_id"))
        batch_op.drop_index(batch_op.f("ix_goal_metric_name"))
        batch_op.drop_index(batch_op.f("ix_goal_metric_modified_at"))
        batch_op.drop_index(batch_op.f("ix_goal_metric_is_active"))
        batch_op.drop_index(batch_op.f("ix_goal_metric_created_at"))

    op.drop_table("goal_metric")
