"""Read side of deal records: lists and lookups for the API. Writes go through the workflow."""

import uuid
from collections.abc import Sequence

from sqlmodel import Session, col, select

from models.connection import OpportunityCompetitor, Stakeholder
from models.deal_event import DealEvent
from models.invoice import Invoice, Payment
from models.lead import Lead
from models.line_item import LineItem
from models.opportunity import Opportunity
from models.order import SalesOrder
from models.quote import Quote
from services.crud import Repository

leads = Repository(
    Lead,
    "lead",
    sortable=frozenset({"last_name", "company_name", "topic", "state"}),
    search=("last_name", "first_name", "company_name", "topic", "email"),
)
opportunities = Repository(
    Opportunity,
    "opportunity",
    sortable=frozenset({"name", "estimated_close_date", "total_amount", "state"}),
    search=("name",),
)
quotes = Repository(
    Quote,
    "quote",
    sortable=frozenset({"quote_number", "revision_number", "total_amount", "state"}),
    search=("name", "quote_number"),
)
orders = Repository(
    SalesOrder,
    "order",
    sortable=frozenset({"order_number", "total_amount", "state"}),
    search=("name", "order_number"),
)
invoices = Repository(
    Invoice,
    "invoice",
    sortable=frozenset({"invoice_number", "total_amount", "due_date", "state"}),
    search=("name", "invoice_number"),
)


def lines_of(session: Session, document_id: uuid.UUID) -> Sequence[LineItem]:
    return session.exec(
        select(LineItem)
        .where(col(LineItem.document_id) == document_id)
        .order_by(col(LineItem.line_number))
    ).all()


def competitors_of(session: Session, opportunity_id: uuid.UUID) -> Sequence[OpportunityCompetitor]:
    """The competitors linked to an opportunity, as linked."""
    return session.exec(
        select(OpportunityCompetitor)
        .where(col(OpportunityCompetitor.opportunity_id) == opportunity_id)
        .order_by(col(OpportunityCompetitor.created_at), col(OpportunityCompetitor.id))
    ).all()


def stakeholders_of(session: Session, opportunity_id: uuid.UUID) -> Sequence[Stakeholder]:
    """An opportunity's stakeholders, as added."""
    return session.exec(
        select(Stakeholder)
        .where(col(Stakeholder.opportunity_id) == opportunity_id)
        .order_by(col(Stakeholder.created_at), col(Stakeholder.id))
    ).all()


def payments_of(session: Session, invoice_id: uuid.UUID) -> Sequence[Payment]:
    return session.exec(
        select(Payment).where(col(Payment.invoice_id) == invoice_id).order_by(col(Payment.paid_at))
    ).all()


def invoices_of(session: Session, order_id: uuid.UUID) -> Sequence[Invoice]:
    return session.exec(
        select(Invoice).where(col(Invoice.order_id) == order_id).order_by(col(Invoice.created_at))
    ).all()


def payment(session: Session, payment_id: uuid.UUID) -> Payment | None:
    return session.get(Payment, payment_id)


def line(session: Session, line_id: uuid.UUID) -> LineItem | None:
    return session.get(LineItem, line_id)


def events_of(session: Session, deal_id: str, limit: int = 100) -> Sequence[DealEvent]:
    return session.exec(
        select(DealEvent)
        .where(col(DealEvent.deal_id) == deal_id)
        .order_by(col(DealEvent.at).desc())
        .limit(limit)
    ).all()
