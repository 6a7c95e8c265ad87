"""Locked pricing over HTTP: an order from a quote keeps its prices while locked; unlocked,
recalculate prices it again from its price list; an invoice entered directly likewise."""

from typing import Any

import httpx

from tests.api.deals import ok, refused
from tests.api.helpers import Catalog, catalog, create


async def lines_of(client: httpx.AsyncClient, path: str) -> list[dict[str, Any]]:
    lines: list[dict[str, Any]] = await ok(await client.get(f"{path}/lines"))
    return sorted(lines, key=lambda line: line["line_number"])


async def priced_catalog(client: httpx.AsyncClient) -> tuple[Catalog, dict[str, Any], str]:
    """A product at 10.00 each on a price list; the path of that price list item."""
    shop = await catalog(client)
    prices = await create(client, "/price-lists", name="Retail", currency="EUR")
    item = await create(
        client,
        f"/price-lists/{prices['id']}/items",
        product_id=shop.product["id"],
        unit_id=shop.each["id"],
        amount="10.00",
    )
    return shop, prices, f"/price-lists/{prices['id']}/items/{item['id']}"


async def test_an_order_keeps_its_prices_while_locked_and_takes_the_lists_once_unlocked(
    deal_api: httpx.AsyncClient,
) -> None:
    shop, prices, item = await priced_catalog(deal_api)
    account = await create(deal_api, "/accounts", name="Northwind")
    lines = [
        {"product_id": shop.product["id"], "quantity": "3"},
        {"write_in_description": "Setup", "quantity": "1", "price_per_unit": "5.00"},
    ]
    opportunity = await create(
        deal_api,
        "/opportunities",
        name="Widgets",
        account_id=account["id"],
        price_list_id=prices["id"],
        lines=lines,
    )
    quoted = await ok(
        await deal_api.post(f"/opportunities/{opportunity['id']}/quotes", json={}), 201
    )
    quote_id = quoted["record_id"]
    await ok(await deal_api.post(f"/quotes/{quote_id}/activate"))
    [order] = (await ok(await deal_api.post(f"/quotes/{quote_id}/accept")))["orders"]
    path = f"/orders/{order['id']}"
    assert (order["is_price_locked"], order["total_amount"]) == (True, "35.0000")

    await ok(await deal_api.patch(item, json={"amount": "12.00"}))
    detail = await refused(await deal_api.post(f"{path}/recalculate"))
    assert (detail["state"], detail["rule"]) == ("active", "pricing is locked: unlock it first")
    assert (await ok(await deal_api.get(path)))["total_amount"] == "35.0000"

    unlocked = await ok(await deal_api.post(f"{path}/unlock-pricing"))
    assert unlocked["orders"][0]["is_price_locked"] is False
    recalculated = await ok(await deal_api.post(f"{path}/recalculate"))
    [order] = recalculated["orders"]
    assert (order["total_line_item_amount"], order["total_amount"]) == ("41.0000", "41.0000")
    product, write_in = await lines_of(deal_api, path)
    assert (product["price_per_unit"], product["extended_amount"]) == ("12.0000", "36.0000")
    assert write_in["extended_amount"] == "5.0000"  # a write-in keeps its price

    locked = await ok(await deal_api.post(f"{path}/lock-pricing"))
    assert locked["orders"][0]["is_price_locked"] is True
    await ok(await deal_api.patch(item, json={"amount": "15.00"}))
    assert (await refused(await deal_api.post(f"{path}/recalculate")))["rule"] == (
        "pricing is locked: unlock it first"
    )
    again = await refused(await deal_api.post(f"{path}/lock-pricing"))
    assert again["rule"] == "pricing is locked already"

    await ok(await deal_api.post(f"{path}/submit"))
    submitted = await refused(await deal_api.post(f"{path}/unlock-pricing"))
    assert (submitted["state"], submitted["rule"]) == (
        "submitted",
        "only an active order's pricing can change",
    )


async def test_an_invoice_entered_directly_is_recalculated_from_its_price_list(
    deal_api: httpx.AsyncClient,
) -> None:
    shop, prices, item = await priced_catalog(deal_api)
    invoice = await create(
        deal_api,
        "/invoices",
        name="Widgets",
        price_list_id=prices["id"],
        lines=[{"product_id": shop.product["id"], "quantity": "2"}],
    )
    path = f"/invoices/{invoice['id']}"
    assert (invoice["price_list_id"], invoice["total_amount"]) == (prices["id"], "20.0000")
    await ok(await deal_api.patch(item, json={"amount": "9.50"}))
    assert (await refused(await deal_api.post(f"{path}/recalculate")))["record"] == "invoice"
    await ok(await deal_api.post(f"{path}/unlock-pricing"))
    [invoice] = (await ok(await deal_api.post(f"{path}/recalculate")))["invoices"]
    assert (invoice["total_amount"], invoice["balance_due"]) == ("19.0000", "19.0000")


async def test_an_active_order_is_edited_until_submitted(deal_api: httpx.AsyncClient) -> None:
    shop, prices, _ = await priced_catalog(deal_api)
    line = {"product_id": shop.product["id"], "quantity": "2"}
    order = await create(
        deal_api, "/orders", name="Widgets", price_list_id=prices["id"], lines=[line]
    )
    path = f"/orders/{order['id']}"
    added = await ok(await deal_api.post(f"{path}/lines", json={**line, "quantity": "1"}), 201)
    assert added["orders"][0]["total_amount"] == "30.0000"  # priced from the list: 10.00 each
    first, second = await lines_of(deal_api, path)
    await ok(await deal_api.patch(f"{path}/lines/{first['id']}", json={"quantity": "4"}))
    await ok(await deal_api.delete(f"{path}/lines/{second['id']}"))
    edited = await ok(
        await deal_api.patch(path, json={"freight_amount": "5.00", "description": "rush"})
    )
    assert (edited["description"], edited["total_amount"]) == ("rush", "45.0000")
    assert (await deal_api.patch(path, json={"state": "invoiced"})).status_code == 422

    await ok(await deal_api.post(f"{path}/submit"))
    detail = await refused(await deal_api.patch(path, json={"name": "Late"}))
    assert (detail["state"], detail["rule"]) == ("submitted", "only an active order can change")
    assert (await refused(await deal_api.post(f"{path}/lines", json=line)))["state"] == "submitted"
