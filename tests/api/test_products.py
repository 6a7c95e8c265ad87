"""Products through the HTTP API: units of their own group, unique numbers, exact money."""

import uuid

import httpx

from tests.api.helpers import (
    assert_conflict,
    assert_invalid,
    catalog,
    create,
    listed,
    read,
    unit_group,
)


async def test_create_read_update_a_product_with_exact_money(client: httpx.AsyncClient) -> None:
    shop = await catalog(client)
    product = shop.product
    assert product["product_type"] == "sales_inventory"
    assert product["quantity_decimal"] == 0
    assert product["list_price"] == "10.0000"  # Decimal, sent as a string: never a float
    assert product["standard_cost"] is None

    response = await client.patch(
        f"/products/{product['id']}",
        json={
            "standard_cost": "0.1",
            "current_cost": 0.2,
            "list_price": "19.99",
            "product_type": "services",
            "quantity_decimal": 2,
            "default_unit_id": shop.box["id"],
            "valid_from": "2026-01-01",
            "valid_to": "2026-01-01",
        },
    )
    assert response.status_code == 200, response.text
    fetched = await read(client, f"/products/{product['id']}")
    assert fetched["standard_cost"] == "0.1000"
    assert fetched["current_cost"] == "0.2000"
    assert fetched["list_price"] == "19.9900"
    assert fetched["product_type"] == "services"
    assert fetched["quantity_decimal"] == 2
    assert fetched["default_unit_id"] == shop.box["id"]
    assert fetched["valid_to"] == "2026-01-01"
    assert fetched["name"] == "Widget"


async def test_product_number_is_unique_among_products(client: httpx.AsyncClient) -> None:
    shop = await catalog(client, product_number="SKU-1")
    body = {
        "name": "Copy",
        "unit_group_id": shop.group["id"],
        "default_unit_id": shop.each["id"],
    }
    for number in ("SKU-1", "sku-1"):
        response = await client.post("/products", json={**body, "product_number": number})
        assert_conflict(response, "product_number_unique")
        assert response.json()["detail"]["field"] == "product_number"

    other = await create(client, "/products", **body, product_number="SKU-2")
    response = await client.patch(f"/products/{other['id']}", json={"product_number": "SKU-1"})
    assert_conflict(response, "product_number_unique")
    assert (await read(client, f"/products/{other['id']}"))["product_number"] == "SKU-2"

    # A retired product keeps its number.
    await client.post(f"/products/{shop.product['id']}/deactivate")
    response = await client.post("/products", json={**body, "product_number": "SKU-1"})
    assert_conflict(response, "product_number_unique")
    assert (await read(client, "/products?view=all"))["count"] == 2


async def test_default_unit_must_belong_to_the_unit_group(client: httpx.AsyncClient) -> None:
    shop = await catalog(client)
    _, kilogram = await unit_group(client, name="Weight", base_unit_name="kg")
    body = {"name": "Flour", "product_number": "F-1", "unit_group_id": shop.group["id"]}

    response = await client.post("/products", json={**body, "default_unit_id": kilogram["id"]})
    assert_invalid(response, "default_unit_id")
    response = await client.post("/products", json={**body, "default_unit_id": str(uuid.uuid4())})
    assert_invalid(response, "default_unit_id")
    assert_invalid(await client.post("/products", json=body), "default_unit_id")
    response = await client.patch(
        f"/products/{shop.product['id']}", json={"default_unit_id": kilogram["id"]}
    )
    assert_invalid(response, "default_unit_id")
    assert (await read(client, "/products"))["count"] == 1
    fetched = await read(client, f"/products/{shop.product['id']}")
    assert fetched["default_unit_id"] == shop.each["id"]


async def test_unit_group_is_required_and_must_exist(client: httpx.AsyncClient) -> None:
    shop = await catalog(client)
    body = {"name": "Flour", "product_number": "F-1", "default_unit_id": shop.each["id"]}
    assert_invalid(await client.post("/products", json=body), "unit_group_id")
    response = await client.post("/products", json={**body, "unit_group_id": str(uuid.uuid4())})
    assert_invalid(response, "unit_group_id")
    response = await client.patch(f"/products/{shop.product['id']}", json={"unit_group_id": None})
    assert_invalid(response, "unit_group_id")
    assert (await read(client, "/products"))["count"] == 1


async def test_moving_a_product_to_another_unit_group_needs_a_unit_of_it(
    client: httpx.AsyncClient,
) -> None:
    shop = await catalog(client)
    weight, kilogram = await unit_group(client, name="Weight", base_unit_name="kg")
    path = f"/products/{shop.product['id']}"

    response = await client.patch(path, json={"unit_group_id": weight["id"]})
    assert_invalid(response, "default_unit_id")
    assert (await read(client, path))["unit_group_id"] == shop.group["id"]

    response = await client.patch(
        path, json={"unit_group_id": weight["id"], "default_unit_id": kilogram["id"]}
    )
    assert response.status_code == 200
    assert response.json()["unit_group_id"] == weight["id"]


async def test_a_priced_product_keeps_its_unit_group(client: httpx.AsyncClient) -> None:
    shop = await catalog(client)
    weight, kilogram = await unit_group(client, name="Weight", base_unit_name="kg")
    prices = await create(client, "/price-lists", name="Retail", currency="EUR")
    await create(
        client,
        f"/price-lists/{prices['id']}/items",
        product_id=shop.product["id"],
        unit_id=shop.box["id"],
        amount="99",
    )
    path = f"/products/{shop.product['id']}"
    response = await client.patch(
        path, json={"unit_group_id": weight["id"], "default_unit_id": kilogram["id"]}
    )
    assert_conflict(response, "product_unit_group_in_use")
    assert (await read(client, path))["unit_group_id"] == shop.group["id"]


async def test_valid_to_is_not_before_valid_from(client: httpx.AsyncClient) -> None:
    shop = await catalog(client)
    body = {
        "name": "Seasonal",
        "product_number": "S-1",
        "unit_group_id": shop.group["id"],
        "default_unit_id": shop.each["id"],
        "valid_from": "2026-06-01",
        "valid_to": "2026-05-31",
    }
    assert_invalid(await client.post("/products", json=body), "valid_to")
    path = f"/products/{shop.product['id']}"
    await client.patch(path, json={"valid_to": "2026-03-31"})
    assert_invalid(await client.patch(path, json={"valid_from": "2026-04-01"}), "valid_to")
    assert (await read(client, path))["valid_from"] is None
    assert_invalid(await client.post("/products", json={**body, "valid_to": "June"}), "valid_to")
    assert (await read(client, "/products"))["count"] == 1


async def test_bad_product_fields_are_422_naming_the_field(client: httpx.AsyncClient) -> None:
    shop = await catalog(client)
    body = {
        "name": "Gadget",
        "product_number": "G-1",
        "unit_group_id": shop.group["id"],
        "default_unit_id": shop.each["id"],
    }
    for field, value in (
        ("product_type", "inventory"),
        ("quantity_decimal", 5),
        ("quantity_decimal", -1),
        ("list_price", "-0.01"),
        ("list_price", "1.23456"),
        ("list_price", "99999999999999999"),
        ("list_price", "ten"),
        ("standard_cost", "Infinity"),
        ("current_cost", "-1"),
        ("name", ""),
        ("product_number", None),
    ):
        assert_invalid(await client.post("/products", json={**body, field: value}), field)
    largest = await create(client, "/products", **body, list_price="99999999999999.9999")
    assert largest["list_price"] == "99999999999999.9999"
    assert (await read(client, "/products"))["count"] == 2


async def test_unknown_product_is_404(client: httpx.AsyncClient) -> None:
    missing = uuid.uuid4()
    for response in (
        await client.get(f"/products/{missing}"),
        await client.patch(f"/products/{missing}", json={"name": "X"}),
        await client.post(f"/products/{missing}/deactivate"),
        await client.post(f"/products/{missing}/activate"),
    ):
        assert response.status_code == 404
        assert response.json()["detail"]["record"] == "product"
    assert_invalid(await client.get("/products/not-an-id"), "record_id", "path")


async def test_products_filter_by_type_and_unit_group_search_sort_and_page(
    client: httpx.AsyncClient,
) -> None:
    shop = await catalog(client, product_number="W-100")
    weight, kilogram = await unit_group(client, name="Weight", base_unit_name="kg")
    for name, number, kind, price in (
        ("Flour", "F-200", "sales_inventory", "2.50"),
        ("Delivery", "D-300", "miscellaneous_charges", "15"),
        ("Baking class", "B-400", "services", "120"),
    ):
        await create(
            client,
            "/products",
            name=name,
            product_number=number,
            product_type=kind,
            unit_group_id=weight["id"],
            default_unit_id=kilogram["id"],
            list_price=price,
        )

    assert await listed(client, "/products", product_type="services") == ["Baking class"]
    assert await listed(client, "/products", unit_group_id=shop.group["id"]) == ["Widget"]
    assert await listed(
        client, "/products", unit_group_id=weight["id"], product_type="sales_inventory"
    ) == ["Flour"]
    assert await listed(client, "/products", q="d-3") == ["Delivery"]
    assert await listed(client, "/products", q="WID") == ["Widget"]
    assert await listed(client, "/products", sort="-list_price") == [
        "Baking class",
        "Delivery",
        "Widget",
        "Flour",
    ]
    assert await listed(client, "/products", limit=2, offset=1) == ["Delivery", "Flour"]
    assert (await client.get("/products", params={"limit": 1})).json()["count"] == 4
    assert_invalid(
        await client.get("/products", params={"product_type": "x"}), "product_type", "query"
    )
