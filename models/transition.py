"""What the deal workflow hands its activity for one transition, and what it gets back."""

import uuid
from datetime import datetime

from pydantic import BaseModel

from models.deal.actions import DealAction
from models.deal.state import DealState, Outcome, Stage


class TransitionRequest(BaseModel):
    deal_id: str
    # Chosen by the workflow (deterministic on replay): the idempotency key of the whole step,
    # and the seed of the ids of every record the step creates.
    step_id: uuid.UUID
    at: datetime
    by: uuid.UUID | None = None
    action: DealAction


class TransitionReply(BaseModel):
    """What a transition answers its caller: where the deal stands and the record the transition
    is about (the new quote of a revise, the order of an accept...). The caller reads the
    records themselves from the database, so the snapshot stays out of the update's result."""

    stage: Stage
    outcome: Outcome
    record: str
    record_id: uuid.UUID


class TransitionResult(BaseModel):
    """What the activity hands the workflow: the snapshot it keeps, and the record."""

    state: DealState
    record: str
    record_id: uuid.UUID

    def reply(self) -> TransitionReply:
        return TransitionReply(
            stage=self.state.stage,
            outcome=self.state.outcome,
            record=self.record,
            record_id=self.record_id,
        )
