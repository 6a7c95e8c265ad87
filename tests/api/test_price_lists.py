"""Price lists and their items through the HTTP API: currency, validity, one price per unit."""

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


async def test_create_read_update_a_price_list(client: httpx.AsyncClient) -> None:
    prices = await create(
        client,
        "/price-lists",
        name="Retail 2026",
        currency="EUR",
        valid_from="2026-01-01",
        valid_to="2026-12-31",
    )
    assert prices["currency"] == "EUR"
    assert prices["is_active"] is True

    response = await client.patch(
        f"/price-lists/{prices['id']}", json={"currency": "USD", "description": "US shop"}
    )
    assert response.status_code == 200
    fetched = await read(client, f"/price-lists/{prices['id']}")
    assert fetched["currency"] == "USD"
    assert fetched["description"] == "US shop"
    assert fetched["valid_to"] == "2026-12-31"


async def test_currency_is_an_iso_4217_code(client: httpx.AsyncClient) -> None:
    for currency in ("eur", "EURO", "E1R", "EU", "", "€", None):
        response = await client.post("/price-lists", json={"name": "X", "currency": currency})
        assert_invalid(response, "currency")
    assert_invalid(await client.post("/price-lists", json={"name": "X"}), "currency")

    prices = await create(client, "/price-lists", name="Retail", currency="GBP")
    response = await client.patch(f"/price-lists/{prices['id']}", json={"currency": "gbp"})
    assert_invalid(response, "currency")
    response = await client.patch(f"/price-lists/{prices['id']}", json={"currency": None})
    assert_invalid(response, "currency")
    assert (await read(client, f"/price-lists/{prices['id']}"))["currency"] == "GBP"
    assert (await read(client, "/price-lists"))["count"] == 1


async def test_validity_does_not_end_before_it_starts(client: httpx.AsyncClient) -> None:
    body = {"name": "Promo", "currency": "EUR", "valid_from": "2026-07-01"}
    assert_invalid(
        await client.post("/price-lists", json={**body, "valid_to": "2026-06-30"}), "valid_to"
    )
    prices = await create(client, "/price-lists", **body, valid_to="2026-07-01")
    response = await client.patch(f"/price-lists/{prices['id']}", json={"valid_from": "2026-07-02"})
    assert_invalid(response, "valid_to")
    assert (await read(client, f"/price-lists/{prices['id']}"))["valid_from"] == "2026-07-01"
    assert (await read(client, "/price-lists"))["count"] == 1


async def test_price_lists_filter_by_currency_search_sort_and_page(
    client: httpx.AsyncClient,
) -> None:
    for name, currency in (("Retail", "EUR"), ("Wholesale", "EUR"), ("US retail", "USD")):
        await create(client, "/price-lists", name=name, currency=currency)

    assert await listed(client, "/price-lists", currency="EUR") == ["Retail", "Wholesale"]
    assert await listed(client, "/price-lists", q="retail") == ["Retail", "US retail"]
    assert await listed(client, "/price-lists", sort="-currency,name") == [
        "US retail",
        "Retail",
        "Wholesale",
    ]
    assert await listed(client, "/price-lists", limit=1, offset=2) == ["Wholesale"]


async def test_unknown_price_list_is_404(client: httpx.AsyncClient) -> None:
    missing = uuid.uuid4()
    for response in (
        await client.get(f"/price-lists/{missing}"),
        await client.patch(f"/price-lists/{missing}", json={"name": "X"}),
        await client.post(f"/price-lists/{missing}/deactivate"),
        await client.get(f"/price-lists/{missing}/items"),
        await client.post(f"/price-lists/{missing}/items", json={}),
        await client.patch(f"/price-lists/{missing}/items/{missing}", json={"amount": 1}),
        await client.post(f"/price-lists/{missing}/items/{missing}/deactivate"),
    ):
        assert response.status_code == 404
        assert response.json()["detail"]["record"] == "price list"


async def test_price_list_items_price_a_product_per_unit(client: httpx.AsyncClient) -> None:
    shop = await catalog(client)
    prices = await create(client, "/price-lists", name="Retail", currency="EUR")
    items = f"/price-lists/{prices['id']}/items"

    each = await create(
        client, items, product_id=shop.product["id"], unit_id=shop.each["id"], amount="1.10"
    )
    box = await create(
        client, items, product_id=shop.product["id"], unit_id=shop.box["id"], amount=12
    )
    assert each["amount"] == "1.1000"
    assert each["pricing_method"] == "currency_amount"
    assert each["price_list_id"] == prices["id"]

    response = await client.patch(f"{items}/{box['id']}", json={"amount": "11.99"})
    assert response.status_code == 200
    assert response.json()["amount"] == "11.9900"
    assert (await read(client, f"{items}/{box['id']}"))["amount"] == "11.9900"

    page = await read(client, f"{items}?sort=-amount")
    assert [i["id"] for i in page["data"]] == [box["id"], each["id"]]
    by_unit = await read(client, f"{items}?unit_id={shop.box['id']}")
    assert [i["id"] for i in by_unit["data"]] == [box["id"]]
    by_product = await read(client, f"{items}?product_id={shop.product['id']}")
    assert by_product["count"] == 2

    # Another list's items are not this list's.
    other = await create(client, "/price-lists", name="Wholesale", currency="EUR")
    assert (await read(client, f"/price-lists/{other['id']}/items"))["count"] == 0
    response = await client.patch(
        f"/price-lists/{other['id']}/items/{box['id']}", json={"amount": "1"}
    )
    assert response.status_code == 404
    assert response.json()["detail"]["record"] == "price list item"


async def test_one_active_price_per_product_and_unit(client: httpx.AsyncClient) -> None:
    shop = await catalog(client)
    prices = await create(client, "/price-lists", name="Retail", currency="EUR")
    items = f"/price-lists/{prices['id']}/items"
    body = {"product_id": shop.product["id"], "unit_id": shop.each["id"]}
    first = await create(client, items, **body, amount="1")

    response = await client.post(items, json={**body, "amount": "2"})
    assert_conflict(response, "price_list_item_unique")
    box = await create(client, items, **{**body, "unit_id": shop.box["id"]}, amount="10")
    assert_conflict(
        await client.patch(f"{items}/{box['id']}", json={"unit_id": shop.each["id"]}),
        "price_list_item_unique",
    )
    assert (await read(client, f"{items}/{box['id']}"))["unit_id"] == shop.box["id"]
    assert (await read(client, items))["count"] == 2

    # A retired price frees the slot; bringing it back while another holds it is refused.
    response = await client.post(f"{items}/{first['id']}/deactivate")
    assert response.status_code == 200 and response.json()["is_active"] is False
    second = await create(client, items, **body, amount="2")
    assert_conflict(await client.post(f"{items}/{first['id']}/activate"), "price_list_item_unique")
    assert (await read(client, f"{items}/{first['id']}"))["is_active"] is False
    assert [i["id"] for i in (await read(client, f"{items}?view=inactive"))["data"]] == [
        first["id"]
    ]
    assert second["amount"] == "2.0000"

    # The same product and unit may be priced in another list.
    other = await create(client, "/price-lists", name="Wholesale", currency="EUR")
    await create(client, f"/price-lists/{other['id']}/items", **body, amount="0.90")


async def test_an_item_unit_belongs_to_the_product_unit_group(client: httpx.AsyncClient) -> None:
    shop = await catalog(client)
    _, kilogram = await unit_group(client, name="Weight", base_unit_name="kg")
    prices = await create(client, "/price-lists", name="Retail", currency="EUR")
    items = f"/price-lists/{prices['id']}/items"
    body = {"product_id": shop.product["id"], "amount": "5"}

    assert_invalid(await client.post(items, json={**body, "unit_id": kilogram["id"]}), "unit_id")
    assert_invalid(await client.post(items, json={**body, "unit_id": str(uuid.uuid4())}), "unit_id")
    assert_invalid(await client.post(items, json=body), "unit_id")
    item = await create(client, items, **body, unit_id=shop.each["id"])
    response = await client.patch(f"{items}/{item['id']}", json={"unit_id": kilogram["id"]})
    assert_invalid(response, "unit_id")
    assert (await read(client, f"{items}/{item['id']}"))["unit_id"] == shop.each["id"]
    assert (await read(client, items))["count"] == 1


async def test_bad_item_fields_are_422_naming_the_field(client: httpx.AsyncClient) -> None:
    shop = await catalog(client)
    prices = await create(client, "/price-lists", name="Retail", currency="EUR")
    items = f"/price-lists/{prices['id']}/items"
    body = {"product_id": shop.product["id"], "unit_id": shop.each["id"], "amount": "5"}
    for field, value in (
        ("product_id", str(uuid.uuid4())),
        ("product_id", "not-an-id"),
        ("amount", "-1"),
        ("amount", "0.00001"),
        ("amount", None),
        ("pricing_method", "percent_of_everything"),
    ):
        assert_invalid(await client.post(items, json={**body, field: value}), field)
    free = await create(client, items, **body | {"amount": "0"})
    assert free["amount"] == "0.0000"
    assert_invalid(await client.patch(f"{items}/{free['id']}", json={"amount": None}), "amount")
    assert (await read(client, f"{items}/{free['id']}"))["amount"] == "0.0000"
    missing = uuid.uuid4()
    response = await client.patch(f"{items}/{missing}", json={"amount": "1"})
    assert response.status_code == 404
    assert response.json()["detail"]["record"] == "price list item"


async def test_percentage_items_follow_the_product_price_they_are_priced_from(
    client: httpx.AsyncClient,
) -> None:
    shop = await catalog(client)  # list price 10.00
    product = f"/products/{shop.product['id']}"
    prices = await create(client, "/price-lists", name="Partners", currency="EUR")
    items = f"/price-lists/{prices['id']}/items"
    body = {"product_id": shop.product["id"], "unit_id": shop.each["id"]}

    assert_invalid(
        await client.post(items, json={**body, "pricing_method": "percent_of_list"}), "percentage"
    )
    assert_invalid(
        await client.post(
            items,
            json={**body, "pricing_method": "percent_of_list", "percentage": "85", "amount": "1"},
        ),
        "amount",
    )
    assert_invalid(
        await client.post(
            items, json={**body, "pricing_method": "markup_current_cost", "percentage": "25"}
        ),
        "pricing_method",  # the product has no current cost yet
    )
    assert (await read(client, items))["count"] == 0

    partner = await create(client, items, **body, pricing_method="percent_of_list", percentage="85")
    assert (partner["amount"], partner["percentage"]) == ("8.5000", "85.0000")

    assert (await client.patch(product, json={"list_price": "12.99"})).status_code == 200
    assert (await read(client, f"{items}/{partner['id']}"))["amount"] == "11.0400"  # 11.0415

    assert_conflict(await client.patch(product, json={"list_price": None}), "product_price_in_use")
    assert (await read(client, product))["list_price"] == "12.9900"

    patch = await client.patch(f"{items}/{partner['id']}", json={"amount": "3"})
    assert_invalid(patch, "amount")
    margin = await client.patch(
        f"{items}/{partner['id']}",
        json={"pricing_method": "margin_current_cost", "percentage": "20"},
    )
    assert_invalid(margin, "pricing_method")
    await client.patch(product, json={"current_cost": "8.00"})
    margin = await client.patch(
        f"{items}/{partner['id']}",
        json={"pricing_method": "margin_current_cost", "percentage": "20"},
    )
    assert margin.status_code == 200, margin.text
    assert margin.json()["amount"] == "10.0000"

    fixed = await client.patch(
        f"{items}/{partner['id']}",
        json={"pricing_method": "currency_amount", "percentage": None, "amount": "9.50"},
    )
    assert fixed.status_code == 200, fixed.text
    assert (fixed.json()["amount"], fixed.json()["percentage"]) == ("9.5000", None)
    assert (await client.patch(product, json={"current_cost": "9.00"})).status_code == 200
    assert (await read(client, f"{items}/{partner['id']}"))["amount"] == "9.5000"
