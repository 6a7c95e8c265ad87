"""The standard routes of a record type: list, create, read, update, deactivate, activate.

Top-level records (`/products`) and records nested in a parent (`/price-lists/{id}/items`) get the
same routes from one builder; a nested record's routes are scoped to its parent.
"""

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, status
from sqlmodel import SQLModel

from api.deps import ActorDep, ListParamsDep, SessionDep
from models.listing import Page
from services.crud import NO_SCOPE, Repository, Scope


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
    _add_routes(router, repository, lambda: NO_SCOPE, tag, create, update, public, filters)
    return router


def nested_router(
    parent: Repository[Any],
    repository: Repository[Any],
    *,
    prefix: str,
    parent_field: str,
    tag: str,
    create: type[SQLModel],
    update: type[SQLModel],
    public: type[SQLModel],
    filters: type[SQLModel],
    activation: bool = True,
) -> APIRouter:
    """Routes under `{prefix}/{parent_id}`: an unknown parent, or a record of another, is a 404.

    `prefix` is e.g. `/price-lists/{parent_id}/items`; the parent id is set on created records.
    `activation=False` leaves out deactivate/activate (a unit group's units are never retired).
    """
    router = APIRouter(prefix=prefix, tags=[tag])

    def parent_scope(session: SessionDep, parent_id: uuid.UUID) -> Scope:
        parent.get(session, parent_id)
        return {parent_field: parent_id}

    _add_routes(router, repository, parent_scope, tag, create, update, public, filters, activation)
    return router


def _add_routes(
    router: APIRouter,
    repository: Repository[Any],
    scope: Callable[..., Scope],
    tag: str,
    create: type[SQLModel],
    update: type[SQLModel],
    public: type[SQLModel],
    filters: type[SQLModel],
    activation: bool = True,
) -> None:
    name = repository.record
    ScopeDep = Annotated[Scope, Depends(scope)]

    @router.get("", response_model=Page[public], summary=f"List {tag}")  # type: ignore[valid-type]
    def list_records(
        session: SessionDep,
        within: ScopeDep,
        params: ListParamsDep,
        where: Annotated[filters, Query()],  # type: ignore[valid-type]
    ) -> Any:
        rows, count = repository.page(session, params, where, within)
        return {"data": rows, "count": count}

    @router.post(
        "", response_model=public, status_code=status.HTTP_201_CREATED, summary=f"Create a {name}"
    )
    def create_record(
        session: SessionDep,
        actor: ActorDep,
        within: ScopeDep,
        body: create,  # type: ignore[valid-type]
    ) -> Any:
        return repository.create(session, body, actor, within)

    @router.get("/{record_id}", response_model=public, summary=f"Read a {name}")
    def read_record(session: SessionDep, within: ScopeDep, record_id: uuid.UUID) -> Any:
        return repository.get(session, record_id, within)

    @router.patch("/{record_id}", response_model=public, summary=f"Update a {name}")
    def update_record(
        session: SessionDep,
        actor: ActorDep,
        within: ScopeDep,
        record_id: uuid.UUID,
        body: update,  # type: ignore[valid-type]
    ) -> Any:
        return repository.update(session, record_id, body, actor, within)

    if not activation:
        return

    @router.post("/{record_id}/deactivate", response_model=public, summary=f"Deactivate a {name}")
    def deactivate_record(
        session: SessionDep, actor: ActorDep, within: ScopeDep, record_id: uuid.UUID
    ) -> Any:
        return repository.set_active(session, record_id, False, actor, within)

    @router.post("/{record_id}/activate", response_model=public, summary=f"Reactivate a {name}")
    def activate_record(
        session: SessionDep, actor: ActorDep, within: ScopeDep, record_id: uuid.UUID
    ) -> Any:
        return repository.set_active(session, record_id, True, actor, within)
