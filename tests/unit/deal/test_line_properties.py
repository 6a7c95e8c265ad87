"""Product properties on lines (models/deal/properties.py, and the line actions that fill them):
what a line of the product must and may say, checked against the product's properties; the
values copied with the line from the opportunity to the quote, the order and the invoice."""

import uuid
from typing import Any

import pytest
from pydantic import ValidationError

from models.deal.lines import AddLine, UpdateLine
from models.deal.order import CreateOrder, InvoiceOrder
from models.deal.properties import filled_properties
from models.deal.quote import Accept, Activate, CreateQuote, Revise
from models.deal.records import Deal
from models.errors import InvalidField
from models.line_item import Document, LineInput, LineItemRecord
from models.order import OrderFields
from models.product_property import (
    LinePropertyValue,
    ProductPropertyRecord,
    PropertyType,
    check_property_definition,
)
from tests.unit.deal.builders import (
    FakeSharedRecords,
    apply,
    new_deal,
    qualified_deal,
    run,
    step,
    the,
)

COLOUR = {
    "name": "Colour",
    "data_type": "choice",
    "options": ["Oak", "Walnut", "White"],
    "default_value": "Oak",
}
WIDTH = {"name": "Width (cm)", "data_type": "number", "is_required": True}
ENGRAVING = {"name": "Engraving", "data_type": "text"}


def desk_line(product_id: uuid.UUID, **properties: Any) -> LineInput:
    return LineInput.model_validate(
        {
            "product_id": str(product_id),
            "quantity": "2",
            "price_per_unit": "300.00",
            "properties": properties,
        }
    )


def values(line: LineItemRecord) -> dict[str, str]:
    return {value.name: value.value for value in line.properties}


def desk_shop() -> tuple[FakeSharedRecords, uuid.UUID]:
    shared = FakeSharedRecords()
    return shared, shared.add_product(COLOUR, WIDTH, ENGRAVING)


def added(deal: Deal, line: LineInput, shared: FakeSharedRecords) -> LineItemRecord:
    opportunity = deal.opportunity
    assert opportunity is not None
    action = AddLine(document_id=opportunity.id, line=line)
    (record,) = the(apply(deal, action, step(shared=shared)).created, LineItemRecord)
    return record


def refusal(deal: Deal, line: LineInput, shared: FakeSharedRecords) -> InvalidField:
    with pytest.raises(InvalidField) as refused:
        added(deal, line, shared)
    return refused.value


# --- filled on a line -------------------------------------------------------------------------


def test_a_line_holds_the_properties_sent_and_the_defaults_of_those_it_leaves_out() -> None:
    shared, desk = desk_shop()
    line = added(qualified_deal(), desk_line(desk, **{"Width (cm)": "160"}), shared)
    assert values(line) == {"Colour": "Oak", "Width (cm)": "160"}
    assert [value.data_type for value in line.properties] == [
        PropertyType.choice,
        PropertyType.number,
    ]


def test_a_required_property_left_out_is_refused_naming_it() -> None:
    shared, desk = desk_shop()
    refused = refusal(qualified_deal(), desk_line(desk, Colour="Walnut"), shared)
    assert refused.field == "properties.Width (cm)"
    assert refused.message == "is required"


def test_a_required_property_with_a_default_is_filled_by_it() -> None:
    shared = FakeSharedRecords()
    chair = shared.add_product({**COLOUR, "is_required": True})
    assert values(added(qualified_deal(), desk_line(chair), shared)) == {"Colour": "Oak"}


def test_a_number_property_refuses_text_naming_it() -> None:
    shared, desk = desk_shop()
    refused = refusal(qualified_deal(), desk_line(desk, **{"Width (cm)": "wide"}), shared)
    assert (refused.field, refused.message) == ("properties.Width (cm)", "must be a number")


def test_a_number_property_takes_a_number_or_its_text_and_keeps_it_exactly() -> None:
    shared, desk = desk_shop()
    assert (
        values(added(qualified_deal(), desk_line(desk, **{"Width (cm)": 160.50}), shared))[
            "Width (cm)"
        ]
        == "160.5"
    )
    assert (
        values(added(qualified_deal(), desk_line(desk, **{"Width (cm)": "0.1"}), shared))[
            "Width (cm)"
        ]
        == "0.1"
    )


def test_a_text_property_takes_a_number_as_its_text() -> None:
    shared, desk = desk_shop()
    line = desk_line(desk, **{"Width (cm)": 120, "Engraving": 42})
    assert values(added(qualified_deal(), line, shared))["Engraving"] == "42"


def test_a_value_that_is_neither_text_nor_a_number_is_refused() -> None:
    with pytest.raises(ValidationError):
        desk_line(uuid.uuid4(), Engraving=["A", "B"])
    with pytest.raises(InvalidField, match="must be text"):
        filled_properties([definition(name="Engraving", data_type="text")], {"Engraving": True})


def test_a_choice_refuses_what_is_not_one_of_its_options_naming_it() -> None:
    shared, desk = desk_shop()
    refused = refusal(qualified_deal(), desk_line(desk, Colour="Pink", **{"Width (cm)": 1}), shared)
    assert refused.field == "properties.Colour"
    assert refused.message == "must be one of ['Oak', 'Walnut', 'White']"


def test_a_choice_is_matched_ignoring_case_and_kept_as_the_option_is_spelled() -> None:
    shared, desk = desk_shop()
    line = added(qualified_deal(), desk_line(desk, colour="walnut", **{"width (CM)": 1}), shared)
    assert values(line) == {"Colour": "Walnut", "Width (cm)": "1"}


def test_a_property_the_product_does_not_define_is_refused_naming_it() -> None:
    shared, desk = desk_shop()
    refused = refusal(qualified_deal(), desk_line(desk, Legs="4", **{"Width (cm)": 1}), shared)
    assert refused.field == "properties.Legs"


def test_a_retired_property_is_neither_offered_nor_required() -> None:
    shared = FakeSharedRecords()
    lamp = shared.add_product({**WIDTH, "is_active": False})
    assert added(qualified_deal(), desk_line(lamp), shared).properties == []
    assert refusal(qualified_deal(), desk_line(lamp, **{"Width (cm)": 1}), shared).field == (
        "properties.Width (cm)"
    )


def test_a_write_in_line_has_no_properties() -> None:
    with pytest.raises(ValidationError, match="a write-in line has no properties"):
        LineInput.model_validate(
            {
                "write_in_description": "Desk",
                "quantity": "1",
                "price_per_unit": "1",
                "properties": {"Colour": "Oak"},
            }
        )


def test_a_line_of_a_product_with_no_properties_holds_none() -> None:
    shared = FakeSharedRecords()
    plain = shared.add_product()
    assert added(qualified_deal(), desk_line(plain), shared).properties == []


# --- changed later ----------------------------------------------------------------------------


def opportunity_with_a_desk() -> tuple[Deal, FakeSharedRecords, LineItemRecord]:
    shared, desk = desk_shop()
    deal = qualified_deal()
    opportunity = deal.opportunity
    assert opportunity is not None
    line = desk_line(desk, Colour="White", Engraving="ACME", **{"Width (cm)": "140"})
    deal = run(deal, AddLine(document_id=opportunity.id, line=line), shared=shared)
    (record,) = [line for line in deal.lines_of(opportunity.id) if line.product_id == desk]
    return deal, shared, record


def updated(deal: Deal, line: LineItemRecord, shared: FakeSharedRecords, **changes: Any) -> Any:
    effect = apply(deal, UpdateLine(line_id=line.id, changes=changes), step(shared=shared))
    (record,) = the(effect.changed, LineItemRecord)
    return record


def test_a_line_update_changes_the_properties_sent_and_keeps_the_others() -> None:
    deal, shared, line = opportunity_with_a_desk()
    changed = updated(deal, line, shared, properties={"Colour": "oak"})
    assert values(changed) == {"Colour": "Oak", "Width (cm)": "140", "Engraving": "ACME"}


def test_a_null_in_a_line_update_sets_a_property_back_to_its_default_or_clears_it() -> None:
    deal, shared, line = opportunity_with_a_desk()
    changed = updated(deal, line, shared, properties={"Colour": None, "Engraving": None})
    assert values(changed) == {"Colour": "Oak", "Width (cm)": "140"}


def test_a_line_update_may_not_clear_a_required_property() -> None:
    deal, shared, line = opportunity_with_a_desk()
    with pytest.raises(InvalidField) as refused:
        updated(deal, line, shared, properties={"Width (cm)": None})
    assert refused.value.field == "properties.Width (cm)"


def test_a_line_update_checks_the_values_it_sends_naming_them() -> None:
    deal, shared, line = opportunity_with_a_desk()
    with pytest.raises(InvalidField) as refused:
        updated(deal, line, shared, properties={"Width (cm)": "narrow"})
    assert refused.value.field == "properties.Width (cm)"


def test_a_line_update_of_its_quantity_leaves_its_properties_alone() -> None:
    deal, shared, line = opportunity_with_a_desk()
    assert line.product_id is not None
    newly_required = definition(product_id=line.product_id, name="Cable tray", is_required=True)
    shared.properties[line.product_id].append(newly_required)
    changed = updated(deal, line, shared, quantity="5")
    assert changed.properties == line.properties


def test_a_lines_values_of_a_property_since_retired_stay_as_they_were() -> None:
    retired = uuid.uuid4()
    kept = [LinePropertyValue(property_id=retired, name="Finish", data_type="text", value="Matt")]
    assert filled_properties([], {}, kept) == kept


# --- copied along the deal --------------------------------------------------------------------


def test_property_values_go_with_the_lines_from_the_opportunity_to_the_invoice() -> None:
    deal, shared, line = opportunity_with_a_desk()
    assert deal.opportunity is not None
    deal = run(deal, CreateQuote(), shared=shared)
    (quote,) = deal.quotes
    deal = run(deal, Activate(quote_id=quote.id), Accept(quote_id=quote.id), shared=shared)
    (order,) = deal.orders
    deal = run(deal, InvoiceOrder(order_id=order.id), shared=shared)
    (invoice,) = deal.invoices
    expected = values(line)
    for document in (quote.id, order.id, invoice.id):
        (copied,) = [li for li in deal.lines_of(document) if li.product_id == line.product_id]
        assert values(copied) == expected
        assert copied.properties == line.properties


def test_a_revised_quote_keeps_its_lines_property_values() -> None:
    deal, shared, line = opportunity_with_a_desk()
    deal = run(deal, CreateQuote(), shared=shared)
    (quote,) = deal.quotes
    deal = run(deal, Activate(quote_id=quote.id), Revise(quote_id=quote.id), shared=shared)
    revision = deal.quotes[-1]
    (copied,) = [li for li in deal.lines_of(revision.id) if li.product_id == line.product_id]
    assert copied.properties == line.properties


def test_an_order_entered_directly_fills_its_lines_properties_naming_the_line() -> None:
    shared, desk = desk_shop()
    order_id = uuid.uuid4()
    fine = CreateOrder(
        order_id=order_id,
        order=OrderFields(name="Desks"),
        lines=[desk_line(desk, **{"Width (cm)": 80})],
    )
    (line,) = the(apply(new_deal(), fine, step(shared=shared)).created, LineItemRecord)
    assert line.document is Document.order
    assert values(line) == {"Colour": "Oak", "Width (cm)": "80"}
    missing = fine.model_copy(
        update={"lines": [desk_line(desk, **{"Width (cm)": 80}), desk_line(desk)]}
    )
    with pytest.raises(InvalidField) as refused:
        apply(new_deal(), missing, step(shared=shared))
    assert refused.value.field == "lines.1.properties.Width (cm)"


# --- defined on a product ---------------------------------------------------------------------


def definition(**fields: Any) -> ProductPropertyRecord:
    return ProductPropertyRecord.model_validate(
        {
            "id": uuid.uuid4(),
            "owner_id": None,
            "is_active": True,
            "created_at": "2026-11-23T09:30:00Z",
            "modified_at": "2026-11-23T09:30:00Z",
            "created_by": None,
            "modified_by": None,
            "product_id": uuid.uuid4(),
            "name": "Colour",
            **fields,
        }
    )


def test_a_choice_needs_options_and_only_a_choice_has_them() -> None:
    with pytest.raises(InvalidField, match="a choice needs at least one option"):
        check_property_definition(definition(data_type="choice"))
    with pytest.raises(InvalidField, match="only a choice has options"):
        check_property_definition(definition(data_type="text", options=["Oak"]))


def test_a_choices_options_are_told_apart_ignoring_case() -> None:
    with pytest.raises(InvalidField, match="two options have the same name"):
        check_property_definition(definition(data_type="choice", options=["Oak", "oak"]))


def test_a_default_is_a_value_of_the_property() -> None:
    with pytest.raises(InvalidField) as refused:
        check_property_definition(
            definition(data_type="choice", options=["Oak"], default_value="Ash")
        )
    assert refused.value.field == "default_value"
    with pytest.raises(InvalidField):
        check_property_definition(definition(data_type="number", default_value="wide"))
    check_property_definition(definition(data_type="number", default_value="12.5"))
    check_property_definition(definition(data_type="text", default_value="anything"))
