"""Billing over HTTP: an order held and resumed, billed by its payment schedule to the cent or
by a deposit of a fixed amount; money answered as exact strings."""

import httpx

from tests.api.deals import new_opportunity, new_order, ok, refused


def named(response: httpx.Response) -> list[str]:
    """Where a 422 says the first error is."""
    assert response.status_code == 422, response.text
    loc: list[str] = response.json()["detail"][0]["loc"]
    return loc


async def test_an_order_on_hold_is_409_naming_the_hold_until_resumed(
    deal_api: httpx.AsyncClient,
) -> None:
    order = await new_order(deal_api, "100.00")
    path = f"/orders/{order['id']}"
    held = await ok(await deal_api.post(f"{path}/hold", json={"reason": "credit check"}))
    assert (held["orders"][0]["status_reason"], held["orders"][0]["hold_reason"]) == (
        "pending",
        "credit check",
    )
    for action in ("submit", "fulfill", "invoices"):
        detail = await refused(await deal_api.post(f"{path}/{action}"))
        assert (detail["state"], detail["rule"]) == (
            "on hold",
            "the order is on hold (credit check): resume it first",
        )
    assert (await deal_api.post(f"{path}/hold", json={})).status_code == 422
    resumed = await ok(await deal_api.post(f"{path}/resume"))
    assert resumed["orders"][0]["status_reason"] == "new"
    await ok(await deal_api.post(f"{path}/submit"))


async def test_a_schedule_bills_every_part_to_the_cent(deal_api: httpx.AsyncClient) -> None:
    order = await new_order(deal_api, "33.3333")  # 2 x 33.3333 = 66.67
    path = f"/orders/{order['id']}"
    short = {"parts": [{"name": "Half", "percent": "50", "days_after": 0}]}
    assert named(await deal_api.put(f"{path}/payment-schedule", json=short)) == ["body", "parts"]
    thirds = {
        "parts": [
            {"name": "Deposit", "percent": "33.3333", "days_after": 0},
            {"name": "Delivery", "percent": "33.3333", "days_after": 10, "after": "fulfillment"},
            {"name": "Balance", "percent": "33.3334", "days_after": 30},
        ]
    }
    await ok(await deal_api.put(f"{path}/payment-schedule", json=thirds))
    parts = await ok(await deal_api.get(f"{path}/payment-schedule"))
    assert [(p["name"], p["amount"]) for p in parts] == [
        ("Deposit", "22.2200"),
        ("Delivery", "22.2200"),
        ("Balance", "22.2300"),
    ]
    for part in (1, 2, 3):
        await ok(await deal_api.post(f"{path}/payment-schedule/{part}/invoice", json={}), 201)
    again = await refused(await deal_api.post(f"{path}/payment-schedule/1/invoice"))
    assert "billed already" in again["rule"]
    invoices = (await ok(await deal_api.get("/invoices", params={"order_id": order["id"]})))["data"]
    assert sorted(i["total_amount"] for i in invoices) == ["22.2200", "22.2200", "22.2300"]
    assert (await ok(await deal_api.get(path)))["state"] == "invoiced"


async def test_a_deposit_by_amount_and_unknown_keys_refused(deal_api: httpx.AsyncClient) -> None:
    order = await new_order(deal_api, "100.00")
    path = f"/orders/{order['id']}/invoices"
    typo = await deal_api.post(path, json={"amount": "50.00", "amuont": 1})
    assert named(typo) == ["body", "amuont"]
    assert named(await deal_api.post(path, json={"amount": "50.001"})) == ["body", "amount"]
    deposit = await ok(await deal_api.post(path, json={"amount": "50.00"}), 201)
    assert deposit["invoices"][0]["total_amount"] == "50.0000"


async def test_money_is_sent_to_the_cent_and_a_cancelled_invoice_owes_nothing(
    deal_api: httpx.AsyncClient,
) -> None:
    made = await new_opportunity(deal_api, "100.00")
    opportunity = await ok(await deal_api.get(f"/opportunities/{made['id']}"))
    assert opportunity["estimated_revenue"] == "200.0000"  # system-calculated: the lines' total
    order = await new_order(deal_api, "100.00")
    billed = await ok(await deal_api.post(f"/orders/{order['id']}/invoices", json={}), 201)
    invoice = billed["invoices"][0]
    path = f"/invoices/{invoice['id']}"
    assert named(await deal_api.post(f"{path}/pay", json={"amount": "10.001"})) == [
        "body",
        "amount",
    ]
    canceled = await ok(await deal_api.post(f"{path}/cancel"))
    assert canceled["invoices"][0]["balance_due"] == "0"
