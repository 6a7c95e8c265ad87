"""Ops actions on a deal's workflow (retry, terminate, reset, a reminder cancelled), written to
the deal's journal beside its transitions: who did what, and why.

They are not steps of the deal: its records do not change, so the workflow does not write them
(a terminated one could not), the API does."""

import uuid
from datetime import datetime

from sqlmodel import Session

from models.deal_event import DealEvent
from models.errors import NotFound
from services.deal_records import read_deal


def record_ops_action(
    session: Session, deal_id: str, action: str, reason: str, by: uuid.UUID, at: datetime
) -> DealEvent:
    """Journal `action` on the deal's main record (its opportunity, lead, order or invoice)."""
    state = read_deal(session, deal_id).snapshot()
    record, record_id = state.main_record
    if record_id is None:
        raise NotFound("deal", deal_id)
    event = DealEvent(
        id=uuid.uuid4(),
        deal_id=deal_id,
        action=action,
        record=record,
        record_id=record_id,
        stage=state.stage,
        summary=reason,
        by=by,
        at=at,
    )
    session.add(event)
    session.commit()
    session.refresh(event)
    return event
