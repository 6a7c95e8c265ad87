"""What a reminder produces: a task for the deal's owner, and a notification about it."""

import uuid
from datetime import datetime

from pydantic import BaseModel


class ReminderTask(BaseModel):
    deal_id: str
    # Unique within the deal: a retried or replayed reminder finds its task and makes no other.
    key: str
    subject: str
    owner_id: uuid.UUID | None
    regarding_type: str
    regarding_id: uuid.UUID
    due_at: datetime


class Notification(BaseModel):
    """Sent as JSON to the webhook, and as a plain-text email."""

    deal_id: str
    kind: str
    subject: str
    owner_id: uuid.UUID | None
    record: str
    record_id: uuid.UUID | None
    due_at: datetime
    # Filled in just before sending, from the owner's user record.
    owner_email: str | None = None


class Delivery(BaseModel):
    """One notification to one channel (`webhook`, `email`): each is an activity of its own."""

    channel: str
    notification: Notification


class Escalation(BaseModel):
    """A stalled deal, for its owner's manager: their task is keyed like a reminder's."""

    deal_id: str
    key: str
    subject: str
    owner_id: uuid.UUID | None
    regarding_type: str
    regarding_id: uuid.UUID
    due_at: datetime


class Escalated(BaseModel):
    """Who the escalation went to (no manager: nobody), and whom the deal is to be handed to."""

    manager_id: uuid.UUID | None = None
    task_id: uuid.UUID | None = None
    hand_to: uuid.UUID | None = None
