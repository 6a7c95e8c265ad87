"""What callers send a deal workflow, and what it shows back."""

import uuid
from datetime import datetime

from pydantic import BaseModel

from models.deal import DealState, Outcome, Stage
from models.deal_actions import DealAction


class DealStart(BaseModel):
    """Every run starts by reading the deal's records, so a new run (a reactivated lead, a deal
    continued as new) picks up exactly where the database is."""

    deal_id: str


class DealCommand(BaseModel):
    """One transition, as an update or a signal whose name is `action.action`."""

    action: DealAction
    by: uuid.UUID | None = None


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


class DealSummary(BaseModel):
    """What a finished deal run returns."""

    deal_id: str
    stage: Stage
    outcome: Outcome
