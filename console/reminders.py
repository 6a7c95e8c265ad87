"""My reminders: the signed-in person's open follow-up tasks, overdue first; complete one in a
click, or schedule a follow-up on one of their deals."""

from datetime import UTC, datetime
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.transitions import in_db
from console.calls import Answer, Api, ApiDep
from console.pages import render, see_other
from console.session import PREFIX, SIGNED_IN, Visitor, VisitorDep
from models.permissions import Area, visible_owners
from services.board import board_cards

router = APIRouter(prefix=PREFIX, include_in_schema=False, dependencies=SIGNED_IN)
PAGE = f"{PREFIX}/reminders"
FAR_FUTURE = datetime.max.replace(tzinfo=UTC)


def _due(task: dict[str, object]) -> datetime:
    due = task.get("due_at")
    return datetime.fromisoformat(str(due)) if due else FAR_FUTURE


async def reminders_page(
    request: Request,
    visitor: Visitor,
    api: Api,
    refused: Answer | None = None,
    scheduled: bool = False,
) -> Response:
    tasks = (
        await api.data(
            "/activities", owner_id=visitor.principal.user_id, status="open", kind="task", limit=500
        )
    )["data"]
    tasks.sort(key=lambda task: (_due(task), task["subject"]))
    now = datetime.now(UTC)
    for task in tasks:  # due order puts the overdue first
        task["overdue"] = _due(task) < now
    owners = visible_owners(visitor.principal, Area.deals)
    mine = await in_db(
        request, lambda s: board_cards(s, owners, owner_id=visitor.principal.user_id)
    )
    return render(
        request,
        "reminders.html",
        visitor,
        status_code=refused.status if refused else 200,
        tasks=tasks,
        deals=sorted(mine, key=lambda card: card.title.lower()),
        error=refused.message if refused else None,
        scheduled=scheduled,
    )


@router.get("/reminders")
async def reminders(
    request: Request, visitor: VisitorDep, api: ApiDep, scheduled: bool = False
) -> Response:
    return await reminders_page(request, visitor, api, scheduled=scheduled)


@router.post("/reminders/{activity_id}/complete")
async def complete(
    request: Request, visitor: VisitorDep, api: ApiDep, activity_id: str
) -> Response:
    answer = await api.post(f"/activities/{activity_id}/complete")
    return see_other(PAGE) if answer.ok else await reminders_page(request, visitor, api, answer)


@router.post("/reminders/follow-ups")
async def schedule(request: Request, visitor: VisitorDep, api: ApiDep) -> Response:
    """A follow-up on one of the person's deals; the form's time is UTC, as the page says."""
    form = await request.form()
    due = str(form.get("due_at", ""))
    body = {"subject": str(form.get("subject", "")), "due_at": f"{due}Z" if due else ""}
    deal_id = quote(str(form.get("deal_id", "")), safe="")  # one path segment, whatever is sent
    answer = await api.post(f"/deals/{deal_id}/follow-ups", body)
    if answer.ok:
        return see_other(f"{PAGE}?scheduled=1")
    return await reminders_page(request, visitor, api, answer)
