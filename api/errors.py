"""The one place domain errors become HTTP answers: 404, 409 with state and rule, 422 with field,
503 with Retry-After when Temporal, a worker or the database does not answer in time."""

from typing import TypeVar

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from api.transitions import TemporalUnavailable
from models.errors import (
    Conflict,
    Forbidden,
    IllegalTransition,
    InvalidField,
    NotFound,
    TooManySignIns,
    Unauthenticated,
)

# The database's "not now": locked past the busy timeout, refused, or no pooled connection free.
DATABASE_UNAVAILABLE = (OperationalError, PoolTimeout)


def _error(
    status: int, detail: dict[str, object], headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(status_code=status, content={"detail": detail}, headers=headers)


E = TypeVar("E", bound=Exception)


def _expect(kind: type[E], exc: Exception) -> E:
    """The exception a handler is registered for (Starlette types handlers by Exception)."""
    if not isinstance(exc, kind):
        raise TypeError(f"{type(exc).__name__} handed to the {kind.__name__} handler")
    return exc


async def unauthenticated(_: Request, exc: Exception) -> JSONResponse:
    exc = _expect(Unauthenticated, exc)
    # RFC 6750: a 401 names the scheme to authenticate with.
    return _error(
        401, {"message": exc.message, "rule": exc.rule}, headers={"WWW-Authenticate": "Bearer"}
    )


async def too_many_sign_ins(_: Request, exc: Exception) -> JSONResponse:
    exc = _expect(TooManySignIns, exc)
    return _error(
        429,
        {"message": str(exc), "rule": "too_many_sign_ins", "retry_after": exc.retry_after},
        headers={"Retry-After": str(exc.retry_after)},
    )


async def forbidden(_: Request, exc: Exception) -> JSONResponse:
    exc = _expect(Forbidden, exc)
    return _error(403, {"message": exc.message, "rule": exc.rule, "field": exc.field})


async def not_found(_: Request, exc: Exception) -> JSONResponse:
    exc = _expect(NotFound, exc)
    return _error(404, {"message": str(exc), "record": exc.record, "id": exc.record_id})


async def invalid_field(_: Request, exc: Exception) -> JSONResponse:
    exc = _expect(InvalidField, exc)
    # Same shape as FastAPI's own validation errors, so clients parse one format.
    return JSONResponse(
        status_code=422,
        content={
            "detail": [
                {"loc": [exc.location, exc.field], "msg": exc.message, "type": "value_error"}
            ]
        },
    )


async def conflict(_: Request, exc: Exception) -> JSONResponse:
    exc = _expect(Conflict, exc)
    return _error(409, {"message": exc.message, "rule": exc.rule, "field": exc.field})


async def illegal_transition(_: Request, exc: Exception) -> JSONResponse:
    exc = _expect(IllegalTransition, exc)
    return _error(
        409,
        {
            "message": str(exc),
            "record": exc.record,
            "state": exc.state,
            "action": exc.action,
            "rule": exc.rule,
        },
    )


# What every 503 asks: Temporal, a worker or the database was busy or away for a moment.
RETRY_AFTER_SECONDS = 5


def _unavailable(rule: str, message: str, **detail: object) -> JSONResponse:
    return _error(
        503,
        {"message": message, "rule": rule, "retry_after": RETRY_AFTER_SECONDS, **detail},
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def temporal_unavailable(_: Request, exc: Exception) -> JSONResponse:
    exc = _expect(TemporalUnavailable, exc)
    return _unavailable("temporal_unavailable", str(exc), changed_nothing=exc.changed_nothing)


async def database_unavailable(_: Request, exc: Exception) -> JSONResponse:
    """Locked (SQLite's busy timeout, PostgreSQL's lock_timeout), unreachable, or out of pooled
    connections: the transaction rolled back, so the request changed nothing."""
    return _unavailable(
        "database_unavailable",
        "the database did not answer in time: this request changed nothing; retry later",
        changed_nothing=True,
    )


async def unhandled(request: Request, exc: Exception) -> Response:
    """What escapes the routes' handlers, from a middleware too (the idempotency keys are read
    and written there): a database that did not answer is still a 503, anything else a 500."""
    if isinstance(exc, DATABASE_UNAVAILABLE):
        return await database_unavailable(request, exc)
    return PlainTextResponse("Internal Server Error", status_code=500)


async def integrity_error(_: Request, exc: Exception) -> JSONResponse:
    """A constraint the rules did not catch first (two requests racing): still a conflict."""
    return _error(409, {"message": "conflicts with stored data", "rule": "database_constraint"})


def install(app: FastAPI) -> None:
    app.add_exception_handler(Unauthenticated, unauthenticated)
    app.add_exception_handler(TooManySignIns, too_many_sign_ins)
    app.add_exception_handler(Forbidden, forbidden)
    app.add_exception_handler(NotFound, not_found)
    app.add_exception_handler(InvalidField, invalid_field)
    app.add_exception_handler(Conflict, conflict)
    app.add_exception_handler(IllegalTransition, illegal_transition)
    app.add_exception_handler(IntegrityError, integrity_error)
    app.add_exception_handler(TemporalUnavailable, temporal_unavailable)
    for kind in DATABASE_UNAVAILABLE:
        app.add_exception_handler(kind, database_unavailable)
    app.add_exception_handler(Exception, unhandled)
