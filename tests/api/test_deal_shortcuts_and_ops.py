"""Deals that start without a lead, signals, and the ops views of running deals."""

import asyncio
import uuid

import httpx
from temporalio.testing import WorkflowEnvironment

from models.deal.lead import Disqualify, Qualify
from models.deal_command import DealCommand
from models.lead import LeadStatus
from tests.api.deals import new_lead, ok, refused


async def test_an_opportunity_created_directly_starts_its_deal_in_develop(
    deal_api: httpx.AsyncClient,
) -> None:
    account = await ok(await deal_api.post("/accounts", json={"name": "Litware"}), 201)
    body = {
        "name": "Renewal",
        "account_id": account["id"],
        "lines": [{"write_in_description": "Support", "quantity": "12", "price_per_unit": "80"}],
    }
    opportunity = await ok(await deal_api.post("/opportunities", json=body), 201)
    assert opportunity["deal_id"] == f"deal-{opportunity['id']}"
    assert opportunity["total_amount"] == "960.0000"
    deal = await ok(await deal_api.get(f"/deals/{opportunity['deal_id']}"))
    assert deal["running"] is True and deal["stage"] == "Develop"
    assert [event["action"] for event in deal["history"]] == ["create_opportunity"]


async def test_an_order_entered_directly_is_billed_and_paid(deal_api: httpx.AsyncClient) -> None:
    body = {
        "name": "Spare parts",
        "lines": [{"write_in_description": "Fan", "quantity": "3", "price_per_unit": "9.99"}],
    }
    order = await ok(await deal_api.post("/orders", json=body), 201)
    assert (order["state"], order["total_amount"]) == ("active", "29.9700")
    billed = await ok(await deal_api.post(f"/orders/{order['id']}/invoices", json={}), 201)
    invoice = billed["invoices"][0]
    paid = await ok(await deal_api.post(f"/invoices/{invoice['id']}/pay", json={"amount": "29.97"}))
    assert paid["stage"] == "Done" and paid["outcome"] == "won"


async def test_an_invoice_entered_directly_is_done_when_paid(deal_api: httpx.AsyncClient) -> None:
    body = {
        "due_date": "2030-01-31",
        "lines": [
            {"write_in_description": "Consulting", "quantity": "1.5", "price_per_unit": "1000"}
        ],
    }
    invoice = await ok(await deal_api.post("/invoices", json=body), 201)
    assert (invoice["state"], invoice["balance_due"]) == ("active", "1500.0000")
    half = await ok(await deal_api.post(f"/invoices/{invoice['id']}/pay", json={"amount": "500"}))
    assert half["stage"] == "Fulfill"
    done = await ok(await deal_api.post(f"/invoices/{invoice['id']}/pay", json={"amount": "1000"}))
    assert done["stage"] == "Done"


async def test_a_product_line_takes_its_price_from_the_price_list(
    deal_api: httpx.AsyncClient,
) -> None:
    group = await ok(
        await deal_api.post("/unit-groups", json={"name": "Count", "base_unit_name": "each"}), 201
    )
    units = await ok(await deal_api.get(f"/unit-groups/{group['id']}/units"))
    each = units["data"][0]["id"]
    product = await ok(
        await deal_api.post(
            "/products",
            json={
                "name": "Desk",
                "product_number": "D-1",
                "unit_group_id": group["id"],
                "default_unit_id": each,
            },
        ),
        201,
    )
    price_list = await ok(
        await deal_api.post("/price-lists", json={"name": "Retail", "currency": "EUR"}), 201
    )
    await ok(
        await deal_api.post(
            f"/price-lists/{price_list['id']}/items",
            json={"product_id": product["id"], "unit_id": each, "amount": "249.50"},
        ),
        201,
    )
    account = await ok(await deal_api.post("/accounts", json={"name": "Fabrikam"}), 201)
    body = {"name": "Office", "price_list_id": price_list["id"], "account_id": account["id"]}
    opportunity = await ok(await deal_api.post("/opportunities", json=body), 201)
    added = await ok(
        await deal_api.post(
            f"/opportunities/{opportunity['id']}/lines",
            json={"product_id": product["id"], "quantity": "4"},
        ),
        201,
    )
    assert added["opportunity"]["total_amount"] == "998.0000"
    response = await deal_api.post(
        f"/opportunities/{opportunity['id']}/lines",
        json={"product_id": str(uuid.uuid4()), "quantity": "1"},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "line.product_id"]


async def test_signals_apply_transitions_and_invalid_ones_are_recorded_not_fatal(
    deal_api: httpx.AsyncClient, dev_server: WorkflowEnvironment
) -> None:
    lead = await new_lead(deal_api)
    handle = dev_server.client.get_workflow_handle(lead["deal_id"])
    await handle.signal("qualify", DealCommand(action=Qualify()))
    await handle.signal("disqualify", DealCommand(action=Disqualify(reason=LeadStatus.lost)))
    await handle.signal("accept", {"not": "a command"})

    async def settled() -> dict:
        while True:
            deal = await ok(await deal_api.get(f"/deals/{lead['deal_id']}"))
            if len(deal["ignored_signals"]) == 2:
                return deal
            await asyncio.sleep(0.05)

    deal = await asyncio.wait_for(settled(), timeout=20)
    assert deal["stage"] == "Develop"
    # The malformed one is refused at once; disqualify waits for qualify, then is refused.
    reasons = {s["name"]: s["reason"] for s in deal["ignored_signals"]}
    assert set(reasons) == {"disqualify", "accept"}
    assert "already has an opportunity" in reasons["disqualify"]
    assert (await ok(await deal_api.get(f"/leads/{lead['id']}")))["state"] == "qualified"


async def test_running_deals_are_listed_by_stage(deal_api: httpx.AsyncClient) -> None:
    qualify_stage = await new_lead(deal_api)
    develop_stage = await new_lead(deal_api)
    await ok(await deal_api.post(f"/leads/{develop_stage['id']}/qualify", json={}))

    async def listed(stage: str, deal_id: str) -> bool:
        found = await ok(await deal_api.get("/deals", params={"stage": stage}))
        return any(d["deal_id"] == deal_id for d in found["data"])

    async def eventually(stage: str, deal_id: str) -> None:
        # Visibility is eventually consistent: search attributes land a moment after the update.
        for _ in range(100):
            if await listed(stage, deal_id):
                return
            await asyncio.sleep(0.1)
        raise AssertionError(f"{deal_id} never listed in {stage}")

    await eventually("Qualify", qualify_stage["deal_id"])
    await eventually("Develop", develop_stage["deal_id"])
    assert not await listed("Qualify", develop_stage["deal_id"])
    response = await deal_api.get("/deals", params={"stage": "Nowhere"})
    assert response.status_code == 422


async def test_unknown_deal_is_404(deal_api: httpx.AsyncClient) -> None:
    response = await deal_api.get(f"/deals/deal-{uuid.uuid4()}")
    assert response.status_code == 404
    detail = await refused(response, 404)
    assert detail["record"] == "deal"
