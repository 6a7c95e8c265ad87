"""Every illegal transition answers 409 naming the state and the rule, and changes nothing."""

import uuid
from datetime import date, timedelta

import httpx

from tests.api.deals import new_lead, new_opportunity, new_order, new_quote, ok, refused


async def test_cannot_qualify_a_lead_twice(deal_api: httpx.AsyncClient) -> None:
    lead = await new_lead(deal_api)
    await ok(await deal_api.post(f"/leads/{lead['id']}/qualify", json={}))
    detail = await refused(await deal_api.post(f"/leads/{lead['id']}/qualify", json={}))
    assert detail["state"] == "qualified"
    assert detail["rule"] == "only an open lead can change"
    assert (await deal_api.get("/opportunities")).json()["count"] == 1


async def test_cannot_disqualify_a_lead_with_an_opportunity(deal_api: httpx.AsyncClient) -> None:
    lead = await new_lead(deal_api)
    await ok(await deal_api.post(f"/leads/{lead['id']}/qualify", json={}))
    detail = await refused(
        await deal_api.post(f"/leads/{lead['id']}/disqualify", json={"reason": "lost"})
    )
    assert detail["rule"] == "the lead already has an opportunity"
    assert (await deal_api.get(f"/leads/{lead['id']}")).json()["state"] == "qualified"


async def test_disqualify_needs_a_disqualify_reason(deal_api: httpx.AsyncClient) -> None:
    lead = await new_lead(deal_api)
    response = await deal_api.post(f"/leads/{lead['id']}/disqualify", json={"reason": "qualified"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "reason"]
    response = await deal_api.post(f"/leads/{lead['id']}/disqualify", json={})
    assert response.status_code == 422
    assert (await deal_api.get(f"/leads/{lead['id']}")).json()["state"] == "open"


async def test_a_disqualified_lead_is_reactivated_with_its_data_and_can_qualify(
    deal_api: httpx.AsyncClient,
) -> None:
    lead = await new_lead(deal_api, email="sam@northwind.example", phone="+33 1 23")
    closed = await ok(
        await deal_api.post(f"/leads/{lead['id']}/disqualify", json={"reason": "cannot_contact"})
    )
    assert closed["stage"] == "Done" and closed["outcome"] == "disqualified"
    assert closed["lead"]["status_reason"] == "cannot_contact"

    reopened = await ok(await deal_api.post(f"/leads/{lead['id']}/reactivate"))
    assert reopened["stage"] == "Qualify"
    assert reopened["lead"]["state"] == "open"
    assert reopened["lead"]["email"] == "sam@northwind.example"
    assert reopened["lead"]["phone"] == "+33 1 23"

    qualified = await ok(await deal_api.post(f"/leads/{lead['id']}/qualify", json={}))
    assert qualified["stage"] == "Develop"


async def test_an_open_lead_cannot_be_reactivated(deal_api: httpx.AsyncClient) -> None:
    lead = await new_lead(deal_api)
    detail = await refused(await deal_api.post(f"/leads/{lead['id']}/reactivate"))
    assert detail["state"] == "open"


async def test_qualify_matches_existing_contact_by_email_and_account_by_name(
    deal_api: httpx.AsyncClient,
) -> None:
    account = await ok(await deal_api.post("/accounts", json={"name": "Northwind"}), 201)
    contact = await ok(
        await deal_api.post("/contacts", json={"last_name": "Okafor", "email": "ok@nw.example"}),
        201,
    )
    lead = await new_lead(deal_api, company_name="NORTHWIND", email="OK@nw.example")
    deal = await ok(await deal_api.post(f"/leads/{lead['id']}/qualify", json={}))
    assert deal["opportunity"]["account_id"] == account["id"]
    assert deal["opportunity"]["contact_id"] == contact["id"]
    assert (await deal_api.get("/accounts")).json()["count"] == 1
    assert (await deal_api.get("/contacts")).json()["count"] == 1


async def test_qualify_with_existing_ids_and_no_opportunity(deal_api: httpx.AsyncClient) -> None:
    account = await ok(await deal_api.post("/accounts", json={"name": "Fabrikam"}), 201)
    lead = await new_lead(deal_api)
    options = {
        "create_account": False,
        "existing_account_id": account["id"],
        "create_contact": False,
        "create_opportunity": False,
    }
    deal = await ok(await deal_api.post(f"/leads/{lead['id']}/qualify", json=options))
    assert deal["opportunity"] is None
    assert deal["lead"]["account_id"] == account["id"]
    assert deal["stage"] == "Done" and deal["outcome"] == "qualified"


async def test_qualify_with_an_unknown_account_is_422_and_changes_nothing(
    deal_api: httpx.AsyncClient,
) -> None:
    lead = await new_lead(deal_api)
    options = {"create_account": False, "existing_account_id": str(uuid.uuid4())}
    response = await deal_api.post(f"/leads/{lead['id']}/qualify", json=options)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "existing_account_id"]
    assert (await deal_api.get(f"/leads/{lead['id']}")).json()["state"] == "open"
    assert (await deal_api.get("/contacts")).json()["count"] == 0


async def test_cannot_revise_a_draft_quote(deal_api: httpx.AsyncClient) -> None:
    quote = await new_quote(deal_api, active=False)
    detail = await refused(await deal_api.post(f"/quotes/{quote['id']}/revise"))
    assert detail["state"] == "draft" and detail["rule"] == "the quote must be active"
    assert (await deal_api.get("/quotes")).json()["count"] == 1


async def test_cannot_accept_a_draft_quote(deal_api: httpx.AsyncClient) -> None:
    quote = await new_quote(deal_api, active=False)
    detail = await refused(await deal_api.post(f"/quotes/{quote['id']}/accept"))
    assert detail["state"] == "draft"
    assert (await deal_api.get("/orders")).json()["count"] == 0


async def test_revising_keeps_the_old_revision_which_cannot_be_accepted(
    deal_api: httpx.AsyncClient,
) -> None:
    first = await new_quote(deal_api, "10.00", "20.00")
    revised = await ok(await deal_api.post(f"/quotes/{first['id']}/revise"))
    second = next(q for q in revised["quotes"] if q["id"] == revised["record_id"])
    assert second["revision_number"] == first["revision_number"] + 1
    assert second["revises_quote_id"] == first["id"]
    assert second["quote_number"] == first["quote_number"]
    assert second["state"] == "draft"
    old = await ok(await deal_api.get(f"/quotes/{first['id']}"))
    assert (old["state"], old["status_reason"]) == ("closed", "revised")
    new_lines = await ok(await deal_api.get(f"/quotes/{second['id']}/lines"))
    assert [line["price_per_unit"] for line in new_lines] == ["10.0000", "20.0000"]

    detail = await refused(await deal_api.post(f"/quotes/{first['id']}/accept"))
    assert detail["state"] == "closed"
    assert (await deal_api.get("/orders")).json()["count"] == 0


async def test_an_active_quote_lines_cannot_change(deal_api: httpx.AsyncClient) -> None:
    quote = await new_quote(deal_api)
    (line,) = await ok(await deal_api.get(f"/quotes/{quote['id']}/lines"))
    response = await deal_api.patch(
        f"/quotes/{quote['id']}/lines/{line['id']}", json={"quantity": "5"}
    )
    detail = await refused(response)
    assert detail["state"] == "active"
    assert (await ok(await deal_api.get(f"/quotes/{quote['id']}/lines")))[0]["quantity"] == "2.0000"


async def test_an_expired_quote_cannot_be_accepted(deal_api: httpx.AsyncClient) -> None:
    quote = await new_quote(deal_api, active=False)
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    last_week = (date.today() - timedelta(days=7)).isoformat()
    window = {"effective_from": last_week, "effective_to": yesterday}
    await ok(await deal_api.patch(f"/quotes/{quote['id']}", json=window))
    detail = await refused(await deal_api.post(f"/quotes/{quote['id']}/activate"))
    assert "effective-to" in detail["rule"]


async def test_effective_to_before_effective_from_is_422(deal_api: httpx.AsyncClient) -> None:
    quote = await new_quote(deal_api, active=False)
    window = {"effective_from": "2030-02-01", "effective_to": "2030-01-01"}
    response = await deal_api.patch(f"/quotes/{quote['id']}", json=window)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "effective_to"]


async def test_accepting_closes_the_other_open_quotes(deal_api: httpx.AsyncClient) -> None:
    quote = await new_quote(deal_api)
    other = await ok(
        await deal_api.post(f"/opportunities/{quote['opportunity_id']}/quotes", json={}), 201
    )
    accepted = await ok(await deal_api.post(f"/quotes/{quote['id']}/accept"))
    states = {q["id"]: (q["state"], q["status_reason"]) for q in accepted["quotes"]}
    assert states[quote["id"]] == ("won", "won")
    assert states[other["record_id"]] == ("closed", "canceled")
    assert accepted["opportunity"]["actual_revenue"] == quote["total_amount"]


async def test_two_invoices_on_one_order_never_bill_more_than_ordered(
    deal_api: httpx.AsyncClient,
) -> None:
    order = await new_order(deal_api, "100.00", "50.00")
    lines = await ok(await deal_api.get(f"/orders/{order['id']}/lines"))
    laptop, _mouse = lines
    first = await ok(
        await deal_api.post(
            f"/orders/{order['id']}/invoices",
            json={"lines": [{"order_line_id": laptop["id"], "quantity": "1"}]},
        ),
        201,
    )
    assert first["invoices"][0]["total_amount"] == "100.0000"
    assert first["orders"][0]["state"] == "active"

    too_much = {"lines": [{"order_line_id": laptop["id"], "quantity": "2"}]}
    detail = await refused(await deal_api.post(f"/orders/{order['id']}/invoices", json=too_much))
    assert "no invoice bills more than was ordered" in detail["rule"]

    rest = await ok(await deal_api.post(f"/orders/{order['id']}/invoices", json={}), 201)
    assert [i["total_amount"] for i in rest["invoices"]] == ["100.0000", "200.0000"]
    assert rest["orders"][0]["state"] == "invoiced"
    detail = await refused(await deal_api.post(f"/orders/{order['id']}/invoices", json={}))
    assert detail["rule"] == "the order has nothing left to bill"
    assert (await deal_api.get("/invoices")).json()["count"] == 2


async def test_an_order_with_live_invoices_cannot_be_cancelled(deal_api: httpx.AsyncClient) -> None:
    order = await new_order(deal_api)
    billed = await ok(await deal_api.post(f"/orders/{order['id']}/invoices", json={}), 201)
    detail = await refused(await deal_api.post(f"/orders/{order['id']}/cancel"))
    assert detail["rule"] == "the order has invoices that are not cancelled"

    invoice_id = billed["invoices"][0]["id"]
    await ok(await deal_api.post(f"/invoices/{invoice_id}/cancel"))
    cancelled = await ok(await deal_api.post(f"/orders/{order['id']}/cancel"))
    assert cancelled["orders"][0]["state"] == "canceled"
    assert cancelled["stage"] == "Done" and cancelled["outcome"] == "canceled"


async def test_a_submitted_order_is_fulfilled_and_billed_but_never_submitted_twice(
    deal_api: httpx.AsyncClient,
) -> None:
    order = await new_order(deal_api)
    submitted = await ok(await deal_api.post(f"/orders/{order['id']}/submit"))
    stored = submitted["orders"][0]
    assert (stored["state"], stored["status_reason"]) == ("submitted", "submitted")
    assert stored["submitted_at"] and submitted["stage"] == "Fulfill"
    timeline = await ok(await deal_api.get(f"/orders/{order['id']}/timeline"))
    assert timeline["data"][0]["subject"] == f"Order {order['order_number']} submitted"

    detail = await refused(await deal_api.post(f"/orders/{order['id']}/submit"))
    assert detail["state"] == "submitted"
    assert detail["rule"] == "only an active order can be submitted"
    unchanged = await ok(await deal_api.get(f"/orders/{order['id']}"))
    assert unchanged["modified_at"] == stored["modified_at"]

    fulfilled = await ok(await deal_api.post(f"/orders/{order['id']}/fulfill"))
    assert fulfilled["orders"][0]["state"] == "fulfilled"
    billed = await ok(await deal_api.post(f"/orders/{order['id']}/invoices", json={}), 201)
    assert billed["orders"][0]["state"] == "invoiced"


async def test_a_cancelled_order_cannot_be_submitted(deal_api: httpx.AsyncClient) -> None:
    order = await new_order(deal_api)
    await ok(await deal_api.post(f"/orders/{order['id']}/cancel"))
    detail = await refused(await deal_api.post(f"/orders/{order['id']}/submit"))
    assert detail["state"] == "canceled"
    assert (await ok(await deal_api.get(f"/orders/{order['id']}")))["submitted_at"] is None


async def test_a_cancelled_invoice_cannot_be_paid(deal_api: httpx.AsyncClient) -> None:
    order = await new_order(deal_api)
    billed = await ok(await deal_api.post(f"/orders/{order['id']}/invoices", json={}), 201)
    invoice_id = billed["invoices"][0]["id"]
    await ok(await deal_api.post(f"/invoices/{invoice_id}/cancel"))
    detail = await refused(await deal_api.post(f"/invoices/{invoice_id}/pay", json={"amount": "1"}))
    assert detail["state"] == "canceled"
    assert await ok(await deal_api.get(f"/invoices/{invoice_id}/payments")) == []


async def test_payments_never_exceed_the_balance_and_cancelling_one_restores_it(
    deal_api: httpx.AsyncClient,
) -> None:
    order = await new_order(deal_api, "100.00")
    billed = await ok(await deal_api.post(f"/orders/{order['id']}/invoices", json={}), 201)
    invoice_id = billed["invoices"][0]["id"]
    detail = await refused(
        await deal_api.post(f"/invoices/{invoice_id}/pay", json={"amount": "200.01"})
    )
    assert "exceeds the balance due 200.00" in detail["rule"]
    response = await deal_api.post(f"/invoices/{invoice_id}/pay", json={"amount": "-5"})
    assert response.status_code == 422

    paid = await ok(await deal_api.post(f"/invoices/{invoice_id}/pay", json={"amount": "200.00"}))
    assert paid["invoices"][0]["state"] == "paid" and paid["stage"] == "Done"
    (payment,) = await ok(await deal_api.get(f"/invoices/{invoice_id}/payments"))
    restored = await ok(
        await deal_api.post(f"/invoices/{invoice_id}/payments/{payment['id']}/cancel")
    )
    invoice = restored["invoices"][0]
    assert (invoice["state"], invoice["balance_due"]) == ("active", "200.0000")
    assert restored["stage"] == "Fulfill"


async def test_a_lost_opportunity_closes_its_quotes_and_can_reopen(
    deal_api: httpx.AsyncClient,
) -> None:
    quote = await new_quote(deal_api)
    competitor = await ok(await deal_api.post("/competitors", json={"name": "Contoso"}), 201)
    lost = await ok(
        await deal_api.post(
            f"/opportunities/{quote['opportunity_id']}/lose",
            json={"reason": "out_sold", "competitor_id": competitor["id"]},
        )
    )
    assert lost["opportunity"]["winning_competitor_id"] == competitor["id"]
    assert lost["quotes"][0]["state"] == "closed"
    assert lost["stage"] == "Done" and lost["outcome"] == "lost"

    detail = await refused(await deal_api.post(f"/quotes/{quote['id']}/activate"))
    assert detail["state"] == "closed"
    reopened = await ok(await deal_api.post(f"/opportunities/{quote['opportunity_id']}/reopen"))
    assert reopened["opportunity"]["state"] == "open"
    assert reopened["stage"] == "Develop"


async def test_unknown_records_are_404(deal_api: httpx.AsyncClient) -> None:
    missing = uuid.uuid4()
    for path in (
        f"/leads/{missing}/qualify",
        f"/quotes/{missing}/accept",
        f"/orders/{missing}/cancel",
    ):
        response = await deal_api.post(path, json={})
        assert response.status_code == 404, path
    opportunity = await new_opportunity(deal_api)
    response = await deal_api.delete(f"/opportunities/{opportunity['id']}/lines/{missing}")
    assert response.status_code == 404


async def test_a_payment_schedule_bills_a_deposit_then_the_balance_to_the_cent(
    deal_api: httpx.AsyncClient,
) -> None:
    body = {
        "lines": [{"write_in_description": "Rack", "quantity": "3", "price_per_unit": "33.3333"}]
    }
    order = await ok(await deal_api.post("/orders", json=body), 201)
    assert order["total_amount"] == "100.0000"
    invoices = f"/orders/{order['id']}/invoices"
    third = {"percent": "33.3333"}
    await ok(await deal_api.post(invoices, json=third), 201)
    await ok(await deal_api.post(invoices, json=third), 201)
    detail = await refused(await deal_api.post(invoices, json={"percent": "50"}))
    assert "no invoice bills more than was ordered" in detail["rule"]
    last = await ok(await deal_api.post(invoices, json={}), 201)
    amounts = [i["total_amount"] for i in last["invoices"]]
    assert amounts == ["33.3300", "33.3300", "33.3400"]
    assert last["orders"][0]["state"] == "invoiced"

    both = {"percent": "10", "lines": []}
    response = await deal_api.post(invoices, json=both)
    assert response.status_code == 422


async def test_qualify_with_an_existing_account_uses_it_without_creating_one(
    deal_api: httpx.AsyncClient,
) -> None:
    account = await ok(await deal_api.post("/accounts", json={"name": "Existing Ltd"}), 201)
    lead = await new_lead(deal_api, company_name="Some Other Name")
    options = {"existing_account_id": account["id"]}
    deal = await ok(await deal_api.post(f"/leads/{lead['id']}/qualify", json=options))
    assert deal["opportunity"]["account_id"] == account["id"]
    assert (await deal_api.get("/accounts")).json()["count"] == 1
