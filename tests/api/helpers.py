"""Small builders the API tests share: create a record, or a ready-made bit of catalog."""

from dataclasses import dataclass
from typing import Any

import httpx


async def create(client: httpx.AsyncClient, path: str, **body: object) -> dict[str, Any]:
    response = await client.post(path, json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def read(client: httpx.AsyncClient, path: str) -> dict[str, Any]:
    response = await client.get(path)
    assert response.status_code == 200, response.text
    return response.json()


def assert_invalid(response: httpx.Response, field: str, location: str = "body") -> None:
    """A 422 that names the offending field."""
    assert response.status_code == 422, response.text
    assert response.json()["detail"][0]["loc"] == [location, field]


def assert_conflict(response: httpx.Response, rule: str) -> None:
    """A 409 that names the rule it broke."""
    assert response.status_code == 409, response.text
    assert response.json()["detail"]["rule"] == rule


@dataclass
class Catalog:
    """A unit group `Count` (base unit `each`, plus a box of 12 each) and a product sold in it."""

    group: dict[str, Any]
    each: dict[str, Any]
    box: dict[str, Any]
    product: dict[str, Any]


async def unit_group(
    client: httpx.AsyncClient, name: str = "Count", base_unit_name: str = "each"
) -> tuple[dict[str, Any], dict[str, Any]]:
    """A new unit group and its base unit."""
    group = await create(client, "/unit-groups", name=name, base_unit_name=base_unit_name)
    units = await read(client, f"/unit-groups/{group['id']}/units")
    [base] = units["data"]
    return group, base


async def catalog(client: httpx.AsyncClient, product_number: str = "SKU-1") -> Catalog:
    group, each = await unit_group(client)
    box = await create(client, f"/unit-groups/{group['id']}/units", name="box", quantity="12")
    product = await create(
        client,
        "/products",
        name="Widget",
        product_number=product_number,
        unit_group_id=group["id"],
        default_unit_id=each["id"],
        list_price="10.00",
    )
    return Catalog(group, each, box, product)


async def listed(
    client: httpx.AsyncClient, path: str, field: str = "name", **params: str | int
) -> list[Any]:
    """`field` of each record a list answers, sorted by name unless `sort` is given."""
    response = await client.get(path, params={"sort": "name", **params})
    assert response.status_code == 200, response.text
    return [record[field] for record in response.json()["data"]]
