"""What the deal workflow hands its activity for one transition, and what it gets back."""

import uuid
from datetime import datetime

from pydantic import BaseModel

from models.deal.actions import DealAction
from models.deal.records import DealDocuments
from models.deal.state import DealState, Outcome, Stage


class TransitionRequest(BaseModel):
    deal_id: str
    # Chosen by the workflow (deterministic on replay): the idempotency key of the whole step,
    # and the seed of the ids of every record the step creates.
    step_id: uuid.UUID
    at: datetime
    by: uuid.UUID | None = None
    action: DealAction
    # The step of the transition the workflow applied last (None in a run that has made none):
    # a worker that remembers the deal as that step left it need not read it again.
    after_step: uuid.UUID | None = None


class TransitionReply(BaseModel):
    """What a transition answers its caller: where the deal stands, the record the transition
    is about (the new quote of a revise, the order of an accept...), and the deal's documents
    as they now are, so the caller need not read them back. The snapshot stays in the workflow.
    `documents` is None from the activity of a run that began before it answered them."""

    stage: Stage
    outcome: Outcome
    record: str
    record_id: uuid.UUID
    documents: DealDocuments | None = None


class TransitionResult(BaseModel):
    """What the activity hands the workflow: the snapshot it keeps, the record, the documents."""

    state: DealState
    record: str
    record_id: uuid.UUID
    documents: DealDocuments | None = None
    # The team of the deal's owner as the step left it (None: no owner, or no team), for the
    # deal's search attributes. Unknown (absent) from the activity of an older worker.
    owner_team_id: uuid.UUID | None = None

    def reply(self) -> TransitionReply:
        return TransitionReply(
            stage=self.state.stage,
            outcome=self.state.outcome,
            record=self.record,
            record_id=self.record_id,
            documents=self.documents,
        )
