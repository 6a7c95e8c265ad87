"""The deal's journal: one row per accepted transition, who made it and when.

Its id is the transition's step id, chosen by the workflow, which makes every transition
idempotent: an activity retried after its commit finds its own row and writes nothing twice.
"""

import uuid
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import UTCDateTime


class DealEvent(SQLModel, table=True):
    __tablename__ = "deal_event"

    id: uuid.UUID = Field(primary_key=True)
    deal_id: str = Field(max_length=80, index=True)
    action: str = Field(max_length=40)
    record: str = Field(max_length=40)
    record_id: uuid.UUID
    stage: str = Field(max_length=20)
    summary: str = Field(max_length=500)
    by: uuid.UUID | None = None
    at: datetime = Field(sa_type=UTCDateTime, index=True)
    __table_args__ = (sa.Index("ix_deal_event_deal_at", "deal_id", "at"),)


class DealEventPublic(SQLModel):
    id: uuid.UUID
    deal_id: str
    action: str
    record: str
    record_id: uuid.UUID
    stage: str
    summary: str
    by: uuid.UUID | None
    at: datetime
