"""Competitors through the HTTP API: CRUD, lists, and every refusal."""

import uuid

import httpx

from tests.api.helpers import assert_invalid, create, listed, read


async def test_create_read_update_a_competitor(client: httpx.AsyncClient) -> None:
    rival = await create(
        client,
        "/competitors",
        name="Northwind",
        website="https://northwind.example",
        strengths="Price",
        weaknesses="Support",
        reported_revenue="1250000.50",
        ticker_symbol="NWND",
    )
    assert rival["reported_revenue"] == "1250000.5000"

    response = await client.patch(
        f"/competitors/{rival['id']}", json={"overview": "Regional", "reported_revenue": 2000000}
    )
    assert response.status_code == 200
    fetched = await read(client, f"/competitors/{rival['id']}")
    assert fetched["overview"] == "Regional"
    assert fetched["reported_revenue"] == "2000000.0000"
    assert fetched["strengths"] == "Price"


async def test_bad_competitor_fields_are_422_naming_the_field(client: httpx.AsyncClient) -> None:
    for body, field in (
        ({"website": "https://x.example"}, "name"),
        ({"name": ""}, "name"),
        ({"name": "X", "reported_revenue": "-5"}, "reported_revenue"),
        ({"name": "X", "reported_revenue": "lots"}, "reported_revenue"),
        ({"name": "X", "ticker_symbol": "TOOLONGTICKER"}, "ticker_symbol"),
    ):
        assert_invalid(await client.post("/competitors", json=body), field)
    rival = await create(client, "/competitors", name="Northwind")
    assert_invalid(await client.patch(f"/competitors/{rival['id']}", json={"name": None}), "name")
    assert (await read(client, f"/competitors/{rival['id']}"))["name"] == "Northwind"
    assert (await read(client, "/competitors"))["count"] == 1


async def test_unknown_competitor_is_404(client: httpx.AsyncClient) -> None:
    missing = uuid.uuid4()
    for response in (
        await client.get(f"/competitors/{missing}"),
        await client.patch(f"/competitors/{missing}", json={"name": "X"}),
        await client.post(f"/competitors/{missing}/deactivate"),
    ):
        assert response.status_code == 404
        assert response.json()["detail"]["record"] == "competitor"


async def test_competitors_search_sort_page_and_deactivate(client: httpx.AsyncClient) -> None:
    for name, revenue, ticker in (
        ("Northwind", "500", "NWND"),
        ("adventure works", "1500", None),
        ("Fabrikam", "90", "FBRK"),
    ):
        await create(
            client, "/competitors", name=name, reported_revenue=revenue, ticker_symbol=ticker
        )

    assert await listed(client, "/competitors") == ["adventure works", "Fabrikam", "Northwind"]
    assert await listed(client, "/competitors", sort="-reported_revenue") == [
        "adventure works",
        "Northwind",
        "Fabrikam",
    ]
    assert await listed(client, "/competitors", q="fbrk") == ["Fabrikam"]
    assert await listed(client, "/competitors", ticker_symbol="nwnd") == ["Northwind"]
    assert await listed(client, "/competitors", limit=1, offset=1) == ["Fabrikam"]

    fabrikam = (await client.get("/competitors", params={"q": "Fabrikam"})).json()["data"][0]
    await client.post(f"/competitors/{fabrikam['id']}/deactivate")
    assert await listed(client, "/competitors") == ["adventure works", "Northwind"]
    assert await listed(client, "/competitors", view="inactive") == ["Fabrikam"]
