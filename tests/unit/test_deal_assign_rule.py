"""Handing a deal over: the rule the workflow checks before the assign transition runs."""

import uuid
from datetime import date

import pytest

from models.deal.actions import ACTIONS, AUTOMATIC_ACTIONS, check_action
from models.deal.ownership import Assign
from models.deal.state import DealState, LeadSnapshot, OpportunitySnapshot
from models.errors import NotFound
from models.lead import LeadState, LeadStatus
from models.opportunity import OpportunityState, OpportunityStatus

TODAY = date(2026, 11, 23)


def qualified_deal(opportunity_state: OpportunityState = OpportunityState.open) -> DealState:
    opportunity_id = uuid.uuid4()
    return DealState(
        deal_id="deal-1",
        lead=LeadSnapshot(
            id=uuid.uuid4(),
            state=LeadState.qualified,
            status_reason=LeadStatus.qualified,
            opportunity_id=opportunity_id,
        ),
        opportunity=OpportunitySnapshot(
            id=opportunity_id, state=opportunity_state, status_reason=OpportunityStatus.in_progress
        ),
    )


def assign(record: str, record_id: uuid.UUID) -> Assign:
    return Assign.model_validate(
        {"owner_id": uuid.uuid4(), "record": record, "record_id": record_id}
    )


def test_a_deal_is_handed_over_from_any_of_its_records() -> None:
    deal = qualified_deal()
    assert deal.lead is not None and deal.opportunity is not None
    check_action(deal, assign("lead", deal.lead.id), TODAY)
    check_action(deal, assign("opportunity", deal.opportunity.id), TODAY)


def test_a_closed_deal_changes_hands_too() -> None:
    deal = qualified_deal(OpportunityState.lost)
    assert deal.opportunity is not None
    check_action(deal, assign("opportunity", deal.opportunity.id), TODAY)


@pytest.mark.parametrize("record", ["lead", "opportunity", "quote", "order", "invoice"])
def test_cannot_assign_a_deal_from_a_record_of_another_deal(record: str) -> None:
    with pytest.raises(NotFound) as refused:
        check_action(qualified_deal(), assign(record, uuid.uuid4()), TODAY)
    assert refused.value.record == record


def test_assign_is_a_deal_action_of_its_own_name() -> None:
    assert ACTIONS["assign"].input is Assign
    assert "assign" not in AUTOMATIC_ACTIONS  # a person's act: the follow-up clocks start over
