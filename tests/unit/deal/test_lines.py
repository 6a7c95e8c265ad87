"""Products on the opportunity or a draft quote (models/deal/lines.py): added, edited, removed,
and the document's total that follows; and what a line is worth, to the cent."""

import uuid
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from models.deal.lines import (
    AddLine,
    RemoveLine,
    UpdateLine,
    apply_add_line,
    apply_remove_line,
    apply_update_line,
    check_add_line,
    check_remove_line,
    check_update_line,
)
from models.deal.quote import CreateQuote
from models.errors import IllegalTransition, InvalidField, NotFound
from models.line_item import Document, LineInput, LineItemRecord
from models.opportunity import OpportunityRecord, OpportunityState
from models.pricing import extended_amount, share
from models.quote import QuoteRecord, QuoteState
from tests.unit.deal.builders import (
    NOW,
    SELLER,
    TODAY,
    apply,
    qualified_deal,
    quoted_deal,
    run,
    step,
    the,
)


def desk(quantity: str = "3", price: str = "250.00", **more: str) -> LineInput:
    return LineInput.model_validate(
        {"write_in_description": "Desk", "quantity": quantity, "price_per_unit": price, **more}
    )


# --- what a line is worth ---------------------------------------------------------------------


def test_line_amounts_round_half_up_to_the_cent() -> None:
    assert extended_amount(
        quantity=Decimal(1), price_per_unit=Decimal(500), manual_discount=Decimal("100.005")
    ) == Decimal("400.00")
    assert extended_amount(quantity=Decimal(3), price_per_unit=Decimal("0.335")) == Decimal("1.01")
    assert share(Decimal("100.00"), Decimal(1), Decimal(3)) == Decimal("33.33")


def test_a_line_is_its_quantity_times_its_price_less_its_discount_plus_its_tax() -> None:
    deal = qualified_deal("100.00")
    opportunity = deal.opportunity
    assert opportunity is not None
    line = desk("3", "99.99", manual_discount="10", tax="5.01")
    (added,) = apply_add_line(deal, AddLine(document_id=opportunity.id, line=line), step()).created
    assert isinstance(added, LineItemRecord)
    assert added.extended_amount == Decimal("294.98")


def test_a_line_needs_a_product_or_a_write_in_and_a_write_in_needs_a_price() -> None:
    with pytest.raises(ValidationError):
        LineInput.model_validate({"quantity": "1", "price_per_unit": "5"})
    with pytest.raises(ValidationError):
        LineInput.model_validate(
            {"product_id": str(uuid.uuid4()), "write_in_description": "x", "quantity": "1"}
        )
    with pytest.raises(ValidationError):
        LineInput.model_validate({"write_in_description": "x", "quantity": "1"})
    with pytest.raises(ValidationError):
        desk(quantity="0")


# --- add_line ---------------------------------------------------------------------------------


def test_a_line_added_to_the_opportunity_is_numbered_after_its_lines_and_totals_it() -> None:
    deal = qualified_deal("100.00", "20.00")
    opportunity = deal.opportunity
    assert opportunity is not None
    assert opportunity.total_amount == Decimal("240.00")
    action = AddLine(document_id=opportunity.id, line=desk())
    check_add_line(deal.snapshot(), action, TODAY)
    effect = apply_add_line(deal, action, step())

    (line,) = effect.created
    assert isinstance(line, LineItemRecord)
    assert (line.document, line.document_id, line.line_number) == (
        Document.opportunity,
        opportunity.id,
        3,
    )
    assert (line.quantity, line.price_per_unit, line.extended_amount) == (
        Decimal(3),
        Decimal("250.00"),
        Decimal("750.00"),
    )
    (totalled,) = effect.changed
    assert isinstance(totalled, OpportunityRecord)
    assert totalled.total_amount == Decimal("990.00")
    assert (totalled.modified_at, totalled.modified_by) == (NOW, SELLER)
    assert (effect.record, effect.record_id) == ("line", line.id)
    assert effect.summary == "Line added to the opportunity"
    assert deal.after(effect).snapshot().value == Decimal("990.00")


def test_a_line_added_in_the_same_step_again_is_the_same_line() -> None:
    deal = qualified_deal()
    opportunity = deal.opportunity
    assert opportunity is not None
    action = AddLine(document_id=opportunity.id, line=desk())
    step_id = uuid.uuid4()
    (first,) = apply_add_line(deal, action, step(step_id)).created
    (retry,) = apply_add_line(deal, action, step(step_id)).created
    (other,) = apply_add_line(deal, action, step()).created
    assert first.id == retry.id == uuid.uuid5(step_id, f"opportunity-{opportunity.id}-line-2")
    assert other.id != first.id


def test_a_line_added_to_a_draft_quote_totals_the_quote_not_the_opportunity() -> None:
    deal = quoted_deal("100.00")
    (quote,) = deal.quotes
    action = AddLine(document_id=quote.id, line=desk("1", "50.00"))
    check_add_line(deal.snapshot(), action, TODAY)
    effect = apply_add_line(deal, action, step())
    (line,) = effect.created
    assert isinstance(line, LineItemRecord)
    assert (line.document, line.line_number) == (Document.quote, 2)
    (totalled,) = effect.changed
    assert isinstance(totalled, QuoteRecord)
    assert totalled.total_amount == Decimal("250.00")
    assert effect.summary == "Line added to the quote"
    after = deal.after(effect)
    assert after.opportunity is not None and after.opportunity.total_amount == Decimal("200.00")


def test_an_active_quotes_lines_cannot_change_it_is_revised_instead() -> None:
    deal = quoted_deal(state=QuoteState.active)
    (quote,) = deal.quotes
    (line,) = deal.lines_of(quote.id)
    rule = "only a draft quote's lines can change (revise it)"
    for action in (
        AddLine(document_id=quote.id, line=desk()),
        UpdateLine(line_id=line.id, changes={"quantity": "5"}),
        RemoveLine(line_id=line.id),
    ):
        with pytest.raises(IllegalTransition) as refused:
            apply(deal, action)
        assert (refused.value.record, refused.value.state, refused.value.rule) == (
            "quote",
            "active",
            rule,
        )


@pytest.mark.parametrize("state", [OpportunityState.won, OpportunityState.lost])
def test_a_closed_opportunitys_lines_cannot_change(state: OpportunityState) -> None:
    deal = qualified_deal(opportunity={"state": state})
    opportunity = deal.opportunity
    assert opportunity is not None
    with pytest.raises(IllegalTransition) as refused:
        check_add_line(deal.snapshot(), AddLine(document_id=opportunity.id, line=desk()), TODAY)
    assert (refused.value.state, refused.value.rule) == (
        state,
        "only an open opportunity can change",
    )


def test_a_line_on_a_document_not_of_the_deal_is_not_found() -> None:
    missing = uuid.uuid4()
    with pytest.raises(NotFound) as refused:
        check_add_line(
            qualified_deal().snapshot(), AddLine(document_id=missing, line=desk()), TODAY
        )
    assert (refused.value.record, refused.value.record_id) == ("document", str(missing))


# --- update_line ------------------------------------------------------------------------------


def test_an_edited_line_is_priced_again_and_its_document_totalled() -> None:
    deal = qualified_deal("100.00", "20.00")
    first, second = deal.lines
    action = UpdateLine(line_id=first.id, changes={"quantity": "5", "manual_discount": "50"})
    check_update_line(deal.snapshot(), action, TODAY)
    effect = apply_update_line(deal, action, step())
    line, opportunity = effect.changed
    assert isinstance(line, LineItemRecord) and isinstance(opportunity, OpportunityRecord)
    assert (line.id, line.quantity, line.manual_discount) == (first.id, Decimal(5), Decimal(50))
    assert line.price_per_unit == Decimal("100.00")
    assert line.extended_amount == Decimal("450.00")
    assert opportunity.total_amount == Decimal("490.00")
    assert (effect.record, effect.record_id) == ("line", first.id)
    assert effect.summary == "Line updated: manual_discount, quantity"
    assert deal.after(effect).get(LineItemRecord, second.id) == second


def test_a_draft_quotes_line_can_be_edited() -> None:
    deal = quoted_deal("100.00")
    (quote,) = deal.quotes
    (line,) = deal.lines_of(quote.id)
    effect = apply(deal, UpdateLine(line_id=line.id, changes={"price_per_unit": "90"}))
    (totalled,) = the(effect.changed, QuoteRecord)
    assert totalled.total_amount == Decimal("180.00")


def test_an_edit_may_not_clear_a_lines_quantity() -> None:
    deal = qualified_deal()
    with pytest.raises(InvalidField) as refused:
        apply_update_line(
            deal, UpdateLine(line_id=deal.lines[0].id, changes={"quantity": None}), step()
        )
    assert refused.value.field == "quantity"


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"quantity": "-1"}, "quantity"), ({"discount": "5"}, "discount"), ({"tax": None}, "tax")],
    ids=["negative", "unknown", "null"],
)
def test_an_edit_breaking_a_lines_constraint_is_refused(
    changes: dict[str, Any], field: str
) -> None:
    """By the rule, before anything runs: a raw update is not checked by the API's body model."""
    deal = qualified_deal()
    edit = UpdateLine(line_id=deal.lines[0].id, changes=changes)
    with pytest.raises(InvalidField) as refused:
        check_update_line(deal.snapshot(), edit, TODAY)
    assert refused.value.field == field
    with pytest.raises(InvalidField):
        apply_update_line(deal, edit, step())


def test_an_unknown_line_is_not_found() -> None:
    missing = uuid.uuid4()
    with pytest.raises(NotFound) as refused:
        check_update_line(
            qualified_deal().snapshot(), UpdateLine(line_id=missing, changes={}), TODAY
        )
    assert (refused.value.record, refused.value.record_id) == ("line", str(missing))
    with pytest.raises(NotFound):
        check_remove_line(qualified_deal().snapshot(), RemoveLine(line_id=missing), TODAY)


# --- remove_line ------------------------------------------------------------------------------


def test_a_removed_line_is_deleted_and_its_document_totalled_without_it() -> None:
    deal = qualified_deal("100.00", "20.00")
    opportunity = deal.opportunity
    assert opportunity is not None
    first, second = deal.lines
    action = RemoveLine(line_id=first.id)
    check_remove_line(deal.snapshot(), action, TODAY)
    effect = apply_remove_line(deal, action, step())
    assert effect.removed == (first,)
    (totalled,) = effect.changed
    assert isinstance(totalled, OpportunityRecord)
    assert totalled.total_amount == Decimal("40.00")
    assert (effect.record, effect.record_id, effect.summary) == (
        "opportunity",
        opportunity.id,
        "Line removed",
    )
    after = deal.after(effect)
    assert after.lines == (second,)
    assert second.line_number == 2  # lines keep their numbers


def test_removing_a_draft_quotes_only_line_leaves_it_at_zero() -> None:
    deal = quoted_deal("100.00")
    (quote,) = deal.quotes
    (line,) = deal.lines_of(quote.id)
    effect = apply(deal, RemoveLine(line_id=line.id))
    assert effect.record == "quote"
    (totalled,) = effect.changed
    assert isinstance(totalled, QuoteRecord)
    assert totalled.total_amount == Decimal(0)


def test_a_line_added_after_a_removal_takes_a_number_no_line_has() -> None:
    deal = qualified_deal("100.00", "20.00")
    opportunity = deal.opportunity
    assert opportunity is not None
    deal = run(
        deal,
        RemoveLine(line_id=deal.lines[0].id),
        AddLine(document_id=opportunity.id, line=desk()),
    )
    numbers = [line.line_number for line in deal.lines_of(opportunity.id)]
    assert len(set(numbers)) == len(numbers)
    created = apply(deal, CreateQuote()).created
    assert len({record.id for record in created}) == len(created)
