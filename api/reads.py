"""The read routes of a record type: list (filter, sort, page) and read one, as the caller may."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from sqlmodel import SQLModel

from api.deps import ListParamsDep, PrincipalDep, SessionDep, allow, record_access
from models.listing import Page
from models.permissions import Area, Operation, visible_owners
from services.crud import Repository


def add_read_routes(
    router: APIRouter,
    repository: Repository[Any],
    *,
    tag: str,
    public: type[SQLModel],
    filters: type[SQLModel],
    area: Area = Area.deals,
) -> None:
    """`area`: whose records the caller sees; by default, as deal records, their own (a
    manager: their team's; an admin: all)."""
    name = repository.record
    Readable = Annotated[Any, Depends(record_access(repository, area, Operation.read))]

    @router.get(
        "",
        response_model=Page[public],  # type: ignore[valid-type]
        summary=f"List {tag}",
        dependencies=[allow(area, Operation.read)],
    )
    def list_records(
        session: SessionDep,
        principal: PrincipalDep,
        params: ListParamsDep,
        where: Annotated[filters, Query()],  # type: ignore[valid-type]
    ) -> Any:
        owners = visible_owners(principal, area)
        return repository.page(session, params, where, owners=owners)

    @router.get(
        "/{record_id}",
        response_model=public,
        summary=f"Read a {name}",
        dependencies=[allow(area, Operation.read)],
    )
    def read_record(record: Readable, record_id: uuid.UUID) -> Any:
        return record
