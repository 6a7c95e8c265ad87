"""What the deal's documents (opportunity, quote, order, invoice) share: numbers, lines, totals.

Lines arrive priced: the API looks a product's price up in the catalog before the transition.
"""

import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from models.base import check_storable
from models.deal.properties import line_properties
from models.deal.records import Deal, SharedRecords, Step, check_references
from models.errors import InvalidField
from models.invoice import InvoiceRecord
from models.line_item import Document, LineInput, LineItemRecord
from models.opportunity import OpportunityRecord, system_revenue
from models.order import OrderRecord
from models.pricing import (
    CENT,
    ZERO,
    document_totals,
    extended_amount,
    line_amounts,
    share,
    total,
    volume_discount,
)
from models.quote import QuoteRecord

D = TypeVar("D", bound=OpportunityRecord | QuoteRecord | OrderRecord | InvoiceRecord)


# What a person sets on a document that its totals follow, carried to the document made from it.
CHARGES = ("discount_percentage", "discount_amount", "freight_amount")


def document_number(prefix: str, record_id: uuid.UUID) -> str:
    """QUO-1A2B3C4D: short, and unique with the record's id."""
    return f"{prefix}-{record_id.hex[:8].upper()}"


def line_amount(line: LineInput | LineItemRecord) -> Decimal:
    """Dynamics' extended amount of a line as entered."""
    if line.price_per_unit is None:
        raise InvalidField("price_per_unit", "no price for the line")
    amount = extended_amount(
        quantity=line.quantity,
        price_per_unit=line.price_per_unit,
        manual_discount=line.manual_discount,
        tax=line.tax,
    )
    return check_storable("extended_amount", amount)


def priced_amounts(shared: SharedRecords, line: LineInput | LineItemRecord) -> dict[str, Any]:
    """The line's amounts as the engine works them out: its volume discount from the tier of
    its discount list its quantity falls in, its tax from its tax rate (or as given)."""
    if line.price_per_unit is None:
        raise InvalidField("price_per_unit", "no price for the line")
    discount_list_id = getattr(line, "discount_list_id", None)
    tiers = shared.volume_tiers(discount_list_id) if discount_list_id else None
    rate = None
    if line.tax_rate_id is not None:
        rate = shared.tax_rate(line.tax_rate_id)
        if rate is None:
            raise InvalidField("tax_rate_id", f"no active tax rate {line.tax_rate_id}")
    amounts = line_amounts(
        quantity=line.quantity,
        price_per_unit=line.price_per_unit,
        volume_discount=volume_discount(line.price_per_unit, line.quantity, tiers),
        manual_discount=line.manual_discount,
        tax=line.tax,
        tax_rate=rate,
    )
    check_storable("extended_amount", amounts.extended_amount)
    return {
        "base_amount": amounts.base_amount,
        "volume_discount": amounts.volume_discount,
        "tax": amounts.tax,
        "extended_amount": amounts.extended_amount,
    }


def check_lines_storable(
    lines: Sequence[LineInput], document_lines: Iterable[Decimal] = ()
) -> None:
    """Each line's extended amount, and the document's total once they are on it (with the
    extended amounts of the lines it has), are amounts storage holds. A rule calls it, so the
    workflow refuses such lines before anything runs."""
    amounts = [line_amount(line) for line in lines]
    check_storable("total_amount", total([*document_lines, *amounts]))


def new_lines(
    deal: Deal,
    step: Step,
    document: Document,
    document_id: uuid.UUID,
    lines: Sequence[LineInput],
    field: str | None = None,
) -> list[LineItemRecord]:
    """Lines entered on a document, numbered after the last it has (numbers of removed lines
    are not reused: a line's number is part of the ids of its copies), with their product's
    properties filled. `field`: where the lines are in the body (`lines`), None for one line
    that is the body itself."""
    first = 1 + max((line.line_number for line in deal.lines_of(document_id)), default=0)
    return [
        step.new(
            LineItemRecord,
            {
                **line.model_dump(),
                "id": step.new_id(f"{document}-{document_id}-line-{number}"),
                "deal_id": deal.deal_id,
                "document": document,
                "document_id": document_id,
                "line_number": number,
                **priced_amounts(step.shared, line),
                "properties": line_properties(
                    step.shared,
                    line.product_id,
                    line.properties,
                    field="properties" if field is None else f"{field}.{index}.properties",
                ),
            },
        )
        for index, (number, line) in enumerate(enumerate(lines, start=first))
    ]


def copied_lines(
    deal: Deal, step: Step, source_id: uuid.UUID, document: Document, document_id: uuid.UUID
) -> list[LineItemRecord]:
    """The lines of one document copied onto the next (opportunity → quote → order), each
    remembering the line it came from, with its property values."""
    return [
        step.new(
            LineItemRecord,
            {
                **source.model_dump(exclude={"id", "created_at", "created_by", "owner_id"}),
                "id": step.new_id(f"{document}-{document_id}-line-{source.line_number}"),
                "document": document,
                "document_id": document_id,
                "source_line_id": source.id,
            },
        )
        for source in deal.lines_of(source_id)
    ]


def totalled(step: Step, document: D, lines: Iterable[LineItemRecord]) -> D:
    """The document with its totals worked out from its lines, discount and freight (and an
    opportunity's system-calculated revenue with them)."""
    totals = document_totals(
        ((line.extended_amount, line.tax) for line in lines),
        document.discount_percentage,
        document.discount_amount,
        document.freight_amount,
    )
    changes: dict[str, Any] = {
        "total_amount": totals.total_amount,
        "total_line_item_amount": totals.total_line_item_amount,
        "total_discount_amount": totals.total_discount_amount,
        "total_amount_less_freight": totals.total_amount_less_freight,
        "total_tax": totals.total_tax,
    }
    if isinstance(document, OpportunityRecord):
        # The system-calculated revenue is the opportunity's total, kept so.
        changes = system_revenue(document, totals.total_amount, **changes)
    return step.change(document, **changes)


def charges_left(order: OrderRecord, earlier: Iterable[InvoiceRecord]) -> tuple[Decimal, Decimal]:
    """What the order's document discount and freight have left for its next invoices."""
    billed = [invoice for invoice in earlier if invoice.order_id == order.id]
    discount = order.total_discount_amount - sum((i.total_discount_amount for i in billed), ZERO)
    freight = (order.freight_amount or ZERO) - sum((i.freight_amount or ZERO for i in billed), ZERO)
    return discount, freight


def order_share(
    order: OrderRecord, amount: Decimal, lines_left: Decimal, earlier: Iterable[InvoiceRecord]
) -> tuple[Decimal, tuple[Decimal, Decimal]]:
    """What an invoice of `amount` of the order's total bills of its lines (tax included) and
    of its discount and freight: their share of what the order has left in proportion to
    `amount`, the lines' amount what makes the invoice come to `amount` exactly. An amount
    short of all that is left leaves a cent on the lines (and its freight) for the rest."""
    discount_left, freight_left = charges_left(order, earlier)
    total_left = lines_left - discount_left + freight_left
    discount = share(discount_left, amount, total_left)
    freight = share(freight_left, amount, total_left)
    lines = amount + discount - freight
    if amount < total_left and lines >= lines_left:
        freight += lines - lines_left + CENT
        lines = lines_left - CENT
    return lines, (discount, freight)


def billed_charges(
    order: OrderRecord,
    lines: Iterable[LineItemRecord],
    earlier: Iterable[InvoiceRecord],
    final: bool,
    charges: tuple[Decimal, Decimal] | None = None,
) -> dict[str, Any]:
    """What an invoice of an order takes of the order's document discount and freight, as
    amounts: `charges` when a share of the order fixed them (`order_share`), else their share
    in proportion to the detail amount it bills; the invoice that bills what is left takes
    what is left of them, so the order's invoices add up to its total."""
    detail = total(line.extended_amount - line.tax for line in lines)
    if final:
        discount, freight = charges_left(order, earlier)
    elif charges is not None:
        discount, freight = charges
    else:
        discount = share(order.total_discount_amount, detail, order.total_line_item_amount)
        freight = share(order.freight_amount or ZERO, detail, order.total_line_item_amount)
    return {
        "discount_percentage": None,
        "discount_amount": min(discount, detail) or None,
        "freight_amount": freight or None,
    }


def open_document(
    deal: Deal,
    step: Step,
    model: type[D],
    fields: dict[str, Any],
    owner_id: uuid.UUID | None,
    document: Document,
    lines: Sequence[LineInput],
) -> tuple[D, list[LineItemRecord]]:
    """The record a deal opened directly starts from (a shortcut), with its lines and total."""
    check_references(step.shared, fields)
    for index, line in enumerate(lines):
        check_references(step.shared, line.model_dump(), f"lines.{index}.")
    record = step.new(model, {**fields, "deal_id": deal.deal_id}, owner_id)
    created = new_lines(deal, step, document, record.id, lines, "lines")
    return totalled(step, record, created), created
