"""A line's volume discount and tax as the deal's effects work them out (models/deal/lines.py,
documents.py): read again from its discount list and tax rate whenever the line changes, and
the document's totals that follow, as do the discount and freight a quote takes over."""

import uuid
from decimal import Decimal

import pytest

from models.deal.lines import AddLine, UpdateLine
from models.deal.opportunity import UpdateOpportunity
from models.deal.quote import CreateQuote
from models.deal.records import Deal
from models.errors import InvalidField
from models.line_item import LineItemRecord, PricedLine
from models.pricing import VolumeTier, VolumeTiers
from tests.unit.deal.builders import FakeSharedRecords, apply, qualified_deal, run, step

D = Decimal
TIERS = VolumeTiers(
    is_amount_type=False,
    tiers=(VolumeTier(D(1), D(10), percentage=D(0)), VolumeTier(D(11), D(20), percentage=D(10))),
)


def product_line(shared: FakeSharedRecords, quantity: str, **more: object) -> PricedLine:
    return PricedLine.model_validate(
        {
            "product_id": shared.add_to_catalog("product"),
            "quantity": quantity,
            "price_per_unit": "649.00",
            "discount_list_id": shared.add_discount_list(TIERS),
            **more,
        }
    )


def added(deal: Deal, line: PricedLine, shared: FakeSharedRecords) -> Deal:
    opportunity = deal.opportunity
    assert opportunity is not None
    return run(deal, AddLine(document_id=opportunity.id, line=line), shared=shared)


def newest_line(deal: Deal) -> LineItemRecord:
    assert deal.opportunity is not None
    return max(deal.lines_of(deal.opportunity.id), key=lambda line: line.line_number)


def test_a_quantity_moved_into_the_next_tier_earns_its_discount() -> None:
    shared = FakeSharedRecords()
    deal = added(qualified_deal("100.00", quantity=1), product_line(shared, "10"), shared)
    line = newest_line(deal)
    assert (line.volume_discount, line.extended_amount) == (D(0), D("6490.00"))

    deal = run(deal, UpdateLine(line_id=line.id, changes={"quantity": "11"}), shared=shared)
    line = newest_line(deal)
    assert (line.base_amount, line.volume_discount, line.extended_amount) == (
        D("7139.00"),
        D("64.90"),
        D("6425.10"),
    )
    assert deal.opportunity is not None
    assert deal.opportunity.total_line_item_amount == D("6525.10")  # with the 100.00 line


def test_a_line_naming_a_tax_rate_is_taxed_on_the_line_and_the_document_sums_it() -> None:
    shared = FakeSharedRecords()
    rate = shared.add_tax_rate("20")
    line = product_line(shared, "1", price_per_unit="33.33", tax_rate_id=str(rate))
    deal = added(qualified_deal("100.00", quantity=1), line, shared)
    assert (newest_line(deal).tax, newest_line(deal).extended_amount) == (D("6.67"), D("40.00"))
    assert deal.opportunity is not None
    assert (deal.opportunity.total_tax, deal.opportunity.total_amount) == (D("6.67"), D("140.00"))


def test_a_line_naming_an_unknown_tax_rate_is_refused_naming_it() -> None:
    shared = FakeSharedRecords()
    deal = qualified_deal()
    assert deal.opportunity is not None
    line = product_line(shared, "1", tax_rate_id=str(uuid.uuid4()))
    with pytest.raises(InvalidField) as refused:
        apply(deal, AddLine(document_id=deal.opportunity.id, line=line), step(shared=shared))
    assert refused.value.field == "tax_rate_id"


def test_a_tax_amount_sent_for_a_line_replaces_its_rate() -> None:
    shared = FakeSharedRecords()
    rate = shared.add_tax_rate("20")
    deal = added(qualified_deal(), product_line(shared, "1", tax_rate_id=str(rate)), shared)
    line = newest_line(deal)
    deal = run(deal, UpdateLine(line_id=line.id, changes={"tax": "5.00"}), shared=shared)
    line = newest_line(deal)
    assert (line.tax_rate_id, line.tax, line.extended_amount) == (None, D("5.00"), D("654.00"))


def test_a_new_price_on_a_product_line_overrides_the_price_lists() -> None:
    shared = FakeSharedRecords()
    deal = added(qualified_deal(), product_line(shared, "1"), shared)
    line = newest_line(deal)
    assert line.is_price_overridden is False
    deal = run(deal, UpdateLine(line_id=line.id, changes={"price_per_unit": "600"}), shared=shared)
    assert newest_line(deal).is_price_overridden is True


def test_the_opportunitys_discount_and_freight_retotal_it_and_its_quote_takes_them() -> None:
    deal = qualified_deal("100.00", quantity=1)
    changes = {"discount_percentage": "10", "discount_amount": "1.00", "freight_amount": "4.50"}
    deal = run(deal, UpdateOpportunity(changes=changes), CreateQuote())
    assert deal.opportunity is not None
    [quote] = deal.quotes
    for document in (deal.opportunity, quote):
        assert (
            document.total_discount_amount,
            document.total_amount_less_freight,
            document.total_amount,
        ) == (D("11.00"), D("89.00"), D("93.50"))
    assert quote.discount_percentage == D(10)
