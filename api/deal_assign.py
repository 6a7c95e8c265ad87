"""`POST /{deal records}/{id}/assign`: a deal changes hands through its workflow."""

import uuid
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request

from api.deps import PrincipalDep, allow, record_access
from api.transitions import DealRecords, in_db, run_transition
from models.deal.ownership import Assign
from models.permissions import Area, Operation
from models.user import AssignOwner
from services import users
from services.crud import Repository

DealRecord = Literal["lead", "opportunity", "quote", "order", "invoice"]


def add_assign_route(router: APIRouter, repository: Repository[Any], record: DealRecord) -> None:
    Assignable = Annotated[Any, Depends(record_access(repository, Area.deals, Operation.assign))]

    @router.post(
        "/{record_id}/assign",
        response_model=DealRecords,
        summary=f"Assign the {record}'s deal to a new owner",
        dependencies=[allow(Area.deals, Operation.assign)],
    )
    async def assign(
        request: Request,
        principal: PrincipalDep,
        found: Assignable,
        record_id: uuid.UUID,
        body: AssignOwner,
    ) -> DealRecords:
        """By the owner's manager (within the team) or an admin: every record of the deal gets
        the new owner, who from then on gets its reminders."""
        await in_db(
            request,
            lambda session: users.check_may_assign(
                session, principal, Area.deals, record, found.owner_id, body.owner_id
            ),
        )
        action = Assign(owner_id=body.owner_id, record=record, record_id=found.id)
        return await run_transition(request, found.deal_id, action, principal.user_id)
