"""Signing in: OAuth2's password flow, answering a signed access token that expires."""

from typing import Annotated

import structlog
from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm

from api.deps import SessionDep
from core.security import issue_token
from models.base import utcnow
from models.errors import TooManySignIns, Unauthenticated
from models.user import Token
from services import users

router = APIRouter(prefix="/auth", tags=["auth"])
log = structlog.get_logger()


@router.post("/token", response_model=Token)
def sign_in(
    request: Request, session: SessionDep, form: Annotated[OAuth2PasswordRequestForm, Depends()]
) -> Token:
    """Exchange an email (`username`) and password for a bearer token (the /docs Authorize
    button does this). After 5 wrong passwords in a row an email is locked for 15 minutes: 429,
    with Retry-After (DEALFLOW_SIGN_IN_MAX_FAILURES, DEALFLOW_SIGN_IN_LOCKOUT)."""
    settings = request.app.state.settings
    try:
        user = users.sign_in(
            session, form.username, form.password, utcnow(), settings.sign_in_policy
        )
    except (Unauthenticated, TooManySignIns) as refused:
        log.info("sign-in refused", email=form.username[:100], reason=str(refused))
        raise
    issued = issue_token(settings, user.id)
    log.info("signed in", user_id=str(user.id))
    return Token(access_token=issued.token, expires_in=issued.expires_in)
