"""Rendering a console page: its template, who is signed in, the CSRF token every form repeats."""

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from console.session import CSRF_FIELD, Visitor, csrf_token, set_csrf_cookie

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")


def money(value: Any) -> str:
    """12345.5 → 12,345.50; nothing → an empty string."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{amount:,.2f}"


def idle(since: datetime | str | None, now: datetime | None = None) -> str:
    """How long ago, as a person says it: 5 min, 3 h, 2 d."""
    if since is None:
        return ""
    if isinstance(since, str):
        since = datetime.fromisoformat(since)
    gone = max((now or datetime.now(UTC)) - since, timedelta(0))
    if gone < timedelta(hours=1):
        return f"{int(gone.total_seconds() // 60)} min"
    if gone < timedelta(days=1):
        return f"{int(gone.total_seconds() // 3600)} h"
    return f"{gone.days} d"


def when(moment: datetime | str | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def words(name: str) -> str:
    """create_quote → Create quote."""
    return name.replace("_", " ").capitalize()


templates.env.filters.update(money=money, idle=idle, when=when, words=words)
# Each form's Idempotency-Key: sent twice, it is one request.
templates.env.globals["new_key"] = lambda: str(uuid.uuid4())


def render(
    request: Request,
    name: str,
    visitor: Visitor | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    response = templates.TemplateResponse(
        request,
        name,
        {
            "visitor": visitor,
            "csrf_field": CSRF_FIELD,
            "csrf": csrf_token(request),
            "now": datetime.now(UTC),
            **context,
        },
        status_code=status_code,
    )
    set_csrf_cookie(request, response)
    return response


def see_other(url: str) -> RedirectResponse:
    """After a form: the browser (or htmx) loads the page again, so a reload repeats nothing."""
    return RedirectResponse(url, status_code=303)
