"""A deal's snapshot: what its workflow checks transitions against.

`load_state` reads it from the database. A transition builds the snapshot it hands back from the
records it read and wrote (`LoadedDeal.after`) instead of reading them all again.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter
from typing import Any

from sqlalchemy import inspect
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
from models.invoice import Invoice, InvoiceState, Payment
from models.lead import Lead
from models.line_item import Document, LineItem
from models.opportunity import Opportunity
from models.order import SalesOrder
from models.pricing import ZERO
from models.quote import Quote
from services.deal_reads import deal_documents


@dataclass
class LoadedDeal:
    """Every record of one deal, as loaded into a session, in the order the snapshot lists them."""

    deal_id: str
    lead: Lead | None = None
    opportunity: Opportunity | None = None
    quotes: list[Quote] = field(default_factory=list)
    orders: list[SalesOrder] = field(default_factory=list)
    invoices: list[Invoice] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    lines: list[LineItem] = field(default_factory=list)

    @classmethod
    def read(cls, session: Session, deal_id: str) -> "LoadedDeal":
        lead, opportunity, quotes, orders, invoices = deal_documents(session, deal_id)
        payments = session.exec(select(Payment).where(col(Payment.deal_id) == deal_id)).all()
        lines = session.exec(
            select(LineItem)
            .where(col(LineItem.deal_id) == deal_id)
            .order_by(col(LineItem.line_number), col(LineItem.created_at))
        ).all()
        return cls(
            deal_id, lead, opportunity, [*quotes], [*orders], [*invoices], [*payments], [*lines]
        )

    def after(self, saved: Iterable[Any]) -> "LoadedDeal":
        """The deal's records once a step has flushed: these, less the deleted, plus `saved` (the
        records the step created or changed). Sorted as `read` sorts them, so the snapshot is the
        one a fresh read would give."""
        mine = [r for r in saved if getattr(r, "deal_id", None) == self.deal_id]
        kept = [r for r in (*self._all(), *mine) if not inspect(r).was_deleted]
        records = list({id(r): r for r in kept}.values())  # a changed record is in both

        def of(model: type) -> list[Any]:
            return [r for r in records if isinstance(r, model)]

        by_created = attrgetter("created_at")
        return LoadedDeal(
            self.deal_id,
            next(iter(of(Lead)), None),
            next(iter(of(Opportunity)), None),
            sorted(of(Quote), key=by_created),
            sorted(of(SalesOrder), key=by_created),
            sorted(of(Invoice), key=by_created),
            of(Payment),
            sorted(of(LineItem), key=lambda line: (line.line_number, line.created_at)),
        )

    def _all(self) -> list[Any]:
        single = [r for r in (self.lead, self.opportunity) if r is not None]
        return [*single, *self.quotes, *self.orders, *self.invoices, *self.payments, *self.lines]

    def state(self) -> DealState:
        live_invoices = {i.id for i in self.invoices if i.state is not InvoiceState.canceled}
        invoiced_quantity: dict[object, Decimal] = defaultdict(lambda: ZERO)
        invoiced_amount: dict[object, Decimal] = defaultdict(lambda: ZERO)
        line_billed: dict[object, Decimal] = defaultdict(lambda: ZERO)
        for line in self.lines:
            if line.document == Document.invoice and line.document_id in live_invoices:
                invoiced_quantity[line.source_line_id] += line.quantity
                line_billed[line.source_line_id] += line.extended_amount
        for invoice in self.invoices:
            if invoice.id in live_invoices and invoice.order_id:
                invoiced_amount[invoice.order_id] += invoice.total_amount
        payments_of: dict[object, list[PaymentSnapshot]] = defaultdict(list)
        for payment in self.payments:
            payments_of[payment.invoice_id].append(
                PaymentSnapshot(
                    id=payment.id, amount=payment.amount, canceled=payment.canceled_at is not None
                )
            )
        lead, opportunity = self.lead, self.opportunity
        return DealState(
            deal_id=self.deal_id,
            lead=lead and LeadSnapshot.model_validate(lead, from_attributes=True),
            opportunity=opportunity
            and OpportunitySnapshot.model_validate(
                {**opportunity.model_dump(), "value": opportunity_value(opportunity)}
            ),
            quotes=[QuoteSnapshot.model_validate(q, from_attributes=True) for q in self.quotes],
            orders=[
                OrderSnapshot.model_validate(
                    {**o.model_dump(), "invoiced_amount": invoiced_amount[o.id]}
                )
                for o in self.orders
            ],
            invoices=[
                InvoiceSnapshot.model_validate({**i.model_dump(), "payments": payments_of[i.id]})
                for i in self.invoices
            ],
            lines=[
                LineSnapshot.model_validate(
                    {
                        **line.model_dump(),
                        "invoiced_quantity": invoiced_quantity[line.id],
                        "invoiced_amount": line_billed[line.id],
                    }
                )
                for line in self.lines
            ],
        )


def load_state(session: Session, deal_id: str) -> DealState:
    return LoadedDeal.read(session, deal_id).state()


def opportunity_value(opportunity: Opportunity) -> Decimal:
    """Actual revenue once won; before, the lines' total or the user's estimate."""
    if opportunity.actual_revenue is not None:
        return opportunity.actual_revenue
    if opportunity.is_revenue_system_calculated or opportunity.estimated_revenue is None:
        return opportunity.total_amount
    return opportunity.estimated_revenue
