"""Business processes as records (businessprocess), the seeds' lead-to-opportunity process as the
default, and a deal's copy of the steps of the process it chose.

Revision ID: dc9d067dac3d
Revises: a6e2df5c2eec
Create Date: 2026-12-02 06:27:47.774997
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import models.base

revision: str = "dc9d067dac3d"
down_revision: str | None = "a6e2df5c2eec"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The process as this migration made it (models.process.LEAD_TO_OPPORTUNITY then): stage, and
# each step's key, name, the field that fills it, and whether it is required.
LEAD_TO_OPPORTUNITY_ID = uuid.UUID("6a1f0d3e-5b7c-4e2a-9c1d-000000000001")
LEAD_TO_OPPORTUNITY_STAGES: list[tuple[str, list[tuple[str, str, str | None, bool]]]] = [
    (
        "Qualify",
        [
            ("identify_contact", "Identify contact", "contact", True),
            ("identify_account", "Identify account", "account", True),
            ("purchase_timeframe", "Purchase timeframe", "purchase_timeframe", False),
            ("estimated_budget", "Estimated budget", "estimated_budget", False),
            ("purchase_process", "Purchase process", "purchase_process", False),
            ("identify_decision_maker", "Identify decision maker", "decision_maker", False),
            ("capture_summary", "Capture summary", "description", False),
        ],
    ),
    (
        "Develop",
        [
            ("customer_need", "Customer need", "customer_need", True),
            ("proposed_solution", "Proposed solution", "proposed_solution", False),
            ("identify_stakeholders", "Identify stakeholders", "stakeholders", False),
            ("identify_competitors", "Identify competitors", "competitors", False),
        ],
    ),
    (
        "Propose",
        [
            ("identify_sales_team", "Identify sales team", None, False),
            ("develop_proposal", "Develop proposal", "quote", True),
            ("complete_internal_review", "Complete internal review", None, False),
            ("present_proposal", "Present proposal", None, False),
        ],
    ),
    (
        "Close",
        [
            ("complete_final_proposal", "Complete final proposal", "active_quote", False),
            ("present_final_proposal", "Present final proposal", None, False),
            ("confirm_decision_date", "Confirm decision date", "estimated_close_date", False),
            ("send_thank_you", "Send thank you", None, False),
            ("file_debrief", "File debrief", None, False),
        ],
    ),
]


def upgrade() -> None:
    op.create_table(
        "businessprocess",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("modified_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=True),
        sa.Column("modified_by", sa.Uuid(), nullable=True),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("stages", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("businessprocess", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_businessprocess_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_businessprocess_is_active"), ["is_active"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_businessprocess_modified_at"), ["modified_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_businessprocess_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_businessprocess_owner_id"), ["owner_id"], unique=False)

    op.add_column(
        "dealprocess",
        sa.Column("process_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    )
    op.add_column(
        "dealprocess", sa.Column("stages", sa.JSON(), nullable=False, server_default="[]")
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        sa.table(
            "businessprocess",
            sa.column("id", sa.Uuid()),
            sa.column("is_active", sa.Boolean()),
            sa.column("created_at", models.base.UTCDateTime(timezone=True)),
            sa.column("modified_at", models.base.UTCDateTime(timezone=True)),
            sa.column("name", sa.String()),
            sa.column("description", sa.String()),
            sa.column("is_default", sa.Boolean()),
            sa.column("stages", sa.JSON()),
        ),
        [
            {
                "id": LEAD_TO_OPPORTUNITY_ID,
                "is_active": True,
                "created_at": now,
                "modified_at": now,
                "name": "Lead to opportunity",
                "description": "Dynamics 365's lead to opportunity sales process",
                "is_default": True,
                "stages": [
                    {
                        "stage": stage,
                        "steps": [
                            {"key": key, "name": name, "field": field, "required": required}
                            for key, name, field, required in steps
                        ],
                    }
                    for stage, steps in LEAD_TO_OPPORTUNITY_STAGES
                ],
            }
        ],
    )


def downgrade() -> None:
    op.drop_column("dealprocess", "stages")
    op.drop_column("dealprocess", "process_name")
    with op.batch_alter_table("businessprocess", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_businessprocess_owner_id"))
        batch_op.drop_index(batch_op.f("ix_businessprocess_name"))
        batch_op.drop_index(batch_op.f("ix_businessprocess_modified_at"))
        batch_op.drop_index(batch_op.f("ix_businessprocess_is_active"))
        batch_op.drop_index(batch_op.f("ix_businessprocess_created_at"))

    op.drop_table("businessprocess")
