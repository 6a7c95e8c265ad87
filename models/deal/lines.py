"""Products on the opportunity, a draft quote, or an active order or invoice not billed or paid
yet: added, edited, removed; the total follows.

Each action: its input, its rule (`check_<action>`, on the deal's snapshot) and its effect
(`apply_<action>`, on the deal's records). `models.deal.actions` maps the names to them.
"""

import uuid
from datetime import date
from typing import Any, Literal

from models.deal.documents import check_lines_storable, new_lines, priced_amounts, totalled
from models.deal.guards import require_editable_line, require_editable_lines
from models.deal.properties import line_properties
from models.deal.records import (
    ActionInput,
    Deal,
    Effect,
    Step,
    check_references,
    validated_changes,
)
from models.deal.state import DealState
from models.errors import InvalidField, NotFound
from models.invoice import InvoiceRecord
from models.line_item import Document, LineItemRecord, LineUpdate, PricedLine
from models.opportunity import OpportunityRecord
from models.order import OrderRecord
from models.quote import QuoteRecord


def document_of(
    deal: Deal, document_id: uuid.UUID
) -> tuple[Document, OpportunityRecord | QuoteRecord | OrderRecord | InvoiceRecord]:
    """The document a line is on."""
    if deal.opportunity and deal.opportunity.id == document_id:
        return Document.opportunity, deal.opportunity
    for document, model in DOCUMENTS:
        record = deal.get(model, document_id)
        if record is not None:
            return document, record
    raise NotFound("document", document_id)


DOCUMENTS: tuple[tuple[Document, type[QuoteRecord | OrderRecord | InvoiceRecord]], ...] = (
    (Document.quote, QuoteRecord),
    (Document.order, OrderRecord),
    (Document.invoice, InvoiceRecord),
)


def line_of(deal: Deal, line_id: uuid.UUID) -> LineItemRecord:
    line = deal.get(LineItemRecord, line_id)
    if line is None:
        raise NotFound("line", line_id)
    return line


# --- add_line ---------------------------------------------------------------------------------


class AddLine(ActionInput):
    """A product on the opportunity, a draft quote, or an active order or invoice."""

    action: Literal["add_line"] = "add_line"
    document_id: uuid.UUID
    line: PricedLine


def check_add_line(deal: DealState, action: AddLine, today: date) -> None:
    require_editable_lines(deal, action.document_id, action.action)
    on_it = [line.extended_amount for line in deal.lines_of(action.document_id)]
    check_lines_storable([action.line], on_it)


def apply_add_line(deal: Deal, action: AddLine, step: Step) -> Effect:
    document, record = document_of(deal, action.document_id)
    check_references(step.shared, action.line.model_dump())
    (line,) = new_lines(deal, step, document, record.id, [action.line])
    totalled_record = totalled(step, record, [*deal.lines_of(record.id), line])
    summary = f"Line added to the {document}"
    return Effect("line", line.id, summary, created=(line,), changed=(totalled_record,))


# --- update_line ------------------------------------------------------------------------------


class UpdateLine(ActionInput):
    action: Literal["update_line"] = "update_line"
    line_id: uuid.UUID
    changes: dict[str, Any]


def check_update_line(deal: DealState, action: UpdateLine, today: date) -> None:
    require_editable_line(deal, action.line_id, action.action)
    validated_changes(LineUpdate, LineItemRecord, action.changes)


def apply_update_line(deal: Deal, action: UpdateLine, step: Step) -> Effect:
    """The fields sent change; properties sent are checked against the product's, and the
    line's others keep their values."""
    line = line_of(deal, action.line_id)
    changes = validated_changes(LineUpdate, LineItemRecord, action.changes)
    sent = changes.pop("properties", None)
    if sent is not None:
        changes["properties"] = line_properties(step.shared, line.product_id, sent, line.properties)
    if changes.get("tax_rate_id") is not None and changes.get("tax"):
        raise InvalidField("tax_rate_id", "give tax or tax_rate_id, not both")
    if "tax" in changes and "tax_rate_id" not in changes:
        changes["tax_rate_id"] = None  # a tax amount sent replaces the rate
    check_references(step.shared, changes)
    price = changes.get("price_per_unit")
    if line.product_id is not None and price is not None and price != line.price_per_unit:
        changes["is_price_overridden"] = True
    line = step.change(line, **changes)
    line = line.model_copy(update=priced_amounts(step.shared, line))
    _, record = document_of(deal, line.document_id)
    lines = [line if other.id == line.id else other for other in deal.lines_of(record.id)]
    summary = f"Line updated: {', '.join(sorted(action.changes))}"
    return Effect("line", line.id, summary, changed=(line, totalled(step, record, lines)))


# --- remove_line ------------------------------------------------------------------------------


class RemoveLine(ActionInput):
    action: Literal["remove_line"] = "remove_line"
    line_id: uuid.UUID


def check_remove_line(deal: DealState, action: RemoveLine, today: date) -> None:
    require_editable_line(deal, action.line_id, action.action)


def apply_remove_line(deal: Deal, action: RemoveLine, step: Step) -> Effect:
    line = line_of(deal, action.line_id)
    document, record = document_of(deal, line.document_id)
    left = [other for other in deal.lines_of(record.id) if other.id != line.id]
    return Effect(
        str(document),
        record.id,
        "Line removed",
        changed=(totalled(step, record, left),),
        removed=(line,),
    )
