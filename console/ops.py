"""Ops (admins): deals that are stuck, with their last error, retried or terminated with a reason,
and each deal's workflow in the Temporal UI. It uses the API's ops routes (`GET /deals/stuck`,
`POST /deals/{id}/retry|terminate`); when Temporal cannot answer, the page says why."""

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from console.calls import Answer, Api, ApiDep, ApiRefused
from console.pages import render, see_other
from console.session import PREFIX, SIGNED_IN, Visitor, VisitorDep
from core.settings import Settings

router = APIRouter(prefix=PREFIX, include_in_schema=False, dependencies=SIGNED_IN)
PAGE = f"{PREFIX}/ops"
ACTIONS = ("retry", "terminate")


def _refused(message: str) -> ApiRefused:
    return ApiRefused(Answer(403, {"detail": {"message": message}}))


def _admin(visitor: Visitor) -> None:
    if not visitor.is_admin:
        raise _refused("the ops view is for admins")


async def ops_page(
    request: Request,
    visitor: Visitor,
    api: Api,
    refused: Answer | None = None,
    done: str | None = None,
    deal: str = "",
) -> Response:
    _admin(visitor)
    settings: Settings = request.app.state.settings
    stuck = await api.get("/deals/stuck")
    running = await api.get("/deals", limit=50)
    return render(
        request,
        "ops.html",
        visitor,
        status_code=refused.status if refused else 200,
        stuck=stuck.body["data"] if stuck.ok else [],
        stuck_error=None if stuck.ok else stuck.message,
        running=running.body["data"] if running.ok else [],
        workflows=f"{settings.temporal_ui}/namespaces/{settings.temporal_namespace}/workflows",
        error=refused.message if refused else None,
        done=done,
        done_deal=deal,
    )


@router.get("/ops")
async def ops(
    request: Request,
    visitor: VisitorDep,
    api: ApiDep,
    done: str | None = None,
    deal: str = "",
) -> Response:
    return await ops_page(request, visitor, api, done=done, deal=deal)


@router.post("/ops/{deal_id}/{action}")
async def act(
    request: Request, visitor: VisitorDep, api: ApiDep, deal_id: str, action: str
) -> Response:
    """Retry a deal's failing activity, or terminate its workflow, with the reason given."""
    _admin(visitor)
    if action not in ACTIONS:
        raise _refused(f"{action} is not an ops action")
    form = await request.form()
    answer = await api.post(
        f"/deals/{deal_id}/{action}", {"reason": str(form.get("reason", "")).strip()}
    )
    if answer.ok:
        return see_other(f"{PAGE}?{urlencode({'done': action, 'deal': deal_id})}")
    return await ops_page(request, visitor, api, refused=answer)
