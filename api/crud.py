"""The standard routes of a record type: list, create, read, update, deactivate, activate, assign.

Top-level records (`/products`) and records nested in a parent (`/price-lists/{id}/items`) get the
same routes from one builder; a nested record's routes are scoped to its parent. Every route
declares the permission it needs on the record type's `area`.
"""

import uuid
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, status
from sqlmodel import SQLModel

from api.deps import (
    ActorDep,
    ListParamsDep,
    PrincipalDep,
    SessionDep,
    allow,
    record_access,
)
from api.idempotency import is_keyed, new_id
from models.listing import Page
from models.permissions import Area, Operation, visible_owners
from models.user import AssignOwner
from services import users
from services.crud import NO_SCOPE, Repository, Scope

READ, CREATE, CHANGE, ASSIGN = Operation.read, Operation.create, Operation.change, Operation.assign


def crud_router(
    repository: Repository[Any],
    *,
    prefix: str,
    tag: str,
    area: Area,
    create: type[SQLModel],
    update: type[SQLModel],
    public: type[SQLModel],
    filters: type[SQLModel],
    assignable: bool = True,
) -> APIRouter:
    """Build the routes once, so every record type answers, pages and fails the same way.

    `assignable`: `POST {prefix}/{id}/assign` gives the record a new owner (users and teams have
    none to give)."""
    router = APIRouter(prefix=prefix, tags=[tag])

    def target(operation: Operation) -> Callable[..., Any]:
        return record_access(repository, area, operation)

    _add_routes(
        router, repository, area, lambda: NO_SCOPE, target, tag, create, update, public, filters
    )
    if assignable:
        add_assign_route(router, repository, area)
    return router


def nested_router(
    parent: Repository[Any],
    repository: Repository[Any],
    *,
    prefix: str,
    parent_field: str,
    tag: str,
    area: Area,
    create: type[SQLModel],
    update: type[SQLModel],
    public: type[SQLModel],
    filters: type[SQLModel],
    activation: bool = True,
) -> APIRouter:
    """Routes under `{prefix}/{parent_id}`: an unknown parent, or a record of another, is a 404.

    `prefix` is e.g. `/price-lists/{parent_id}/items`; the parent id is set on created records.
    `activation=False` leaves out deactivate/activate (a unit group's units are never retired).
    A nested record goes with its parent: whoever may see or change the parent may do so to it.
    """
    router = APIRouter(prefix=prefix, tags=[tag])

    def parent_scope(session: SessionDep, principal: PrincipalDep, parent_id: uuid.UUID) -> Scope:
        parent.get(session, parent_id, owners=visible_owners(principal, area))
        return {parent_field: parent_id}

    ScopeDep = Annotated[Scope, Depends(parent_scope)]

    def target(operation: Operation) -> Callable[..., Any]:
        def load(session: SessionDep, within: ScopeDep, record_id: uuid.UUID) -> Any:
            return repository.get(session, record_id, within)

        return load

    _add_routes(
        router,
        repository,
        area,
        parent_scope,
        target,
        tag,
        create,
        update,
        public,
        filters,
        activation,
    )
    return router


def _add_routes(
    router: APIRouter,
    repository: Repository[Any],
    area: Area,
    scope: Callable[..., Scope],
    target: Callable[[Operation], Callable[..., Any]],
    tag: str,
    create: type[SQLModel],
    update: type[SQLModel],
    public: type[SQLModel],
    filters: type[SQLModel],
    activation: bool = True,
) -> None:
    name = repository.record
    ScopeDep = Annotated[Scope, Depends(scope)]
    Readable = Annotated[Any, Depends(target(READ))]
    Changeable = Annotated[Any, Depends(target(CHANGE))]

    @router.get(
        "",
        response_model=Page[public],  # type: ignore[valid-type]
        summary=f"List {tag}",
        dependencies=[allow(area, READ)],
    )
    def list_records(
        session: SessionDep,
        principal: PrincipalDep,
        within: ScopeDep,
        params: ListParamsDep,
        where: Annotated[filters, Query()],  # type: ignore[valid-type]
    ) -> Any:
        owners = visible_owners(principal, area)
        return repository.page(session, params, where, within, owners)

    @router.post(
        "",
        response_model=public,
        status_code=status.HTTP_201_CREATED,
        summary=f"Create a {name}",
        dependencies=[allow(area, CREATE)],
    )
    def create_record(
        request: Request,
        session: SessionDep,
        principal: PrincipalDep,
        within: ScopeDep,
        body: create,  # type: ignore[valid-type]
    ) -> Any:
        record_id = new_id(request)
        if is_keyed(request) and (made := session.get(repository.model, record_id)) is not None:
            return made  # a keyed retry whose first attempt committed before it answered
        users.check_may_own(session, principal, getattr(body, "owner_id", None))
        return repository.create(session, body, principal.user_id, within, record_id)

    @router.get(
        "/{record_id}",
        response_model=public,
        summary=f"Read a {name}",
        dependencies=[allow(area, READ)],
    )
    def read_record(record: Readable, record_id: uuid.UUID) -> Any:
        return record

    @router.patch(
        "/{record_id}",
        response_model=public,
        summary=f"Update a {name}",
        dependencies=[allow(area, CHANGE)],
    )
    def update_record(
        session: SessionDep,
        principal: PrincipalDep,
        record: Changeable,
        within: ScopeDep,
        record_id: uuid.UUID,
        body: update,  # type: ignore[valid-type]
    ) -> Any:
        patch: SQLModel = body
        new_owner = getattr(patch, "owner_id", None)
        if "owner_id" in patch.model_fields_set and new_owner != record.owner_id:
            # Changing the owner is an assign, with its rules; a record always has an owner.
            users.check_may_assign(session, principal, area, name, record.owner_id, new_owner)
        return repository.update(session, record_id, patch, principal.user_id, within)

    if not activation:
        return

    @router.post(
        "/{record_id}/deactivate",
        response_model=public,
        summary=f"Deactivate a {name}",
        dependencies=[allow(area, CHANGE)],
    )
    def deactivate_record(
        session: SessionDep,
        actor: ActorDep,
        record: Changeable,
        within: ScopeDep,
        record_id: uuid.UUID,
    ) -> Any:
        return repository.set_active(session, record_id, False, actor, within)

    @router.post(
        "/{record_id}/activate",
        response_model=public,
        summary=f"Reactivate a {name}",
        dependencies=[allow(area, CHANGE)],
    )
    def activate_record(
        session: SessionDep,
        actor: ActorDep,
        record: Changeable,
        within: ScopeDep,
        record_id: uuid.UUID,
    ) -> Any:
        return repository.set_active(session, record_id, True, actor, within)


def add_assign_route(router: APIRouter, repository: Repository[Any], area: Area) -> None:
    """`POST {prefix}/{record_id}/assign` for a record type kept by `repository`."""
    name = repository.record
    Assignable = Annotated[Any, Depends(record_access(repository, area, ASSIGN))]

    @router.post(
        "/{record_id}/assign",
        response_model=None,
        summary=f"Assign a {name} to a new owner",
        dependencies=[allow(area, ASSIGN)],
    )
    def assign_record(
        session: SessionDep,
        principal: PrincipalDep,
        record: Assignable,
        record_id: uuid.UUID,
        body: AssignOwner,
    ) -> Any:
        """Reassign: by the owner's manager or an admin, to a user they may give records to."""
        users.check_may_assign(session, principal, area, name, record.owner_id, body.owner_id)
        return repository.update(session, record_id, body, principal.user_id)
