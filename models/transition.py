"""What the deal workflow hands its activity for one transition, and what it gets back."""

import uuid
from datetime import datetime

from pydantic import BaseModel

from models.deal import DealState
from models.deal_actions import DealAction


class TransitionRequest(BaseModel):
    deal_id: str
    # Chosen by the workflow (deterministic on replay): the idempotency key of the whole step,
    # and the seed of the ids of every record the step creates.
    step_id: uuid.UUID
    at: datetime
    by: uuid.UUID | None = None
    action: DealAction


class TransitionResult(BaseModel):
    state: DealState
    # The record the transition is about (the new quote of a revise, the order of an accept...).
    record: str
    record_id: uuid.UUID
