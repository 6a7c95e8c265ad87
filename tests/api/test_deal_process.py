"""A deal's business-process steps over HTTP: the stage bar (`GET /deals/{id}/process`, live from
the running deal and from the records once it ended), steps marked done, and the setting that
makes leaving a stage need its required steps."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core.settings import Settings
from tests.api.deals import new_lead, new_opportunity, ok, refused
from tests.auth import admin_headers
from worker import build_worker


def steps_done(process: dict[str, Any], stage: str) -> list[str]:
    (found,) = [s for s in process["stages"] if s["stage"] == stage]
    return [step["key"] for step in found["steps"] if step["done"]]


async def test_the_stage_bar_follows_the_deal(deal_api: httpx.AsyncClient) -> None:
    lead = await new_lead(
        deal_api, email="sam@northwind.example", purchase_timeframe="this_quarter"
    )
    deal_id = f"deal-{lead['id']}"
    process = await ok(await deal_api.get(f"/deals/{deal_id}/process"))
    assert (process["process"], process["active_stage"]) == ("Lead to opportunity", "Qualify")
    assert steps_done(process, "Qualify") == [
        "identify_contact",
        "identify_account",
        "purchase_timeframe",
    ]
    assert (process["steps_done"], process["steps_total"]) == (3, 20)
    assert process["percent_complete"] == 15

    deal = await ok(await deal_api.post(f"/leads/{lead['id']}/qualify", json={}))
    opportunity_id = deal["opportunity"]["id"]
    patch = {"customer_need": "Forty desks by March"}
    await ok(await deal_api.patch(f"/opportunities/{opportunity_id}", json=patch))
    mark = {"step": "identify_sales_team"}
    await ok(await deal_api.post(f"/deals/{deal_id}/process/steps", json=mark))
    process = await ok(await deal_api.get(f"/deals/{deal_id}/process"))
    assert process["active_stage"] == "Develop"
    assert steps_done(process, "Develop") == ["customer_need"]
    assert steps_done(process, "Propose") == ["identify_sales_team"]

    unmark = {"step": "identify_sales_team", "done": False}
    await ok(await deal_api.post(f"/deals/{deal_id}/process/steps", json=unmark))
    bad = await deal_api.post(f"/deals/{deal_id}/process/steps", json={"step": "polish_shoes"})
    assert bad.status_code == 422, bad.text

    await ok(
        await deal_api.post(f"/opportunities/{opportunity_id}/lose", json={"reason": "canceled"})
    )
    ended = await ok(await deal_api.get(f"/deals/{deal_id}/process"))  # from the records
    assert ended["active_stage"] == "Done"
    assert steps_done(ended, "Propose") == []
    assert steps_done(ended, "Develop") == ["customer_need"]


async def test_required_steps_are_not_enforced_by_default(deal_api: httpx.AsyncClient) -> None:
    lead = await new_lead(deal_api, company_name=None)
    await ok(await deal_api.post(f"/leads/{lead['id']}/qualify", json={}))


@pytest.fixture
async def gated_api(
    settings: Settings, dev_server: WorkflowEnvironment
) -> AsyncIterator[httpx.AsyncClient]:
    settings = settings.model_copy(
        update={
            "temporal_address": dev_server.client.service_client.config.target_host,
            "enforce_process_steps": True,
        }
    )
    async with build_worker(dev_server.client, settings):
        transport = httpx.ASGITransport(app=create_app(settings))
        async with httpx.AsyncClient(
            transport=transport, base_url="http://test", headers=admin_headers(settings)
        ) as client:
            yield client


async def test_when_enforced_leaving_a_stage_needs_its_required_steps(
    gated_api: httpx.AsyncClient,
) -> None:
    lead = await new_lead(gated_api, company_name=None)
    rule = (await refused(await gated_api.post(f"/leads/{lead['id']}/qualify", json={})))["rule"]
    assert rule == (
        "the Qualify stage's required steps are not done: Identify contact, Identify account"
    )
    deal_id = f"deal-{lead['id']}"
    for step in ("identify_contact", "identify_account"):
        await ok(await gated_api.post(f"/deals/{deal_id}/process/steps", json={"step": step}))
    deal = await ok(await gated_api.post(f"/leads/{lead['id']}/qualify", json={}))

    opportunity_id = deal["opportunity"]["id"]
    quote = f"/opportunities/{opportunity_id}/quotes"
    assert (await refused(await gated_api.post(quote, json={})))["rule"].endswith("Customer need")
    patch = {"customer_need": "Forty desks"}
    await ok(await gated_api.patch(f"/opportunities/{opportunity_id}", json=patch))
    await ok(await gated_api.post(quote, json={}), 201)


async def test_an_unknown_deals_process_is_a_404(deal_api: httpx.AsyncClient) -> None:
    await new_opportunity(deal_api)
    await refused(await deal_api.get("/deals/deal-nothing/process"), 404)


RENEWAL = {
    "name": "Renewal",
    "stages": [
        {"stage": "Qualify", "steps": [{"key": "confirm_renewal_date", "name": "Renewal date"}]},
        {
            "stage": "Develop",
            "steps": [
                {"key": "customer_need", "name": "Need", "field": "customer_need", "required": True}
            ],
        },
    ],
}


async def test_processes_are_defined_chosen_at_the_start_and_switched(
    deal_api: httpx.AsyncClient,
) -> None:
    listed = await ok(await deal_api.get("/processes"))
    (default,) = [p for p in listed["data"] if p["is_default"]]
    assert default["name"] == "Lead to opportunity"
    assert [s["stage"] for s in default["stages"]] == ["Qualify", "Develop", "Propose", "Close"]
    renewal = await ok(await deal_api.post("/processes", json=RENEWAL), 201)
    bad = {
        **RENEWAL,
        "stages": [{"stage": "Qualify", "steps": [{"key": "x", "name": "X", "field": "y"}]}],
    }
    assert (await deal_api.post("/processes", json=bad)).status_code == 422

    lead = await new_lead(deal_api, process_id=renewal["id"])
    deal_id = f"deal-{lead['id']}"
    process = await ok(await deal_api.get(f"/deals/{deal_id}/process"))
    assert (process["process"], process["process_id"]) == ("Renewal", renewal["id"])
    assert process["steps_total"] == 2

    switched = await deal_api.post(f"/deals/{deal_id}/process", json={"process_id": default["id"]})
    await ok(switched)
    process = await ok(await deal_api.get(f"/deals/{deal_id}/process"))
    assert (process["process"], process["steps_total"]) == ("Lead to opportunity", 20)
    unknown = {"process_id": "00000000-0000-4000-8000-000000000009"}
    assert (await deal_api.post(f"/deals/{deal_id}/process", json=unknown)).status_code == 422

    account = await ok(await deal_api.post("/accounts", json={"name": "Renewals Inc"}), 201)
    opportunity = await deal_api.post(
        "/opportunities",
        json={"name": "Renewal 2027", "process_id": renewal["id"], "account_id": account["id"]},
    )
    made = await ok(opportunity, 201)
    process = await ok(await deal_api.get(f"/deals/{made['deal_id']}/process"))
    assert (process["process"], process["active_stage"]) == ("Renewal", "Develop")
