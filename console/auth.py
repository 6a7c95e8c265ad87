"""Signing in and out of the console, with the same accounts and lockout as `POST /auth/token`."""

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from console.calls import api_client
from console.pages import render, see_other
from console.session import (
    PREFIX,
    SIGNED_IN,
    check_csrf,
    clear_session,
    safe_next,
    set_session,
)

router = APIRouter(prefix=PREFIX, include_in_schema=False)
SIGN_IN_PATH = f"{PREFIX}/sign-in"


@router.get("/sign-in")
async def sign_in_page(request: Request, next: str | None = None) -> Response:
    return render(request, "sign_in.html", next=safe_next(next), email="")


@router.post("/sign-in")
async def sign_in(
    request: Request,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=128)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """The sign-in form, as the API's password flow: a wrong password, a lockout, its message."""
    await check_csrf(request)
    async with api_client(request.app, None) as api:
        answer = await api.client.post(
            "/auth/token", data={"username": email, "password": password}
        )
    if answer.status_code != 200:
        status = answer.status_code if answer.status_code in (401, 422, 429) else 503
        message = {
            401: "Wrong email or password.",
            422: "Enter your email and password.",
            429: "Too many failed sign-ins for this email: try again later.",
        }.get(status, "The service cannot sign you in right now: try again.")
        return render(
            request,
            "sign_in.html",
            status_code=status,
            next=safe_next(next),
            email=email,
            error=message,
        )
    token = answer.json()
    response = see_other(safe_next(next))
    set_session(request, response, token["access_token"], token["expires_in"])
    return response


@router.post("/sign-out", dependencies=SIGNED_IN)
async def sign_out() -> Response:
    response = see_other(SIGN_IN_PATH)
    clear_session(response)
    return response
