"""Competitors and stakeholders on an opportunity over HTTP: linked, listed, shown on the deal,
unlinked; a lost deal's competitor; a competitor's deals won and lost against it."""

from typing import Any

import httpx

from tests.api.deals import new_opportunity, ok, refused


async def competitor(api: httpx.AsyncClient, name: str) -> dict[str, Any]:
    made: dict[str, Any] = await ok(await api.post("/competitors", json={"name": name}), 201)
    return made


async def test_competitors_are_linked_shown_on_the_deal_and_unlinked(
    deal_api: httpx.AsyncClient,
) -> None:
    opportunity = await new_opportunity(deal_api)
    path = f"/opportunities/{opportunity['id']}/competitors"
    contoso, fabrikam = (
        await competitor(deal_api, "Contoso"),
        await competitor(deal_api, "Fabrikam"),
    )

    deal = await ok(await deal_api.post(path, json={"competitor_id": contoso["id"]}), 201)
    assert [c["competitor_id"] for c in deal["competitors"]] == [contoso["id"]]
    assert deal["record"] == "opportunity_competitor"
    await ok(await deal_api.post(path, json={"competitor_id": fabrikam["id"]}), 201)
    again = await refused(await deal_api.post(path, json={"competitor_id": contoso["id"]}))
    assert again["rule"] == "the competitor is already linked"
    listed = await ok(await deal_api.get(path))
    assert [c["competitor_id"] for c in listed] == [contoso["id"], fabrikam["id"]]

    deal = await ok(await deal_api.delete(f"{path}/{contoso['id']}"))
    assert [c["competitor_id"] for c in deal["competitors"]] == [fabrikam["id"]]
    await refused(await deal_api.delete(f"{path}/{contoso['id']}"), 404)


async def test_an_unknown_competitor_is_a_422(deal_api: httpx.AsyncClient) -> None:
    opportunity = await new_opportunity(deal_api)
    unknown = "00000000-0000-4000-8000-000000000001"
    path = f"/opportunities/{opportunity['id']}"
    response = await deal_api.post(f"{path}/competitors", json={"competitor_id": unknown})
    assert response.status_code == 422, response.text
    response = await deal_api.post(
        f"{path}/lose", json={"reason": "out_sold", "competitor_id": unknown}
    )
    assert response.status_code == 422, response.text


async def test_stakeholders_are_contacts_in_a_role(deal_api: httpx.AsyncClient) -> None:
    opportunity = await new_opportunity(deal_api)
    path = f"/opportunities/{opportunity['id']}/stakeholders"
    contact = await ok(await deal_api.post("/contacts", json={"last_name": "Hopper"}), 201)

    body = {"contact_id": contact["id"], "role": "decision_maker", "description": "Signs"}
    deal = await ok(await deal_api.post(path, json=body), 201)
    (stakeholder,) = deal["stakeholders"]
    assert (stakeholder["contact_id"], stakeholder["role"]) == (contact["id"], "decision_maker")
    assert [s["role"] for s in await ok(await deal_api.get(path))] == ["decision_maker"]
    bad = await deal_api.post(path, json={"contact_id": contact["id"], "role": "boss"})
    assert bad.status_code == 422

    deal = await ok(await deal_api.delete(f"{path}/{contact['id']}"))
    assert deal["stakeholders"] == []


async def test_a_competitor_counts_the_deals_won_and_lost_against_it(
    deal_api: httpx.AsyncClient,
) -> None:
    contoso = await competitor(deal_api, "Contoso")
    won = await new_opportunity(deal_api, "100.00")  # 2 x 100
    await ok(
        await deal_api.post(
            f"/opportunities/{won['id']}/competitors",
            json={"competitor_id": contoso["id"]},
        ),
        201,
    )
    await ok(await deal_api.post(f"/opportunities/{won['id']}/win", json={}))
    lost = await new_opportunity(deal_api, "50.00")  # 2 x 50, lost to Contoso, not linked first
    deal = await ok(
        await deal_api.post(
            f"/opportunities/{lost['id']}/lose",
            json={"reason": "out_sold", "competitor_id": contoso["id"]},
        )
    )
    assert [c["competitor_id"] for c in deal["competitors"]] == [contoso["id"]]
    await new_opportunity(deal_api)  # open, and not against Contoso

    figures = await ok(await deal_api.get(f"/competitors/{contoso['id']}"))
    assert figures["name"] == "Contoso"
    assert (figures["won_count"], figures["won_amount"]) == (1, "200.0000")
    assert (figures["lost_count"], figures["lost_amount"]) == (1, "100.0000")
