"""The deal's rules as plain functions: stages, outcomes and refusals, no server or database."""

import uuid
from datetime import date
from decimal import Decimal

import pytest

from models.deal.actions import ACTIONS, check_action
from models.deal.invoice import CancelInvoice, Pay
from models.deal.lead import CreateLead, Disqualify, Reactivate
from models.deal.order import InvoiceOrder
from models.deal.quote import Accept, Activate
from models.deal.records import ActionInput
from models.deal.state import (
    DealState,
    InvoiceSnapshot,
    LeadSnapshot,
    LineSnapshot,
    OpportunitySnapshot,
    OrderSnapshot,
    PaymentSnapshot,
    QuoteSnapshot,
    Stage,
)
from models.errors import IllegalTransition, InvalidField, NotFound
from models.invoice import InvoiceState, InvoiceStatus, PaymentFields
from models.lead import LeadState, LeadStatus
from models.line_item import Document
from models.opportunity import OpportunityState, OpportunityStatus
from models.order import OrderState, OrderStatus
from models.pricing import extended_amount, share
from models.quote import QuoteState, QuoteStatus

TODAY = date(2026, 11, 23)


def check(action: ActionInput, state: DealState, today: date) -> None:
    check_action(state, action, today)


def lead(state: LeadState = LeadState.open, opportunity_id: uuid.UUID | None = None) -> DealState:
    return DealState(
        deal_id="deal-1",
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
            "deal_id": "deal-1",
            "opportunity": OpportunitySnapshot(
                id=uuid.uuid4(), state=state, status_reason=OpportunityStatus.in_progress
            ),
            **more,
        }
    )


def quote(state: QuoteState, effective_to: date | None = None) -> QuoteSnapshot:
    return QuoteSnapshot(
        id=uuid.uuid4(),
        state=state,
        status_reason=QuoteStatus.in_progress,
        revision_number=0,
        effective_to=effective_to,
    )


def test_stages_follow_the_documents() -> None:
    assert lead().stage is Stage.qualify
    assert opportunity().stage is Stage.develop
    assert opportunity(quotes=[quote(QuoteState.draft)]).stage is Stage.propose
    assert opportunity(quotes=[quote(QuoteState.active)]).stage is Stage.close
    assert opportunity(OpportunityState.lost).stage is Stage.done
    assert lead(LeadState.disqualified).stage is Stage.done


def test_a_won_deal_stays_in_fulfill_until_billed_and_paid() -> None:
    order = OrderSnapshot(
        id=uuid.uuid4(),
        state=OrderState.active,
        status_reason=OrderStatus.new,
        total_amount=Decimal(100),
    )
    won = opportunity(OpportunityState.won, orders=[order])
    assert won.stage is Stage.fulfill
    billed = order.model_copy(
        update={"state": OrderState.invoiced, "invoiced_amount": Decimal(100)}
    )
    invoice = InvoiceSnapshot(
        id=uuid.uuid4(),
        order_id=order.id,
        state=InvoiceState.active,
        status_reason=InvoiceStatus.new,
        total_amount=Decimal(100),
    )
    assert (
        opportunity(OpportunityState.won, orders=[billed], invoices=[invoice]).stage
        is Stage.fulfill
    )
    paid = invoice.model_copy(update={"state": InvoiceState.paid})
    done = opportunity(OpportunityState.won, orders=[billed], invoices=[paid])
    assert done.stage is Stage.done and done.outcome == "won"


def test_an_empty_deal_is_done_so_a_refused_opening_leaves_nothing_running() -> None:
    assert DealState(deal_id="deal-1").is_done


def test_cannot_open_a_deal_twice() -> None:
    with pytest.raises(IllegalTransition, match="already has records"):
        check(
            CreateLead(lead_id=uuid.uuid4(), lead={"topic": "t", "last_name": "x"}), lead(), TODAY
        )


def test_cannot_disqualify_a_lead_with_an_opportunity() -> None:
    with pytest.raises(IllegalTransition) as refused:
        check(Disqualify(reason=LeadStatus.lost), lead(opportunity_id=uuid.uuid4()), TODAY)
    assert refused.value.rule == "the lead already has an opportunity"


def test_disqualify_reason_must_be_a_disqualify_status() -> None:
    with pytest.raises(InvalidField) as refused:
        check(Disqualify(reason=LeadStatus.contacted), lead(), TODAY)
    assert refused.value.field == "reason"


def test_only_a_disqualified_lead_can_be_reactivated() -> None:
    check(Reactivate(), lead(LeadState.disqualified), TODAY)
    with pytest.raises(IllegalTransition):
        check(Reactivate(), lead(LeadState.qualified), TODAY)


def test_an_expired_quote_cannot_be_accepted() -> None:
    expired = quote(QuoteState.active, effective_to=date(2026, 11, 22))
    with pytest.raises(IllegalTransition) as refused:
        check(Accept(quote_id=expired.id), opportunity(quotes=[expired]), TODAY)
    assert refused.value.state == "expired"
    last_day = quote(QuoteState.active, effective_to=TODAY)
    check(Accept(quote_id=last_day.id), opportunity(quotes=[last_day]), TODAY)


def test_a_quote_without_lines_cannot_be_activated() -> None:
    draft = quote(QuoteState.draft)
    with pytest.raises(IllegalTransition, match="no lines"):
        check(Activate(quote_id=draft.id), opportunity(quotes=[draft]), TODAY)


def test_unknown_quote_is_not_found() -> None:
    with pytest.raises(NotFound):
        check(Accept(quote_id=uuid.uuid4()), opportunity(), TODAY)


def test_invoicing_never_bills_more_than_is_left() -> None:
    order = OrderSnapshot(id=uuid.uuid4(), state=OrderState.active, status_reason=OrderStatus.new)
    line = LineSnapshot(
        id=uuid.uuid4(),
        document=Document.order,
        document_id=order.id,
        quantity=Decimal(10),
        extended_amount=Decimal(100),
        invoiced_quantity=Decimal(7),
    )
    state = opportunity(OpportunityState.won, orders=[order], lines=[line])
    check(
        InvoiceOrder(order_id=order.id, lines=[{"order_line_id": line.id, "quantity": 3}]),
        state,
        TODAY,
    )
    with pytest.raises(IllegalTransition, match="has 3 left to bill"):
        check(
            InvoiceOrder(order_id=order.id, lines=[{"order_line_id": line.id, "quantity": 4}]),
            state,
            TODAY,
        )


def test_an_invoice_with_payments_cannot_be_cancelled() -> None:
    invoice = InvoiceSnapshot(
        id=uuid.uuid4(),
        order_id=None,
        state=InvoiceState.active,
        status_reason=InvoiceStatus.partially_paid,
        total_amount=Decimal(50),
        amount_paid=Decimal(10),
        payments=[PaymentSnapshot(id=uuid.uuid4(), amount=Decimal(10))],
    )
    state = DealState(deal_id="deal-1", invoices=[invoice])
    with pytest.raises(IllegalTransition, match="cancel them first"):
        check(CancelInvoice(invoice_id=invoice.id), state, TODAY)
    with pytest.raises(IllegalTransition, match=r"exceeds the balance due 40\.00$"):
        check(
            Pay(invoice_id=invoice.id, payment=PaymentFields(amount=Decimal("40.01"))),
            state,
            TODAY,
        )


def test_line_amounts_round_half_up_to_the_cent() -> None:
    assert extended_amount(
        quantity=Decimal(1), price_per_unit=Decimal(500), manual_discount=Decimal("100.005")
    ) == Decimal("400.00")
    assert extended_amount(quantity=Decimal(3), price_per_unit=Decimal("0.335")) == Decimal("1.01")
    assert share(Decimal("100.00"), Decimal(1), Decimal(3)) == Decimal("33.33")


def test_every_action_has_a_rule() -> None:
    assert all(entry.check.__name__ == f"check_{name}" for name, entry in ACTIONS.items())
