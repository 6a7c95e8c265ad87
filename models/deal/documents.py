"""What the deal's documents (opportunity, quote, order, invoice) share: numbers, lines, totals.

Lines arrive priced: the API looks a product's price up in the catalog before the transition.
"""

import uuid
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from models.base import check_storable
from models.deal.properties import line_properties
from models.deal.records import Deal, Step, check_references
from models.errors import InvalidField
from models.invoice import InvoiceRecord
from models.line_item import Document, LineInput, LineItemRecord
from models.opportunity import OpportunityRecord, system_revenue
from models.order import OrderRecord
from models.pricing import extended_amount, total
from models.quote import QuoteRecord

D = TypeVar("D", bound=OpportunityRecord | QuoteRecord | OrderRecord | InvoiceRecord)


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
                "extended_amount": line_amount(line),
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
    """The document with its total: the sum of its lines' extended amounts (and an
    opportunity's system-calculated revenue with it)."""
    amount = total(line.extended_amount for line in lines)
    if isinstance(document, OpportunityRecord):
        return step.change(document, **system_revenue(document, amount, total_amount=amount))
    return step.change(document, total_amount=amount)


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
