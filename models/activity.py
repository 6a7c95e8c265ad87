"""Activities: tasks, emails, phone calls and appointments regarding any record.

They make a record's timeline, and recording one on a deal's record counts as touching the deal
(its follow-up reminders start over).
"""

import uuid
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from pydantic import model_validator
from sqlmodel import Field, SQLModel

from models.base import (
    RecordPublic,
    RecordTable,
    RequestFields,
    StrEnumType,
    UTCDateTime,
    sort_indexes,
)
from models.errors import InvalidField


class ActivityKind(StrEnum):
    task = "task"
    email = "email"
    phone_call = "phone_call"
    appointment = "appointment"


class ActivityStatus(StrEnum):
    open = "open"
    completed = "completed"
    canceled = "canceled"


class Priority(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"


class Regarding(StrEnum):
    """The records an activity can be about."""

    lead = "lead"
    opportunity = "opportunity"
    quote = "quote"
    order = "order"
    invoice = "invoice"
    account = "account"
    contact = "contact"


class ActivityFields(SQLModel):
    subject: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    due_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    scheduled_start: datetime | None = Field(default=None, sa_type=UTCDateTime)
    scheduled_end: datetime | None = Field(default=None, sa_type=UTCDateTime)
    priority: Priority = Field(default=Priority.normal, sa_type=StrEnumType(Priority, 10))

    @model_validator(mode="after")
    def _schedule(self) -> "ActivityFields":
        check_schedule(self.scheduled_start, self.scheduled_end)
        return self


def check_schedule(start: datetime | None, end: datetime | None) -> None:
    if start and end and end < start:
        raise InvalidField("scheduled_end", "is before scheduled_start")


class ActivityCreate(ActivityFields, RequestFields):
    kind: ActivityKind = ActivityKind.task
    regarding_type: Regarding
    regarding_id: uuid.UUID
    owner_id: uuid.UUID | None = None


class ActivityUpdate(RequestFields):
    """Partial update of an open activity: only the fields sent change."""

    subject: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    due_at: datetime | None = None
    scheduled_start: datetime | None = None
    scheduled_end: datetime | None = None
    priority: Priority | None = None
    owner_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _schedule(self) -> "ActivityUpdate":
        check_schedule(self.scheduled_start, self.scheduled_end)
        return self


class Activity(ActivityFields, RecordTable, table=True):
    # Timelines read a record's activities newest first.
    __table_args__ = (
        sa.Index("ix_activity_regarding_created", "regarding_id", "created_at"),
        sa.Index("ix_activity_rollup_created", "rollup_account_id", "created_at"),
        *sort_indexes("activity", "due_at", text=("subject",), nullable=("due_at",)),
    )
    kind: ActivityKind = Field(sa_type=StrEnumType(ActivityKind, 20), index=True)
    regarding_type: Regarding = Field(sa_type=StrEnumType(Regarding, 20))
    regarding_id: uuid.UUID
    # The deal of the regarded record, if it has one: its timeline and reminders use it.
    deal_id: str | None = Field(default=None, max_length=80, index=True)
    # A contact's activities roll up to its account's timeline.
    rollup_account_id: uuid.UUID | None = None
    status: ActivityStatus = Field(
        default=ActivityStatus.open, sa_type=StrEnumType(ActivityStatus, 20), index=True
    )
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set on tasks the deal workflow creates as reminders: one task per reminder, however retried.
    reminder_key: str | None = Field(default=None, max_length=200, unique=True)


class ActivityPublic(ActivityFields, RecordPublic):
    kind: ActivityKind
    regarding_type: Regarding
    regarding_id: uuid.UUID
    deal_id: str | None
    status: ActivityStatus
    completed_at: datetime | None
    reminder_key: str | None


class ActivityFilters(SQLModel):
    kind: ActivityKind | None = None
    status: ActivityStatus | None = None
    regarding_type: Regarding | None = None
    regarding_id: uuid.UUID | None = None
    deal_id: str | None = None
    owner_id: uuid.UUID | None = None
