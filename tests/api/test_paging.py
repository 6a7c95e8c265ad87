"""Walking long lists: keyset cursors (with ties and empty values), the bounded count."""

import uuid
from typing import Any

import httpx
from sqlalchemy import Engine, insert

from models.account import Account
from models.base import utcnow
from models.listing import COUNT_LIMIT
from tests.api.helpers import assert_invalid, create

CITIES = ["Lyon", "oslo", None, "Lyon", "Accra", None, "Oslo", "lyon", "Zürich"]


async def walk(client: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every row, page by page through `next_cursor`."""
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        page = (await client.get(path, params=query)).json()
        rows += page["data"]
        cursor = page["next_cursor"]
        if cursor is None:
            return rows


async def test_a_cursor_walks_every_row_once_in_order_with_ties_and_empty_values(
    client: httpx.AsyncClient,
) -> None:
    for i, city in enumerate(CITIES):
        await create(client, "/accounts", name=f"Account {i}", city=city)
    for sort in ("city", "-city", "city,-name", "-created_at", "name"):
        everything = (await client.get("/accounts", params={"sort": sort, "limit": 100})).json()
        assert everything["next_cursor"] is None
        walked = await walk(client, "/accounts", sort=sort, limit=2)
        assert [a["id"] for a in walked] == [a["id"] for a in everything["data"]], sort

    by_city = await walk(client, "/accounts", sort="city", limit=4)
    assert [a["city"] for a in by_city][:2] == [None, None]  # empty values sort first...
    by_city_descending = await walk(client, "/accounts", sort="-city", limit=4)
    assert [a["city"] for a in by_city_descending][-2:] == [None, None]  # ... and last reversed
    assert [a["city"].lower() for a in by_city[2:]] == sorted(c.lower() for c in CITIES if c)


async def test_rows_added_while_walking_do_not_shift_the_next_page(
    client: httpx.AsyncClient,
) -> None:
    for name in ("Ant", "Bee", "Cat", "Dog"):
        await create(client, "/accounts", name=name)
    first = (await client.get("/accounts", params={"sort": "name", "limit": 2})).json()
    await create(client, "/accounts", name="Aardvark")  # sorts before the cursor
    second = (
        await client.get(
            "/accounts", params={"sort": "name", "limit": 2, "cursor": first["next_cursor"]}
        )
    ).json()
    assert [a["name"] for a in first["data"] + second["data"]] == ["Ant", "Bee", "Cat", "Dog"]


async def test_a_cursor_for_another_sort_or_made_up_is_422_naming_cursor(
    client: httpx.AsyncClient,
) -> None:
    for name in ("Ant", "Bee", "Cat"):
        await create(client, "/accounts", name=name)
    page = (await client.get("/accounts", params={"sort": "name", "limit": 1})).json()
    other_sort = await client.get(
        "/accounts", params={"sort": "-name", "cursor": page["next_cursor"]}
    )
    assert_invalid(other_sort, "cursor", "query")
    assert "sort" in other_sort.json()["detail"][0]["msg"]
    for bad in (
        "not-a-cursor",
        "eyJzb3J0IjoibmFtZSJ9",
        "W10",
        "eyJzb3J0IjoibmFtZSIsImFmdGVyIjpbMV19",
    ):
        assert_invalid(
            await client.get("/accounts", params={"sort": "name", "cursor": bad}),
            "cursor",
            "query",
        )


async def test_counts_stop_at_the_limit_and_say_so(
    client: httpx.AsyncClient, engine: Engine
) -> None:
    now = utcnow()
    rows = [
        {
            "id": uuid.uuid4(),
            "name": f"Bulk {i}",
            "is_active": True,
            "created_at": now,
            "modified_at": now,
            "relationship_type": "customer",
        }
        for i in range(COUNT_LIMIT + 1)
    ]
    with engine.begin() as connection:
        connection.execute(insert(Account), rows)
    page = (await client.get("/accounts", params={"limit": 1})).json()
    assert page["count"] == COUNT_LIMIT
    assert page["count_limit_exceeded"] is True

    few = (await client.get("/accounts", params={"q": "Bulk 4999"})).json()
    assert few["count"] == 1
    assert few["count_limit_exceeded"] is False
