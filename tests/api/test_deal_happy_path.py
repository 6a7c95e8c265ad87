"""A whole deal through the HTTP API: lead → qualify → quote → accept → invoice → paid."""

import httpx
from sqlmodel import Session, col, select
from temporalio.testing import WorkflowEnvironment

from models.deal_command import DealSummary
from models.deal_event import DealEvent
from tests.api.deals import ok


async def test_a_lead_becomes_a_paid_invoice(
    deal_api: httpx.AsyncClient, dev_server: WorkflowEnvironment, session: Session
) -> None:
    api = deal_api
    lead = await ok(
        await api.post(
            "/leads",
            json={
                "topic": "50 laptops",
                "first_name": "Ada",
                "last_name": "Lovelace",
                "company_name": "Analytical Engines",
                "email": "Ada@Example.com",
                "estimated_budget": "50000.00",
            },
        ),
        201,
    )
    assert lead["state"] == "open" and lead["status_reason"] == "new"
    assert lead["email"] == "ada@example.com"
    deal_id = lead["deal_id"]

    qualified = await ok(await api.post(f"/leads/{lead['id']}/qualify", json={}))
    assert qualified["lead"]["state"] == "qualified"
    assert qualified["stage"] == "Develop"
    opportunity = qualified["opportunity"]
    assert opportunity["originating_lead_id"] == lead["id"]
    account = await ok(await api.get(f"/accounts/{opportunity['account_id']}"))
    assert account["name"] == "Analytical Engines"
    contact = await ok(await api.get(f"/contacts/{opportunity['contact_id']}"))
    assert contact["email"] == "ada@example.com"
    assert contact["parent_account_id"] == account["id"]

    opp_id = opportunity["id"]
    await ok(
        await api.post(
            f"/opportunities/{opp_id}/lines",
            json={"write_in_description": "Laptop", "quantity": "50", "price_per_unit": "999.99"},
        ),
        201,
    )
    await ok(
        await api.post(
            f"/opportunities/{opp_id}/lines",
            json={
                "write_in_description": "Setup",
                "quantity": "1",
                "price_per_unit": "499.995",
                "manual_discount": "100",
            },
        ),
        201,
    )
    opp = await ok(await api.get(f"/opportunities/{opp_id}"))
    # 50 * 999.99 = 49,999.50; 499.995 - 100 = 399.995, which rounds half up to 400.00.
    assert opp["total_amount"] == "50399.5000"

    proposed = await ok(await api.post(f"/opportunities/{opp_id}/quotes", json={}), 201)
    assert proposed["stage"] == "Propose"
    quote_id = proposed["record_id"]
    lines = await ok(await api.get(f"/quotes/{quote_id}/lines"))
    assert [line["write_in_description"] for line in lines] == ["Laptop", "Setup"]

    activated = await ok(await api.post(f"/quotes/{quote_id}/activate"))
    assert activated["stage"] == "Close"
    accepted = await ok(await api.post(f"/quotes/{quote_id}/accept"))
    assert accepted["stage"] == "Fulfill"
    assert accepted["opportunity"]["state"] == "won"
    (order,) = accepted["orders"]
    assert order["quote_id"] == quote_id
    assert order["total_amount"] == accepted["opportunity"]["actual_revenue"]

    fulfilled = await ok(
        await api.post(f"/orders/{order['id']}/fulfill", json={"status": "complete"})
    )
    assert fulfilled["orders"][0]["state"] == "fulfilled"

    billed = await ok(await api.post(f"/orders/{order['id']}/invoices", json={}), 201)
    (invoice,) = billed["invoices"]
    assert invoice["total_amount"] == order["total_amount"]
    assert billed["orders"][0]["state"] == "invoiced"

    half = f"{float(invoice['total_amount']) / 2:.2f}"
    partly = await ok(await api.post(f"/invoices/{invoice['id']}/pay", json={"amount": half}))
    assert partly["invoices"][0]["status_reason"] == "partially_paid"
    assert partly["stage"] == "Fulfill"
    rest = await ok(await api.get(f"/invoices/{invoice['id']}"))
    paid = await ok(
        await api.post(f"/invoices/{invoice['id']}/pay", json={"amount": rest["balance_due"]})
    )
    assert paid["invoices"][0]["state"] == "paid"
    assert paid["stage"] == "Done" and paid["outcome"] == "won"

    handle = dev_server.client.get_workflow_handle(deal_id, result_type=DealSummary)
    summary = await handle.result()
    assert summary.outcome == "won"
    deal = await ok(await api.get(f"/deals/{deal_id}"))
    assert (deal["running"], deal["stage"], deal["outcome"]) == (False, "Done", "won")

    actions = session.exec(
        select(DealEvent.action)
        .where(col(DealEvent.deal_id) == deal_id)
        .order_by(col(DealEvent.at))
    ).all()
    assert actions == [
        "create_lead",
        "qualify",
        "add_line",
        "add_line",
        "create_quote",
        "activate",
        "accept",
        "fulfill",
        "invoice",
        "pay",
        "pay",
    ]
