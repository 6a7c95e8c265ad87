"""Credentials: argon2 password hashes, signed access tokens (JWT, HS256), API key secrets."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

import jwt
from pwdlib import PasswordHash

from core.settings import Settings
from models.errors import Unauthenticated

ALGORITHM = "HS256"
ISSUER = "dealflow"
API_KEY_PREFIX = "dfk_"
API_KEY_SHOWN = 12  # characters of the secret kept to tell keys apart

_passwords = PasswordHash.recommended()


@cache
def _unknown_user_hash() -> str:
    """Verified against when the email is unknown: a wrong email takes as long as a wrong
    password, so timing does not tell which emails have accounts."""
    return _passwords.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _passwords.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _passwords.verify(password, _unknown_user_hash())
        return False
    return _passwords.verify(password, password_hash)


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_in: int


def issue_token(settings: Settings, user_id: uuid.UUID, now: datetime | None = None) -> IssuedToken:
    now = now or datetime.now(UTC)
    ttl = settings.token_ttl_seconds
    claims = {
        "sub": str(user_id),
        "iss": ISSUER,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(seconds=ttl)).timestamp()),
    }
    return IssuedToken(jwt.encode(claims, _key(settings), algorithm=ALGORITHM), ttl)


@dataclass(frozen=True)
class TokenSubject:
    user_id: uuid.UUID
    expires_at: float  # seconds since the epoch


def token_subject(settings: Settings, token: str) -> TokenSubject:
    """The user a valid token was issued to, and when it expires."""
    try:
        claims = jwt.decode(
            token,
            _key(settings),
            algorithms=[ALGORITHM],
            issuer=ISSUER,
            options={"require": ["sub", "exp", "iat", "iss"]},
        )
        return TokenSubject(uuid.UUID(claims["sub"]), float(claims["exp"]))
    except jwt.ExpiredSignatureError as error:
        raise Unauthenticated("token_expired", "the access token has expired") from error
    except (jwt.InvalidTokenError, ValueError) as error:
        raise Unauthenticated("invalid_token", "the access token is not valid") from error


def _key(settings: Settings) -> str:
    return settings.jwt_secret.get_secret_value()


def new_api_key_secret() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def api_key_hash(secret: str) -> str:
    """Secrets are random and long, so a plain SHA-256 is enough (no slow hash needed)."""
    return hashlib.sha256(secret.encode()).hexdigest()
