"""Goals: the person's and their team's goals as bars, and the pipeline report as a chart."""

from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from console.calls import ApiDep
from console.pages import render
from console.session import PREFIX, SIGNED_IN, VisitorDep

router = APIRouter(prefix=PREFIX, include_in_schema=False, dependencies=SIGNED_IN)


def share(part: Any, whole: Any) -> int:
    """A bar's width in percent of its scale, 0 to 100."""
    whole = Decimal(str(whole or 0))
    if whole <= 0:
        return 0
    return int(min(Decimal(100), Decimal(str(part or 0)) * 100 / whole))


@router.get("/goals")
async def goals(request: Request, visitor: VisitorDep, api: ApiDep) -> Response:
    """Every goal the person may read (their own; a manager their team's too), and the open
    pipeline they see by stage, both as the API answers them."""
    found = (await api.data("/goals", limit=500, sort="name"))["data"]
    me = str(visitor.principal.user_id)
    report = await api.data("/reports/pipeline")
    widest = max((Decimal(s["estimated_revenue"]) for s in report["stages"]), default=Decimal(0))
    return render(
        request,
        "goals.html",
        visitor,
        mine=[g for g in found if g.get("owner_id") == me],
        team=[g for g in found if g.get("owner_id") != me],
        report=report,
        widest=widest,
        share=share,
    )
