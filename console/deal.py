"""A deal's page: its stage bar and steps, its records, timeline and timers, and a button for
each transition its rules allow now; each button calls the API and shows a refusal in place."""

import uuid
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from console.calls import Answer, Api, ApiDep, ApiRefused
from console.pages import render, see_other
from console.session import PREFIX, SIGNED_IN, Visitor, VisitorDep
from core.settings import Settings
from models.deal.available import available_actions
from models.deal.state import DealState
from models.errors import NotFound
from models.lead import DISQUALIFY_REASONS, PurchaseProcess, PurchaseTimeframe
from models.opportunity import OpportunityStatus
from models.order import OrderStatus

router = APIRouter(prefix=PREFIX, include_in_schema=False, dependencies=SIGNED_IN)

# The API's route of each transition the page offers: `POST /{resource}/{id}/{path}`.
TRANSITIONS: dict[str, tuple[str, str]] = {
    "qualify": ("leads", "qualify"),
    "disqualify": ("leads", "disqualify"),
    "reactivate": ("leads", "reactivate"),
    "add_line": ("opportunities", "lines"),
    "create_quote": ("opportunities", "quotes"),
    "win": ("opportunities", "win"),
    "lose": ("opportunities", "lose"),
    "reopen": ("opportunities", "reopen"),
    "activate": ("quotes", "activate"),
    "revise": ("quotes", "revise"),
    "accept": ("quotes", "accept"),
    "close_quote": ("quotes", "close"),
    "submit_order": ("orders", "submit"),
    "fulfill": ("orders", "fulfill"),
    "invoice": ("orders", "invoices"),
    "cancel_order": ("orders", "cancel"),
    "pay": ("invoices", "pay"),
    "cancel_invoice": ("invoices", "cancel"),
}
# The form fields each transition sends as its body (all others send none).
BODY_FIELDS: dict[str, tuple[str, ...]] = {
    "disqualify": ("reason",),
    "add_line": ("product_id", "write_in_description", "price_per_unit", "quantity"),
    "lose": ("reason",),
    "close_quote": ("reason",),
    "fulfill": ("status",),
    "pay": ("amount",),
}
LEAD_FIELDS = (
    "company_name",
    "email",
    "estimated_budget",
    "purchase_timeframe",
    "purchase_process",
    "decision_maker_identified",
    "description",
)
OPPORTUNITY_FIELDS = ("customer_need", "proposed_solution", "estimated_close_date", "probability")
CHOICES = {
    "disqualify_reasons": sorted(DISQUALIFY_REASONS),
    "lose_reasons": [OpportunityStatus.out_sold, OpportunityStatus.canceled],
    "fulfill_statuses": [OrderStatus.complete, OrderStatus.partial],
    "timeframes": list(PurchaseTimeframe),
    "purchase_processes": list(PurchaseProcess),
}


def deal_url(deal_id: str) -> str:
    return f"{PREFIX}/deals/{deal_id}"


async def _records(api: Api, state: DealState) -> dict[str, Any]:
    """Every document of the deal as the API shows it, with its lines and payments."""
    records: dict[str, Any] = {"quotes": [], "orders": [], "invoices": []}
    if state.lead:
        records["lead"] = await api.data(f"/leads/{state.lead.id}")
    if state.opportunity:
        opportunity = await api.data(f"/opportunities/{state.opportunity.id}")
        opportunity["lines"] = await api.data(f"/opportunities/{state.opportunity.id}/lines")
        records["opportunity"] = opportunity
    for name, resource, extra in (
        ("quotes", "quotes", "lines"),
        ("orders", "orders", "lines"),
        ("invoices", "invoices", "payments"),
    ):
        for document in getattr(state, name):
            found = await api.data(f"/{resource}/{document.id}")
            found[extra] = await api.data(f"/{resource}/{document.id}/{extra}")
            records[name].append(found)
    return records


def _timeline_of(state: DealState) -> str | None:
    record, record_id = state.main_record
    resource = {"opportunity": "opportunities", "lead": "leads", "order": "orders"}.get(
        record, "invoices"
    )
    return f"/{resource}/{record_id}/timeline" if record_id else None


async def deal_page(
    request: Request,
    visitor: Visitor,
    api: Api,
    deal_id: str,
    error: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    detail = await api.data(f"/deals/{deal_id}")
    state = DealState.model_validate(detail["state"])
    settings: Settings = request.app.state.settings
    today = datetime.now(settings.org_zone).date()
    available = available_actions(state, today)
    if error:
        # A transition refused because the deal moved on (another tab, another person) may no
        # longer have its button: its message then heads the page.
        offered = {f"{a.action}-{a.record_id}" for a in available}
        error["inline"] = not error.get("transition") or error["form"] in offered
    timeline_path = _timeline_of(state)
    timeline = (await api.data(timeline_path, limit=50))["data"] if timeline_path else []
    products = []
    if any(a.action == "add_line" for a in available):
        products = (await api.data("/products", limit=200, sort="name"))["data"]
    return render(
        request,
        "deal.html",
        visitor,
        status_code=status_code,
        deal=detail,
        state=state,
        process=await api.data(f"/deals/{deal_id}/process"),
        records=await _records(api, state),
        timeline=timeline,
        # Ids as the API's records show them, so the page finds each record's actions.
        available=[{"action": a.action, "record_id": str(a.record_id)} for a in available],
        products=products,
        error=error or {},
        temporal_ui=f"{settings.temporal_ui}/namespaces/{settings.temporal_namespace}"
        f"/workflows/{deal_id}",
        **CHOICES,
    )


@router.get("/deals/{deal_id}")
async def read_deal(request: Request, visitor: VisitorDep, api: ApiDep, deal_id: str) -> Response:
    return await deal_page(request, visitor, api, deal_id)


async def _after(
    request: Request,
    visitor: Visitor,
    api: Api,
    deal_id: str,
    form: str,
    answer: Answer,
    transition: bool = False,
) -> Response:
    """Done: the page again (a reload repeats nothing). Refused: the page with the API's
    message beside the form that was sent, and the API's status."""
    if answer.ok:
        return see_other(deal_url(deal_id))
    error = {
        "form": form,
        "message": answer.message,
        "status": answer.status,
        "transition": transition,
    }
    return await deal_page(request, visitor, api, deal_id, error, answer.status)


def form_uuid(form: Any, name: str) -> uuid.UUID:
    """A record's id as a form sends it; anything else is the API's kind of 422, not a 500."""
    try:
        return uuid.UUID(str(form.get(name, "")))
    except ValueError as error:
        problem = {"detail": [{"loc": ["body", name], "msg": "is not a valid UUID"}]}
        raise ApiRefused(Answer(422, problem)) from error


def _filled(form: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: str(form[name]).strip() for name in names if str(form.get(name, "")).strip()}


@router.post("/deals/{deal_id}/actions/{action}")
async def act(
    request: Request, visitor: VisitorDep, api: ApiDep, deal_id: str, action: str
) -> Response:
    """One transition, by the API's route for it, with the form's Idempotency-Key: a form
    sent twice (a double click, a retry) is one transition."""
    if action not in TRANSITIONS:
        raise NotFound("action", action)
    form = await request.form()
    record_id = form_uuid(form, "record_id")
    resource, path = TRANSITIONS[action]
    body = _filled(form, BODY_FIELDS.get(action, ()))
    answer = await api.post(
        f"/{resource}/{record_id}/{path}",
        body if action in BODY_FIELDS else None,
        idempotency_key=str(form.get("idempotency_key") or "") or None,
    )
    form_id = f"{action}-{record_id}"
    return await _after(request, visitor, api, deal_id, form_id, answer, transition=True)


@router.post("/deals/{deal_id}/details/{record}")
async def edit_details(
    request: Request, visitor: VisitorDep, api: ApiDep, deal_id: str, record: str
) -> Response:
    """The open lead's or opportunity's fields the process steps read."""
    form = await request.form()
    record_id = form_uuid(form, "record_id")
    if record == "lead":
        changes: dict[str, Any] = _filled(form, LEAD_FIELDS)
        changes["decision_maker_identified"] = "decision_maker_identified" in form
        path = f"/leads/{record_id}"
    elif record == "opportunity":
        changes = _filled(form, OPPORTUNITY_FIELDS)
        path = f"/opportunities/{record_id}"
    else:
        raise NotFound("record", record)
    answer = await api.call("PATCH", path, json=changes)
    return await _after(request, visitor, api, deal_id, f"details-{record}", answer)


@router.post("/deals/{deal_id}/steps")
async def mark_step(request: Request, visitor: VisitorDep, api: ApiDep, deal_id: str) -> Response:
    form = await request.form()
    body = {"step": str(form.get("step", "")), "done": form.get("done", "true") == "true"}
    answer = await api.post(f"/deals/{deal_id}/process/steps", body)
    return await _after(request, visitor, api, deal_id, f"step-{body['step']}", answer)


@router.post("/deals/{deal_id}/follow-ups")
async def schedule_follow_up(
    request: Request, visitor: VisitorDep, api: ApiDep, deal_id: str
) -> Response:
    """A follow-up on the deal; the form's time is UTC, as the page says."""
    form = await request.form()
    due = str(form.get("due_at", ""))
    body = {"subject": str(form.get("subject", "")), "due_at": f"{due}Z" if due else ""}
    answer = await api.post(f"/deals/{deal_id}/follow-ups", body)
    return await _after(request, visitor, api, deal_id, "follow-up", answer)


@router.get("/leads/new")
async def new_lead_page(request: Request, visitor: VisitorDep) -> Response:
    return render(request, "lead_new.html", visitor, values={})


NEW_LEAD_FIELDS = ("topic", "first_name", "last_name", "company_name", "email", "estimated_budget")


@router.post("/leads")
async def create_lead(request: Request, visitor: VisitorDep, api: ApiDep) -> Response:
    form = await request.form()
    body = _filled(form, NEW_LEAD_FIELDS)
    answer = await api.post(
        "/leads", body, idempotency_key=str(form.get("idempotency_key") or "") or None
    )
    if answer.ok:
        return see_other(deal_url(answer.body["deal_id"]))
    return render(
        request,
        "lead_new.html",
        visitor,
        status_code=answer.status,
        values=body,
        error=answer.message,
    )
