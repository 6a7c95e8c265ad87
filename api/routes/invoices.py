"""Invoices and payments, through the deal workflow."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, status
from pydantic import Field
from sqlmodel import Session

from api.deal_assign import add_assign_route
from api.deps import ActorDep, PrincipalDep, SessionDep, allow, record_access
from api.idempotency import new_id
from api.lines import add_line_routes
from api.pricing import priced_lines, repriced_lines
from api.reads import add_read_routes
from api.transitions import DealRecords, in_db, run_transition
from models.deal.guards import MAX_LINES
from models.deal.invoice import CancelInvoice, CancelPayment, CreateInvoice, Pay, UpdateInvoice
from models.deal.pricing_lock import LockPricing, RecalculatePricing, UnlockPricing
from models.errors import NotFound
from models.invoice import (
    Invoice,
    InvoiceEntry,
    InvoiceFilters,
    InvoicePublic,
    InvoiceUpdate,
    PaymentFields,
    PaymentPublic,
)
from models.line_item import LineInput, PricedLine
from models.permissions import Area, Operation
from services import deal_reads, users
from services.deal_reads import invoices
from workflows.client import deal_id_for

router = APIRouter(prefix="/invoices", tags=["invoices"])
add_read_routes(
    router, invoices, tag="invoices", area=Area.deals, public=InvoicePublic, filters=InvoiceFilters
)
add_assign_route(router, invoices, "invoice")


def _price_list(session: Session, invoice: Invoice) -> uuid.UUID | None:
    return invoice.price_list_id


# Lines change on an active, unpaid invoice entered directly, priced from its price list today.
add_line_routes(router, invoices, _price_list)

Readable = Annotated[
    Invoice, Depends(record_access(invoices, Area.deals, Operation.read, "invoice_id"))
]
Changeable = Annotated[
    Invoice, Depends(record_access(invoices, Area.deals, Operation.change, "invoice_id"))
]
READ = [allow(Area.deals, Operation.read)]
CHANGE = [allow(Area.deals, Operation.change)]


class InvoiceCreate(InvoiceEntry):
    # The business process the deal follows (none: the default one).
    process_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
    lines: list[LineInput] = Field(min_length=1, max_length=MAX_LINES)


@router.post(
    "",
    response_model=InvoicePublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[allow(Area.deals, Operation.create)],
)
async def create_invoice(request: Request, principal: PrincipalDep, body: InvoiceCreate) -> Any:
    """Enter an invoice directly, with no order: its deal starts in the Fulfill stage."""
    actor = principal.user_id
    invoice_id = new_id(request)

    def priced(session: Session) -> list[PricedLine]:
        users.check_may_own(session, principal, body.owner_id)
        return priced_lines(request, session, principal, body.lines, body.price_list_id)

    lines = await in_db(request, priced)
    action = CreateInvoice(
        invoice_id=invoice_id,
        invoice=InvoiceEntry.model_validate(
            body.model_dump(exclude={"lines", "owner_id", "process_id"})
        ),
        owner_id=body.owner_id,
        process_id=body.process_id,
        lines=lines,
    )
    result = await run_transition(request, deal_id_for(invoice_id), action, actor, new=True)
    return next(i for i in result.invoices if i.id == invoice_id)


@router.patch("/{invoice_id}", response_model=InvoicePublic, dependencies=CHANGE)
async def update_invoice(
    request: Request,
    actor: ActorDep,
    invoice: Changeable,
    invoice_id: uuid.UUID,
    body: InvoiceUpdate,
) -> Any:
    """Edit an active, unpaid invoice entered directly (name, due date, description, discount,
    freight); only the fields sent change, and the totals follow."""
    changes = body.model_dump(mode="json", exclude_unset=True)
    action = UpdateInvoice(invoice_id=invoice_id, changes=changes)
    result = await run_transition(request, invoice.deal_id, action, actor)
    return next(i for i in result.invoices if i.id == invoice_id)


@router.get("/{invoice_id}/payments", response_model=list[PaymentPublic], dependencies=READ)
def list_payments(session: SessionDep, invoice: Readable, invoice_id: uuid.UUID) -> Any:
    """Payments recorded on the invoice, cancelled ones included."""
    return deal_reads.payments_of(session, invoice.id)


@router.post("/{invoice_id}/pay", response_model=DealRecords, dependencies=CHANGE)
async def pay(
    request: Request,
    actor: ActorDep,
    invoice: Changeable,
    invoice_id: uuid.UUID,
    body: PaymentFields,
) -> DealRecords:
    """Record a payment (partial payments allowed, never more than the balance due)."""
    action = Pay(invoice_id=invoice_id, payment=body)
    return await run_transition(request, invoice.deal_id, action, actor)


@router.post("/{invoice_id}/cancel", response_model=DealRecords, dependencies=CHANGE)
async def cancel(
    request: Request, actor: ActorDep, invoice: Changeable, invoice_id: uuid.UUID
) -> DealRecords:
    """Cancel an active invoice without payments; its quantities can be billed again."""
    action = CancelInvoice(invoice_id=invoice_id)
    return await run_transition(request, invoice.deal_id, action, actor)


@router.post(
    "/{invoice_id}/payments/{payment_id}/cancel", response_model=DealRecords, dependencies=CHANGE
)
async def cancel_payment(
    request: Request,
    actor: ActorDep,
    invoice: Changeable,
    invoice_id: uuid.UUID,
    payment_id: uuid.UUID,
) -> DealRecords:
    """Cancel a payment: the invoice's balance due is restored."""

    def check(session: Any) -> None:
        found = deal_reads.payment(session, payment_id)
        if found is None or found.invoice_id != invoice_id:
            raise NotFound("payment", payment_id)

    await in_db(request, check)
    action = CancelPayment(payment_id=payment_id)
    return await run_transition(request, invoice.deal_id, action, actor)


@router.post("/{invoice_id}/lock-pricing", response_model=DealRecords, dependencies=CHANGE)
async def lock_pricing(
    request: Request, actor: ActorDep, invoice: Changeable, invoice_id: uuid.UUID
) -> DealRecords:
    """Keep the active invoice's prices as billed (the default), whatever the price list says."""
    action = LockPricing(document_id=invoice_id)
    return await run_transition(request, invoice.deal_id, action, actor)


@router.post("/{invoice_id}/unlock-pricing", response_model=DealRecords, dependencies=CHANGE)
async def unlock_pricing(
    request: Request, actor: ActorDep, invoice: Changeable, invoice_id: uuid.UUID
) -> DealRecords:
    """Let the active invoice's prices follow its price list when it is recalculated."""
    action = UnlockPricing(document_id=invoice_id)
    return await run_transition(request, invoice.deal_id, action, actor)


@router.post("/{invoice_id}/recalculate", response_model=DealRecords, dependencies=CHANGE)
async def recalculate(
    request: Request, actor: ActorDep, invoice: Changeable, invoice_id: uuid.UUID
) -> DealRecords:
    """Price an unlocked, active, unpaid invoice entered directly again from its price list, as
    of today, and total it again (an invoice of an order bills the order's prices)."""
    lines = await in_db(
        request,
        lambda session: repriced_lines(request, session, invoice_id, invoice.price_list_id),
    )
    action = RecalculatePricing(document_id=invoice_id, lines=lines)
    return await run_transition(request, invoice.deal_id, action, actor)
