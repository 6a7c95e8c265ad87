"""What only the database used to catch, refused by the rules first: a field a deal action does
not know, an amount storage cannot hold (entered, or worked out: a line's extended amount, a
document's total), and an id that names no shared record. Each is an `InvalidField` naming the
field, raised before anything is written, so the API answers 422 at once instead of a
database error retried until it gives up."""

import uuid
from decimal import Decimal

import pytest
from pydantic import ValidationError

from models.base import MONEY_MAX, check_storable
from models.deal.guards import MAX_LINES
from models.deal.invoice import CreateInvoice, Pay, apply_create_invoice, check_create_invoice
from models.deal.lines import AddLine, UpdateLine, apply_add_line, apply_update_line, check_add_line
from models.deal.opportunity import (
    CreateOpportunity,
    UpdateOpportunity,
    Win,
    apply_create_opportunity,
    apply_update_opportunity,
    check_create_opportunity,
)
from models.deal.order import (
    CreateOrder,
    InvoiceLineChoice,
    InvoiceOrder,
    apply_create_order,
    apply_invoice,
)
from models.deal_command import DealCommand
from models.errors import InvalidField
from models.invoice import InvoiceFields, PaymentFields
from models.line_item import LineInput
from models.opportunity import OpportunityCreate
from models.order import OrderFields
from tests.unit.deal.builders import (
    TODAY,
    FakeSharedRecords,
    new_deal,
    order_deal,
    qualified_deal,
    step,
)

LARGEST = "99999999999999.9999"
# The largest amount to the cent: what a line of one at this price comes to.
LARGEST_CENTS = "99999999999999.99"


def write_in(quantity: str = "1", price: str = "10.00") -> LineInput:
    return LineInput.model_validate(
        {"write_in_description": "Desk", "quantity": quantity, "price_per_unit": price}
    )


def refused_field(error: pytest.ExceptionInfo[InvalidField]) -> str:
    return error.value.field


# --- unknown fields ---------------------------------------------------------------------------


def test_an_action_naming_a_field_it_does_not_know_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        Pay.model_validate(
            {"invoice_id": str(uuid.uuid4()), "payment": {"amount": "10"}, "currency": "EUR"}
        )
    assert refused.value.errors()[0]["loc"] == ("currency",)
    with pytest.raises(ValidationError) as refused:
        Pay.model_validate({"invoice_id": str(uuid.uuid4()), "payment": {"amount": "1", "x": 1}})
    assert refused.value.errors()[0]["loc"] == ("payment", "x")


def test_a_command_carrying_an_action_with_an_unknown_field_is_refused() -> None:
    """What a raw update or signal carries: refused as it is decoded, before any rule."""
    command = {"action": {"action": "win", "actual_revenue": "10", "bonus": "1"}}
    with pytest.raises(ValidationError) as refused:
        DealCommand.model_validate(command)
    assert refused.value.errors()[0]["loc"][-1] == "bonus"


# --- amounts entered --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["100000000000000", "922337203685477", "999999999999999", "1e20", "1.00001"]
)
def test_an_amount_or_quantity_storage_cannot_hold_is_refused_as_entered(value: str) -> None:
    with pytest.raises(ValidationError):
        write_in(quantity=value)
    with pytest.raises(ValidationError):
        write_in(price=value)
    with pytest.raises(ValidationError):
        InvoiceLineChoice(order_line_id=uuid.uuid4(), quantity=Decimal(value))
    with pytest.raises(ValidationError):
        Win(actual_revenue=Decimal(value))
    with pytest.raises(ValidationError):
        PaymentFields(amount=Decimal(value))


def test_an_invoice_line_quantity_of_seven_decimals_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        InvoiceLineChoice(order_line_id=uuid.uuid4(), quantity=Decimal("1.0000001"))
    assert refused.value.errors()[0]["type"] == "decimal_max_places"


def test_the_largest_amount_storage_holds_is_accepted() -> None:
    assert write_in(quantity=LARGEST, price="1").quantity == MONEY_MAX
    assert check_storable("total_amount", MONEY_MAX) == MONEY_MAX
    assert check_storable("total_amount", -MONEY_MAX) == -MONEY_MAX
    with pytest.raises(InvalidField) as refused:
        check_storable("total_amount", MONEY_MAX + Decimal("0.0001"))
    assert refused.value.field == "total_amount"
    assert LARGEST in refused.value.message


# --- amounts worked out -----------------------------------------------------------------------


def test_a_line_whose_extended_amount_storage_cannot_hold_is_refused_by_the_rule() -> None:
    deal = qualified_deal()
    assert deal.opportunity is not None
    action = AddLine(document_id=deal.opportunity.id, line=write_in(LARGEST, "2"))
    with pytest.raises(InvalidField) as refused:
        check_add_line(deal.snapshot(), action, TODAY)
    assert refused_field(refused) == "extended_amount"
    with pytest.raises(InvalidField):
        apply_add_line(deal, action, step())


def test_a_line_that_takes_the_documents_total_past_the_bound_is_refused_by_the_rule() -> None:
    """Each line fits; the opportunity's total with them would not, and would never read back."""
    deal = qualified_deal("100.00")
    assert deal.opportunity is not None
    action = AddLine(document_id=deal.opportunity.id, line=write_in("1", LARGEST_CENTS))
    with pytest.raises(InvalidField) as refused:
        check_add_line(deal.snapshot(), action, TODAY)
    assert refused_field(refused) == "total_amount"
    with pytest.raises(InvalidField) as refused:
        apply_add_line(deal, action, step())
    assert refused_field(refused) == "total_amount"


def test_a_document_opened_with_lines_past_the_bound_is_refused_by_its_rule() -> None:
    lines = [write_in("1", LARGEST_CENTS), write_in("1", "1.00")]
    opportunity = CreateOpportunity(
        opportunity_id=uuid.uuid4(),
        opportunity=OpportunityCreate(name="x", account_id=uuid.uuid4()),
        lines=lines,
    )
    with pytest.raises(InvalidField) as refused:
        check_create_opportunity(new_deal().snapshot(), opportunity, TODAY)
    assert refused_field(refused) == "total_amount"
    invoice = CreateInvoice(invoice_id=uuid.uuid4(), invoice=InvoiceFields(), lines=lines)
    with pytest.raises(InvalidField):
        check_create_invoice(new_deal().snapshot(), invoice, TODAY)
    with pytest.raises(InvalidField):
        apply_create_invoice(new_deal(), invoice, step())


def test_a_line_edit_past_the_bound_is_refused_before_anything_is_written() -> None:
    deal = qualified_deal("100.00")
    edit = UpdateLine(line_id=deal.lines[0].id, changes={"quantity": LARGEST})
    with pytest.raises(InvalidField) as refused:
        apply_update_line(deal, edit, step())
    assert refused_field(refused) == "extended_amount"


# --- ids naming no shared record ----------------------------------------------------------------


def test_an_opportunity_naming_an_unknown_customer_or_price_list_is_refused() -> None:
    unknown = uuid.uuid4()
    for field in ("account_id", "contact_id", "price_list_id"):
        action = CreateOpportunity(
            opportunity_id=uuid.uuid4(),
            opportunity=OpportunityCreate.model_validate({"name": "x", field: unknown}),
        )
        with pytest.raises(InvalidField) as refused:
            apply_create_opportunity(new_deal(), action, step())
        assert refused_field(refused) == field
        assert str(unknown) in refused.value.message


def test_an_opportunity_naming_known_records_is_opened() -> None:
    shared = FakeSharedRecords()
    fields = {
        "name": "x",
        "account_id": shared.add_account("Contoso").id,
        "contact_id": shared.add_contact("Okafor").id,
        "price_list_id": shared.add_to_catalog("price list"),
    }
    action = CreateOpportunity(
        opportunity_id=uuid.uuid4(), opportunity=OpportunityCreate.model_validate(fields)
    )
    effect = apply_create_opportunity(new_deal(), action, step(shared=shared))
    assert effect.record_id == action.opportunity_id


@pytest.mark.parametrize("field", ["price_list_id", "contact_id", "account_id"])
def test_an_opportunity_edit_naming_an_unknown_record_is_refused(field: str) -> None:
    action = UpdateOpportunity(changes={field: str(uuid.uuid4())})
    with pytest.raises(InvalidField) as refused:
        apply_update_opportunity(qualified_deal(), action, step())
    assert refused_field(refused) == field


def test_an_edit_that_keeps_an_unknown_reference_out_of_its_changes_is_not_refused() -> None:
    """Only what the edit names is looked up: a step reads no more than it changes."""
    action = UpdateOpportunity(changes={"name": "Renamed"})
    effect = apply_update_opportunity(qualified_deal(), action, step())
    assert effect.summary == "Opportunity updated: name"


def test_a_line_of_an_unknown_product_or_unit_is_refused() -> None:
    deal = qualified_deal()
    assert deal.opportunity is not None
    shared = FakeSharedRecords()
    product_id = shared.add_to_catalog("product")
    for line, field in [
        ({"product_id": str(uuid.uuid4())}, "product_id"),
        ({"product_id": str(product_id), "unit_id": str(uuid.uuid4())}, "unit_id"),
    ]:
        entered = LineInput.model_validate({**line, "quantity": "1", "price_per_unit": "5"})
        action = AddLine(document_id=deal.opportunity.id, line=entered)
        with pytest.raises(InvalidField) as refused:
            apply_add_line(deal, action, step(shared=shared))
        assert refused_field(refused) == field


def test_an_order_or_invoice_naming_unknown_records_is_refused_naming_the_field() -> None:
    order = CreateOrder(
        order_id=uuid.uuid4(),
        order=OrderFields(contact_id=uuid.uuid4()),
        lines=[LineInput(product_id=uuid.uuid4(), quantity=Decimal(1), price_per_unit=Decimal(1))],
    )
    with pytest.raises(InvalidField) as refused:
        apply_create_order(new_deal(), order, step())
    assert refused_field(refused) == "contact_id"
    order = order.model_copy(update={"order": OrderFields()})
    with pytest.raises(InvalidField) as refused:
        apply_create_order(new_deal(), order, step())
    assert refused_field(refused) == "lines.0.product_id"

    deal = order_deal()
    billed = {"order_id": deal.orders[0].id, "invoice": {"account_id": str(uuid.uuid4())}}
    with pytest.raises(InvalidField) as refused:
        apply_invoice(deal, InvoiceOrder.model_validate(billed), step())
    assert refused_field(refused) == "invoice.account_id"


# --- lists ------------------------------------------------------------------------------------


def test_a_document_is_entered_with_at_most_max_lines_lines() -> None:
    lines = [write_in()] * (MAX_LINES + 1)
    with pytest.raises(ValidationError) as refused:
        CreateOpportunity(
            opportunity_id=uuid.uuid4(), opportunity=OpportunityCreate(name="x"), lines=lines
        )
    assert refused.value.errors()[0]["type"] == "too_long"
    with pytest.raises(ValidationError):
        CreateInvoice(invoice_id=uuid.uuid4(), invoice=InvoiceFields(), lines=lines)
    chosen = [{"order_line_id": str(uuid.uuid4()), "quantity": "1"}] * (MAX_LINES + 1)
    with pytest.raises(ValidationError):
        InvoiceOrder.model_validate({"order_id": str(uuid.uuid4()), "lines": chosen})
    most = CreateInvoice(invoice_id=uuid.uuid4(), invoice=InvoiceFields(), lines=lines[:-1])
    assert len(most.lines) == MAX_LINES
