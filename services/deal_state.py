"""Read a deal's snapshot from the database: what its workflow checks transitions against."""

from collections import defaultdict
from decimal import Decimal

from sqlmodel import Session, col, select

from models.deal import (
    DealState,
    InvoiceSnapshot,
    LeadSnapshot,
    LineSnapshot,
    OpportunitySnapshot,
    OrderSnapshot,
    PaymentSnapshot,
    QuoteSnapshot,
)
from models.invoice import InvoiceState, Payment
from models.line_item import Document, LineItem
from models.opportunity import Opportunity
from models.pricing import ZERO
from services.deal_reads import deal_documents


def load_state(session: Session, deal_id: str) -> DealState:
    lead, opportunity, quotes, orders, invoices = deal_documents(session, deal_id)
    payments = session.exec(select(Payment).where(col(Payment.deal_id) == deal_id)).all()
    lines = session.exec(
        select(LineItem)
        .where(col(LineItem.deal_id) == deal_id)
        .order_by(col(LineItem.line_number), col(LineItem.created_at))
    ).all()

    live_invoices = {i.id for i in invoices if i.state is not InvoiceState.canceled}
    invoiced_quantity: dict[object, Decimal] = defaultdict(lambda: ZERO)
    invoiced_amount: dict[object, Decimal] = defaultdict(lambda: ZERO)
    line_billed: dict[object, Decimal] = defaultdict(lambda: ZERO)
    for line in lines:
        if line.document == Document.invoice and line.document_id in live_invoices:
            invoiced_quantity[line.source_line_id] += line.quantity
            line_billed[line.source_line_id] += line.extended_amount
    for invoice in invoices:
        if invoice.id in live_invoices and invoice.order_id:
            invoiced_amount[invoice.order_id] += invoice.total_amount
    payments_of: dict[object, list[PaymentSnapshot]] = defaultdict(list)
    for payment in payments:
        payments_of[payment.invoice_id].append(
            PaymentSnapshot(
                id=payment.id, amount=payment.amount, canceled=payment.canceled_at is not None
            )
        )

    return DealState(
        deal_id=deal_id,
        lead=lead and LeadSnapshot.model_validate(lead, from_attributes=True),
        opportunity=opportunity
        and OpportunitySnapshot.model_validate(
            {**opportunity.model_dump(), "value": opportunity_value(opportunity)}
        ),
        quotes=[QuoteSnapshot.model_validate(q, from_attributes=True) for q in quotes],
        orders=[
            OrderSnapshot.model_validate(
                {**o.model_dump(), "invoiced_amount": invoiced_amount[o.id]}
            )
            for o in orders
        ],
        invoices=[
            InvoiceSnapshot.model_validate({**i.model_dump(), "payments": payments_of[i.id]})
            for i in invoices
        ],
        lines=[
            LineSnapshot.model_validate(
                {
                    **line.model_dump(),
                    "invoiced_quantity": invoiced_quantity[line.id],
                    "invoiced_amount": line_billed[line.id],
                }
            )
            for line in lines
        ],
    )


def opportunity_value(opportunity: Opportunity) -> Decimal:
    """Actual revenue once won; before, the lines' total or the user's estimate."""
    if opportunity.actual_revenue is not None:
        return opportunity.actual_revenue
    if opportunity.is_revenue_system_calculated or opportunity.estimated_revenue is None:
        return opportunity.total_amount
    return opportunity.estimated_revenue
