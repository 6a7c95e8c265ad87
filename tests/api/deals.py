"""Steps of a deal through the HTTP API, for tests that need a deal at some stage."""

from typing import Any

import httpx


async def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


async def refused(response: httpx.Response, status: int = 409) -> dict[str, Any]:
    assert response.status_code == status, response.text
    detail: dict[str, Any] = response.json()["detail"]
    return detail


async def new_lead(api: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"topic": "10 desks", "last_name": "Okafor", "company_name": "Northwind", **fields}
    lead: dict[str, Any] = await ok(await api.post("/leads", json=body), 201)
    return lead


async def new_opportunity(api: httpx.AsyncClient, *prices: str) -> dict[str, Any]:
    """A qualified lead's opportunity, with one write-in line per price (quantity 2 each)."""
    lead = await new_lead(api)
    deal = await ok(await api.post(f"/leads/{lead['id']}/qualify", json={}))
    opportunity: dict[str, Any] = deal["opportunity"]
    for number, price in enumerate(prices or ("100.00",), start=1):
        line = {"write_in_description": f"Item {number}", "quantity": "2", "price_per_unit": price}
        await ok(await api.post(f"/opportunities/{opportunity['id']}/lines", json=line), 201)
    return opportunity


async def new_quote(api: httpx.AsyncClient, *prices: str, active: bool = True) -> dict[str, Any]:
    opportunity = await new_opportunity(api, *prices)
    deal = await ok(await api.post(f"/opportunities/{opportunity['id']}/quotes", json={}), 201)
    quote_id = deal["record_id"]
    if active:
        await ok(await api.post(f"/quotes/{quote_id}/activate"))
    quote: dict[str, Any] = await ok(await api.get(f"/quotes/{quote_id}"))
    return quote


async def new_order(api: httpx.AsyncClient, *prices: str) -> dict[str, Any]:
    quote = await new_quote(api, *prices)
    deal = await ok(await api.post(f"/quotes/{quote['id']}/accept"))
    order: dict[str, Any] = deal["orders"][0]
    return order
