"""The read routes of a record type: list (filter, sort, page) and read one."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlmodel import SQLModel

from api.deps import ListParamsDep, SessionDep
from models.listing import Page
from services.crud import Repository


def add_read_routes(
    router: APIRouter,
    repository: Repository[Any],
    *,
    tag: str,
    public: type[SQLModel],
    filters: type[SQLModel],
) -> None:
    name = repository.record

    @router.get("", response_model=Page[public], summary=f"List {tag}")  # type: ignore[valid-type]
    def list_records(
        session: SessionDep,
        params: ListParamsDep,
        where: Annotated[filters, Query()],  # type: ignore[valid-type]
    ) -> Any:
        rows, count = repository.page(session, params, where)
        return {"data": rows, "count": count}

    @router.get("/{record_id}", response_model=public, summary=f"Read a {name}")
    def read_record(session: SessionDep, record_id: uuid.UUID) -> Any:
        return repository.get(session, record_id)
