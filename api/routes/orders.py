"""Orders: submitted, fulfilled, cancelled and invoiced through the deal workflow."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, status
from pydantic import Field
from sqlmodel import Session

from api.deal_assign import add_assign_route
from api.deps import ActorDep, PrincipalDep, SessionDep, allow, record_access
from api.idempotency import new_id
from api.lines import add_line_routes
from api.pricing import priced_lines, repriced_lines
from api.reads import add_read_routes
from api.transitions import DealRecords, in_db, run_transition
from models.base import RequestModel
from models.deal.guards import MAX_LINES
from models.deal.order import (
    BillPart,
    BillPartFields,
    CancelOrder,
    CreateOrder,
    Fulfill,
    HoldOrder,
    InvoiceChoice,
    InvoiceOrder,
    ResumeOrder,
    SetPaymentSchedule,
    SubmitOrder,
    UpdateOrder,
)
from models.deal.pricing_lock import LockPricing, RecalculatePricing, UnlockPricing
from models.deal.records import schedule_parts
from models.deal.state import PartSnapshot
from models.invoice import InvoiceRecord
from models.line_item import LineInput, PricedLine
from models.order import (
    OrderFields,
    OrderFilters,
    OrderPublic,
    OrderRecord,
    OrderStatus,
    OrderUpdate,
    SalesOrder,
)
from models.payment_schedule import MAX_PARTS, PaymentScheduleInput
from models.permissions import Area, Operation
from services import deal_reads, users
from services.deal_reads import orders
from workflows.client import deal_id_for

router = APIRouter(prefix="/orders", tags=["orders"])
add_read_routes(
    router, orders, tag="orders", area=Area.deals, public=OrderPublic, filters=OrderFilters
)
add_assign_route(router, orders, "order")


def _price_list(session: Session, order: SalesOrder) -> uuid.UUID | None:
    return order.price_list_id


# Lines change while the order is active and not billed yet, priced from its price list today.
add_line_routes(router, orders, _price_list)

Readable = Annotated[
    SalesOrder, Depends(record_access(orders, Area.deals, Operation.read, "order_id"))
]
Changeable = Annotated[
    SalesOrder, Depends(record_access(orders, Area.deals, Operation.change, "order_id"))
]
READ = [allow(Area.deals, Operation.read)]
CHANGE = [allow(Area.deals, Operation.change)]


class OrderCreate(OrderFields):
    # The business process the deal follows (none: the default one).
    process_id: uuid.UUID | None = None
    owner_id: uuid.UUID | None = None
    lines: list[LineInput] = Field(min_length=1, max_length=MAX_LINES)


class FulfillBody(RequestModel):
    status: OrderStatus = OrderStatus.complete


class HoldBody(RequestModel):
    reason: str = Field(min_length=1, max_length=500)


@router.post(
    "",
    response_model=OrderPublic,
    status_code=status.HTTP_201_CREATED,
    dependencies=[allow(Area.deals, Operation.create)],
)
async def create_order(request: Request, principal: PrincipalDep, body: OrderCreate) -> Any:
    """Enter an order directly: its deal starts in the Fulfill stage, prices locked now."""
    actor = principal.user_id
    order_id = new_id(request)

    def priced(session: Session) -> list[PricedLine]:
        users.check_may_own(session, principal, body.owner_id)
        return priced_lines(request, session, principal, body.lines, body.price_list_id)

    lines = await in_db(request, priced)
    action = CreateOrder(
        order_id=order_id,
        order=OrderFields.model_validate(
            body.model_dump(exclude={"lines", "owner_id", "process_id"})
        ),
        owner_id=body.owner_id,
        process_id=body.process_id,
        lines=lines,
    )
    result = await run_transition(request, deal_id_for(order_id), action, actor, new=True)
    return next(o for o in result.orders if o.id == order_id)


@router.patch("/{order_id}", response_model=OrderPublic, dependencies=CHANGE)
async def update_order(
    request: Request, actor: ActorDep, order: Changeable, order_id: uuid.UUID, body: OrderUpdate
) -> Any:
    """Edit an active order not billed yet (name, address, description, discount, freight);
    only the fields sent change, and the totals follow."""
    changes = body.model_dump(mode="json", exclude_unset=True)
    result = await run_transition(
        request, order.deal_id, UpdateOrder(order_id=order_id, changes=changes), actor
    )
    return next(o for o in result.orders if o.id == order_id)


@router.post("/{order_id}/submit", response_model=DealRecords, dependencies=CHANGE)
async def submit(
    request: Request, actor: ActorDep, order: Changeable, order_id: uuid.UUID
) -> DealRecords:
    """Hand an active order to fulfilment: Submitted, still fulfillable, cancellable, billable."""
    return await run_transition(request, order.deal_id, SubmitOrder(order_id=order_id), actor)


@router.post("/{order_id}/fulfill", response_model=DealRecords, dependencies=CHANGE)
async def fulfill(
    request: Request,
    actor: ActorDep,
    order: Changeable,
    order_id: uuid.UUID,
    body: FulfillBody | None = None,
) -> DealRecords:
    """Mark the order fulfilled, completely or partially."""
    action = Fulfill(order_id=order_id, status=(body or FulfillBody()).status)
    return await run_transition(request, order.deal_id, action, actor)


@router.post("/{order_id}/cancel", response_model=DealRecords, dependencies=CHANGE)
async def cancel(
    request: Request, actor: ActorDep, order: Changeable, order_id: uuid.UUID
) -> DealRecords:
    """Cancel an order that has no live invoices."""
    return await run_transition(request, order.deal_id, CancelOrder(order_id=order_id), actor)


@router.post(
    "/{order_id}/invoices",
    response_model=DealRecords,
    status_code=status.HTTP_201_CREATED,
    dependencies=CHANGE,
)
async def invoice(
    request: Request,
    actor: ActorDep,
    order: Changeable,
    order_id: uuid.UUID,
    body: InvoiceChoice | None = None,
) -> DealRecords:
    """Bill the order: all it has left, chosen lines and quantities, or a percentage of it
    (deposit, milestones); `record_id` is the invoice."""
    action = InvoiceOrder(order_id=order_id, **(body or InvoiceChoice()).model_dump())
    return await run_transition(request, order.deal_id, action, actor)


@router.post("/{order_id}/hold", response_model=DealRecords, dependencies=CHANGE)
async def hold(
    request: Request, actor: ActorDep, order: Changeable, order_id: uuid.UUID, body: HoldBody
) -> DealRecords:
    """Put an active order on hold (status Pending), with the reason: it is not submitted,
    fulfilled or invoiced until it is resumed."""
    action = HoldOrder(order_id=order_id, reason=body.reason)
    return await run_transition(request, order.deal_id, action, actor)


@router.post("/{order_id}/resume", response_model=DealRecords, dependencies=CHANGE)
async def resume(
    request: Request, actor: ActorDep, order: Changeable, order_id: uuid.UUID
) -> DealRecords:
    """Take the order off hold."""
    return await run_transition(request, order.deal_id, ResumeOrder(order_id=order_id), actor)


@router.get("/{order_id}/payment-schedule", response_model=list[PartSnapshot], dependencies=READ)
def payment_schedule(session: SessionDep, order: Readable, order_id: uuid.UUID) -> Any:
    """The schedule's parts: what each bills, when it falls due, and the invoice that billed it."""
    invoices = [
        InvoiceRecord.model_validate(i, from_attributes=True)
        for i in deal_reads.invoices_of(session, order.id)
    ]
    return schedule_parts(OrderRecord.model_validate(order, from_attributes=True), invoices)


@router.put("/{order_id}/payment-schedule", response_model=DealRecords, dependencies=CHANGE)
async def set_payment_schedule(
    request: Request,
    actor: ActorDep,
    order: Changeable,
    order_id: uuid.UUID,
    body: PaymentScheduleInput,
) -> DealRecords:
    """Bill the order part by part: each a percentage or an amount, due on a date or days after
    the order or its fulfilment; the parts come to the order total exactly (no parts: none)."""
    action = SetPaymentSchedule(order_id=order_id, parts=body.parts)
    return await run_transition(request, order.deal_id, action, actor)


@router.post(
    "/{order_id}/payment-schedule/{part}/invoice",
    response_model=DealRecords,
    status_code=status.HTTP_201_CREATED,
    dependencies=CHANGE,
)
async def bill_part(
    request: Request,
    actor: ActorDep,
    order: Changeable,
    order_id: uuid.UUID,
    part: Annotated[int, Path(ge=1, le=MAX_PARTS)],
    body: BillPartFields | None = None,
) -> DealRecords:
    """Invoice one part of the schedule: its share of every line, due when the part is;
    `record_id` is the invoice."""
    action = BillPart(order_id=order_id, part=part, invoice=body or BillPartFields())
    return await run_transition(request, order.deal_id, action, actor)


@router.post("/{order_id}/lock-pricing", response_model=DealRecords, dependencies=CHANGE)
async def lock_pricing(
    request: Request, actor: ActorDep, order: Changeable, order_id: uuid.UUID
) -> DealRecords:
    """Keep the active order's prices as they are (the default), whatever its price list says."""
    action = LockPricing(document_id=order_id)
    return await run_transition(request, order.deal_id, action, actor)


@router.post("/{order_id}/unlock-pricing", response_model=DealRecords, dependencies=CHANGE)
async def unlock_pricing(
    request: Request, actor: ActorDep, order: Changeable, order_id: uuid.UUID
) -> DealRecords:
    """Let the active order's prices follow its price list when it is recalculated."""
    action = UnlockPricing(document_id=order_id)
    return await run_transition(request, order.deal_id, action, actor)


@router.post("/{order_id}/recalculate", response_model=DealRecords, dependencies=CHANGE)
async def recalculate(
    request: Request, actor: ActorDep, order: Changeable, order_id: uuid.UUID
) -> DealRecords:
    """Price an unlocked, active, unbilled order's catalog lines again from its price list, as of
    today, and total it again; write-ins and prices overridden by hand keep theirs."""
    lines = await in_db(
        request, lambda session: repriced_lines(request, session, order_id, order.price_list_id)
    )
    action = RecalculatePricing(document_id=order_id, lines=lines)
    return await run_transition(request, order.deal_id, action, actor)
