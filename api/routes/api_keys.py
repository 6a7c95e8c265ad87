"""API keys for machine clients: scoped to a user and a role, shown once, revocable."""

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from api.deps import PrincipalDep, SessionDep, allow
from models.listing import MAX_OFFSET, Page
from models.permissions import Area, Operation
from models.user import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic
from services import api_keys

router = APIRouter(prefix="/api-keys", tags=["api keys"])


class ApiKeyListParams(BaseModel):
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET)
    user_id: uuid.UUID | None = Field(default=None, description="Admins: one user's keys.")
    include_revoked: bool = False


@router.post(
    "",
    response_model=ApiKeyCreated,
    status_code=status.HTTP_201_CREATED,
    dependencies=[allow(Area.self_service, Operation.create)],
)
def create_api_key(session: SessionDep, principal: PrincipalDep, body: ApiKeyCreate) -> Any:
    """A new key; the answer holds its secret, which is never shown again (send it as
    `X-API-Key`)."""
    key, secret = api_keys.create_api_key(session, principal=principal, key_in=body)
    return ApiKeyCreated(**ApiKeyPublic.model_validate(key).model_dump(), secret=secret)


@router.get(
    "",
    response_model=Page[ApiKeyPublic],
    dependencies=[allow(Area.self_service, Operation.read)],
)
def list_api_keys(
    session: SessionDep, principal: PrincipalDep, params: Annotated[ApiKeyListParams, Query()]
) -> Any:
    """Your keys, newest first (an admin: everyone's); revoked ones only if asked."""
    rows, count = api_keys.list_api_keys(session, principal=principal, **params.model_dump())
    return {"data": rows, "count": count}


@router.post(
    "/{key_id}/revoke",
    response_model=ApiKeyPublic,
    dependencies=[allow(Area.self_service, Operation.change)],
)
def revoke_api_key(session: SessionDep, principal: PrincipalDep, key_id: uuid.UUID) -> Any:
    """Revoke a key at once: calls with it are refused from now on."""
    return api_keys.revoke_api_key(session, principal=principal, key_id=key_id)
