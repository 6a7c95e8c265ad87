"""Handing a deal over (models/deal/ownership.py): from any of its records, in any state; every
document gets the new owner, lines keep who entered them."""

import uuid

import pytest

from models.deal.order import InvoiceOrder
from models.deal.ownership import Assign, apply_assign, check_assign
from models.deal.quote import Accept
from models.deal.records import Deal
from models.errors import InvalidField, NotFound
from models.line_item import LineItemRecord
from models.opportunity import OpportunityState
from models.quote import QuoteState
from tests.unit.deal.builders import (
    NOW,
    OWNER,
    SELLER,
    TODAY,
    FakeSharedRecords,
    invoice_deal,
    qualified_deal,
    quoted_deal,
    run,
    step,
)


def assign(record: str, record_id: uuid.UUID, owner_id: uuid.UUID | None = None) -> Assign:
    return Assign.model_validate(
        {"owner_id": owner_id or uuid.uuid4(), "record": record, "record_id": record_id}
    )


def billed_deal() -> Deal:
    """A lead, its opportunity, an accepted quote, its order and an invoice of it: a record of
    every kind."""
    deal = quoted_deal(state=QuoteState.active)
    (quote,) = deal.quotes
    deal = run(deal, Accept(quote_id=quote.id))
    (order,) = deal.orders
    return run(deal, InvoiceOrder(order_id=order.id))


def test_a_deal_is_handed_over_from_any_of_its_records() -> None:
    deal = billed_deal()
    state = deal.snapshot()
    assert deal.lead is not None and deal.opportunity is not None
    for record, record_id in [
        ("lead", deal.lead.id),
        ("opportunity", deal.opportunity.id),
        ("quote", deal.quotes[0].id),
        ("order", deal.orders[0].id),
        ("invoice", deal.invoices[0].id),
    ]:
        check_assign(state, assign(record, record_id), TODAY)


def test_a_closed_deal_changes_hands_too() -> None:
    deal = qualified_deal(opportunity={"state": OpportunityState.lost})
    assert deal.opportunity is not None
    check_assign(deal.snapshot(), assign("opportunity", deal.opportunity.id), TODAY)


@pytest.mark.parametrize("record", ["lead", "opportunity", "quote", "order", "invoice"])
def test_cannot_assign_a_deal_from_a_record_of_another_deal(record: str) -> None:
    with pytest.raises(NotFound) as refused:
        check_assign(billed_deal().snapshot(), assign(record, uuid.uuid4()), TODAY)
    assert refused.value.record == record


def test_a_record_named_as_another_kind_is_not_found() -> None:
    deal = qualified_deal()
    assert deal.lead is not None
    with pytest.raises(NotFound) as refused:
        check_assign(deal.snapshot(), assign("opportunity", deal.lead.id), TODAY)
    assert refused.value.record == "opportunity"


def test_every_document_of_the_deal_gets_the_new_owner_but_lines_keep_theirs() -> None:
    shared = FakeSharedRecords()
    alex = shared.add_user("Alex Morgan")
    deal = billed_deal()
    assert deal.opportunity is not None
    action = assign("opportunity", deal.opportunity.id, alex)
    effect = apply_assign(deal, action, step(shared=shared))

    documents = [r for r in deal.records() if not isinstance(r, LineItemRecord)]
    assert {r.id for r in effect.changed} == {r.id for r in documents}
    assert {type(r).__name__ for r in effect.changed} == {
        "LeadRecord",
        "OpportunityRecord",
        "QuoteRecord",
        "OrderRecord",
        "InvoiceRecord",
    }
    assert {(r.owner_id, r.modified_at, r.modified_by) for r in effect.changed} == {
        (alex, NOW, SELLER)
    }
    after = deal.after(effect)
    assert {line.owner_id for line in after.lines} == {line.owner_id for line in deal.lines}
    assert after.snapshot().owner_id == alex
    assert (effect.record, effect.record_id) == ("opportunity", deal.opportunity.id)
    assert effect.summary == "Deal assigned to Alex Morgan"


def test_payments_change_hands_with_their_invoice() -> None:
    shared = FakeSharedRecords()
    alex = shared.add_user("Alex Morgan")
    deal = invoice_deal("100.00", "40.00")
    (invoice,) = deal.invoices
    (payment,) = deal.payments
    assert payment.owner_id == OWNER
    effect = apply_assign(deal, assign("invoice", invoice.id, alex), step(shared=shared))
    assert deal.after(effect).payments[0].owner_id == alex


@pytest.mark.parametrize("active", [False, True], ids=["unknown", "inactive"])
def test_the_new_owner_must_be_an_active_user(active: bool) -> None:
    shared = FakeSharedRecords()
    owner = shared.add_user("Gone", active=False) if active else uuid.uuid4()
    deal = qualified_deal()
    assert deal.lead is not None
    with pytest.raises(InvalidField) as refused:
        apply_assign(deal, assign("lead", deal.lead.id, owner), step(shared=shared))
    assert (refused.value.field, refused.value.message) == ("owner_id", "must be an active user")
