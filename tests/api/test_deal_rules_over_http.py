"""What only HTTP shows of the deal's rules: a refused transition answers 409 naming the record,
its state, the action and the rule, a rule on a field 422 naming the field, an unknown record
404, and a refusal changes nothing in the database; and qualify matching the accounts and
contacts the database holds.

Every rule itself (which states allow what, amounts to the cent, the records an action creates)
is asserted by the unit tests of the pure core, tests/unit/deal/.
"""

import uuid

import httpx

from tests.api.deals import new_lead, new_opportunity, new_order, ok, refused


async def test_a_refused_transition_is_409_naming_the_record_state_action_and_rule(
    deal_api: httpx.AsyncClient,
) -> None:
    lead = await new_lead(deal_api)
    await ok(await deal_api.post(f"/leads/{lead['id']}/qualify", json={}))
    before = await ok(await deal_api.get(f"/leads/{lead['id']}"))

    detail = await refused(await deal_api.post(f"/leads/{lead['id']}/qualify", json={}))
    assert {key: detail[key] for key in ("record", "state", "action", "rule")} == {
        "record": "lead",
        "state": "qualified",
        "action": "qualify",
        "rule": "only an open lead can change",
    }
    assert "only an open lead can change" in detail["message"]
    assert (await deal_api.get("/opportunities")).json()["count"] == 1
    assert await ok(await deal_api.get(f"/leads/{lead['id']}")) == before


async def test_a_refused_transition_changes_nothing_in_the_database(
    deal_api: httpx.AsyncClient,
) -> None:
    order = await new_order(deal_api)
    submitted = await ok(await deal_api.post(f"/orders/{order['id']}/submit"))
    stored = submitted["orders"][0]

    detail = await refused(await deal_api.post(f"/orders/{order['id']}/submit"))
    assert (detail["state"], detail["rule"]) == (
        "submitted",
        "only an active order can be submitted",
    )
    unchanged = await ok(await deal_api.get(f"/orders/{order['id']}"))
    assert unchanged == stored
    timeline = await ok(await deal_api.get(f"/orders/{order['id']}/timeline"))
    subjects = [entry["subject"] for entry in timeline["data"]]
    assert subjects.count(f"Order {order['order_number']} submitted") == 1


async def test_a_rule_on_a_field_is_422_naming_the_field(deal_api: httpx.AsyncClient) -> None:
    lead = await new_lead(deal_api)
    response = await deal_api.post(f"/leads/{lead['id']}/disqualify", json={"reason": "qualified"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "reason"]
    response = await deal_api.post(f"/leads/{lead['id']}/disqualify", json={})
    assert response.status_code == 422
    assert (await deal_api.get(f"/leads/{lead['id']}")).json()["state"] == "open"


async def test_a_refusal_found_while_writing_is_422_and_changes_nothing(
    deal_api: httpx.AsyncClient,
) -> None:
    """An unknown account is found out by the effect, in the transition activity, not by the
    rule the workflow checks first: the refusal still reaches the caller as a 422."""
    lead = await new_lead(deal_api)
    options = {"create_account": False, "existing_account_id": str(uuid.uuid4())}
    response = await deal_api.post(f"/leads/{lead['id']}/qualify", json=options)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "existing_account_id"]
    assert (await deal_api.get(f"/leads/{lead['id']}")).json()["state"] == "open"
    assert (await deal_api.get("/contacts")).json()["count"] == 0
    assert (await deal_api.get("/opportunities")).json()["count"] == 0


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
    assert response.json()["detail"]["record"] == "line"


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


async def test_qualify_with_an_existing_account_uses_it_without_creating_one(
    deal_api: httpx.AsyncClient,
) -> None:
    account = await ok(await deal_api.post("/accounts", json={"name": "Existing Ltd"}), 201)
    lead = await new_lead(deal_api, company_name="Some Other Name")
    options = {"existing_account_id": account["id"]}
    deal = await ok(await deal_api.post(f"/leads/{lead['id']}/qualify", json=options))
    assert deal["opportunity"]["account_id"] == account["id"]
    assert (await deal_api.get("/accounts")).json()["count"] == 1
