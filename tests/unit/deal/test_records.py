"""A deal's records as plain data (models/deal/records.py): listed in order, changed by an effect
as a fresh read would show them, and the snapshot the workflow keeps of them."""

import uuid
from datetime import timedelta
from decimal import Decimal

from models.account import AccountRecord
from models.deal.invoice import CancelInvoice, Pay
from models.deal.lead import Qualify
from models.deal.lines import AddLine
from models.deal.order import Fulfill, InvoiceOrder
from models.deal.quote import Accept, Activate, CreateQuote, Revise
from models.deal.records import Deal, Effect
from models.deal.state import Outcome, Stage
from models.invoice import InvoiceRecord, InvoiceState, PaymentFields
from models.lead import LeadRecord
from models.line_item import Document, LineInput, LineItemRecord
from models.opportunity import OpportunityRecord
from models.quote import QuoteRecord, QuoteState
from tests.unit.deal.builders import (
    DEAL_ID,
    NOW,
    OWNER,
    SELLER,
    FakeSharedRecords,
    apply,
    invoice_deal,
    lead_deal,
    lead_record,
    line_record,
    opportunity_record,
    order_deal,
    qualified_deal,
    quote_record,
    quoted_deal,
    run,
    step,
)

# --- Deal.of ----------------------------------------------------------------------------------


def test_a_deal_lists_its_documents_as_created_and_its_lines_by_number() -> None:
    lead = lead_record()
    opportunity = opportunity_record()
    older, newer = quote_record(opportunity), quote_record(opportunity)
    third = line_record(Document.opportunity, opportunity.id, 3)
    first = line_record(Document.opportunity, opportunity.id, 1)
    second = line_record(Document.quote, older.id, 2)
    deal = Deal.of(DEAL_ID, [third, newer, second, opportunity, first, older, lead])
    assert (deal.lead, deal.opportunity) == (lead, opportunity)
    assert deal.quotes == (older, newer)
    assert deal.lines == (first, second, third)
    assert deal.lines_of(opportunity.id) == [first, third]
    assert list(deal.records()) == [lead, opportunity, older, newer, first, second, third]


def test_a_deal_finds_its_records_by_id_and_kind() -> None:
    deal = qualified_deal()
    assert deal.opportunity is not None
    assert deal.get(OpportunityRecord, deal.opportunity.id) == deal.opportunity
    assert deal.get(QuoteRecord, deal.opportunity.id) is None
    assert deal.get(OpportunityRecord, uuid.uuid4()) is None
    assert deal.get(OpportunityRecord, None) is None


# --- Deal.after -------------------------------------------------------------------------------


def test_after_an_effect_the_deal_holds_what_it_created_changed_and_not_what_it_removed() -> None:
    deal = qualified_deal("100.00", "20.00")
    lead, opportunity = deal.lead, deal.opportunity
    assert lead is not None and opportunity is not None
    first, second = deal.lines
    changed = opportunity.model_copy(update={"name": "Renamed"})
    added = line_record(Document.opportunity, opportunity.id, 3)
    effect = Effect(
        "opportunity", opportunity.id, "", created=(added,), changed=(changed,), removed=(first,)
    )
    after = deal.after(effect)
    assert after.opportunity == changed
    assert after.lines == (second, added)
    assert after.lead == lead
    assert deal.opportunity == opportunity  # the deal itself is plain data, unchanged


def test_accounts_and_contacts_an_effect_creates_are_shared_not_the_deals() -> None:
    deal = lead_deal()
    effect = apply(deal, Qualify())
    assert any(isinstance(r, AccountRecord) for r in effect.created)
    after = deal.after(effect)
    assert {type(r) for r in after.records()} == {LeadRecord, OpportunityRecord}


# --- Step -------------------------------------------------------------------------------------


def test_a_steps_ids_are_derived_from_its_id_so_a_retry_makes_the_same_records() -> None:
    step_id = uuid.uuid4()
    assert step(step_id).new_id("order") == step(step_id).new_id("order")
    assert step(step_id).new_id("order") == uuid.uuid5(step_id, "order")
    assert step(step_id).new_id("order") != step(step_id).new_id("invoice")
    assert step(step_id).new_id("order") != step().new_id("order")


def test_a_step_stamps_what_it_creates_and_changes() -> None:
    made = step().new(
        OpportunityRecord, {"id": uuid.uuid4(), "deal_id": DEAL_ID, "name": "x"}, OWNER
    )
    assert (made.owner_id, made.created_by, made.modified_by) == (OWNER, SELLER, SELLER)
    assert (made.created_at, made.modified_at, made.is_active) == (NOW, NOW, True)
    later = NOW + timedelta(hours=1)
    changed = step(at=later, by=OWNER).change(made, name="y")
    assert (changed.name, changed.modified_at, changed.modified_by) == ("y", later, OWNER)
    assert (changed.created_at, changed.created_by) == (NOW, SELLER)
    assert step(at=later).today == later.date()


# --- snapshot ---------------------------------------------------------------------------------


def test_the_snapshot_reads_amounts_at_the_databases_scale() -> None:
    state = qualified_deal("12.5").snapshot()
    assert state.opportunity is not None
    assert str(state.opportunity.value) == "25.0000"
    assert str(state.lines[0].extended_amount) == "25.0000"


def test_the_snapshot_counts_what_live_invoices_bill_of_each_order_line() -> None:
    deal = order_deal((10, "10.00"), (4, "25.00"))
    (order,) = deal.orders
    laptop, mouse = deal.lines
    three = InvoiceOrder(order_id=order.id, lines=[{"order_line_id": laptop.id, "quantity": "3"}])
    half = InvoiceOrder(
        order_id=order.id,
        lines=[
            {"order_line_id": laptop.id, "quantity": "5"},
            {"order_line_id": mouse.id, "quantity": "2"},
        ],
    )
    deal = run(deal, three, half)
    state = deal.snapshot()
    laptop_state, mouse_state = state.lines_of(order.id)
    assert (laptop_state.invoiced_quantity, laptop_state.remaining_quantity) == (8, 2)
    assert laptop_state.invoiced_amount == Decimal("80.00")
    assert (mouse_state.invoiced_quantity, mouse_state.invoiced_amount) == (2, Decimal("50.00"))
    assert state.orders[0].invoiced_amount == Decimal("130.00")

    first, _ = deal.invoices
    cancelled = run(deal, CancelInvoice(invoice_id=first.id)).snapshot()
    laptop_state, _ = cancelled.lines_of(order.id)
    assert laptop_state.invoiced_quantity == 5
    assert cancelled.orders[0].invoiced_amount == Decimal("100.00")


def test_the_snapshot_lists_each_invoices_payments_and_which_are_cancelled() -> None:
    deal = invoice_deal("100.00", "30.00", canceled_payments=("20.00",))
    (invoice,) = deal.snapshot().invoices
    assert [(p.amount, p.canceled) for p in invoice.payments] == [
        (Decimal(30), False),
        (Decimal(20), True),
    ]
    assert (invoice.amount_paid, invoice.balance_due) == (Decimal(30), Decimal(70))


def test_a_deal_goes_through_every_stage_from_lead_to_paid() -> None:
    """The whole sales process as the pure core runs it, stage by stage."""
    shared = FakeSharedRecords()
    deal = lead_deal(company_name="Northwind")
    stages = [deal.snapshot().stage]

    deal = run(deal, Qualify(), shared=shared)
    stages.append(deal.snapshot().stage)
    opportunity = deal.opportunity
    assert opportunity is not None
    line = LineInput(write_in_description="Desk", quantity=Decimal(4), price_per_unit=Decimal(250))
    deal = run(deal, AddLine(document_id=opportunity.id, line=line), CreateQuote())
    stages.append(deal.snapshot().stage)
    (quote,) = deal.quotes
    deal = run(deal, Activate(quote_id=quote.id))
    stages.append(deal.snapshot().stage)
    deal = run(deal, Revise(quote_id=quote.id))
    stages.append(deal.snapshot().stage)
    revision = deal.quotes[-1]
    deal = run(deal, Activate(quote_id=revision.id), Accept(quote_id=revision.id))
    stages.append(deal.snapshot().stage)
    (order,) = deal.orders
    deal = run(deal, InvoiceOrder(order_id=order.id), Fulfill(order_id=order.id))
    stages.append(deal.snapshot().stage)
    (invoice,) = deal.invoices
    assert isinstance(invoice, InvoiceRecord)
    deal = run(deal, Pay(invoice_id=invoice.id, payment=PaymentFields(amount=Decimal(1000))))
    state = deal.snapshot()
    stages.append(state.stage)

    assert stages == [
        Stage.qualify,
        Stage.develop,
        Stage.propose,
        Stage.close,
        Stage.propose,
        Stage.fulfill,
        Stage.fulfill,
        Stage.done,
    ]
    assert (state.outcome, state.value) == (Outcome.won, Decimal("1000.00"))
    assert [(q.revision_number, q.state) for q in deal.quotes] == [
        (0, QuoteState.closed),
        (1, QuoteState.won),
    ]
    assert deal.invoices[0].state is InvoiceState.paid
    assert [li.document for li in deal.lines] == [
        Document.opportunity,
        Document.quote,
        Document.quote,
        Document.order,
        Document.invoice,
    ]
    assert {li.extended_amount for li in deal.lines if isinstance(li, LineItemRecord)} == {
        Decimal("1000.00")
    }


def test_a_deal_with_an_active_quote_stays_in_close_when_another_is_drafted() -> None:
    deal = quoted_deal(state=QuoteState.active)
    assert deal.snapshot().stage is Stage.close
    assert run(deal, CreateQuote()).snapshot().stage is Stage.close
