"""Who is signed in to the console, and the CSRF check on every form.

The session cookie holds the access token `POST /auth/token` answered (signed, expiring, the one
the API checks), HTTP-only so no script reads it, SameSite=Lax, and Secure unless
DEALFLOW_CONSOLE_SECURE_COOKIES is off (plain HTTP on loopback). CSRF is a double submit: a
random token in a cookie of its own, which every form repeats in a hidden field (htmx sends the
same field); a POST whose two do not match changes nothing.
"""

import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request, Response

from api.deps import Guard, get_principal
from api.transitions import in_db
from core.settings import Settings
from models.errors import Unauthenticated
from models.permissions import Principal, Role
from services.users import active_user

SESSION_COOKIE = "dealflow_session"
CSRF_COOKIE = "dealflow_csrf"
CSRF_FIELD = "csrf_token"
PREFIX = "/console"


class SignInNeeded(Exception):
    """No session, or one that expired: the console shows its sign-in page."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


class CsrfRefused(Exception):
    """A form whose CSRF token is missing or is not the cookie's."""


@dataclass(frozen=True)
class Visitor:
    principal: Principal
    token: str
    csrf: str
    name: str  # shown beside the sign-out button, so a shared screen says whose session it is

    @property
    def is_admin(self) -> bool:
        return self.principal.role is Role.admin


def csrf_token(request: Request) -> str:
    """The browser's CSRF token, or a new one the response then sets (`set_csrf_cookie`)."""
    known = request.cookies.get(CSRF_COOKIE)
    if known:
        return known
    if not hasattr(request.state, "new_csrf"):
        request.state.new_csrf = secrets.token_urlsafe(32)
    token: str = request.state.new_csrf
    return token


def set_csrf_cookie(request: Request, response: Response) -> None:
    if hasattr(request.state, "new_csrf"):
        _set(request, response, CSRF_COOKIE, request.state.new_csrf, None)


def set_session(request: Request, response: Response, token: str, max_age: int) -> None:
    _set(request, response, SESSION_COOKIE, token, max_age)


def clear_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path=PREFIX)


def _set(request: Request, response: Response, name: str, value: str, max_age: int | None) -> None:
    settings: Settings = request.app.state.settings
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        path=PREFIX,
        secure=settings.console_secure_cookies,
        httponly=True,
        samesite="lax",
    )


async def check_csrf(request: Request) -> None:
    """A state-changing request repeats the CSRF cookie in its form (or the X-CSRF-Token
    header): another site can make a browser send the cookie, never read it."""
    expected = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get("x-csrf-token") or str((await request.form()).get(CSRF_FIELD, ""))
    if not (expected and hmac.compare_digest(expected.encode(), sent.encode())):
        raise CsrfRefused()


class SignedIn(Guard):
    """A console page's guard: a valid session (else the sign-in page), and on a POST the CSRF
    check. Whom the token names is found as the API finds it (`get_principal`)."""

    async def __call__(self, request: Request) -> Visitor:
        token = request.cookies.get(SESSION_COOKIE)
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if not token:
            raise SignInNeeded(here)
        try:
            principal = await get_principal(request, token, None)
        except Unauthenticated as expired:
            raise SignInNeeded(here) from expired
        if request.method != "GET":
            await check_csrf(request)
        user = await in_db(request, lambda session: active_user(session, principal.user_id))
        name = user.name if user else principal.role.value
        return Visitor(principal=principal, token=token, csrf=csrf_token(request), name=name)


# One instance: a route that names it twice (its router's guard, its parameter) runs it once.
SIGNED_IN_GUARD = SignedIn()
VisitorDep = Annotated[Visitor, Depends(SIGNED_IN_GUARD)]
SIGNED_IN = [Depends(SIGNED_IN_GUARD)]


def sign_in_url(next_url: str) -> str:
    return f"{PREFIX}/sign-in?next={quote(next_url, safe='')}"


def safe_next(next_url: str | None) -> str:
    """Only a console page: never another site (an open redirect)."""
    if next_url and next_url.startswith(PREFIX + "/") and not next_url.startswith("//"):
        return next_url
    return PREFIX + "/"
