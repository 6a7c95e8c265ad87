"""What callers send a deal workflow, and what it shows back."""

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from models.base import RequestModel
from models.deal.actions import DealAction
from models.deal.state import DealState, Outcome, Stage
from models.reminders import Due, ReminderMemory, ReminderPolicy, ScheduledFollowUp


class DealStart(BaseModel):
    """A run starts by reading the deal's records, so a new run (a reactivated lead, a deal
    continued as new) picks up exactly where the database is; only a brand-new deal (`new`)
    has nothing to read."""

    deal_id: str
    policy: ReminderPolicy = ReminderPolicy()
    # Carried over when the workflow continues as new; a fresh run starts its clocks now.
    memory: ReminderMemory | None = None
    # A run continues as new past this many history events (or when Temporal suggests it).
    history_limit: int = Field(default=5000, ge=20)
    # The caller has just made the deal's id (a new lead, a shortcut's record): nothing to read.
    new: bool = False


class ScheduleFollowUp(BaseModel):
    due_at: datetime
    subject: str = Field(min_length=1, max_length=200)
    by: uuid.UUID | None = None


class CancelFollowUp(BaseModel):
    follow_up_id: uuid.UUID


class OpsReason(RequestModel):
    """Why a person acts on a deal's workflow from outside it: recorded on its history."""

    reason: str = Field(min_length=1, max_length=500)


class CancelReminder(BaseModel):
    """Ops: settle one of the deal's pending reminders (by its key) without sending it."""

    key: str


class ActivityRecorded(BaseModel):
    """Signal from the API: an activity was recorded on one of the deal's records."""

    activity_id: uuid.UUID


class DealCommand(BaseModel):
    """One transition, as an update or a signal whose name is `action.action`."""

    action: DealAction
    by: uuid.UUID | None = None
    # From the caller's Idempotency-Key: the step's id (and the update's), so a retry of the
    # same request lands on the step it made before. None: the workflow picks one.
    step_id: uuid.UUID | None = None


class IgnoredSignal(BaseModel):
    name: str
    reason: str
    at: datetime


class DealView(BaseModel):
    """The live process view, for ops: the `view` query."""

    deal_id: str
    stage: Stage
    outcome: Outcome
    state: DealState
    last_transition_at: datetime | None = None
    ignored_signals: list[IgnoredSignal] = []
    policy: ReminderPolicy = ReminderPolicy()
    last_touch_at: datetime | None = None
    reminders: list[Due] = []
    follow_ups: list[ScheduledFollowUp] = []


class DealSummary(BaseModel):
    """What a finished deal run returns."""

    deal_id: str
    stage: Stage
    outcome: Outcome
