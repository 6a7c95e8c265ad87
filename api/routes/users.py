"""Users and teams: who works in dealflow, their security role and team. Admins manage them."""

from typing import Any

from fastapi import APIRouter

from api.crud import crud_router
from api.deps import PrincipalDep, SessionDep, allow
from models.errors import NotFound
from models.permissions import Area, Operation
from models.user import (
    TeamCreate,
    TeamFilters,
    TeamPublic,
    TeamUpdate,
    UserCreate,
    UserFilters,
    UserPublic,
    UserUpdate,
)
from services.users import active_user, teams, users

router = APIRouter()

me = APIRouter(prefix="/users", tags=["users"])


@me.get("/me", response_model=UserPublic, dependencies=[allow(Area.self_service, Operation.read)])
def read_me(session: SessionDep, principal: PrincipalDep) -> Any:
    """The signed-in user (through an API key: the key's user)."""
    user = active_user(session, principal.user_id)
    if user is None:
        raise NotFound("user", principal.user_id)
    return user


# /users/me first, so "me" is not read as a user id.
router.include_router(me)
router.include_router(
    crud_router(
        users,
        prefix="/users",
        tag="users",
        area=Area.users,
        create=UserCreate,
        update=UserUpdate,
        public=UserPublic,
        filters=UserFilters,
        assignable=False,
    )
)
router.include_router(
    crud_router(
        teams,
        prefix="/teams",
        tag="teams",
        area=Area.users,
        create=TeamCreate,
        update=TeamUpdate,
        public=TeamPublic,
        filters=TeamFilters,
        assignable=False,
    )
)
