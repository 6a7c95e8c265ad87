"""A deal's place in its business process: which process it follows and the steps marked done.

A deal's own record (one per deal, made by its first `mark_step` or process choice), so only
its workflow writes it and its snapshot knows the marks.
"""

import uuid
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import RecordPublic, RecordTable


class DealProcessFields(SQLModel):
    deal_id: str = Field(max_length=80, unique=True)
    # The process the deal follows, and its stages' steps as they were when it was chosen
    # (none: the built-in lead-to-opportunity process).
    process_id: uuid.UUID | None = None
    process_name: str | None = Field(default=None, max_length=100)
    stages: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    # The keys of the steps a person marked done.
    steps_done: list[str] = Field(default_factory=list, sa_type=sa.JSON)


class DealProcess(DealProcessFields, RecordTable, table=True):
    pass


class DealProcessRecord(DealProcessFields, RecordPublic):
    """A deal's process record as plain data: what the deal's actions read and return."""
