"""The console's routes, mounted by the API's app at /console, and its static files."""

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from console import auth, board, deal, goals, ops, reminders
from console.calls import ApiRefused
from console.pages import HERE, render
from console.session import PREFIX, CsrfRefused, SignInNeeded, sign_in_url

# Pages anyone may open: the sign-in form, and the root, which leads to the console.
OPEN_PATHS = frozenset({auth.SIGN_IN_PATH, "/"})


def install(app: FastAPI) -> None:
    for module in (auth, board, deal, reminders, goals, ops):
        app.include_router(module.router)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=HERE / "static"), name="console-static")

    @app.get("/", include_in_schema=False)
    async def root() -> Response:
        return RedirectResponse(f"{PREFIX}/")

    async def sign_in_needed(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, SignInNeeded)
        if request.headers.get("hx-request"):  # htmx: load the whole sign-in page, not a part
            return Response(status_code=204, headers={"HX-Redirect": sign_in_url(exc.next_url)})
        return RedirectResponse(sign_in_url(exc.next_url), status_code=303)

    async def csrf_refused(request: Request, exc: Exception) -> Response:
        message = "This form has expired (its security token did not match): reload the page."
        return render(request, "error.html", status_code=403, message=message)

    async def api_refused(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiRefused)
        status = exc.answer.status
        return render(request, "error.html", status_code=status, message=exc.answer.message)

    app.add_exception_handler(SignInNeeded, sign_in_needed)
    app.add_exception_handler(CsrfRefused, csrf_refused)
    app.add_exception_handler(ApiRefused, api_refused)
