"""Dependencies every route shares: the database session, list parameters, and who is calling.

Every route but the open ones (health, docs, sign-in) declares a `Permission`: the caller must be
signed in (a bearer token from `POST /auth/token`, or an `X-API-Key` header) and their role must
allow the operation on the area. `create_app` refuses to build an app with a route that has none.
"""

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from api.principals import PrincipalCache
from core import security
from models.errors import InvalidField, NotFound, Unauthenticated
from models.listing import ListParams
from models.permissions import Area, Operation, Principal, check_allowed, visible_owners
from services import users
from services.access import deal_visible
from services.api_keys import authenticate_api_key
from services.crud import Repository


def get_session(request: Request) -> Iterator[Session]:
    """One session per request, on the app's engine (a test's app has its own database)."""
    with Session(request.app.state.engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


@contextmanager
def guard_session(request: Request) -> Iterator[Session]:
    """The checks before a route get a session of their own, closed before the route runs: an
    async route then awaits Temporal holding no pooled connection, so concurrent requests cannot
    take every connection and wait on each other for a second one."""
    with Session(request.app.state.engine, expire_on_commit=False) as session:
        yield session


ListParamsDep = Annotated[ListParams, Query()]

bearer_token = OAuth2PasswordBearer(
    tokenUrl="/auth/token",
    auto_error=False,
    description="Sign in with your email and password for a token that expires.",
)
api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="For machine clients: a key from `POST /api-keys`.",
)


async def get_principal(
    request: Request,
    token: Annotated[str | None, Depends(bearer_token)],
    api_key: Annotated[str | None, Depends(api_key_header)],
) -> Principal:
    """Who is calling: the active user of a valid token or API key. Else 401. A token is checked
    on every request (signature, expiry); whom it names is remembered a few seconds
    (`api.principals`)."""
    principals: PrincipalCache = request.app.state.principals
    if token:
        if (known := principals.get(("token", token))) is not None:
            return known
        subject = security.token_subject(request.app.state.settings, token)
        principal = await run_in_threadpool(_token_principal, request, subject.user_id)
        principals.put(("token", token), principal, until=subject.expires_at)
        return principal
    if api_key:
        key = ("api-key", security.api_key_hash(api_key))
        if (known := principals.get(key)) is not None:
            return known
        principal = await run_in_threadpool(_api_key_principal, request, api_key)
        principals.put(key, principal)
        return principal
    raise Unauthenticated(
        "not_authenticated",
        "sign in: a bearer token from POST /auth/token, or an X-API-Key header",
    )


def _token_principal(request: Request, user_id: uuid.UUID) -> Principal:
    with guard_session(request) as session:
        user = users.active_user(session, user_id)
        if user is None:
            raise Unauthenticated("invalid_token", "the access token's user is not active")
        return users.principal_of(session, user)


def _api_key_principal(request: Request, secret: str) -> Principal:
    with guard_session(request) as session:
        key, user = authenticate_api_key(session, secret)
        return users.principal_of(session, user, key)


PrincipalDep = Annotated[Principal, Depends(get_principal)]


async def get_actor(principal: PrincipalDep) -> uuid.UUID:
    """The user id that records carry as created_by/modified_by and transitions as `by`."""
    return principal.user_id


ActorDep = Annotated[uuid.UUID, Depends(get_actor)]


class Guard:
    """A dependency that admits a caller or refuses them. Every route but the open ones declares
    one (`create_app` checks): a `Permission` for the API, the console's sign-in check for its
    pages."""


class Permission(Guard):
    """The caller is signed in and their role allows `operation` on `area` (else 401 / 403).

    Declared in a route's `dependencies`, so it runs before anything else the route depends on:
    no record is looked up, and no input judged, for a caller who may not be there at all.
    Pure checks like this one are `async`: they run on the event loop, not a worker thread.
    """

    def __init__(self, area: Area, operation: Operation) -> None:
        self.area = area
        self.operation = operation

    async def __call__(self, principal: PrincipalDep) -> Principal:
        check_allowed(principal, self.area, self.operation)
        return principal


def allow(area: Area, operation: Operation) -> Any:
    return Depends(Permission(area, operation))


def record_access(
    repository: Repository[Any], area: Area, operation: Operation, param: str = "record_id"
) -> Callable[..., Any]:
    """A dependency giving the record named by the path parameter `param`: 404 if the caller may
    not see it, 403 if they see it but may not change it. Runs before the body is validated, so a
    hidden record is a 404 whatever is sent."""

    def load(request: Request, principal: PrincipalDep) -> Any:
        try:
            record_id = uuid.UUID(str(request.path_params[param]))
        except ValueError as error:
            raise InvalidField(param, "is not a valid UUID", "path") from error
        with guard_session(request) as session:
            record = repository.get(session, record_id, owners=visible_owners(principal, area))
            if operation is not Operation.read:
                users.check_may_change(session, principal, area, repository.record, record.owner_id)
            return record

    return load


def deal_access(request: Request, principal: PrincipalDep) -> None:
    """For routes on a deal (`{deal_id}` in the path): 404 unless the caller may see one of the
    deal's records (its owner, their manager, an admin)."""
    deal_id = str(request.path_params["deal_id"])
    with guard_session(request) as session:
        visible = deal_visible(session, deal_id, visible_owners(principal, Area.deals))
    if not visible:
        raise NotFound("deal", deal_id)
