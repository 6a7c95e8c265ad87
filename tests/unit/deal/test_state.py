"""The snapshot the workflow keeps (models/deal/state.py): the stage and outcome its documents put
the deal in, what the deal is worth, and the record reminders are filed on."""

import uuid
from decimal import Decimal

from models.deal.state import (
    DealState,
    InvoiceSnapshot,
    LeadSnapshot,
    OpportunitySnapshot,
    OrderSnapshot,
    Outcome,
    QuoteSnapshot,
    Stage,
)
from models.invoice import InvoiceState, InvoiceStatus
from models.lead import LeadState, LeadStatus
from models.opportunity import OpportunityState, OpportunityStatus
from models.order import OrderState, OrderStatus
from models.quote import QuoteState, QuoteStatus
from tests.unit.deal.builders import DEAL_ID


def lead(state: LeadState = LeadState.open, opportunity_id: uuid.UUID | None = None) -> DealState:
    return DealState(
        deal_id=DEAL_ID,
        lead=LeadSnapshot(
            id=uuid.uuid4(),
            state=state,
            status_reason=LeadStatus.new,
            opportunity_id=opportunity_id,
        ),
    )


def opportunity(state: OpportunityState = OpportunityState.open, **more: object) -> DealState:
    return DealState.model_validate(
        {
            "deal_id": DEAL_ID,
            "opportunity": OpportunitySnapshot(
                id=uuid.uuid4(),
                state=state,
                status_reason=OpportunityStatus.in_progress,
                value=Decimal(100),
            ),
            **more,
        }
    )


def quote(state: QuoteState) -> QuoteSnapshot:
    return QuoteSnapshot(
        id=uuid.uuid4(), state=state, status_reason=QuoteStatus.in_progress, revision_number=0
    )


def order(
    state: OrderState = OrderState.active, total: int = 100, billed: int = 0
) -> OrderSnapshot:
    return OrderSnapshot(
        id=uuid.uuid4(),
        state=state,
        status_reason=OrderStatus.new,
        total_amount=Decimal(total),
        invoiced_amount=Decimal(billed),
    )


def invoice(state: InvoiceState = InvoiceState.active, total: int = 100) -> InvoiceSnapshot:
    return InvoiceSnapshot(
        id=uuid.uuid4(),
        order_id=None,
        state=state,
        status_reason=InvoiceStatus.new,
        total_amount=Decimal(total),
    )


def test_stages_follow_the_documents() -> None:
    assert lead().stage is Stage.qualify
    assert opportunity().stage is Stage.develop
    assert opportunity(quotes=[quote(QuoteState.draft)]).stage is Stage.propose
    assert opportunity(quotes=[quote(QuoteState.active)]).stage is Stage.close
    assert opportunity(quotes=[quote(QuoteState.draft), quote(QuoteState.active)]).stage is (
        Stage.close
    )
    assert opportunity(quotes=[quote(QuoteState.closed)]).stage is Stage.develop
    assert opportunity(OpportunityState.lost).stage is Stage.done
    assert lead(LeadState.disqualified).stage is Stage.done


def test_a_won_deal_stays_in_fulfill_until_billed_and_paid() -> None:
    new_order = OrderSnapshot(
        id=uuid.uuid4(),
        state=OrderState.active,
        status_reason=OrderStatus.new,
        total_amount=Decimal(100),
    )
    won = opportunity(OpportunityState.won, orders=[new_order])
    assert won.stage is Stage.fulfill
    billed = new_order.model_copy(
        update={"state": OrderState.invoiced, "invoiced_amount": Decimal(100)}
    )
    unpaid = InvoiceSnapshot(
        id=uuid.uuid4(),
        order_id=new_order.id,
        state=InvoiceState.active,
        status_reason=InvoiceStatus.new,
        total_amount=Decimal(100),
    )
    assert (
        opportunity(OpportunityState.won, orders=[billed], invoices=[unpaid]).stage is Stage.fulfill
    )
    paid = unpaid.model_copy(update={"state": InvoiceState.paid})
    done = opportunity(OpportunityState.won, orders=[billed], invoices=[paid])
    assert done.stage is Stage.done and done.outcome == "won"


def test_an_empty_deal_is_done_so_a_refused_opening_leaves_nothing_running() -> None:
    empty = DealState(deal_id=DEAL_ID)
    assert empty.is_done and empty.is_empty
    assert empty.main_record == ("deal", None)


def test_outcomes_follow_the_documents() -> None:
    assert lead().outcome is Outcome.open
    assert lead(LeadState.disqualified).outcome is Outcome.disqualified
    assert lead(LeadState.qualified).outcome is Outcome.qualified
    assert opportunity().outcome is Outcome.open
    assert opportunity(OpportunityState.lost).outcome is Outcome.lost
    assert opportunity(OpportunityState.won).outcome is Outcome.won
    assert DealState(deal_id=DEAL_ID, orders=[order()]).outcome is Outcome.open
    cancelled = DealState(deal_id=DEAL_ID, orders=[order(OrderState.canceled)])
    assert (cancelled.outcome, cancelled.stage) == (Outcome.canceled, Stage.done)
    settled = DealState(
        deal_id=DEAL_ID,
        orders=[order(OrderState.canceled)],
        invoices=[invoice(InvoiceState.paid)],
    )
    assert settled.outcome is Outcome.won


def test_an_order_billed_in_part_keeps_the_deal_in_fulfill() -> None:
    part = DealState(
        deal_id=DEAL_ID, orders=[order(billed=40)], invoices=[invoice(InvoiceState.paid, 40)]
    )
    assert (part.stage, part.outcome) == (Stage.fulfill, Outcome.open)
    whole = DealState(
        deal_id=DEAL_ID,
        orders=[order(OrderState.fulfilled, billed=100)],
        invoices=[invoice(InvoiceState.paid)],
    )
    assert (whole.stage, whole.outcome) == (Stage.done, Outcome.won)


def test_a_deal_is_worth_its_opportunity_else_its_live_orders_else_its_live_invoices() -> None:
    assert opportunity().value == Decimal(100)
    orders = DealState(
        deal_id=DEAL_ID, orders=[order(total=100), order(total=50), order(OrderState.canceled, 70)]
    )
    assert orders.value == Decimal(150)
    invoices = DealState(
        deal_id=DEAL_ID, invoices=[invoice(total=30), invoice(InvoiceState.canceled, 20)]
    )
    assert invoices.value == Decimal(30)


def test_reminders_are_filed_on_the_opportunity_else_the_lead_else_the_first_order_or_invoice() -> (
    None
):
    qualified = opportunity()
    assert qualified.opportunity is not None
    assert qualified.main_record == ("opportunity", qualified.opportunity.id)
    open_lead = lead()
    assert open_lead.lead is not None
    assert open_lead.main_record == ("lead", open_lead.lead.id)
    first, second = order(), order()
    assert DealState(deal_id=DEAL_ID, orders=[first, second]).main_record == ("order", first.id)
    billed = invoice()
    assert DealState(deal_id=DEAL_ID, invoices=[billed]).main_record == ("invoice", billed.id)
