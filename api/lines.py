"""Line routes of opportunities, quotes, orders and invoices: list, add (priced from the
catalog), edit, remove; and the products to suggest for them (related to those on the lines)."""

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, status
from sqlmodel import Session

from api.deps import ActorDep, PrincipalDep, SessionDep, allow, record_access
from api.pricing import priced_lines
from api.transitions import DealRecords, in_db, run_transition
from models.deal.lines import AddLine, RemoveLine, UpdateLine
from models.errors import NotFound
from models.line_item import LineInput, LineItemPublic, LineUpdate, PricedLine
from models.permissions import Area, Operation, Principal, check_price_privilege
from models.pricing import to_cents
from models.product_relationship import Suggestion
from services import deal_reads, product_extras
from services.crud import Repository


class LineAdded(DealRecords):
    """The deal after the line was added, and the products related to those on the document's
    lines that are not on them yet."""

    suggestions: list[Suggestion]


def add_line_routes(
    router: APIRouter,
    repository: Repository[Any],
    price_list_of: Callable[[Session, Any], uuid.UUID | None],
) -> None:
    name = repository.record
    Readable = Annotated[Any, Depends(record_access(repository, Area.deals, Operation.read))]
    Changeable = Annotated[Any, Depends(record_access(repository, Area.deals, Operation.change))]
    read, change = allow(Area.deals, Operation.read), allow(Area.deals, Operation.change)

    @router.get(
        "/{record_id}/lines",
        response_model=list[LineItemPublic],
        summary=f"{name} lines",
        dependencies=[read],
    )
    def list_lines(session: SessionDep, record: Readable, record_id: uuid.UUID) -> Any:
        return deal_reads.lines_of(session, record.id)

    @router.get(
        "/{record_id}/suggestions",
        response_model=list[Suggestion],
        summary=f"Products to suggest on a {name}",
        dependencies=[read],
    )
    def list_suggestions(session: SessionDep, record: Readable, record_id: uuid.UUID) -> Any:
        """Cross-sells, up-sells, substitutes and accessories of the products on its lines,
        not on them yet."""
        return product_extras.suggestions(session, record.id)

    @router.post(
        "/{record_id}/lines",
        response_model=LineAdded,
        status_code=status.HTTP_201_CREATED,
        summary=f"Add a line to a {name}",
        dependencies=[change],
    )
    async def add_line(
        request: Request,
        principal: PrincipalDep,
        document: Changeable,
        record_id: uuid.UUID,
        body: LineInput,
    ) -> LineAdded:
        """The product's properties go in `properties`, by name; the answer suggests the
        products related to those on the lines. A price other than the price list's, or a
        manual discount above the limit, takes the override_price privilege."""

        def priced(session: Session) -> tuple[str, PricedLine]:
            record = repository.get(session, document.id)
            (line,) = priced_lines(
                request, session, principal, [body], price_list_of(session, record), None
            )
            return record.deal_id, line

        deal_id, line = await in_db(request, priced)
        deal = await run_transition(
            request, deal_id, AddLine(document_id=record_id, line=line), principal.user_id
        )
        offered = await in_db(
            request, lambda session: product_extras.suggestions(session, record_id)
        )
        return LineAdded(**dict(deal), suggestions=offered)

    async def _deal_of_line(
        request: Request,
        record_id: uuid.UUID,
        line_id: uuid.UUID,
        principal: Principal | None = None,
        body: LineUpdate | None = None,
    ) -> str:
        """The deal of the line; with `body`, the line as it would be is checked against the
        caller's price privilege."""

        def lookup(session: Session) -> str:
            found = deal_reads.line(session, line_id)
            if found is None or found.document_id != record_id:
                raise NotFound("line", line_id)
            if principal is not None and body is not None:
                price = found.price_per_unit if body.price_per_unit is None else body.price_per_unit
                quantity = found.quantity if body.quantity is None else body.quantity
                discount = body.manual_discount
                check_price_privilege(
                    principal,
                    request.app.state.settings.price_policy,
                    overridden=found.product_id is not None and price != found.price_per_unit,
                    base_amount=to_cents(price * quantity),
                    manual_discount=found.manual_discount if discount is None else discount,
                )
            return found.deal_id

        return await in_db(request, lookup)

    @router.patch(
        "/{record_id}/lines/{line_id}",
        response_model=DealRecords,
        summary=f"Edit a {name} line",
        dependencies=[change],
    )
    async def update_line(
        request: Request,
        principal: PrincipalDep,
        document: Changeable,
        record_id: uuid.UUID,
        line_id: uuid.UUID,
        body: LineUpdate,
    ) -> DealRecords:
        """A new price on a product line overrides the price list's, which takes the
        override_price privilege, as does a manual discount above the limit."""
        deal_id = await _deal_of_line(request, record_id, line_id, principal, body)
        changes = body.model_dump(mode="json", exclude_unset=True)
        action = UpdateLine(line_id=line_id, changes=changes)
        return await run_transition(request, deal_id, action, principal.user_id)

    @router.delete(
        "/{record_id}/lines/{line_id}",
        response_model=DealRecords,
        summary=f"Remove a {name} line",
        dependencies=[change],
    )
    async def remove_line(
        request: Request,
        actor: ActorDep,
        document: Changeable,
        record_id: uuid.UUID,
        line_id: uuid.UUID,
    ) -> DealRecords:
        deal_id = await _deal_of_line(request, record_id, line_id)
        return await run_transition(request, deal_id, RemoveLine(line_id=line_id), actor)
