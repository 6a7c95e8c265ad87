"""Pricing over HTTP: units, price lists and rounding, discount lists, tax rates, line amounts,
document totals carried from opportunity to quote to order, and the override_price privilege."""

from typing import Any

import httpx

from core.settings import Settings
from models.user import Role
from tests.api.helpers import Catalog, assert_conflict, assert_invalid, catalog, create, read
from tests.auth import add_user, bearer


async def opportunity(
    client: httpx.AsyncClient, *lines: dict[str, Any], **fields: Any
) -> httpx.Response:
    """An opportunity of a new customer (one is required) with these lines."""
    customer = {"account_id": (await create(client, "/accounts", name="Northwind"))["id"]}
    body = {"name": "Fit-out", **customer, **fields, "lines": lines}
    return await client.post("/opportunities", json=body)


async def lines_of(client: httpx.AsyncClient, path: str) -> list[dict[str, Any]]:
    response = await client.get(f"{path}/lines")
    assert response.status_code == 200, response.text
    return sorted(response.json(), key=lambda line: line["line_number"])


async def test_a_box_of_12_costs_12_each_without_a_price_list_and_needs_an_item_with_one(
    deal_api: httpx.AsyncClient,
) -> None:
    shop: Catalog = await catalog(deal_api)
    response = await opportunity(
        deal_api, {"product_id": shop.product["id"], "unit_id": shop.box["id"], "quantity": "1"}
    )
    assert response.status_code == 201, response.text
    [line] = await lines_of(deal_api, f"/opportunities/{response.json()['id']}")
    assert line["price_per_unit"] == "120.0000"
    assert line["is_price_overridden"] is False

    prices = await create(deal_api, "/price-lists", name="Retail", currency="EUR")
    await create(
        deal_api,
        f"/price-lists/{prices['id']}/items",
        product_id=shop.product["id"],
        unit_id=shop.each["id"],
        amount="10.00",
    )
    box_line = {"product_id": shop.product["id"], "unit_id": shop.box["id"], "quantity": "1"}
    response = await opportunity(deal_api, box_line, price_list_id=prices["id"])
    assert_invalid(response, "lines.0.unit_id")
    assert "box" in response.json()["detail"][0]["msg"]


async def test_a_price_list_out_of_its_validity_prices_no_new_line(
    deal_api: httpx.AsyncClient,
) -> None:
    shop = await catalog(deal_api)
    old = await create(deal_api, "/price-lists", name="2020", currency="EUR", valid_to="2020-12-31")
    line = {"product_id": shop.product["id"], "quantity": "1"}
    assert_invalid(await opportunity(deal_api, line, price_list_id=old["id"]), "price_list_id")


async def test_rounding_a_percentage_priced_item(deal_api: httpx.AsyncClient) -> None:
    shop = await catalog(deal_api)  # list price 10.00
    prices = await create(deal_api, "/price-lists", name="Retail", currency="EUR")
    item = await create(
        deal_api,
        f"/price-lists/{prices['id']}/items",
        product_id=shop.product["id"],
        unit_id=shop.each["id"],
        pricing_method="percent_of_list",
        percentage="123.45",  # 12.345
        rounding_policy="up",
        rounding_option="ends_in",
        rounding_amount="0.99",
    )
    assert item["amount"] == "12.9900"
    response = await deal_api.post(
        f"/price-lists/{prices['id']}/items",
        json={
            "product_id": shop.product["id"],
            "unit_id": shop.box["id"],
            "pricing_method": "percent_of_list",
            "percentage": "50",
            "rounding_policy": "nearest",
        },
    )
    assert_invalid(response, "rounding_option")


async def test_volume_tiers_include_both_ends_and_never_overlap(
    deal_api: httpx.AsyncClient,
) -> None:
    shop = await catalog(deal_api)
    tiers = await create(deal_api, "/discount-lists", name="Volume", is_amount_type=False)
    path = f"/discount-lists/{tiers['id']}/discounts"
    await create(deal_api, path, low_quantity="1", high_quantity="10", percentage="0")
    await create(deal_api, path, low_quantity="11", high_quantity="20", percentage="10")
    response = await deal_api.post(
        path, json={"low_quantity": "20", "high_quantity": "30", "percentage": "20"}
    )
    assert_conflict(response, "discount_tiers_overlap")
    assert_invalid(
        await deal_api.post(path, json={"low_quantity": "40", "high_quantity": "50"}),
        "percentage",
    )
    prices = await create(deal_api, "/price-lists", name="Retail", currency="EUR")
    await create(
        deal_api,
        f"/price-lists/{prices['id']}/items",
        product_id=shop.product["id"],
        unit_id=shop.each["id"],
        amount="10.00",
        discount_list_id=tiers["id"],
    )
    quantities = ("10", "11", "20", "21")
    response = await opportunity(
        deal_api,
        *({"product_id": shop.product["id"], "quantity": q} for q in quantities),
        price_list_id=prices["id"],
    )
    assert response.status_code == 201, response.text
    lines = await lines_of(deal_api, f"/opportunities/{response.json()['id']}")
    assert [line["volume_discount"] for line in lines] == ["0.0000", "1.0000", "1.0000", "0.0000"]
    assert [line["extended_amount"] for line in lines] == [
        "100.0000",
        "99.0000",
        "180.0000",
        "210.0000",
    ]


async def test_tax_per_line_and_document_totals_follow_to_the_quote_and_order(
    deal_api: httpx.AsyncClient,
) -> None:
    rate = await create(deal_api, "/tax-rates", name="Reduced", percentage="5")
    line = {"write_in_description": "Cable", "quantity": "1", "price_per_unit": "1.10"}
    taxed = {**line, "tax_rate_id": rate["id"]}
    response = await opportunity(
        deal_api, taxed, taxed, taxed, discount_percentage="10", freight_amount="2.00"
    )
    assert response.status_code == 201, response.text
    opp = response.json()
    # Each line's tax 0.055 rounds to 0.06 (0.18 in all; 3.30 x 5 % would be 0.17).
    assert opp["total_line_item_amount"] == "3.3000"
    assert opp["total_tax"] == "0.1800"
    assert opp["total_discount_amount"] == "0.3300"
    assert opp["total_amount_less_freight"] == "2.9700"
    assert opp["total_amount"] == "5.1500"  # 2.97 + 2.00 freight + 0.18 tax

    changed = await deal_api.patch(f"/opportunities/{opp['id']}", json={"discount_amount": "9"})
    assert_invalid(changed, "discount_amount")  # 0.33 + 9 is more than the detail amount 3.30

    quoted = await deal_api.post(f"/opportunities/{opp['id']}/quotes", json={})
    assert quoted.status_code == 201, quoted.text
    [quote] = quoted.json()["quotes"]
    assert quote["discount_percentage"] == "10.0000"
    assert quote["total_amount"] == "5.1500"
    assert (await deal_api.post(f"/quotes/{quote['id']}/activate")).status_code == 200
    accepted = await deal_api.post(f"/quotes/{quote['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    [order] = accepted.json()["orders"]
    assert (order["total_tax"], order["total_amount"]) == ("0.1800", "5.1500")


async def test_a_manual_discount_larger_than_the_line_is_refused(
    deal_api: httpx.AsyncClient,
) -> None:
    line = {
        "write_in_description": "Cable",
        "quantity": "1",
        "price_per_unit": "10.00",
        "manual_discount": "50",
    }
    assert_invalid(await opportunity(deal_api, line), "manual_discount")


async def test_a_salesperson_needs_the_override_privilege(
    deal_api: httpx.AsyncClient, settings: Settings
) -> None:
    shop = await catalog(deal_api)  # 10.00 each
    seller = add_user(settings, Role.salesperson)
    headers = bearer(settings, seller)
    account_id = (await create(deal_api, "/accounts", name="Northwind"))["id"]
    overridden = {"product_id": shop.product["id"], "quantity": "1", "price_per_unit": "1.00"}
    response = await deal_api.post(
        "/opportunities",
        json={"name": "Cheap", "account_id": account_id, "lines": [overridden]},
        headers=headers,
    )
    assert response.status_code == 403, response.text
    assert response.json()["detail"]["rule"] == "override_price"
    assert response.json()["detail"]["field"] == "lines.0.price_per_unit"

    discounted = {"product_id": shop.product["id"], "quantity": "1", "manual_discount": "5"}
    response = await deal_api.post(
        "/opportunities",
        json={"name": "Cheap", "account_id": account_id, "lines": [discounted]},
        headers=headers,
    )
    assert response.status_code == 403, response.text
    assert response.json()["detail"]["field"] == "lines.0.manual_discount"

    small = {**discounted, "manual_discount": "1"}
    response = await deal_api.post(
        "/opportunities",
        json={"name": "Fair", "account_id": account_id, "lines": [small]},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    opp = response.json()
    [line] = await lines_of(deal_api, f"/opportunities/{opp['id']}")
    response = await deal_api.patch(
        f"/opportunities/{opp['id']}/lines/{line['id']}",
        json={"price_per_unit": "1.00"},
        headers=headers,
    )
    assert response.status_code == 403, response.text
    # A manager may.
    response = await deal_api.patch(
        f"/opportunities/{opp['id']}/lines/{line['id']}", json={"price_per_unit": "1.00"}
    )
    assert response.status_code == 200, response.text
    [line] = await lines_of(deal_api, f"/opportunities/{opp['id']}")
    assert line["is_price_overridden"] is True
    assert (await read(deal_api, f"/opportunities/{opp['id']}"))["total_amount"] == "0.0000"
