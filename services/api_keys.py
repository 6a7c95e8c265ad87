"""API keys of machine clients: made with a secret shown once, found by its hash, revocable."""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from core.security import API_KEY_SHOWN, api_key_hash, new_api_key_secret
from models.errors import NotFound, Unauthenticated
from models.permissions import Principal, check_api_key_scope
from models.user import ApiKey, ApiKeyCreate, Role, User
from services.users import owner

# last_used_at is written at most this often per key, so busy clients do not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def create_api_key(
    session: Session, *, principal: Principal, key_in: ApiKeyCreate
) -> tuple[ApiKey, str]:
    """The new key and its secret: the only time the secret exists outside the client."""
    user_id = key_in.user_id or principal.user_id
    user = session.get(User, user_id)
    role = check_api_key_scope(
        principal, owner(session, user_id), user.role if user else None, key_in.role
    )
    secret = new_api_key_secret()
    key = ApiKey(
        name=key_in.name,
        user_id=user_id,
        role=role,
        prefix=secret[:API_KEY_SHOWN],
        secret_hash=api_key_hash(secret),
        created_by=principal.user_id,
    )
    session.add(key)
    session.commit()
    session.refresh(key)
    return key, secret


def list_api_keys(
    session: Session,
    *,
    principal: Principal,
    user_id: uuid.UUID | None,
    include_revoked: bool,
    limit: int,
    offset: int,
) -> tuple[Sequence[ApiKey], int]:
    """A user's own keys; an admin sees everyone's (or one user's with `user_id`)."""
    conditions = []
    if principal.role is not Role.admin:
        conditions.append(col(ApiKey.user_id) == principal.user_id)
    if user_id is not None:
        conditions.append(col(ApiKey.user_id) == user_id)
    if not include_revoked:
        conditions.append(col(ApiKey.revoked_at).is_(None))
    count = session.exec(select(func.count()).select_from(ApiKey).where(*conditions)).one()
    rows = session.exec(
        select(ApiKey)
        .where(*conditions)
        .order_by(col(ApiKey.created_at).desc(), col(ApiKey.id))
        .offset(offset)
        .limit(limit)
    ).all()
    return rows, count


def revoke_api_key(session: Session, *, principal: Principal, key_id: uuid.UUID) -> ApiKey:
    """Revoke one's own key (an admin: anyone's); revoking twice keeps the first time."""
    key = session.get(ApiKey, key_id)
    if key is None or (principal.role is not Role.admin and key.user_id != principal.user_id):
        raise NotFound("api key", key_id)
    if key.revoked_at is None:
        key.revoked_at, key.revoked_by = datetime.now(UTC), principal.user_id
        session.add(key)
        session.commit()
        session.refresh(key)
    return key


def authenticate_api_key(session: Session, secret: str) -> tuple[ApiKey, User]:
    """The key and its user, for a secret that is valid now; Unauthenticated otherwise."""
    key = session.exec(
        select(ApiKey).where(col(ApiKey.secret_hash) == api_key_hash(secret))
    ).first()
    if key is None:
        raise Unauthenticated("invalid_api_key", "the API key is not valid")
    if key.revoked_at is not None:
        raise Unauthenticated("api_key_revoked", "the API key has been revoked")
    user = session.get(User, key.user_id)
    if user is None or not user.is_active:
        raise Unauthenticated("invalid_api_key", "the API key's user is not active")
    now = datetime.now(UTC)
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        key.last_used_at = now
        session.add(key)
        session.commit()
        session.refresh(key)
    return key, user
