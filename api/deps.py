"""Dependencies every route shares."""

import uuid
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlmodel import Session

from models.listing import ListParams


def get_session(request: Request) -> Iterator[Session]:
    """One session per request, on the app's engine (a test's app has its own database)."""
    with Session(request.app.state.engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
ListParamsDep = Annotated[ListParams, Query()]


def get_actor() -> uuid.UUID | None:
    """Who is calling. Anonymous until users and login exist; records then carry no author."""
    return None


ActorDep = Annotated[uuid.UUID | None, Depends(get_actor)]
