"""The standard routes of a record type: list, create, read, update, deactivate, activate."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from sqlmodel import SQLModel

from api.deps import ActorDep, ListParamsDep, SessionDep
from models.listing import Page
from services.crud import Repository


def crud_router(
    repository: Repository[Any],
    *,
    prefix: str,
    tag: str,
    create: type[SQLModel],
    update: type[SQLModel],
    public: type[SQLModel],
    filters: type[SQLModel],
) -> APIRouter:
    """Build the routes once, so every record type answers, pages and fails the same way."""
    router = APIRouter(prefix=prefix, tags=[tag])
    name = repository.record

    @router.get("", response_model=Page[public], summary=f"List {tag}")  # type: ignore[valid-type]
    def list_records(
        session: SessionDep,
        params: ListParamsDep,
        where: Annotated[filters, Query()],  # type: ignore[valid-type]
    ) -> Any:
        rows, count = repository.page(session, params, where)
        return {"data": rows, "count": count}

    @router.post(
        "", response_model=public, status_code=status.HTTP_201_CREATED, summary=f"Create a {name}"
    )
    def create_record(session: SessionDep, actor: ActorDep, body: create) -> Any:  # type: ignore[valid-type]
        return repository.create(session, body, actor)

    @router.get("/{record_id}", response_model=public, summary=f"Read a {name}")
    def read_record(session: SessionDep, record_id: uuid.UUID) -> Any:
        return repository.get(session, record_id)

    @router.patch("/{record_id}", response_model=public, summary=f"Update a {name}")
    def update_record(
        session: SessionDep,
        actor: ActorDep,
        record_id: uuid.UUID,
        body: update,  # type: ignore[valid-type]
    ) -> Any:
        return repository.update(session, record_id, body, actor)

    @router.post("/{record_id}/deactivate", response_model=public, summary=f"Deactivate a {name}")
    def deactivate_record(session: SessionDep, actor: ActorDep, record_id: uuid.UUID) -> Any:
        return repository.set_active(session, record_id, False, actor)

    @router.post("/{record_id}/activate", response_model=public, summary=f"Reactivate a {name}")
    def activate_record(session: SessionDep, actor: ActorDep, record_id: uuid.UUID) -> Any:
        return repository.set_active(session, record_id, True, actor)

    return router
