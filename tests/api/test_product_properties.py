"""Product properties and related products over HTTP: defined on a product, filled on an
opportunity's line and carried to the invoice's; related products listed, linked, unlinked, and
suggested when a line is added."""

from typing import Any

import httpx

from tests.api.deals import new_opportunity, ok
from tests.api.helpers import Catalog, assert_conflict, assert_invalid, catalog, create


async def desk_with_properties(client: httpx.AsyncClient, shop: Catalog) -> dict[str, Any]:
    desk = shop.product
    properties = f"/products/{desk['id']}/properties"
    await create(
        client,
        properties,
        name="Colour",
        data_type="choice",
        options=["Oak", "Walnut"],
        default_value="Oak",
    )
    await create(client, properties, name="Width (cm)", data_type="number", is_required=True)
    await create(client, properties, name="Engraving", data_type="text")
    return desk


def values(line: dict[str, Any]) -> dict[str, str]:
    return {value["name"]: value["value"] for value in line["properties"]}


# --- properties defined on a product ----------------------------------------------------------


async def test_properties_are_defined_on_a_product_and_listed(client: httpx.AsyncClient) -> None:
    desk = await desk_with_properties(client, await catalog(client))
    listed = await ok(
        await client.get(f"/products/{desk['id']}/properties", params={"sort": "name"})
    )
    assert [(p["name"], p["data_type"], p["is_required"]) for p in listed["data"]] == [
        ("Colour", "choice", False),
        ("Engraving", "text", False),
        ("Width (cm)", "number", True),
    ]
    colour = listed["data"][0]
    assert colour["options"] == ["Oak", "Walnut"]
    assert colour["product_id"] == desk["id"]


async def test_a_property_definition_is_checked(client: httpx.AsyncClient) -> None:
    desk = (await catalog(client)).product
    path = f"/products/{desk['id']}/properties"
    assert_invalid(
        await client.post(path, json={"name": "Colour", "data_type": "choice"}), "options"
    )
    assert_invalid(
        await client.post(
            path,
            json={
                "name": "Colour",
                "data_type": "choice",
                "options": ["Oak"],
                "default_value": "Ash",
            },
        ),
        "default_value",
    )
    finish = await create(
        client,
        path,
        name="Finish",
        data_type="choice",
        options=["Matt", "Gloss"],
        default_value="Matt",
    )
    assert_invalid(
        await client.patch(f"{path}/{finish['id']}", json={"options": ["Gloss"]}), "default_value"
    )
    changed = await client.patch(
        f"{path}/{finish['id']}", json={"options": ["Gloss", "Satin"], "default_value": "satin"}
    )
    assert (await ok(changed))["options"] == ["Gloss", "Satin"]
    await create(client, path, name="Colour", data_type="text")
    assert_conflict(
        await client.post(path, json={"name": "colour", "data_type": "text"}),
        "property_name_unique_on_product",
    )
    response = await client.post(path, json={"name": "Grain", "data_type": "text", "colour": "x"})
    assert response.status_code == 422


# --- filled on a line, carried to the invoice -------------------------------------------------


async def test_properties_filled_on_an_opportunity_line_arrive_on_the_invoice_line(
    deal_api: httpx.AsyncClient,
) -> None:
    desk = await desk_with_properties(deal_api, await catalog(deal_api))
    opportunity = await new_opportunity(deal_api)
    lines = f"/opportunities/{opportunity['id']}/lines"
    line = {"product_id": desk["id"], "quantity": "2", "properties": {"Width (cm)": 160}}

    await ok(await deal_api.post(lines, json=line), 201)
    (mine,) = [li for li in await ok(await deal_api.get(lines)) if li["product_id"] == desk["id"]]
    assert values(mine) == {"Colour": "Oak", "Width (cm)": "160"}

    changes = {"properties": {"Colour": "walnut", "Engraving": "ACME"}}
    await ok(await deal_api.patch(f"{lines}/{mine['id']}", json=changes))

    deal = await ok(await deal_api.post(f"/opportunities/{opportunity['id']}/quotes", json={}), 201)
    quote_id = deal["record_id"]
    await ok(await deal_api.post(f"/quotes/{quote_id}/activate"))
    order = (await ok(await deal_api.post(f"/quotes/{quote_id}/accept")))["orders"][0]
    billed = await ok(await deal_api.post(f"/orders/{order['id']}/invoices", json={}), 201)
    invoice = billed["invoices"][0]

    expected = {"Colour": "Walnut", "Width (cm)": "160", "Engraving": "ACME"}
    for path in (
        lines,
        f"/quotes/{quote_id}/lines",
        f"/orders/{order['id']}/lines",
        f"/invoices/{invoice['id']}/lines",
    ):
        (copied,) = [
            li for li in await ok(await deal_api.get(path)) if li["product_id"] == desk["id"]
        ]
        assert values(copied) == expected, path


async def test_a_line_missing_a_required_property_or_with_a_bad_value_is_refused_naming_it(
    deal_api: httpx.AsyncClient,
) -> None:
    desk = await desk_with_properties(deal_api, await catalog(deal_api))
    opportunity = await new_opportunity(deal_api)
    lines = f"/opportunities/{opportunity['id']}/lines"
    line: dict[str, Any] = {"product_id": desk["id"], "quantity": "1"}

    assert_invalid(await deal_api.post(lines, json=line), "properties.Width (cm)")
    wide = {**line, "properties": {"Width (cm)": "wide"}}
    assert_invalid(await deal_api.post(lines, json=wide), "properties.Width (cm)")
    pink = {**line, "properties": {"Width (cm)": 1, "Colour": "Pink"}}
    assert_invalid(await deal_api.post(lines, json=pink), "properties.Colour")
    assert len(await ok(await deal_api.get(lines))) == 1  # the write-in line only

    # Retired, a property is no longer asked for.
    defined = await ok(await deal_api.get(f"/products/{desk['id']}/properties"))
    (width,) = [p for p in defined["data"] if p["name"] == "Width (cm)"]
    await ok(await deal_api.post(f"/products/{desk['id']}/properties/{width['id']}/deactivate"))
    await ok(await deal_api.post(lines, json=line), 201)


# --- related products -------------------------------------------------------------------------


async def test_related_products_are_linked_listed_and_unlinked(client: httpx.AsyncClient) -> None:
    shop = await catalog(client)
    desk = shop.product
    lamp = await create(
        client,
        "/products",
        name="Desk lamp",
        product_number="LAMP-1",
        unit_group_id=shop.group["id"],
        default_unit_id=shop.each["id"],
    )
    related = f"/products/{desk['id']}/related"
    link = {"related_product_id": lamp["id"], "relationship_type": "accessory"}
    made = await ok(await client.post(related, json=link), 201)
    assert (made["product_id"], made["name"], made["relationship_type"]) == (
        lamp["id"],
        "Desk lamp",
        "accessory",
    )
    assert [r["product_id"] for r in await ok(await client.get(related))] == [lamp["id"]]
    # One way only: the lamp does not suggest the desk.
    assert await ok(await client.get(f"/products/{lamp['id']}/related")) == []

    assert_conflict(await client.post(related, json=link), "product_relationship_unique")
    itself = {"related_product_id": desk["id"], "relationship_type": "cross_sell"}
    assert_invalid(await client.post(related, json=itself), "related_product_id")

    both = {
        "related_product_id": desk["id"],
        "relationship_type": "cross_sell",
        "direction": "bi_directional",
    }
    await ok(await client.post(f"/products/{lamp['id']}/related", json=both), 201)
    assert {r["relationship_type"] for r in await ok(await client.get(related))} == {
        "accessory",
        "cross_sell",
    }

    response = await client.delete(f"{related}/{made['relationship_id']}")
    assert response.status_code == 204
    assert [r["relationship_type"] for r in await ok(await client.get(related))] == ["cross_sell"]
    assert (await client.delete(f"{related}/{made['relationship_id']}")).status_code == 404


async def test_adding_a_line_suggests_the_related_products_not_yet_on_the_document(
    deal_api: httpx.AsyncClient,
) -> None:
    shop = await catalog(deal_api)
    desk = shop.product

    async def product(name: str, number: str) -> dict[str, Any]:
        return await create(
            deal_api,
            "/products",
            name=name,
            product_number=number,
            unit_group_id=shop.group["id"],
            default_unit_id=shop.each["id"],
            list_price="50.00",
        )

    lamp, chair = await product("Desk lamp", "LAMP-1"), await product("Chair", "CHAIR-1")
    for other, kind in ((lamp, "accessory"), (chair, "cross_sell")):
        body = {"related_product_id": other["id"], "relationship_type": kind}
        await ok(await deal_api.post(f"/products/{desk['id']}/related", json=body), 201)

    opportunity = await new_opportunity(deal_api)
    lines = f"/opportunities/{opportunity['id']}/lines"
    answer = await ok(
        await deal_api.post(lines, json={"product_id": desk["id"], "quantity": "1"}), 201
    )
    suggested = {
        (s["product_id"], s["relationship_type"], s["because_of"]) for s in answer["suggestions"]
    }
    assert suggested == {
        (lamp["id"], "accessory", desk["id"]),
        (chair["id"], "cross_sell", desk["id"]),
    }
    assert answer["opportunity"]["id"] == opportunity["id"]

    await ok(await deal_api.post(lines, json={"product_id": chair["id"], "quantity": "1"}), 201)
    left = await ok(await deal_api.get(f"/opportunities/{opportunity['id']}/suggestions"))
    assert [s["product_id"] for s in left] == [lamp["id"]]


async def test_a_keyed_line_retried_is_one_line_with_its_properties(
    deal_api: httpx.AsyncClient,
) -> None:
    desk = await desk_with_properties(deal_api, await catalog(deal_api))
    opportunity = await new_opportunity(deal_api)
    lines = f"/opportunities/{opportunity['id']}/lines"
    line = {"product_id": desk["id"], "quantity": "1", "properties": {"Width (cm)": "90.5"}}
    key = {"Idempotency-Key": "desk-line-1"}

    first = await deal_api.post(lines, json=line, headers=key)
    again = await deal_api.post(lines, json=line, headers=key)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()
    desks = [li for li in await ok(await deal_api.get(lines)) if li["product_id"] == desk["id"]]
    assert [values(li) for li in desks] == [{"Colour": "Oak", "Width (cm)": "90.5"}]
