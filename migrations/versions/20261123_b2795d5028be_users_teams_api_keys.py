"""users teams api keys

Revision ID: b2795d5028be
Revises: c8361674368f
Create Date: 2026-11-23 11:13:56.787978
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.base

revision: str = "b2795d5028be"
down_revision: str | None = "c8361674368f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # team.manager_user_id -> system_user and system_user.team_id -> team form a cycle: the team
    # table is made without its manager key, added once system_user exists.
    op.create_table(
        "team",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("manager_user_id", sa.Uuid(), nullable=True),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_team_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_team_is_active"), ["is_active"], unique=False)
        batch_op.create_index(batch_op.f("ix_team_modified_at"), ["modified_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_team_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_team_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "system_user",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=160), nullable=False),
        sa.Column("email", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    with op.batch_alter_table("system_user", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_system_user_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_system_user_is_active"), ["is_active"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_system_user_modified_at"), ["modified_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_system_user_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_system_user_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_system_user_role"), ["role"], unique=False)
        batch_op.create_index(batch_op.f("ix_system_user_team_id"), ["team_id"], unique=False)

    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.create_foreign_key(
            "fk_team_manager_user_id", "system_user", ["manager_user_id"], ["id"]
        )

    op.create_table(
        "api_key",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("prefix", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("secret_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("last_used_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["system_user.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("secret_hash"),
    )
    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_key_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    # First break the team <-> user cycle (see upgrade).
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_constraint("fk_team_manager_user_id", type_="foreignkey")

    with op.batch_alter_table("api_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_key_user_id"))

    op.drop_table("api_key")
    with op.batch_alter_table("system_user", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_system_user_team_id"))
        batch_op.drop_index(batch_op.f("ix_system_user_role"))
        batch_op.drop_index(batch_op.f("ix_system_user_owner_id"))
        batch_op.drop_index(batch_op.f("ix_system_user_name"))
        batch_op.drop_index(batch_op.f("ix_system_user_modified_at"))
        batch_op.drop_index(batch_op.f("ix_system_user_is_active"))
        batch_op.drop_index(batch_op.f("ix_system_user_created_at"))

    op.drop_table("system_user")
    with op.batch_alter_table("team", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_team_owner_id"))
        batch_op.drop_index(batch_op.f("ix_team_name"))
        batch_op.drop_index(batch_op.f("ix_team_modified_at"))
        batch_op.drop_index(batch_op.f("ix_team_is_active"))
        batch_op.drop_index(batch_op.f("ix_team_created_at"))

    op.drop_table("team")
