"""The pipeline board: the open deals the person may see, in columns by stage."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.transitions import in_db
from console.calls import ApiDep
from console.pages import render
from console.session import PREFIX, SIGNED_IN, VisitorDep
from models.board import board_columns
from models.permissions import Area, visible_owners
from services.board import board_cards

router = APIRouter(prefix=PREFIX, include_in_schema=False, dependencies=SIGNED_IN)


@router.get("/")
async def board(
    request: Request,
    visitor: VisitorDep,
    api: ApiDep,
    owner_id: Annotated[uuid.UUID | None, Query()] = None,
    team_id: Annotated[uuid.UUID | None, Query()] = None,
) -> Response:
    """Read from the deals' records, not Temporal's visibility: a salesperson sees their own
    deals there as the API shows them (visibility is eventually consistent and for ops)."""
    owners = visible_owners(visitor.principal, Area.deals)
    cards = await in_db(request, lambda s: board_cards(s, owners, owner_id, team_id))
    people = await api.get("/users", limit=500, sort="name")
    teams = await api.get("/teams", limit=500, sort="name")
    return render(
        request,
        "board.html",
        visitor,
        columns=board_columns(cards),
        users=people.body["data"] if people.ok else [],
        teams=teams.body["data"] if teams.ok else [],
        owner_id=owner_id,
        team_id=team_id,
    )
